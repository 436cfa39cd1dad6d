"""RecordStore: reads and all-or-nothing writes of people, sources, meetings, plans and visits."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import aiosqlite

from bot.domain.errors import NotFoundError, UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import SECTIONS, Bundle, record_to_dict
from bot.domain.markup import name_words
from bot.domain.records import AuditEntry, Record, RecordType, new_uid
from bot.domain.registry import (
    Field,
    FieldKind,
    Line,
    RecordSpec,
    countries_of,
    line_part,
    spec_of,
)
from bot.stores.database import COMMAND_WAIT_S, Database
from bot.stores.dialect import CANDIDATES, MAX_WORDS, Dialect, Search, words_of
from bot.stores.imports import Importer, ImportOptions
from bot.stores.search import (
    SearchIndex,
    Shape,
    exact_range,
    matching,
    prefix_bounds,
    prefix_range,
    ranked,
    readers_of,
)

# Matches of a word being typed past which autocomplete walks records newest first instead
# of gathering every match (see RecordStore._named): where the two cost the same at
# 100,000 records, about 5 ms each.
COMMON_PREFIX = 5000
# Rows of a common driving word (every word typed is common) autocomplete reads newest
# first before it decides that the words are rare together and intersects every match
# instead (RecordStore._newest): about 10 ms of lookups, where words that go together fill
# the candidates within a few hundred rows.
WINDOW = 2000

TABLES = {kind: spec_of(kind).table for kind in RecordType}
# An import writing this many records is a bulk load: the planner's statistics are
# refreshed after it (see Database.refresh_statistics).
BULK_WRITE = 1_000
# Records loaded at once from which their conversion runs on a worker thread: a brief loads
# about 250 in a few batches, and converting one batch on the event loop held every other
# server's command behind it (loopcost's brief_vs_small probe: a small server's p99 under
# back-to-back briefs 44-49 -> 29-41 ms). The thread still takes the GIL, but gives it back
# every switch interval, and overlaps the reads the brief runs at once. A list's page of 10
# stays on the loop, where a thread's hand-over would cost more than it saves.
OFF_LOOP = 40

log = logging.getLogger(__name__)


@dataclass
class RecordFilter:
    """What a list shows; every field optional. Dates bound the record's period, end exclusive."""

    country: str | None = None
    kinds: Sequence[str] = ()
    statuses: Sequence[str] = ()
    date_from: date | None = None
    date_to: date | None = None
    newest_first: bool = False
    visit: str | None = None
    title_words: str | None = None
    limit: int = 25
    offset: int = 0


@dataclass(frozen=True)
class Changed:
    """A record that differs from what a writer read: `now` is None if it was deleted since,
    and `fields` are those that differ (all of them, if it appeared or disappeared)."""

    kind: RecordType
    uid: str
    number: int | None
    now: Record | None
    fields: list[str]


class ChangedSinceRead(UserError):
    """Records changed since the writer read them; the whole write was refused."""

    def __init__(self, changed: list[Changed]) -> None:
        self.changed = changed
        names = ", ".join(f"{c.kind.value} {c.uid}" for c in changed)
        super().__init__(f"Nothing was saved: {names} changed since it was read.")


@dataclass
class ImportCounts:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0


@dataclass(frozen=True)
class SearchHit:
    record_type: RecordType
    record_id: int
    title: str
    snippet: str


def record_type_of(record: Record) -> RecordType:
    return spec_of(record).type


def _date_columns(prefix: str, value: FuzzyDate | None, *, bounds: str) -> dict[str, Any]:
    cols: dict[str, Any] = {
        f"{prefix}_value": value.value if value else None,
        f"{prefix}_precision": value.precision.value if value else None,
        f"{prefix}_zone": value.zone if value else None,
    }
    if bounds:
        cols[f"{prefix}_start"] = value.start.isoformat() if value else None
    if bounds == "both":
        cols[f"{prefix}_end"] = value.end.isoformat() if value else None
    return cols


def _date_from_row(row: aiosqlite.Row, prefix: str) -> FuzzyDate | None:
    value = row[f"{prefix}_value"]
    if value is None:
        return None
    return FuzzyDate.from_value(value, row[f"{prefix}_precision"], row[f"{prefix}_zone"])


class RecordStore:
    """Every method takes the guild id; no query runs without it.

    Records are named by their number (`Record.id`, what users type as #3), unique in their
    server and type and never handed out twice. The row id is internal: only link tables
    and joins use it.
    """

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock
        self._index = SearchIndex(db.dialect)

    # --- writes -------------------------------------------------------------------------

    async def add(self, guild_id: int, record: Record, *, actor_id: int | None) -> Record:
        async with self._db.transaction(wait=COMMAND_WAIT_S, guild=guild_id) as conn:
            return await self._insert(conn, guild_id, record, actor_id, action="create")

    async def update(self, guild_id: int, record: Record, *, actor_id: int | None) -> Record:
        if record.id is None:
            raise ValueError("update needs a stored record")
        async with self._db.transaction(wait=COMMAND_WAIT_S, guild=guild_id) as conn:
            return await self._update(conn, guild_id, record, actor_id, action="update")

    async def delete(
        self, guild_id: int, kind: RecordType, number: int, *, actor_id: int | None
    ) -> Record:
        async with self._db.transaction(wait=COMMAND_WAIT_S, guild=guild_id) as conn:
            record = await self._get(conn, guild_id, kind, number)
            row_id = await self._row_id(conn, guild_id, kind, number)
            if record is None or row_id is None:
                raise NotFoundError(f"There is no {spec_of(kind).noun} #{number} in this server.")
            await self._check_unreferenced(conn, kind, row_id, record)
            await conn.execute(f"DELETE FROM {TABLES[kind]} WHERE id = ?", (row_id,))
            await conn.execute("DELETE FROM record_countries WHERE record_type = ? AND row_id = ?",
                               (kind.value, row_id))
            await self._index.remove(conn, guild_id, spec_of(kind), [(row_id, number)])
            await self._audit(conn, guild_id, actor_id, "delete", record, before=record, after=None)
            return record

    async def import_bundle(
        self, guild_id: int, bundle: Bundle, *, actor_id: int | None,
        expected: Mapping[tuple[RecordType, str], dict[str, Any] | None] | None = None,
        options: ImportOptions | None = None,
    ) -> tuple[ImportCounts, list[tuple[Record | None, Record]]]:
        """Writes a bundle; a record whose uid exists is updated (see bot/stores/imports.py:
        one transaction up to imports.SINGLE records, journalled batches beyond).

        `expected` is what the writer last read of some records, by (type, uid), in
        interchange form (None: it did not exist then). If any of them differs now,
        ChangedSinceRead is raised inside the first transaction, before anything is written.

        Returns the counts and every (before, after) pair written, for what follows a change.
        """
        counts = ImportCounts()
        written = await Importer(self).run(guild_id, bundle, actor_id=actor_id,
                                           expected=expected, options=options, counts=counts)
        if len(written) >= BULK_WRITE:
            try:
                await self._db.refresh_statistics()
            except Exception:  # the import is committed; slower plans are not an error
                log.warning("could not refresh the planner's statistics", exc_info=True)
        return counts, written

    async def _changed_since(
        self, conn: aiosqlite.Connection, guild_id: int,
        expected: Mapping[tuple[RecordType, str], dict[str, Any] | None],
    ) -> list[Changed]:
        """The records of `expected` that differ from what the writer read."""
        changed = []
        for (kind, uid), seen in expected.items():
            number = await self._number_of(conn, guild_id, kind, uid)
            now = await self._get(conn, guild_id, kind, number) if number is not None else None
            now_dict = record_to_dict(now) if now is not None else None
            if now_dict != seen:
                fields = sorted(k for k in {*(now_dict or {}), *(seen or {})}
                                if (now_dict or {}).get(k) != (seen or {}).get(k))
                changed.append(Changed(kind, uid, number, now, fields))
        return changed

    async def _uid_map(
        self, conn: aiosqlite.Connection, guild_id: int, spec: RecordSpec
    ) -> dict[str, tuple[int, int]]:
        """uid → (row id, number) for every record of one type in the server."""
        async with conn.execute(
            f"SELECT uid, id, number FROM {spec.table} WHERE guild_id = ?", (guild_id,)
        ) as cur:
            return {row[0]: (int(row[1]), int(row[2])) for row in await cur.fetchall()}

    async def _next_number(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType
    ) -> int:
        """The server's next number for this type; the counter never goes back."""
        async with conn.execute(
            "INSERT INTO record_numbers (guild_id, record_type, last) VALUES (?, ?, 1)"
            " ON CONFLICT (guild_id, record_type) DO UPDATE SET last = record_numbers.last + 1"
            " RETURNING last",
            (guild_id, kind.value),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return int(row[0])

    async def _insert(
        self, conn: aiosqlite.Connection, guild_id: int, record: Record, actor_id: int | None,
        *, action: str,
    ) -> Record:
        spec = spec_of(record)
        uid = record.uid or new_uid(spec.type)
        if await self._number_of(conn, guild_id, spec.type, uid) is not None:
            raise UserError(f"A {spec.type.value} with uid {uid!r} already exists in this server.")
        number = await self._next_number(conn, guild_id, spec.type)
        record = replace(record, uid=uid, id=number)
        cols = await self._columns(conn, guild_id, spec, record)
        now = self._clock().isoformat()
        cols.update(guild_id=guild_id, uid=uid, number=number, created_at=now, updated_at=now)
        names = ", ".join(cols)
        marks = ", ".join("?" for _ in cols)
        async with conn.execute(
            f"INSERT INTO {spec.table} ({names}) VALUES ({marks}) RETURNING id",
            tuple(cols.values()),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        await self._write_links(conn, guild_id, spec, record, int(row[0]))
        await self._index.write(conn, guild_id, spec, [(int(row[0]), record)], fresh=True)
        await self._audit(conn, guild_id, actor_id, action, record, before=None, after=record)
        return record

    async def _update(
        self, conn: aiosqlite.Connection, guild_id: int, record: Record, actor_id: int | None,
        *, action: str,
    ) -> Record:
        spec = spec_of(record)
        assert record.id is not None
        before = await self._get(conn, guild_id, spec.type, record.id)
        row_id = await self._row_id(conn, guild_id, spec.type, record.id)
        if before is None or row_id is None:
            raise NotFoundError(f"There is no {spec.type.value} #{record.id} in this server.")
        # The uid is the record's identity across exports; an edit never changes it.
        record = replace(record, uid=before.uid)
        cols = await self._columns(conn, guild_id, spec, record)
        cols["updated_at"] = self._clock().isoformat()
        assignments = ", ".join(f"{name} = ?" for name in cols)
        await conn.execute(
            f"UPDATE {spec.table} SET {assignments} WHERE id = ?", (*cols.values(), row_id)
        )
        await self._write_links(conn, guild_id, spec, record, row_id)
        await self._index.write(conn, guild_id, spec, [(row_id, record)])
        await self._reindex_readers(conn, guild_id, spec, row_id, before, record)
        await self._audit(conn, guild_id, actor_id, action, record, before=before, after=record)
        return record

    async def _reindex_readers(
        self, conn: aiosqlite.Connection, guild_id: int, spec: RecordSpec, row_id: int,
        before: Record, after: Record,
    ) -> None:
        """Records whose search text reads this one (a visit, its visitor's name) are
        indexed again when what they read of it changed."""
        for reader, ref, names in readers_of(spec.type):
            if all(getattr(before, n) == getattr(after, n) for n in names):
                continue
            column = reader.field(ref).store_column
            async with conn.execute(
                f"SELECT id, number FROM {reader.table} WHERE {column} = ?", (row_id,)
            ) as cur:
                rows = {int(r[1]): int(r[0]) for r in await cur.fetchall()}
            records = await self._load_many(conn, guild_id, reader.type, list(rows))
            await self._index.write(conn, guild_id, reader,
                                    [(rows[r.id], r) for r in records if r.id is not None])

    async def rebuild_search(self, conn: aiosqlite.Connection) -> int:
        """Every server's index rows written again from the records (see SearchIndex)."""
        return await self._index.rebuild(conn)

    async def _columns(
        self, conn: aiosqlite.Connection, guild_id: int, spec: RecordSpec, record: Record
    ) -> dict[str, Any]:
        """The row's own columns, with every uid reference resolved inside this guild."""
        cols: dict[str, Any] = {}
        for f in spec.fields:
            value = getattr(record, f.name)
            if f.kind is FieldKind.REF:
                assert f.target is not None
                cols[f.store_column] = await self._ref_id(conn, guild_id, f.target, value)
            else:
                cols.update(_plain_columns(f, value))
        _close_period(spec, record, cols)
        return cols

    async def _ref_id(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, uid: str | None
    ) -> int | None:
        if not uid:
            return None
        found = await self._id_of(conn, guild_id, kind, uid)
        if found is None:
            raise NotFoundError(f"There is no {spec_of(kind).noun} {uid!r} in this server.")
        return found

    async def _write_links(
        self, conn: aiosqlite.Connection, guild_id: int, spec: RecordSpec, record: Record,
        row_id: int,
    ) -> None:
        if spec.country_fields:
            await conn.execute("DELETE FROM record_countries WHERE record_type = ? AND row_id = ?",
                               (spec.type.value, row_id))
            main = spec.main_date
            day = getattr(record, main.name) if main is not None else None
            start = day.start.isoformat() if day is not None else None
            countries = dict.fromkeys(c for c in countries_of(record) if c)
            status = _status_of(record)
            await conn.executemany(
                "INSERT INTO record_countries (guild_id, record_type, country, date_start, row_id,"
                " status) VALUES (?, ?, ?, ?, ?, ?)",
                [(guild_id, spec.type.value, c, start, row_id, status) for c in countries],
            )
        for f in spec.of(FieldKind.PEOPLE):
            link = f.people
            assert link is not None
            await conn.execute(f"DELETE FROM {link.table} WHERE {link.owner_column} = ?",
                               (row_id,))
            for position, person in enumerate(getattr(record, f.name)):
                person_id = await self._ref_id(conn, guild_id, RecordType.PERSON, person.person)
                await conn.execute(
                    f"INSERT INTO {link.table} ({link.owner_column}, position, person_id,"
                    f" {link.role}) VALUES (?, ?, ?, ?)",
                    (row_id, position, person_id, getattr(person, link.role)),
                )

    async def _check_unreferenced(
        self, conn: aiosqlite.Connection, kind: RecordType, row_id: int, record: Record
    ) -> None:
        """People are linked with ON DELETE RESTRICT; say where, instead of a bare SQL error."""
        if kind is not RecordType.PERSON:
            return
        uses = []
        for label, sql in _person_uses():
            async with conn.execute(sql, (row_id,)) as cur:
                row = await cur.fetchone()
            if row and row[0]:
                uses.append(f"{row[0]} {label}{'s' if row[0] != 1 else ''}")
        if uses:
            raise UserError(
                f"{record.heading} still appears in {', '.join(uses)}; "
                "remove them there first, then delete the person."
            )

    async def _audit(
        self, conn: aiosqlite.Connection, guild_id: int, actor_id: int | None, action: str,
        record: Record, *, before: Record | None, after: Record | None,
    ) -> None:
        def dump(r: Record | None) -> str | None:
            return json.dumps(record_to_dict(r), ensure_ascii=False) if r is not None else None

        await conn.execute(
            "INSERT INTO audit_log (guild_id, actor_id, action, record_type, record_id,"
            " record_uid, before_json, after_json, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (guild_id, actor_id, action, record_type_of(record).value, record.id, record.uid,
             dump(before), dump(after), self._clock().isoformat()),
        )

    # --- reads --------------------------------------------------------------------------

    async def get(self, guild_id: int, kind: RecordType, number: int) -> Record | None:
        async with self._db.read() as conn:
            return await self._get(conn, guild_id, kind, number)

    async def require(self, guild_id: int, kind: RecordType, number: int) -> Record:
        record = await self.get(guild_id, kind, number)
        if record is None:
            raise NotFoundError(f"There is no {spec_of(kind).noun} #{number} in this server.")
        return record

    async def get_by_uid(self, guild_id: int, kind: RecordType, uid: str) -> Record | None:
        async with self._db.read() as conn:
            found = await self._number_of(conn, guild_id, kind, uid)
            return None if found is None else await self._get(conn, guild_id, kind, found)

    async def existing_uids(self, guild_id: int, kind: RecordType) -> set[str]:
        async with self._db.read() as conn, conn.execute(
            f"SELECT uid FROM {TABLES[kind]} WHERE guild_id = ?", (guild_id,)
        ) as cur:
            return {row[0] for row in await cur.fetchall()}

    async def list_records(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None
    ) -> list[Record]:
        flt = flt or RecordFilter()
        source, where, params = filter_sql(kind, guild_id, flt, self._db.dialect)
        order = order_sql(kind, flt.newest_first, self._db.dialect, by_country=bool(flt.country))
        sql = (f"SELECT t.number FROM {source} WHERE {where} ORDER BY {order}"
               " LIMIT ? OFFSET ?")
        async with self._db.read() as conn:
            async with conn.execute(sql, (*params, flt.limit, flt.offset)) as cur:
                numbers = [row[0] for row in await cur.fetchall()]
            return await self._load_many(conn, guild_id, kind, numbers)

    async def numbers(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None
    ) -> list[int]:
        """Every matching record's number, in list order (limit and offset ignored): the
        cheap first step of reading a huge list in batches without OFFSET rescans."""
        flt = flt or RecordFilter()
        source, where, params = filter_sql(kind, guild_id, flt, self._db.dialect)
        order = order_sql(kind, flt.newest_first, self._db.dialect, by_country=bool(flt.country))
        async with self._db.read() as conn, conn.execute(
            f"SELECT t.number FROM {source} WHERE {where} ORDER BY {order}", params
        ) as cur:
            return [int(row[0]) for row in await cur.fetchall()]

    async def count(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None, *,
        cap: int | None = None,
    ) -> int:
        """How many records match; with `cap`, counting stops past it (cap + 1 means "more"),
        so a page of a huge list never counts every row of the server."""
        source, where, params = filter_sql(kind, guild_id, flt or RecordFilter(), self._db.dialect)
        sql = f"SELECT 1 FROM {counted_source(source, where)} WHERE {where}"
        if cap is not None:
            sql += f" LIMIT {int(cap) + 1}"
        async with self._db.read() as conn, conn.execute(
            f"SELECT count(*) FROM ({sql}) AS matching", params
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def line_page(
        self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None, *,
        cap: int | None = None, counted: bool = True,
    ) -> tuple[list[Line], int | None]:
        """One page as Lines, and how many match (as `count` gives it, with `cap`), read in
        one statement: the count is a subquery of the page's own, so a list costs one trip
        to the database, not one for its numbers, one for its records, one per link table
        and one for the count. `counted=False` skips the count (None)."""
        flt = flt or RecordFilter()
        dialect = self._db.dialect
        source, where, params = filter_sql(kind, guild_id, flt, dialect)
        order = order_sql(kind, flt.newest_first, dialect, by_country=bool(flt.country))
        columns, joins, make = _line_reader(spec_of(kind))
        total = ""
        count_params: list[Any] = []
        if counted:
            limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
            total = (f", (SELECT count(*) FROM (SELECT 1 FROM {counted_source(source, where)}"
                     f" WHERE {where}{limit}) AS matching) AS total")
            count_params = list(params)
        sql = (f"SELECT {columns}{total} FROM {source}{joins} WHERE {where} ORDER BY {order}"
               " LIMIT ? OFFSET ?")
        async with self._db.read() as conn, conn.execute(
            sql, (*count_params, *params, flt.limit, flt.offset)
        ) as cur:
            rows = await cur.fetchall()
        lines = [make(row) for row in rows]
        if not counted:
            return lines, None
        if rows:
            return lines, int(rows[0][-1])
        # No row to carry the count: nothing matches, unless the page lies past the end.
        return lines, (0 if flt.offset == 0 else await self.count(guild_id, kind, flt, cap=cap))

    async def lines(self, guild_id: int, kind: RecordType, numbers: list[int]) -> list[Line]:
        """Lines by number, in the order given; another guild's numbers yield nothing."""
        if not numbers:
            return []
        async with self._db.read() as conn:
            return await self._lines(conn, guild_id, kind, numbers)

    async def _lines(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, numbers: list[int]
    ) -> list[Line]:
        columns, joins, make = _line_reader(spec_of(kind))
        marks = ", ".join("?" for _ in numbers)
        async with conn.execute(
            f"SELECT {columns} FROM {TABLES[kind]} t{joins}"
            f" WHERE t.guild_id = ? AND t.number IN ({marks})", (guild_id, *numbers),
        ) as cur:
            found = {line.id: line for line in (make(row) for row in await cur.fetchall())}
        return [found[n] for n in numbers if n in found]

    async def suggest_lines(
        self, guild_id: int, kind: RecordType, text: str, limit: int = 25
    ) -> list[Line]:
        """What `suggest` offers, as Lines (what autocomplete shows), on one connection."""
        words = name_words(text)[:MAX_WORDS]
        async with self._db.read() as conn:
            if words:
                numbers = await self._named(conn, guild_id, kind, words, limit)
                return await self._lines(conn, guild_id, kind, numbers) if numbers else []
            columns, joins, make = _line_reader(spec_of(kind))
            async with conn.execute(
                f"SELECT {columns} FROM {TABLES[kind]} t{joins} WHERE t.guild_id = ?"
                " ORDER BY t.id DESC LIMIT ?", (guild_id, limit),
            ) as cur:
                return [make(row) for row in await cur.fetchall()]

    async def export_bundle(self, guild_id: int) -> Bundle:
        """Every record of the guild, each section in creation order.

        Read 500 at a time, yielding between batches, so a server of 100,000 records never
        holds the event loop for the whole read.
        """
        bundle = Bundle()
        for kind in SECTIONS:
            async with self._db.read() as conn, conn.execute(
                f"SELECT number FROM {TABLES[kind]} WHERE guild_id = ? ORDER BY id",
                (guild_id,),
            ) as cur:
                numbers = [row[0] for row in await cur.fetchall()]
            for chunk in _chunks(numbers, 500):
                async with self._db.read() as conn:
                    bundle.section(kind).extend(
                        await self._load_many(conn, guild_id, kind, chunk))
                await asyncio.sleep(0)
        return bundle

    async def text_bytes(self, guild_id: int) -> tuple[int, int]:
        """(records, characters of their text) in the server: what an export must at least
        write, known before anything is read or rendered."""
        records = chars = 0
        for kind in SECTIONS:
            spec = spec_of(kind)
            text = [f.store_column for f in spec.fields
                    if f.kind in (FieldKind.TEXT, FieldKind.LONG, FieldKind.LIST)]
            total = " + ".join(f"coalesce(length({c}), 0)" for c in text) or "0"
            async with self._db.read() as conn, conn.execute(
                f"SELECT count(*), coalesce(sum({total}), 0) FROM {spec.table}"
                " WHERE guild_id = ?", (guild_id,),
            ) as cur:
                row = await cur.fetchone()
            if row:
                records += int(row[0])
                chars += int(row[1])
        return records, chars

    async def history(self, guild_id: int, kind: RecordType, number: int) -> list[AuditEntry]:
        async with self._db.read() as conn, conn.execute(
            "SELECT * FROM audit_log WHERE guild_id = ? AND record_type = ? AND record_id = ?"
            " ORDER BY id",
            (guild_id, kind.value, number),
        ) as cur:
            rows = await cur.fetchall()
        return [
            AuditEntry(
                id=row["id"], actor_id=row["actor_id"], action=row["action"],
                record_type=RecordType(row["record_type"]), record_id=row["record_id"],
                record_uid=row["record_uid"],
                before=json.loads(row["before_json"]) if row["before_json"] else None,
                after=json.loads(row["after_json"]) if row["after_json"] else None,
                at=datetime.fromisoformat(row["at"]),
            )
            for row in rows
        ]

    async def search(
        self, guild_id: int, text: str, kinds: Iterable[RecordType] = (), limit: int = 25
    ) -> list[SearchHit]:
        """The best `limit` matches among the server's newest matches (dialect.CANDIDATES).

        Another server's matches are never read (see the dialect); ranking only the newest
        candidates keeps a common word in a huge server as cheap as a rare one.
        """
        words = words_of(text)
        if not words:
            return []
        kinds = list(kinds)
        query = self._db.dialect.search(guild_id, [spec_of(k).code for k in kinds],
                                        [k.value for k in kinds], words, limit)
        async with self._db.read() as conn, conn.execute(query.sql, query.params) as cur:
            found = await cur.fetchall()
        if query.rank is None:
            return [SearchHit(RecordType(r[0]), int(r[1]), r[2], r[3])
                    for r in sorted(found, key=lambda row: row[4])[:limit]]
        # Ranking in Python reads up to CANDIDATES bodies (several ms in a big server): on
        # a worker thread, so the loop keeps serving other servers meanwhile.
        return await asyncio.to_thread(_best_hits, found, query, limit)

    async def get_many(self, guild_id: int, kind: RecordType, numbers: list[int]) -> list[Record]:
        async with self._db.read() as conn:
            return await self._load_many(conn, guild_id, kind, numbers)

    async def get_by_uids(
        self, guild_id: int, kind: RecordType, uids: Iterable[str]
    ) -> list[Record]:
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return []
        marks = ", ".join("?" for _ in wanted)
        async with self._db.read() as conn:
            async with conn.execute(
                f"SELECT number FROM {TABLES[kind]} WHERE guild_id = ? AND uid IN ({marks})",
                (guild_id, *wanted),
            ) as cur:
                numbers = [int(row[0]) for row in await cur.fetchall()]
            return await self._load_many(conn, guild_id, kind, numbers)

    async def suggest(
        self, guild_id: int, kind: RecordType, text: str, limit: int = 25
    ) -> list[Record]:
        """Records for autocomplete: any word starting with what was typed, best first.

        An empty query offers the most recently added records. A word is a range of the
        server's own words (record_words), so the cost follows this server's matches, not
        every server's; only the newest CANDIDATES matches are ranked.
        """
        words = name_words(text)[:MAX_WORDS]
        async with self._db.read() as conn:
            if not words:
                sql = (f"SELECT number FROM {TABLES[kind]} WHERE guild_id = ?"
                       " ORDER BY id DESC LIMIT ?")
                params: tuple[Any, ...] = (guild_id, limit)
            else:
                return await self._load_many(
                    conn, guild_id, kind, await self._named(conn, guild_id, kind, words, limit))
            async with conn.execute(sql, params) as cur:
                numbers = [int(row[0]) for row in await cur.fetchall()]
            return await self._load_many(conn, guild_id, kind, numbers)

    async def _named(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, words: list[str],
        limit: int,
    ) -> list[int]:
        """The best `limit` numbers among the newest matches of `words` (see suggest)."""
        newest, params, cut = await self._newest(conn, guild_id, kind, words)
        last = words[-1]
        found = await self._shapes_of_newest(conn, guild_id, kind, newest, params, last)
        if cut and len(found) < CANDIDATES:
            # The driving word's newest WINDOW rows held too few records with the other
            # words: they are rare together, so every match of each word is gathered and
            # intersected after all (what that costs no longer depends on the window).
            select, params = matching(guild_id, kind.value, words)
            found = await self._shapes_of_newest(
                conn, guild_id, kind, f"WITH matched AS MATERIALIZED ({select}) SELECT"
                " DISTINCT number FROM matched ORDER BY number DESC LIMIT ?", params, last)
        if not found:
            return []
        return ranked(found)[:limit]

    async def _shapes_of_newest(
        self, conn: Any, guild_id: int, kind: RecordType, newest: str, params: list[Any],
        last: str,
    ) -> dict[int, Shape]:
        """Each number `newest` selects (given CANDIDATES as its LIMIT) with what ranking
        reads of its words: whether one is `last` whole, and how many it has.

        They are counted from the by-record index in the same statement, one row a record:
        fetching every word of 200 records made 2,000 rows, most of the statement's time.
        (A list of numbers as parameters would leave PostgreSQL's generic plan reading
        every word of the type instead.)"""
        async with conn.execute(
            f"WITH newest AS MATERIALIZED ({newest})"
            " SELECT w.number, max(CASE WHEN w.word = ? THEN 1 ELSE 0 END), count(*)"
            " FROM newest n JOIN record_words w"
            " ON w.guild_id = ? AND w.record_type = ? AND w.number = n.number"
            " GROUP BY w.number",
            (*params, CANDIDATES, last, guild_id, kind.value),
        ) as cur:
            return {int(row[0]): Shape(bool(row[1]), int(row[2]))
                    for row in await cur.fetchall()}

    async def _newest(
        self, conn: Any, guild_id: int, kind: RecordType, words: list[str]
    ) -> tuple[str, list[Any], bool]:
        """SELECT (wanting its LIMIT) of the numbers of the newest records whose names hold
        every word, the last as a prefix; its parameters; and whether it read only the
        driving word's newest WINDOW rows, so that fewer than CANDIDATES may be all it
        found without being all there are.

        One word, the rarest by a count capped at COMMON_PREFIX, drives: its numbers are
        read newest first, and each is kept when the record also holds the other words
        (a lookup in its own few words), so the statement stops at the newest CANDIDATES.
        Intersecting every word's matches instead read all of each, however common.
        """
        scope = [guild_id, kind.value]
        exact = list(dict.fromkeys(words[:-1]))
        prefix = words[-1]
        counts = {w: await self._capped_count(conn, *exact_range(guild_id, kind.value, w))
                  for w in exact}
        prefix_count = await self._capped_count(
            conn, *prefix_range(guild_id, kind.value, prefix))
        by_record = self._db.dialect.by_record
        prefix_check = (f"EXISTS (SELECT 1 FROM record_words c {by_record}"
                        " WHERE c.guild_id = ? AND c.record_type = ? AND c.number = d.number"
                        " AND c.word >= ? AND c.word < ?)")
        exact_check = ("EXISTS (SELECT 1 FROM record_words c WHERE c.guild_id = ?"
                       " AND c.record_type = ? AND c.word = ? AND c.number = d.number)")
        # Ties (every word common) go to the longest word, the likeliest to be rare.
        driver = min(exact, key=lambda w: (counts[w], -len(w)), default=None)
        if driver is not None and counts[driver] <= prefix_count:
            # An exact word's rows are in number order in the primary key: read backwards.
            checks, params = [], [*scope, driver]
            for w in exact:
                if w != driver:
                    checks.append(exact_check)
                    params += [*scope, w]
            checks.append(prefix_check)
            params += [*scope, *prefix_bounds(prefix)]
            if counts[driver] < COMMON_PREFIX:
                # Fewer than COMMON_PREFIX rows: read to the end if need be.
                return (f"SELECT d.number FROM record_words d WHERE d.guild_id = ?"
                        f" AND d.record_type = ? AND d.word = ? AND {' AND '.join(checks)}"
                        " ORDER BY d.number DESC LIMIT ?"), params, False
            return (f"SELECT d.number FROM (SELECT number FROM record_words WHERE guild_id = ?"
                    f" AND record_type = ? AND word = ? ORDER BY number DESC LIMIT {WINDOW})"
                    f" d WHERE {' AND '.join(checks)} ORDER BY d.number DESC LIMIT ?"), \
                params, True
        where, params = prefix_range(guild_id, kind.value, prefix)
        if prefix_count >= COMMON_PREFIX:
            # One common word: its matches are dense, so walking the type's records newest
            # first (the by-record index holds each record's words) finds the newest
            # CANDIDATES after a few hundred records, where gathering would read them all.
            return (f"SELECT DISTINCT number FROM record_words {by_record}"
                    f" WHERE {where} ORDER BY number DESC LIMIT ?"), params, False
        # The prefix is the rarest: its few matches are gathered (MATERIALIZED, so that
        # the planner does not walk every record instead), then checked for the others.
        checks = []
        for w in exact:
            checks.append(exact_check)
            params += [*scope, w]
        kept = f" WHERE {' AND '.join(checks)}" if checks else ""
        # (DISTINCT outside: inside, SQLite would read the by-record index for its order.)
        return (f"WITH gathered AS MATERIALIZED (SELECT number FROM record_words"
                f" WHERE {where}) SELECT DISTINCT d.number FROM gathered d{kept}"
                " ORDER BY d.number DESC LIMIT ?"), params, False

    async def _capped_count(self, conn: Any, where: str, params: list[Any]) -> int:
        """How many record_words rows match, counted no further than COMMON_PREFIX: the
        cost of choosing which word drives stays under a millisecond however common."""
        async with conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM record_words WHERE {where} LIMIT ?) m",
            (*params, COMMON_PREFIX),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    # --- row mapping ----------------------------------------------------------------------

    async def _id_of(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, uid: str
    ) -> int | None:
        """The internal row id of the record with this uid."""
        return await self._one(conn, guild_id, kind, "id", "uid", uid)

    async def _number_of(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, uid: str
    ) -> int | None:
        return await self._one(conn, guild_id, kind, "number", "uid", uid)

    async def _row_id(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, number: int
    ) -> int | None:
        return await self._one(conn, guild_id, kind, "id", "number", number)

    @staticmethod
    async def _one(
        conn: aiosqlite.Connection, guild_id: int, kind: RecordType, want: str, by: str,
        value: object,
    ) -> int | None:
        async with conn.execute(
            f"SELECT {want} FROM {TABLES[kind]} WHERE guild_id = ? AND {by} = ?",
            (guild_id, value),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def _get(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, number: int
    ) -> Record | None:
        found = await self._load_many(conn, guild_id, kind, [number])
        return found[0] if found else None

    async def _load_many(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, numbers: list[int]
    ) -> list[Record]:
        """Records by number, in the order given; another guild's numbers yield nothing."""
        if not numbers:
            return []
        spec = spec_of(kind)
        marks = ", ".join("?" for _ in numbers)
        joins, extra = [], []
        for i, f in enumerate(spec.refs):
            assert f.target is not None
            joins.append(f" LEFT JOIN {TABLES[f.target]} r{i} ON r{i}.id = t.{f.store_column}")
            extra.append(f", r{i}.uid AS {f.name}_uid")
        sql = (f"SELECT t.*{''.join(extra)} FROM {spec.table} t{''.join(joins)}"
               f" WHERE t.guild_id = ? AND t.number IN ({marks})")
        async with conn.execute(sql, (guild_id, *numbers)) as cur:
            rows = {row["number"]: row for row in await cur.fetchall()}
        links: dict[str, dict[int, list[Any]]] = {}
        row_ids = [row["id"] for row in rows.values()]
        for f in spec.of(FieldKind.PEOPLE):
            links[f.name] = await self._people_links(conn, f, row_ids)
        ordered = [rows[n] for n in numbers if n in rows]
        if len(ordered) >= OFF_LOOP:
            return await asyncio.to_thread(
                lambda: [_record_from_row(spec, row, links) for row in ordered])
        return [_record_from_row(spec, row, links) for row in ordered]

    async def _people_links(
        self, conn: aiosqlite.Connection, f: Field, row_ids: list[int]
    ) -> dict[int, list[Any]]:
        link = f.people
        assert link is not None
        out: dict[int, list[Any]] = {}
        if not row_ids:
            return out
        marks = ", ".join("?" for _ in row_ids)
        owner = f"l.{link.owner_column}"
        async with conn.execute(
            f"SELECT {owner}, p.uid, l.{link.role} FROM {link.table} l"
            f" JOIN people p ON p.id = l.person_id WHERE {owner} IN ({marks})"
            f" ORDER BY {owner}, l.position",
            row_ids,
        ) as cur:
            for row in await cur.fetchall():
                out.setdefault(row[0], []).append(link.make(row[1], row[2]))
        return out


def _best_hits(found: Sequence[Sequence[Any]], query: Search, limit: int) -> list[SearchHit]:
    """The `limit` best candidates by the query's rank, each with its snippet made from its
    body. sorted is stable: equal ranks stay newest first, as the candidates came."""
    assert query.rank is not None and query.snippet is not None
    return [SearchHit(RecordType(r[0]), int(r[1]), r[2], query.snippet(r[4]))
            for r in sorted(found, key=query.rank)[:limit]]


def _plain_columns(f: Field, value: Any) -> dict[str, Any]:
    """The columns of one field that is not a link (links need the store to resolve)."""
    if f.kind in (FieldKind.TEXT, FieldKind.LONG):
        return {f.store_column: value}
    if f.kind is FieldKind.LIST:
        return {f.store_column: json.dumps(value, ensure_ascii=False)}
    if f.kind is FieldKind.CHOICE:
        return {f.store_column: value.value}
    if f.kind is FieldKind.DATE:
        return _date_columns(f.store_column, value, bounds=f.bounds)
    return {}  # people are rows of their own link table


def _close_period(spec: RecordSpec, record: Record, cols: dict[str, Any]) -> None:
    """The main date's end column runs to the record's last day, if it has a later one."""
    main = spec.main_date
    if not spec.period_end or main is None or main.bounds != "both":
        return
    last = getattr(record, spec.period_end)
    column = f"{main.store_column}_end"
    if last is not None and last.end.isoformat() > cols[column]:
        cols[column] = last.end.isoformat()


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _person_uses() -> list[tuple[str, str]]:
    """(label, count query) for each place a person can be named, from the registry."""
    out = []
    for spec in (spec_of(kind) for kind in SECTIONS):
        for f in spec.fields:
            if f.kind is FieldKind.PEOPLE and f.people is not None:
                out.append((spec.type.value, f"SELECT count(DISTINCT {f.people.owner_column})"
                            f" FROM {f.people.table} WHERE person_id = ?"))
            elif f.kind is FieldKind.REF and f.target is RecordType.PERSON:
                out.append((spec.type.value,
                            f"SELECT count(*) FROM {spec.table} WHERE {f.store_column} = ?"))
    return out


def _record_from_row(
    spec: RecordSpec, row: aiosqlite.Row, links: dict[str, dict[int, list[Any]]]
) -> Record:
    values: dict[str, Any] = {}
    for f in spec.fields:
        column = f.store_column
        if f.kind in (FieldKind.TEXT, FieldKind.LONG):
            values[f.name] = row[column]
        elif f.kind is FieldKind.LIST:
            values[f.name] = json.loads(row[column])
        elif f.kind is FieldKind.CHOICE:
            assert f.choices is not None
            values[f.name] = f.choices(row[column])
        elif f.kind is FieldKind.DATE:
            values[f.name] = _date_from_row(row, column)
        elif f.kind is FieldKind.REF:
            values[f.name] = row[f"{f.name}_uid"]
        else:
            values[f.name] = links[f.name].get(row["id"], [])
    record: Record = spec.cls(id=row["number"], uid=row["uid"], **values)
    return record


_LINE_READERS: dict[RecordType, tuple[str, str, Callable[[Sequence[Any]], Line]]] = {}


def _line_reader(spec: RecordSpec) -> tuple[str, str, Callable[[Sequence[Any]], Line]]:
    """(select list, joins, row → Line) for a type's line parts (RecordSpec.line), worked
    out once per type. The record's table is `t`; each link a part reads (its uid, or a
    field of the linked record) joins the linked table once, LEFT, so a line without the
    link still shows. Columns are read by position."""
    found = _LINE_READERS.get(spec.type)
    if found is not None:
        return found
    columns = ["t.number", "t.uid"]
    joins: dict[str, str] = {}  # REF field name → alias of its table
    join_sql: list[str] = []
    readers: list[tuple[str, Callable[[Sequence[Any], int], Any], int]] = []
    for part in spec.line:
        own, linked = line_part(spec, part)
        if own.kind is FieldKind.REF:
            assert own.target is not None
            alias = joins.get(own.name)
            if alias is None:
                alias = joins[own.name] = f"l{len(joins)}"
                join_sql.append(f" LEFT JOIN {TABLES[own.target]} {alias}"
                                f" ON {alias}.id = t.{own.store_column}")
            column = f"{alias}.{linked.store_column}" if linked is not None else f"{alias}.uid"
            field = linked or own
        else:
            column, field = f"t.{own.store_column}", own
        at = len(columns)
        if field.kind is FieldKind.DATE:
            columns += [f"{column}_{c}" for c in ("value", "precision", "zone")]
            readers.append((part, _line_date, at))
            continue
        columns.append(column)
        if field.kind is FieldKind.CHOICE and field is own:
            assert field.choices is not None
            readers.append((part, _line_choice(field.choices), at))
        elif field.kind is FieldKind.LIST:
            readers.append((part, lambda row, i: json.loads(row[i]), at))
        elif field.kind in (FieldKind.TEXT, FieldKind.LONG) or linked is None:
            readers.append((part, _line_plain, at))  # text, or a link's uid
        else:
            raise ValueError(f"{spec.type.value} line part {part!r} cannot be read as a column")
    kind = spec.type

    def make(row: Sequence[Any]) -> Line:
        return Line(kind, int(row[0]), row[1], {part: read(row, i) for part, read, i in readers})

    reader = (", ".join(columns), "".join(join_sql), make)
    _LINE_READERS[spec.type] = reader
    return reader


def _line_choice(choices: type[Any]) -> Callable[[Sequence[Any], int], Any]:
    def read(row: Sequence[Any], i: int) -> Any:
        return choices(row[i])
    return read


def _line_plain(row: Sequence[Any], i: int) -> Any:
    return row[i]


def _line_date(row: Sequence[Any], i: int) -> FuzzyDate | None:
    value = row[i]
    return None if value is None else FuzzyDate.from_value(value, row[i + 1], row[i + 2])


def _status_of(record: Record) -> str | None:
    """The status the country index keeps beside a record (plans and visits have one)."""
    status = getattr(record, "status", None)
    return None if status is None else str(status.value)


def filter_sql(
    kind: RecordType, guild_id: int, flt: RecordFilter, dialect: Dialect
) -> tuple[str, str, list[Any]]:
    """(FROM, WHERE, parameters) for a list; the record's table is always `t`.

    A country filter starts from the country index, joined to the records, so a page costs
    what the page holds whatever the size of the server.
    """
    spec = spec_of(kind)
    names = {f.name for f in spec.fields}
    source = f"{spec.table} t"
    clauses = ["t.guild_id = ?"]
    params: list[Any] = [guild_id]
    # A country filter reads the country index (rc), whose date and status stand in for the
    # record's own below.
    by_country = bool(flt.country and spec.country_fields)
    if flt.country:
        if not by_country:
            clauses.append("1 = 0")
        else:
            source = f"record_countries rc JOIN {spec.table} t ON t.id = rc.row_id"
            clauses = ["rc.guild_id = ?", "rc.record_type = ?", dialect.same_text("rc.country")]
            params = [guild_id, kind.value, flt.country]
    if flt.kinds and "kind" in names:
        clauses.append(f"t.kind IN ({', '.join('?' for _ in flt.kinds)})")
        params += list(flt.kinds)
    if flt.statuses and "status" in names:
        # With a country, the country index's own copy of the status, so that its
        # (…, country, status, date) index reads only the matching rows.
        held = "rc.status" if by_country else "t.status"
        clauses.append(f"{held} IN ({', '.join('?' for _ in flt.statuses)})")
        params += list(flt.statuses)
    if flt.title_words:
        # Words of the names the record answers to (a person's name), the last a prefix.
        words = name_words(flt.title_words)[:MAX_WORDS]
        if not words:
            clauses.append("1 = 0")  # no words at all: nothing can match
        else:
            select, args = matching(guild_id, kind.value, words)
            clauses.append(f"t.number IN ({select})")
            params += args
    if flt.visit is not None and "visit" in names:
        clauses.append("t.visit_id = (SELECT id FROM visits WHERE guild_id = ? AND uid = ?)")
        params += [guild_id, flt.visit]
    main = spec.main_date
    if main is not None:
        column = f"t.{main.store_column}_start"
        end_column = f"t.{main.store_column}_end" if main.bounds == "both" else column
        # A period is in the range when it shares at least one day with it.
        if flt.date_from is not None:
            clauses.append(f"{end_column} > ?")
            params.append(flt.date_from.isoformat())
            if column != end_column:
                # No period is longer than a year, so this bound says nothing new, but it
                # lets the date index skip every older row instead of reading them all.
                start = "rc.date_start" if by_country else column
                clauses.append(f"{start} > ?")
                params.append((flt.date_from - timedelta(days=367)).isoformat())
        if flt.date_to is not None:
            start = "rc.date_start" if by_country else column
            clauses.append(f"{start} < ?")
            params.append(flt.date_to.isoformat())
    return source, " AND ".join(clauses), params


_READS_RECORD = re.compile(r"\bt\.")


def counted_source(source: str, where: str) -> str:
    """The FROM of filter_sql for counting: the country index alone when no clause reads
    the record itself (a country, a status), so a count of 1,000 reads one index instead
    of also looking up each of the 1,000 records. Each record is on the index once per
    country, and written and deleted with it, so the count is the same."""
    country_index = "record_countries rc"
    if source.startswith(f"{country_index} JOIN ") and not _READS_RECORD.search(where):
        return country_index
    return source


def order_sql(
    kind: RecordType, newest_first: bool, dialect: Dialect, *, by_country: bool = False
) -> str:
    """ORDER BY for a list, so that every read of pages (records and briefs) orders alike."""
    spec = spec_of(kind)
    # A type no country index holds (sources, follow-ups) is listed from its own table even
    # when a country was asked for (filter_sql then matches nothing), so order by that table.
    by_country = by_country and bool(spec.country_fields)
    direction = "DESC" if newest_first else "ASC"
    main = spec.main_date
    if main is None:
        return f"{dialect.nocase('t.' + spec.title)} {direction}, t.id {direction}"
    # Through the country index, its own copy of the date and row id give the order, so
    # SQLite walks that index instead of sorting.
    column = "rc.date_start" if by_country else f"t.{main.store_column}_start"
    row = "rc.row_id" if by_country else "t.id"
    if main.required:
        # Always dated: ordering by the indexed column alone lets SQLite walk the
        # (guild_id, date_start) index instead of sorting the whole table.
        return f"{column} {direction}, {row} {direction}"
    # Undated records (plans under negotiation) sort after dated ones either way.
    return f"{column} IS NULL, {column} {direction}, {row} {direction}"
