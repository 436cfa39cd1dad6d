"""RecordStore: reads and all-or-nothing writes of people, sources, meetings, plans and visits."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import aiosqlite

from bot.domain.errors import NotFoundError, UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import SECTIONS, Bundle, record_to_dict
from bot.domain.records import (
    AuditEntry,
    Meeting,
    MeetingKind,
    Participant,
    Person,
    Plan,
    PlanKind,
    PlanStatus,
    Record,
    RecordType,
    Signatory,
    Source,
    Visit,
    VisitStatus,
    new_uid,
)
from bot.stores.database import Database

TABLES = {
    RecordType.PERSON: "people",
    RecordType.SOURCE: "sources",
    RecordType.MEETING: "meetings",
    RecordType.PLAN: "plans",
    RecordType.VISIT: "visits",
}
_TYPE_OF = {Person: RecordType.PERSON, Source: RecordType.SOURCE, Meeting: RecordType.MEETING,
            Plan: RecordType.PLAN, Visit: RecordType.VISIT}


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
    return _TYPE_OF[type(record)]


def _date_columns(prefix: str, value: FuzzyDate | None, *, bounds: bool) -> dict[str, Any]:
    cols: dict[str, Any] = {
        f"{prefix}_value": value.value if value else None,
        f"{prefix}_precision": value.precision.value if value else None,
        f"{prefix}_zone": value.zone if value else None,
    }
    if bounds:
        cols[f"{prefix}_start"] = value.start.isoformat() if value else None
        cols[f"{prefix}_end"] = value.end.isoformat() if value else None
    return cols


def _date_from_row(row: aiosqlite.Row, prefix: str) -> FuzzyDate | None:
    value = row[f"{prefix}_value"]
    if value is None:
        return None
    return FuzzyDate.from_value(value, row[f"{prefix}_precision"], row[f"{prefix}_zone"])


def fts_query(text: str, *, prefix: bool = False) -> str | None:
    """User text as an FTS5 query that can only ever mean "all of these words".

    Every run of letters and digits becomes a quoted string, so quotes, `*`, `NEAR`, `AND`
    and brackets are searched as words and can never be read as query syntax. With
    `prefix`, the last word also matches longer words, for search-as-you-type.
    """
    words = re.findall(r"\w+", text)
    if not words:
        return None
    query = " ".join(f'"{w}"' for w in words[:32])
    return query + "*" if prefix else query


class RecordStore:
    """Every method takes the guild id; no query runs without it."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    # --- writes -------------------------------------------------------------------------

    async def add(self, guild_id: int, record: Record, *, actor_id: int | None) -> Record:
        async with self._db.transaction() as conn:
            return await self._insert(conn, guild_id, record, actor_id, action="create")

    async def update(self, guild_id: int, record: Record, *, actor_id: int | None) -> Record:
        if record.id is None:
            raise ValueError("update needs a stored record")
        async with self._db.transaction() as conn:
            return await self._update(conn, guild_id, record, actor_id, action="update")

    async def delete(
        self, guild_id: int, kind: RecordType, record_id: int, *, actor_id: int | None
    ) -> Record:
        async with self._db.transaction() as conn:
            record = await self._get(conn, guild_id, kind, record_id)
            if record is None:
                raise NotFoundError(f"There is no {kind.value} #{record_id} in this server.")
            await self._check_unreferenced(conn, kind, record_id, record)
            await conn.execute(
                f"DELETE FROM {TABLES[kind]} WHERE id = ? AND guild_id = ?", (record_id, guild_id)
            )
            await self._audit(conn, guild_id, actor_id, "delete", record, before=record, after=None)
            return record

    async def import_bundle(
        self, guild_id: int, bundle: Bundle, *, actor_id: int | None
    ) -> ImportCounts:
        """Writes a whole bundle in one transaction; a record whose uid exists is updated."""
        counts = ImportCounts()
        async with self._db.transaction() as conn:
            for kind in SECTIONS:
                for record in bundle.section(kind):
                    existing = await self._id_of(conn, guild_id, kind, record.uid)
                    if existing is None:
                        await self._insert(conn, guild_id, replace(record, id=None), actor_id,
                                           action="import")
                        counts.created[kind.plural] = counts.created.get(kind.plural, 0) + 1
                        continue
                    before = await self._get(conn, guild_id, kind, existing)
                    if before is not None and record_to_dict(before) == record_to_dict(record):
                        counts.unchanged += 1
                        continue
                    await self._update(conn, guild_id, replace(record, id=existing), actor_id,
                                       action="import")
                    counts.updated[kind.plural] = counts.updated.get(kind.plural, 0) + 1
        return counts

    async def _insert(
        self, conn: aiosqlite.Connection, guild_id: int, record: Record, actor_id: int | None,
        *, action: str,
    ) -> Record:
        kind = record_type_of(record)
        uid = record.uid or new_uid(kind)
        if await self._id_of(conn, guild_id, kind, uid) is not None:
            raise UserError(f"A {kind.value} with uid {uid!r} already exists in this server.")
        record = replace(record, uid=uid)
        cols = await self._columns(conn, guild_id, record)
        now = self._clock().isoformat()
        cols.update(guild_id=guild_id, uid=uid, created_at=now, updated_at=now)
        names = ", ".join(cols)
        marks = ", ".join("?" for _ in cols)
        cur = await conn.execute(
            f"INSERT INTO {TABLES[kind]} ({names}) VALUES ({marks})", tuple(cols.values())
        )
        record = replace(record, id=cur.lastrowid)
        await self._write_links(conn, guild_id, record)
        await self._audit(conn, guild_id, actor_id, action, record, before=None, after=record)
        return record

    async def _update(
        self, conn: aiosqlite.Connection, guild_id: int, record: Record, actor_id: int | None,
        *, action: str,
    ) -> Record:
        kind = record_type_of(record)
        assert record.id is not None
        before = await self._get(conn, guild_id, kind, record.id)
        if before is None:
            raise NotFoundError(f"There is no {kind.value} #{record.id} in this server.")
        # The uid is the record's identity across exports; an edit never changes it.
        record = replace(record, uid=before.uid)
        cols = await self._columns(conn, guild_id, record)
        cols["updated_at"] = self._clock().isoformat()
        assignments = ", ".join(f"{name} = ?" for name in cols)
        await conn.execute(
            f"UPDATE {TABLES[kind]} SET {assignments} WHERE id = ? AND guild_id = ?",
            (*cols.values(), record.id, guild_id),
        )
        await self._write_links(conn, guild_id, record)
        await self._audit(conn, guild_id, actor_id, action, record, before=before, after=record)
        return record

    async def _columns(
        self, conn: aiosqlite.Connection, guild_id: int, record: Record
    ) -> dict[str, Any]:
        """The row's own columns, with every uid reference resolved inside this guild."""

        async def ref(kind: RecordType, uid: str | None) -> int | None:
            if uid is None:
                return None
            found = await self._id_of(conn, guild_id, kind, uid)
            if found is None:
                raise NotFoundError(f"There is no {kind.value} {uid!r} in this server.")
            return found

        source_id = await ref(RecordType.SOURCE, getattr(record, "source", None))
        if isinstance(record, Person):
            return {"name": record.name, "title": record.title, "country": record.country,
                    "notes": record.notes, "source_id": source_id}
        if isinstance(record, Source):
            return {"title": record.title, "url": record.url, "summary": record.summary,
                    "body": record.text,
                    **_date_columns("published", record.published, bounds=False),
                    "published_start": record.published.start.isoformat()
                    if record.published else None}
        if isinstance(record, Meeting):
            return {"title": record.title, "kind": record.kind.value, "place": record.place,
                    **_date_columns("date", record.date, bounds=True),
                    "countries": json.dumps(record.countries, ensure_ascii=False),
                    "topics": json.dumps(record.topics, ensure_ascii=False),
                    "summary": record.summary,
                    "visit_id": await ref(RecordType.VISIT, record.visit),
                    "source_id": source_id}
        if isinstance(record, Plan):
            return {"title": record.title, "kind": record.kind.value,
                    "status": record.status.value, "place": record.place,
                    **_date_columns("date", record.date, bounds=True),
                    "parties": json.dumps(record.parties, ensure_ascii=False),
                    "fields": json.dumps(record.fields, ensure_ascii=False),
                    "summary": record.summary,
                    "meeting_id": await ref(RecordType.MEETING, record.meeting),
                    "visit_id": await ref(RecordType.VISIT, record.visit),
                    "source_id": source_id}
        return {"visitor_id": await ref(RecordType.PERSON, record.visitor),
                "visitor_role": record.visitor_role, "from_country": record.from_country,
                "to_country": record.to_country, "status": record.status.value,
                **_date_columns("date", record.date, bounds=True),
                **_date_columns("end", record.end_date, bounds=False),
                "place": record.place, "purpose": record.purpose, "notes": record.notes,
                "source_id": source_id}

    async def _write_links(self, conn: aiosqlite.Connection, guild_id: int, record: Record) -> None:
        if isinstance(record, Meeting):
            await conn.execute(
                "DELETE FROM meeting_participants WHERE meeting_id = ?", (record.id,)
            )
            for position, participant in enumerate(record.participants):
                person_id = await self._person_id(conn, guild_id, participant.person)
                await conn.execute(
                    "INSERT INTO meeting_participants (meeting_id, position, person_id, part)"
                    " VALUES (?, ?, ?, ?)",
                    (record.id, position, person_id, participant.part),
                )
        elif isinstance(record, Plan):
            await conn.execute("DELETE FROM plan_signatories WHERE plan_id = ?", (record.id,))
            for position, signatory in enumerate(record.signatories):
                person_id = await self._person_id(conn, guild_id, signatory.person)
                await conn.execute(
                    "INSERT INTO plan_signatories (plan_id, position, person_id, on_behalf_of)"
                    " VALUES (?, ?, ?, ?)",
                    (record.id, position, person_id, signatory.on_behalf_of),
                )

    async def _person_id(self, conn: aiosqlite.Connection, guild_id: int, uid: str) -> int:
        found = await self._id_of(conn, guild_id, RecordType.PERSON, uid)
        if found is None:
            raise NotFoundError(f"There is no person {uid!r} in this server.")
        return found

    async def _check_unreferenced(
        self, conn: aiosqlite.Connection, kind: RecordType, record_id: int, record: Record
    ) -> None:
        """People are linked with ON DELETE RESTRICT; say where, instead of a bare SQL error."""
        if kind is not RecordType.PERSON:
            return
        uses = []
        for label, sql in (
            ("meeting", "SELECT count(*) FROM meeting_participants WHERE person_id = ?"),
            ("plan", "SELECT count(*) FROM plan_signatories WHERE person_id = ?"),
            ("visit", "SELECT count(*) FROM visits WHERE visitor_id = ?"),
        ):
            async with conn.execute(sql, (record_id,)) as cur:
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

    async def get(self, guild_id: int, kind: RecordType, record_id: int) -> Record | None:
        async with self._db.read() as conn:
            return await self._get(conn, guild_id, kind, record_id)

    async def require(self, guild_id: int, kind: RecordType, record_id: int) -> Record:
        record = await self.get(guild_id, kind, record_id)
        if record is None:
            raise NotFoundError(f"There is no {kind.value} #{record_id} in this server.")
        return record

    async def get_by_uid(self, guild_id: int, kind: RecordType, uid: str) -> Record | None:
        async with self._db.read() as conn:
            found = await self._id_of(conn, guild_id, kind, uid)
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
        where, params = _filter_sql(kind, guild_id, flt)
        order = _order_sql(kind, flt.newest_first)
        sql = (f"SELECT id FROM {TABLES[kind]} WHERE {where} ORDER BY {order}"
               " LIMIT ? OFFSET ?")
        async with self._db.read() as conn:
            async with conn.execute(sql, (*params, flt.limit, flt.offset)) as cur:
                ids = [row[0] for row in await cur.fetchall()]
            return await self._load_many(conn, guild_id, kind, ids)

    async def count(self, guild_id: int, kind: RecordType, flt: RecordFilter | None = None) -> int:
        where, params = _filter_sql(kind, guild_id, flt or RecordFilter())
        async with self._db.read() as conn, conn.execute(
            f"SELECT count(*) FROM {TABLES[kind]} WHERE {where}", params
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def export_bundle(self, guild_id: int) -> Bundle:
        """Every record of the guild, each section in creation order."""
        bundle = Bundle()
        async with self._db.read() as conn:
            for kind in SECTIONS:
                async with conn.execute(
                    f"SELECT id FROM {TABLES[kind]} WHERE guild_id = ? ORDER BY id", (guild_id,)
                ) as cur:
                    ids = [row[0] for row in await cur.fetchall()]
                bundle.section(kind).extend(await self._load_many(conn, guild_id, kind, ids))
        return bundle

    async def history(self, guild_id: int, kind: RecordType, record_id: int) -> list[AuditEntry]:
        async with self._db.read() as conn, conn.execute(
            "SELECT * FROM audit_log WHERE guild_id = ? AND record_type = ? AND record_id = ?"
            " ORDER BY id",
            (guild_id, kind.value, record_id),
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
        query = fts_query(text)
        if query is None:
            return []
        kind_list = [k.value for k in kinds]
        kind_sql = ""
        if kind_list:
            kind_sql = f" AND record_type IN ({', '.join('?' for _ in kind_list)})"
        sql = (
            "SELECT record_type, record_id, title,"
            " snippet(search_index, 4, '**', '**', '…', 12) AS snip"
            " FROM search_index WHERE search_index MATCH ? AND guild_id = ?"
            f"{kind_sql} ORDER BY rank LIMIT ?"
        )
        async with self._db.read() as conn, conn.execute(
            sql, (query, guild_id, *kind_list, limit)
        ) as cur:
            rows = await cur.fetchall()
        return [SearchHit(RecordType(r[0]), int(r[1]), r[2], r[3]) for r in rows]

    async def get_many(self, guild_id: int, kind: RecordType, ids: list[int]) -> list[Record]:
        async with self._db.read() as conn:
            return await self._load_many(conn, guild_id, kind, ids)

    async def get_by_uids(
        self, guild_id: int, kind: RecordType, uids: Iterable[str]
    ) -> list[Record]:
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return []
        marks = ", ".join("?" for _ in wanted)
        async with self._db.read() as conn:
            async with conn.execute(
                f"SELECT id FROM {TABLES[kind]} WHERE guild_id = ? AND uid IN ({marks})",
                (guild_id, *wanted),
            ) as cur:
                ids = [int(row[0]) for row in await cur.fetchall()]
            return await self._load_many(conn, guild_id, kind, ids)

    async def suggest(
        self, guild_id: int, kind: RecordType, text: str, limit: int = 25
    ) -> list[Record]:
        """Records for autocomplete: any word starting with what was typed, best first.

        An empty query offers the most recently added records. The FTS5 prefix index
        keeps this fast on a store of tens of thousands of records.
        """
        query = fts_query(text, prefix=True)
        async with self._db.read() as conn:
            if query is None:
                sql = f"SELECT id FROM {TABLES[kind]} WHERE guild_id = ? ORDER BY id DESC LIMIT ?"
                params: tuple[Any, ...] = (guild_id, limit)
            else:
                sql = ("SELECT record_id FROM search_index WHERE search_index MATCH ?"
                       " AND guild_id = ? AND record_type = ? ORDER BY rank LIMIT ?")
                params = (query, guild_id, kind.value, limit)
            async with conn.execute(sql, params) as cur:
                ids = [int(row[0]) for row in await cur.fetchall()]
            return await self._load_many(conn, guild_id, kind, ids)

    # --- row mapping ----------------------------------------------------------------------

    async def _id_of(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, uid: str
    ) -> int | None:
        async with conn.execute(
            f"SELECT id FROM {TABLES[kind]} WHERE guild_id = ? AND uid = ?", (guild_id, uid)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def _get(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, record_id: int
    ) -> Record | None:
        found = await self._load_many(conn, guild_id, kind, [record_id])
        return found[0] if found else None

    async def _load_many(
        self, conn: aiosqlite.Connection, guild_id: int, kind: RecordType, ids: list[int]
    ) -> list[Record]:
        """Records by id, in the order given; ids of another guild simply yield nothing."""
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        table = TABLES[kind]
        joins = {
            RecordType.PERSON: "",
            RecordType.SOURCE: "",
            RecordType.MEETING: " LEFT JOIN visits v ON v.id = t.visit_id",
            RecordType.PLAN: " LEFT JOIN visits v ON v.id = t.visit_id"
                             " LEFT JOIN meetings m ON m.id = t.meeting_id",
            RecordType.VISIT: " LEFT JOIN people p ON p.id = t.visitor_id",
        }[kind]
        extra = {
            RecordType.PERSON: "",
            RecordType.SOURCE: "",
            RecordType.MEETING: ", v.uid AS visit_uid",
            RecordType.PLAN: ", v.uid AS visit_uid, m.uid AS meeting_uid",
            RecordType.VISIT: ", p.uid AS visitor_uid",
        }[kind]
        source_join = "" if kind is RecordType.SOURCE else (
            " LEFT JOIN sources s ON s.id = t.source_id")
        source_col = "" if kind is RecordType.SOURCE else ", s.uid AS source_uid"
        sql = (f"SELECT t.*{extra}{source_col} FROM {table} t{joins}{source_join}"
               f" WHERE t.guild_id = ? AND t.id IN ({marks})")
        async with conn.execute(sql, (guild_id, *ids)) as cur:
            rows = {row["id"]: row for row in await cur.fetchall()}
        links: dict[int, list[Any]] = {}
        if kind is RecordType.MEETING and rows:
            links = await self._links(
                conn, "SELECT mp.meeting_id, p.uid, mp.part FROM meeting_participants mp"
                " JOIN people p ON p.id = mp.person_id", "mp.meeting_id", list(rows), Participant)
        elif kind is RecordType.PLAN and rows:
            links = await self._links(
                conn, "SELECT ps.plan_id, p.uid, ps.on_behalf_of FROM plan_signatories ps"
                " JOIN people p ON p.id = ps.person_id", "ps.plan_id", list(rows), Signatory)
        return [_record_from_row(kind, rows[i], links.get(i, [])) for i in ids if i in rows]

    async def _links(
        self, conn: aiosqlite.Connection, select: str, owner: str, ids: list[int], make: Any
    ) -> dict[int, list[Any]]:
        marks = ", ".join("?" for _ in ids)
        out: dict[int, list[Any]] = {}
        async with conn.execute(
            f"{select} WHERE {owner} IN ({marks}) ORDER BY {owner}, position", ids
        ) as cur:
            for row in await cur.fetchall():
                out.setdefault(row[0], []).append(make(row[1], row[2]))
        return out


def _record_from_row(kind: RecordType, row: aiosqlite.Row, links: list[Any]) -> Record:
    if kind is RecordType.PERSON:
        return Person(id=row["id"], uid=row["uid"], name=row["name"], title=row["title"],
                      country=row["country"], notes=row["notes"], source=row["source_uid"])
    if kind is RecordType.SOURCE:
        return Source(id=row["id"], uid=row["uid"], title=row["title"], url=row["url"],
                      published=_date_from_row(row, "published"), summary=row["summary"],
                      text=row["body"])
    if kind is RecordType.MEETING:
        date_value = _date_from_row(row, "date")
        assert date_value is not None
        return Meeting(id=row["id"], uid=row["uid"], title=row["title"],
                       kind=MeetingKind(row["kind"]), date=date_value, place=row["place"],
                       countries=json.loads(row["countries"]), participants=links,
                       topics=json.loads(row["topics"]), summary=row["summary"],
                       visit=row["visit_uid"], source=row["source_uid"])
    if kind is RecordType.PLAN:
        return Plan(id=row["id"], uid=row["uid"], title=row["title"], kind=PlanKind(row["kind"]),
                    status=PlanStatus(row["status"]), date=_date_from_row(row, "date"),
                    place=row["place"], parties=json.loads(row["parties"]), signatories=links,
                    fields=json.loads(row["fields"]), summary=row["summary"],
                    meeting=row["meeting_uid"], visit=row["visit_uid"], source=row["source_uid"])
    date_value = _date_from_row(row, "date")
    assert date_value is not None
    return Visit(id=row["id"], uid=row["uid"], visitor=row["visitor_uid"],
                 visitor_role=row["visitor_role"], from_country=row["from_country"],
                 to_country=row["to_country"], date=date_value,
                 end_date=_date_from_row(row, "end"), status=VisitStatus(row["status"]),
                 place=row["place"], purpose=row["purpose"], notes=row["notes"],
                 source=row["source_uid"])


def _filter_sql(kind: RecordType, guild_id: int, flt: RecordFilter) -> tuple[str, list[Any]]:
    clauses = ["guild_id = ?"]
    params: list[Any] = [guild_id]
    if flt.country:
        if kind is RecordType.VISIT:
            clauses.append("(from_country = ? COLLATE NOCASE OR to_country = ? COLLATE NOCASE)")
            params += [flt.country, flt.country]
        elif kind is RecordType.PERSON:
            clauses.append("country = ? COLLATE NOCASE")
            params.append(flt.country)
        elif kind in (RecordType.MEETING, RecordType.PLAN):
            names = "countries" if kind is RecordType.MEETING else "parties"
            clauses.append(
                f"EXISTS (SELECT 1 FROM json_each({names}) WHERE value = ? COLLATE NOCASE)"
            )
            params.append(flt.country)
    if flt.kinds and kind in (RecordType.MEETING, RecordType.PLAN):
        clauses.append(f"kind IN ({', '.join('?' for _ in flt.kinds)})")
        params += list(flt.kinds)
    if flt.statuses and kind in (RecordType.PLAN, RecordType.VISIT):
        clauses.append(f"status IN ({', '.join('?' for _ in flt.statuses)})")
        params += list(flt.statuses)
    if flt.title_words:
        # Word starts in the title (a person's name), through the FTS index's prefixes.
        query = fts_query(flt.title_words, prefix=True)
        if query is None:
            clauses.append("0")  # no words at all: nothing can match
        else:
            clauses.append(
                "id IN (SELECT record_id FROM search_index WHERE search_index MATCH ?"
                " AND guild_id = ? AND record_type = ?)"
            )
            params += [f"title : ({query})", guild_id, kind.value]
    if flt.visit is not None and kind in (RecordType.MEETING, RecordType.PLAN):
        clauses.append("visit_id = (SELECT id FROM visits WHERE guild_id = ? AND uid = ?)")
        params += [guild_id, flt.visit]
    column = _date_start_column(kind)
    if column is not None:
        end_column = column.replace("_start", "_end") if kind is not RecordType.SOURCE else column
        # A period is in the range when it shares at least one day with it.
        if flt.date_from is not None:
            clauses.append(f"{end_column} > ?")
            params.append(flt.date_from.isoformat())
            if column != end_column:
                # No period is longer than a year, so this bound says nothing new, but it
                # lets the date index skip every older row instead of reading them all.
                clauses.append(f"{column} > ?")
                params.append((flt.date_from - timedelta(days=367)).isoformat())
        if flt.date_to is not None:
            clauses.append(f"{column} < ?")
            params.append(flt.date_to.isoformat())
    return " AND ".join(clauses), params


def _date_start_column(kind: RecordType) -> str | None:
    return {RecordType.MEETING: "date_start", RecordType.PLAN: "date_start",
            RecordType.VISIT: "date_start", RecordType.SOURCE: "published_start"}.get(kind)


def _order_sql(kind: RecordType, newest_first: bool) -> str:
    direction = "DESC" if newest_first else "ASC"
    column = _date_start_column(kind)
    if column is None:
        return f"name COLLATE NOCASE {direction}, id {direction}"
    if kind in (RecordType.MEETING, RecordType.VISIT):
        # Always dated: ordering by the indexed column alone lets SQLite walk the
        # (guild_id, date_start) index instead of sorting the whole table.
        return f"{column} {direction}, id {direction}"
    # Undated records (plans under negotiation) sort after dated ones either way.
    return f"{column} IS NULL, {column} {direction}, id {direction}"
