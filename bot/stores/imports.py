"""Bulk imports: a checked bundle written in batches that other writes go between, journalled
so that an import cut short is finished later instead of left half done.

How an import is written
------------------------
* Everything is read and checked before the first write (services/interchange.py): a bad
  file writes nothing. The store still refuses, before anything is written, a bundle whose
  `expected` records changed since they were read.
* A bundle of at most SINGLE records (ingest saves, most files) is written in one
  transaction, as before.
* A bigger one is written in batches, each its own transaction of about BATCH_SECONDS (the
  size adapts between MIN_BATCH and MAX_BATCH records), leaving the writer free between
  them (PAUSE_S on SQLite). A bot write, in this process or another, waits at most about
  one batch, not the whole import.
* The journal (import_journal, migration 0013) is written in the first batch's transaction:
  the server, who imports, the checked file (compressed) and `done`, how many of the
  bundle's records are written. Each batch moves `done` in its own transaction. So `done`
  says exactly which records are in the store: the first `done` of the bundle in its fixed
  order (sections in dependency order, rows in file order).
* The search rows and words of the records it creates are written after the last of them,
  by an index pass in batches of its own (each table's rows in key order: at 100,000
  records, writing them beside each batch's records took half the import, the words'
  index filled a little all over at every batch). Meanwhile `done` is the file's total and
  the row stays; the pass's last batch removes it. A record edited meanwhile was indexed
  by its edit, one deleted needs none: the pass leaves both alone. A bundle of at most
  SINGLE records writes its index rows in its one transaction.

An import cut short
-------------------
A kill -9, a power cut or a full disk leaves the journal row. Such an import is finished,
never undone: the next import into that server, or the bot's next start, reads the file back
from the row and goes on from `done`, so the server ends with exactly the records that one
uninterrupted run would have written, under the numbers the batches already gave them.
(The bot's start does it in the reminder poster, before the plan is reconciled.) Only a
file that no longer fits the server, because a record it names was deleted meanwhile, is
given up: what it wrote stays, the row goes, and the finishing run says so.

Finishing is chosen over undoing because an imported record is visible from its batch on:
meanwhile a member may have linked a meeting to an imported person, or edited an imported
visit, which undoing would break or lose; finishing needs nothing but the journal. Hiding
the records until the end would need either one transaction as long as the import (what
made every bot write wait a minute) or every read of the store to filter them out. So
readers see an import's records batch by batch, each record whole, as they see any other
write; between a cut and the finishing run they see the first batches, while the journal
says the import is unfinished (`interrupted`), and the run that finishes it says so.
Search and autocomplete find a big import's new records once its index pass is through
(or, after a cut, once the finishing run's is): a finishing run indexes every record of
the server that has no search row, which covers those the cut run wrote.

Numbers and concurrency
-----------------------
* Each batch takes its records' numbers from the server's counter (record_numbers) and its
  row ids from dialect.reserve_ids, in its own transaction, so a record the bot adds between
  two batches takes the next number, and no number is ever handed out twice.
* One import per server at a time (the journal's unique index on the server): another
  import into that server, or an ingest save, is refused with a plain message while one
  runs. Imports into different servers run side by side.
* A journal row belongs to the process writing it (owner = host:pid) while that process
  lives and is writing it; another may finish it once the owner is gone (same host) or its
  heartbeat, moved by every batch, is STALE_S old (another host, PostgreSQL).

What follows an import
----------------------
The change pipeline is told of every record written once the last batch is in; a run that
finishes an interrupted import also reports the records the cut run wrote (read back by
uid), so reminders are planned for all of them. Each batch writes its records' audit rows
too, which move the server's high-water mark, so the planner's reconciliation at start-up
sees them whatever happens in between.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import gc
import json
import logging
import os
import re
import socket
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.errors import NotFoundError, UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import SECTIONS, Bundle, bundle_to_json, record_to_dict
from bot.domain.records import Record, RecordType, new_uid
from bot.domain.registry import FieldKind, RecordSpec, countries_of, spec_of
from bot.stores.database import COMMAND_WAIT_S
from bot.stores.search import STRIDE, compose, links_read

if TYPE_CHECKING:
    from bot.stores.records import ImportCounts, RecordStore

# At most this many records are written in one transaction without a journal.
SINGLE = 2_000
# A batch after the first aims at this long, its size between these bounds.
BATCH_SECONDS = 0.3
# Between two batches on SQLite the writer is left free this long. Another process (the bot
# beside a command-line import) waiting for the lock does not queue: SQLite's busy handler
# tries again every 100 ms at most, so without a pause longer than that it would almost
# never find the lock free, and its write was refused after its 2 s (measured: 5 of 494
# writes refused, p99 2,031 ms). This process's own writes queue on the store's lock and go
# first anyway; PostgreSQL queues every waiter for the server's lock, so no pause there.
PAUSE_S = 0.12
FIRST_BATCH = 1_000
MIN_BATCH, MAX_BATCH = 200, 8_000
# Another host's import whose journal has not moved for this long is taken for dead.
STALE_S = 120.0
# The index pass moves the journal's heartbeat at most this often: each move rewrites the
# row, whose file SQLite reads whole to do it (11 MB at 100,000 records, 30 ms).
BEAT_S = 10.0
# Stored records compared with the bundle's per statement.
_LOAD = 500
# Records made ready between two yields to the event loop (about 10 ms of work each).
_SLICE = 100

# The audit log's JSON as json.dumps(…, ensure_ascii=False) writes it, one encoder for all.
_json = json.JSONEncoder(ensure_ascii=False).encode

log = logging.getLogger(__name__)

Written = list[tuple[Record | None, Record]]
Batch = list[tuple[RecordType, "_Ready"]]
Ids = dict[RecordType, dict[str, tuple[int, int]]]

# Journal rows this process is writing now (a row of this process not here was cut short).
_RUNNING: set[int] = set()


class ImportRunning(UserError):
    """Another import into the same server has not finished."""


RUNNING = ("Another import into this server is still being written, so nothing was saved. "
           "Try again when it has finished.")


@dataclass(frozen=True)
class Interrupted:
    """A journal row whose import stopped part way: `source` is the checked file."""

    id: int
    guild_id: int
    actor_id: int | None
    done: int
    total: int
    source: bytes


@dataclass
class ImportOptions:
    """How a bulk import is journalled and watched.

    `source` gives the checked file as the interchange JSON (bytes) that the finishing run
    reads back; it is called only if the import is journalled (else the bundle itself is
    written out). `resume` finishes an interrupted import. `between(done)` is awaited after
    each committed batch of records but the last (tests use it to write, or stop, between
    batches); `indexing(n)` before each batch of the index pass, `n` records indexed so far.
    """

    source: Callable[[], bytes] | None = None
    resume: Interrupted | None = None
    between: Callable[[int], Awaitable[None]] | None = None
    indexing: Callable[[int], Awaitable[None]] | None = None


def pack(data: bytes) -> str:
    """The journal's text form of a file: compressed, then base64 (a TEXT column on both
    backends)."""
    return base64.b64encode(zlib.compress(data, 1)).decode("ascii")


def unpack(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _abandoned(journal_id: int, owner: str, beat_at: str, now: datetime) -> bool:
    """Whether no process is writing this import any more."""
    if owner == _owner():
        return journal_id not in _RUNNING
    host, _, pid = owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    try:
        beat = datetime.fromisoformat(beat_at)
    except ValueError:
        return True
    return now - beat > timedelta(seconds=STALE_S)


class _Queue:
    """Statements of one batch, each awaited in turn. (Handing SQLite's thread a statement
    without waiting, to build the next rows meanwhile, raced with reads of the connection
    from the loop's thread: "bad parameter or other API misuse".) On PostgreSQL an
    INSERT of many rows goes as one COPY."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        raw = getattr(conn, "raw", None)
        self._copy = getattr(raw, "copy_records_to_table", None)

    async def many(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """An INSERT … VALUES of every row: on PostgreSQL as one COPY of the rows into the
        statement's table and columns (binary, a fraction of executemany's round trips)."""
        if not rows:
            return
        if self._copy is not None:
            table, columns = _target(sql)
            await self._copy(table, records=rows, columns=columns)
            return
        await self._conn.executemany(sql, rows)


_INSERT = re.compile(r"^INSERT INTO (\w+) \(([\w, ]+)\) VALUES \([?, ]+\)$")


@functools.lru_cache(maxsize=64)
def _target(sql: str) -> tuple[str, tuple[str, ...]]:
    """(table, columns) of one of this module's plain INSERT … VALUES statements."""
    found = _INSERT.match(sql)
    if found is None:
        raise ValueError(f"not a plain INSERT: {sql}")
    return found.group(1), tuple(c.strip() for c in found.group(2).split(","))


class _Columns:
    """A type's row as a tuple in one fixed column order, worked out once per import: the
    columns after the six every row has (id, guild, uid, number, created, updated)."""

    def __init__(self, spec: RecordSpec) -> None:
        self.spec = spec
        names: list[str] = []
        steps: list[tuple[str, FieldKind, Any]] = []
        for f in spec.fields:
            column = f.store_column
            if f.kind is FieldKind.PEOPLE:
                continue
            if f.kind is FieldKind.DATE:
                names += [f"{column}_value", f"{column}_precision", f"{column}_zone"]
                if f.bounds:
                    names.append(f"{column}_start")
                if f.bounds == "both":
                    names.append(f"{column}_end")
            else:
                names.append(column)
            steps.append((f.name, f.kind, f))
        self.names = ["id", "guild_id", "uid", "number", "created_at", "updated_at", *names]
        self.steps = steps
        # (position in `values`, type linked to) of each REF column.
        self.refs = [(names.index(f.store_column), f.target) for _, kind, f in steps
                     if kind is FieldKind.REF and f.target is not None]
        self.linked = bool(links_read(spec))
        self.has_countries = bool(spec.country_fields)
        main = spec.main_date
        # The main date's end runs to the last day of `period_end`, when that is later.
        self.close: str | None = (spec.period_end if spec.period_end and main is not None
                                  and main.bounds == "both" else None)
        self.close_at = (self.names.index(f"{main.store_column}_end")
                         if self.close and main is not None else -1)
        self.insert = (f"INSERT INTO {spec.table} ({', '.join(self.names)})"
                       f" VALUES ({', '.join('?' for _ in self.names)})")
        # Dates repeat across a big file: each one's columns are worked out once.
        self._dates: dict[tuple[FuzzyDate, str], tuple[Any, ...]] = {}

    def date(self, value: FuzzyDate | None, bounds: str) -> tuple[Any, ...]:
        if value is None:
            return (None, None, None) + ((None,) if bounds else ()) + (
                (None,) if bounds == "both" else ())
        key = (value, bounds)
        found = self._dates.get(key)
        if found is None:
            found = (value.value, value.precision.value, value.zone)
            if bounds:
                found += (value.start.isoformat(),)
            if bounds == "both":
                found += (value.end.isoformat(),)
            self._dates[key] = found
        return found

    def values(self, record: Record) -> list[Any]:
        """The row after its six head columns, a REF's column still holding the uid it
        names (`refs` says where): what needs no row id nor number, made outside the
        writer's lock."""
        values = record.__dict__
        out: list[Any] = []
        for name, kind, f in self.steps:
            value = values[name]
            if kind is FieldKind.TEXT or kind is FieldKind.LONG:
                out.append(value)
            elif kind is FieldKind.REF:
                out.append(value or None)
            elif kind is FieldKind.LIST:
                out.append(_json(value))
            elif kind is FieldKind.CHOICE:
                out.append(value.value)
            else:
                out.extend(self.date(value, f.bounds))
        if self.close is not None:
            last = values[self.close]
            if last is not None:
                end = self.date(last, "both")[-1]
                at = self.close_at - 6
                if end > out[at]:
                    out[at] = end
        return out

    def row(self, head: tuple[Any, ...], values: list[Any], ids: Ids) -> tuple[Any, ...]:
        """The whole row: the head, then `values` with each REF's uid made its row id."""
        if not self.refs:
            return (*head, *values)
        out = list(values)
        for at, target in self.refs:
            uid = out[at]
            if uid is not None:
                found = ids[target].get(uid)
                if found is None:
                    raise NotFoundError(f"There is no {target.value} {uid!r} in this server.")
                out[at] = found[0]
        return (*head, *out)


@dataclass(slots=True)
class _Unindexed:
    """A record written whose search row and words are still to be written: `record` and
    `texts` as the import made them, or None for a record read back from the store (one a
    cut-short run wrote)."""

    type: RecordType
    row_id: int
    number: int
    record: Record | None = None
    texts: tuple[str, str, list[str]] | None = None


@dataclass(slots=True)
class _IndexRows:
    """Search rows and word rows, each in its table's key order."""

    search: list[tuple[Any, ...]]
    words: list[tuple[Any, ...]]


@dataclass(slots=True)
class _Ready:
    """One record of a batch as far as it is made before the batch's transaction: what
    depends on neither the row ids nor the numbers the transaction hands out."""

    record: Record  # a copy carrying its uid; its number is set when it is written
    values: list[Any]  # _Columns.values
    audit: str  # the audit row's after_json
    texts: tuple[str, str, list[str]] | None  # search title, body, words (None: reads links)
    start: str | None  # the country index's date and status
    status: str | None
    countries: list[str]


class Importer:
    """One import of a bundle into one server (see the module's docstring)."""

    def __init__(self, store: RecordStore) -> None:
        self._store = store
        self._db = store._db
        self._clock = store._clock
        self._columns: dict[RecordType, _Columns] = {}
        # The records this run created, in the order written, until the index pass.
        self._pending: list[_Unindexed] = []

    def _plan(self, spec: RecordSpec) -> _Columns:
        plan = self._columns.get(spec.type)
        if plan is None:
            plan = self._columns[spec.type] = _Columns(spec)
        return plan

    async def run(
        self, guild_id: int, bundle: Bundle, *, actor_id: int | None,
        expected: Mapping[tuple[RecordType, str], dict[str, Any] | None] | None,
        options: ImportOptions | None, counts: ImportCounts,
    ) -> Written:
        options = options or ImportOptions()
        flat = [(kind, r) for kind in SECTIONS for r in bundle.section(kind)]
        written: Written = []
        resume = options.resume
        journal = resume.id if resume is not None else None
        pos = resume.done if resume is not None else 0
        if resume is not None:
            await self._claim(resume)
        size = len(flat) if journal is None and len(flat) <= SINGLE else FIRST_BATCH
        # Made before the first transaction, so the writer is not held while it is packed.
        packed = None
        if journal is None and size < len(flat):
            packed = pack(options.source() if options.source is not None else json.dumps(
                bundle_to_json(bundle), ensure_ascii=False).encode("utf-8"))
        loop = asyncio.get_running_loop()
        ids: Ids | None = None
        first = True
        # The bundle's objects (and everything else alive now) are left out of the cyclic
        # collector's passes while the batches allocate their rows: at 100,000 records
        # those passes over the bundle took a sixth of the import. Nothing is kept from
        # being freed; unfreeze hands them back to the collector at the end.
        gc.freeze()
        try:
            ready = await self._prepare(flat[pos:pos + size])
            while True:
                began = loop.time()
                end = pos + len(ready)
                last = end >= len(flat)
                async with self._db.transaction(wait=COMMAND_WAIT_S if first else None,
                                                guild=guild_id) as conn:
                    if first:
                        await self._refuse_if_running(conn, guild_id, journal)
                        changed = await self._store._changed_since(conn, guild_id,
                                                                   expected or {})
                        if changed:
                            from bot.stores.records import ChangedSinceRead
                            raise ChangedSinceRead(changed)
                    if ids is None:
                        ids = {kind: await self._store._uid_map(conn, guild_id, spec_of(kind))
                               for kind in SECTIONS}
                    if packed is not None and journal is None:
                        journal = await self._open(conn, guild_id, actor_id, len(flat), packed)
                        _RUNNING.add(journal)
                    await self._write(conn, guild_id, ready, actor_id, ids, counts, written)
                    if journal is None:  # one transaction: the index rows go in it too
                        await self._index(conn, guild_id, self._pending, check=False)
                        self._pending.clear()
                    else:
                        # The row stays while the index pass is to come: `done` = total.
                        if last and not self._pending and resume is None:
                            await conn.execute("DELETE FROM import_journal WHERE id = ?",
                                               (journal,))
                        else:
                            await conn.execute(
                                "UPDATE import_journal SET done = ?, beat_at = ? WHERE id = ?",
                                (end, self._clock().isoformat(), journal))
                pos, first = end, False
                if last:
                    break
                size = self._next_size(size, loop.time() - began)
                log.debug("import into %s: %d of %d records, next batch %d", guild_id, pos,
                          len(flat), size)
                if options.between is not None:
                    await options.between(pos)
                # The next batch is made while the writer is free, which is what the pause
                # is for: a write waiting for the writer goes first (see PAUSE_S).
                paused = loop.time()
                ready = await self._prepare(flat[pos:pos + size])
                await self._pause(loop.time() - paused)
            if journal is not None and (self._pending or resume is not None):
                await self._pause(0.0)
                await self._index_pass(guild_id, journal, repair=resume is not None,
                                       indexing=options.indexing)
        finally:
            gc.unfreeze()
            if journal is not None:
                _RUNNING.discard(journal)
        if resume is not None and resume.done:
            written[:0] = await self._written_before(guild_id, flat[:resume.done])
        return written

    def _next_size(self, size: int, took: float) -> int:
        """The next batch's size, aiming at BATCH_SECONDS from how long this one took."""
        return max(MIN_BATCH, min(MAX_BATCH, int(size * BATCH_SECONDS / max(took, 1e-3))))

    async def _pause(self, spent: float) -> None:
        """Leaves the writer free for PAUSE_S on SQLite, `spent` of it already gone."""
        pause = PAUSE_S if self._db.dialect.name == "sqlite" else 0.0
        await asyncio.sleep(max(0.0, pause - spent))

    # --- the index pass ---------------------------------------------------------------------

    async def _index_pass(self, guild_id: int, journal: int, *, repair: bool,
                          indexing: Callable[[int], Awaitable[None]] | None) -> None:
        """The search rows and words of the records written, in batches of their own once
        every record is in (`done` = total says so in the journal), the last removing the
        journal row. A batch skips a record deleted meanwhile, or indexed meanwhile by an
        edit (whose rows are the newer). `repair` (a finishing run) also indexes every
        record of the server that has no search row: those a cut-short run wrote."""
        items = self._pending
        if repair:
            mine = {(u.type, u.row_id) for u in items}
            items = items + [u for u in await self._unindexed(guild_id)
                             if (u.type, u.row_id) not in mine]
        loop = asyncio.get_running_loop()
        pos, size = 0, FIRST_BATCH
        beat = loop.time()
        ready = self._ready_rows(guild_id, items[:size])
        while True:
            if indexing is not None:
                await indexing(pos)
            began = loop.time()
            chunk = items[pos:pos + size]
            last = pos + len(chunk) >= len(items)
            async with self._db.transaction(guild=guild_id) as conn:
                await self._index(conn, guild_id, chunk, check=True, ready=ready)
                if last:
                    await conn.execute("DELETE FROM import_journal WHERE id = ?", (journal,))
                elif loop.time() - beat >= BEAT_S:
                    await conn.execute("UPDATE import_journal SET beat_at = ? WHERE id = ?",
                                       (self._clock().isoformat(), journal))
                    beat = loop.time()
            if last:
                break
            pos += len(chunk)
            size = self._next_size(size, loop.time() - began)
            log.debug("import into %s: %d of %d records indexed", guild_id, pos, len(items))
            # The next batch's rows are made while the writer is free, as the records' are.
            paused = loop.time()
            ready = self._ready_rows(guild_id, items[pos:pos + size])
            await self._pause(loop.time() - paused)
        self._pending = []

    def _ready_rows(self, guild_id: int, items: Sequence[_Unindexed]) -> _IndexRows:
        """The search rows and words of those `items` whose texts the import made, each
        list in its table's key order, made outside the writer's transaction; the
        transaction keeps the rows of the records still unindexed (see _index)."""
        by_type: dict[RecordType, list[tuple[Any, ...]]] = {}
        for u in items:
            if u.texts is not None:
                by_type.setdefault(u.type, []).append((u.row_id, guild_id, u.number, *u.texts))
        search: list[tuple[Any, ...]] = []
        words: list[tuple[Any, ...]] = []
        for kind, made in by_type.items():
            rows, found = self._store._index.rows(spec_of(kind), made)
            search += rows
            words += found
        search.sort(key=lambda row: row[0])
        words.sort()
        return _IndexRows(search, words)

    async def _index(self, conn: Any, guild_id: int, items: Sequence[_Unindexed], *,
                     check: bool, ready: _IndexRows | None = None) -> None:
        """Writes the search rows and words of `items`, each table's rows in its key order
        (so its index grows in runs, not page by page all over); `check`: only of those
        still there and still without a search row. `ready`: the rows _ready_rows made of
        these items beforehand, written for those that pass the check."""
        if not items:
            return
        ready = ready or self._ready_rows(guild_id, items)
        by_type: dict[RecordType, list[_Unindexed]] = {}
        for item in items:
            by_type.setdefault(item.type, []).append(item)
        index = self._store._index
        kept: set[int] = set()  # search keys of the records whose ready rows are written
        search: list[tuple[Any, ...]] = []
        words: list[tuple[Any, ...]] = []
        for kind, group in by_type.items():
            spec = spec_of(kind)
            if check:
                group = await self._still_unindexed(conn, guild_id, spec, group)
            kept.update(u.row_id * STRIDE + spec.code for u in group if u.texts is not None)
            unread = [u.number for u in group if u.record is None]
            if unread:
                stored = {r.id: r for start in range(0, len(unread), _LOAD)
                          for r in await self._store._load_many(
                              conn, guild_id, kind, unread[start:start + _LOAD])}
                group = [u for u in group if u.record is not None or u.number in stored]
                for u in group:
                    if u.record is None:
                        u.record = stored[u.number]
            linked = [(u.row_id, u.record) for u in group
                      if u.texts is None and u.record is not None]
            if linked:  # its search text reads the records it links to, from the store
                rows, found = await index.rows_for(conn, guild_id, spec, linked)
                search += rows
                words += found
        # A word row names its record by type and number; the search row's key holds both.
        numbers = {(row[2], row[3]) for row in ready.search if row[0] in kept}
        made = len(search)
        search += [row for row in ready.search if row[0] in kept]
        words += [row for row in ready.words if (row[1], row[3]) in numbers]
        if made:  # rows read from the store join the ready ones: back into key order
            search.sort(key=lambda row: row[0])
            words.sort()
        queue = _Queue(conn)
        await queue.many(self._db.dialect.search_insert, search)
        await queue.many("INSERT INTO record_words (guild_id, record_type, word, number)"
                         " VALUES (?, ?, ?, ?)", words)

    async def _still_unindexed(self, conn: Any, guild_id: int, spec: RecordSpec,
                               group: list[_Unindexed]) -> list[_Unindexed]:
        """Those of one type's records that are in the store and have no search row: each
        a range of the table's and the index's keys (a batch's ids are close together)."""
        key = "rowid" if self._db.dialect.name == "sqlite" else "row_key"
        out: list[_Unindexed] = []
        for start in range(0, len(group), _LOAD):
            part = group[start:start + _LOAD]
            low, high = min(u.row_id for u in part), max(u.row_id for u in part)
            async with conn.execute(
                f"SELECT id FROM {spec.table} WHERE id BETWEEN ? AND ? AND guild_id = ?",
                (low, high, guild_id),
            ) as cur:
                there = {int(r[0]) for r in await cur.fetchall()}
            async with conn.execute(
                f"SELECT {key} FROM search_index WHERE {key} BETWEEN ? AND ?",
                (low * STRIDE + spec.code, high * STRIDE + spec.code),
            ) as cur:
                indexed = {int(r[0]) for r in await cur.fetchall()}
            out += [u for u in part if u.row_id in there
                    and u.row_id * STRIDE + spec.code not in indexed]
        return out

    async def _unindexed(self, guild_id: int) -> list[_Unindexed]:
        """Every record of the server (of the types an import writes) without a search
        row, to be read back from the store."""
        out: list[_Unindexed] = []
        async with self._db.read() as conn:
            for kind in SECTIONS:
                spec = spec_of(kind)
                async with conn.execute(
                    f"SELECT id, number FROM {spec.table} WHERE guild_id = ? ORDER BY id",
                    (guild_id,),
                ) as cur:
                    every = [_Unindexed(kind, int(r[0]), int(r[1]))
                             for r in await cur.fetchall()]
                out += await self._still_unindexed(conn, guild_id, spec, every)
        return out

    # --- the journal ----------------------------------------------------------------------

    async def _open(self, conn: Any, guild_id: int, actor_id: int | None, total: int,
                    packed: str) -> int:
        now = self._clock().isoformat()
        async with conn.execute(
            "INSERT INTO import_journal (guild_id, actor_id, owner, started_at, beat_at, total,"
            " done) VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id",
            (guild_id, actor_id, _owner(), now, now, total),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        # Beside the row, not in it: each batch updates the row (migration 0015 says why).
        await conn.execute("INSERT INTO import_sources (journal_id, source) VALUES (?, ?)",
                           (int(row[0]), packed))
        return int(row[0])

    async def _refuse_if_running(self, conn: Any, guild_id: int, journal: int | None) -> None:
        async with conn.execute(
            "SELECT id FROM import_journal WHERE guild_id = ?", (guild_id,)
        ) as cur:
            rows = await cur.fetchall()
        if any(int(r[0]) != journal for r in rows):
            raise ImportRunning(RUNNING)

    async def _claim(self, job: Interrupted) -> None:
        """Takes an interrupted import over, if no one else did meanwhile."""
        async with self._db.transaction(wait=COMMAND_WAIT_S, guild=job.guild_id) as conn:
            async with conn.execute(
                "SELECT owner, beat_at, done FROM import_journal WHERE id = ?", (job.id,)
            ) as cur:
                row = await cur.fetchone()
            if (row is None or int(row[2]) != job.done
                    or not _abandoned(job.id, str(row[0]), str(row[1]), self._clock())):
                raise ImportRunning(RUNNING)
            await conn.execute("UPDATE import_journal SET owner = ?, beat_at = ? WHERE id = ?",
                               (_owner(), self._clock().isoformat(), job.id))
        _RUNNING.add(job.id)

    async def _written_before(
        self, guild_id: int, items: Sequence[tuple[RecordType, Record]]
    ) -> Written:
        """The records an interrupted run wrote, as they are now, for the pipeline."""
        out: Written = []
        for kind in SECTIONS:
            uids = [r.uid for k, r in items if k is kind]
            for start in range(0, len(uids), _LOAD):
                found = await self._store.get_by_uids(guild_id, kind, uids[start:start + _LOAD])
                out.extend((None, r) for r in found)
        return out

    # --- the records ----------------------------------------------------------------------

    async def _prepare(self, items: Sequence[tuple[RecordType, Record]]) -> Batch:
        """The batch's records made ready outside the writer's lock (see _Ready), the event
        loop served every _SLICE records."""
        from bot.stores.records import _status_of

        out: Batch = []
        for at, (kind, record) in enumerate(items):
            if at and at % _SLICE == 0:
                await asyncio.sleep(0)
            spec = spec_of(kind)
            plan = self._plan(spec)
            copy = _renumbered(record, record.uid or new_uid(kind), None)
            values = copy.__dict__
            start = status = None
            countries: list[str] = []
            if plan.has_countries:
                main = spec.main_date
                day = values[main.name] if main is not None else None
                start = plan.date(day, "start")[3] if day is not None else None
                status = _status_of(copy)
                countries = list(dict.fromkeys(c for c in countries_of(copy) if c))
            out.append((kind, _Ready(
                copy, plan.values(copy), _json(record_to_dict(copy)),
                None if plan.linked else compose(spec, values.get), start, status, countries)))
        return out

    async def _write(
        self, conn: Any, guild_id: int, items: Batch,
        actor_id: int | None, ids: Ids, counts: ImportCounts, written: Written,
    ) -> None:
        """One batch: its records by type, each compared with what is stored by uid."""
        start = 0
        while start < len(items):
            kind = items[start][0]
            stop = start
            while stop < len(items) and items[stop][0] is kind:
                stop += 1
            await self._write_kind(conn, guild_id, spec_of(kind),
                                   [r for _, r in items[start:stop]], actor_id, ids, counts,
                                   written)
            start = stop

    async def _write_kind(
        self, conn: Any, guild_id: int, spec: RecordSpec, records: list[_Ready],
        actor_id: int | None, ids: Ids, counts: ImportCounts, written: Written,
    ) -> None:
        known = ids[spec.type]
        fresh: list[_Ready] = []
        for chunk_at in range(0, len(records), _LOAD):
            chunk = records[chunk_at:chunk_at + _LOAD]
            numbers = [known[r.record.uid][1] for r in chunk if r.record.uid in known]
            stored = {r.uid: r for r in await self._store._load_many(
                conn, guild_id, spec.type, numbers)} if numbers else {}
            for ready in chunk:
                record = ready.record
                before = stored.get(record.uid)
                if before is None:
                    fresh.append(ready)
                elif record_to_dict(before) == record_to_dict(record):
                    counts.unchanged += 1
                else:
                    saved = await self._store._update(conn, guild_id,
                                                      _renumbered(record, record.uid, before.id),
                                                      actor_id, action="import")
                    counts.updated[spec.type.plural] = counts.updated.get(spec.type.plural, 0) + 1
                    written.append((before, saved))
        if fresh:
            for saved in await self._insert_many(conn, guild_id, spec, fresh, actor_id, ids):
                written.append((None, saved))
            counts.created[spec.type.plural] = (counts.created.get(spec.type.plural, 0)
                                                + len(fresh))

    async def _insert_many(
        self, conn: Any, guild_id: int, spec: RecordSpec, records: list[_Ready],
        actor_id: int | None, ids: Ids,
    ) -> list[Record]:
        """New records of one type in bulk; `ids` gains them, for the records after."""
        dialect = self._db.dialect
        row_ids = await dialect.reserve_ids(conn, spec.table, len(records))
        async with conn.execute(
            "INSERT INTO record_numbers (guild_id, record_type, last) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, record_type)"
            " DO UPDATE SET last = record_numbers.last + excluded.last"
            " RETURNING last",
            (guild_id, spec.type.value, len(records)),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        first_number = int(row[0]) - len(records) + 1
        now = self._clock().isoformat()
        plan = self._plan(spec)
        known = ids[spec.type]
        type_value = spec.type.value
        queue = _Queue(conn)
        saved: list[Record] = []
        rows: list[tuple[Any, ...]] = []
        people_fields = spec.of(FieldKind.PEOPLE)
        people_rows: dict[str, list[tuple[Any, ...]]] = {f.name: [] for f in people_fields}
        country_rows: list[tuple[Any, ...]] = []
        audit_rows: list[tuple[Any, ...]] = []
        people = ids[RecordType.PERSON]
        for offset, ready in enumerate(records):
            row_id, number = row_ids[offset], first_number + offset
            record = ready.record
            uid = record.uid
            if uid in known:
                raise UserError(f"A {type_value} with uid {uid!r} already exists in this "
                                "server.")
            record.__dict__["id"] = number  # the copy _prepare made, this import's own
            rows.append(plan.row((row_id, guild_id, uid, number, now, now), ready.values, ids))
            known[uid] = (row_id, number)
            saved.append(record)
            values = record.__dict__
            for f in people_fields:
                link = f.people
                assert link is not None
                out = people_rows[f.name]
                for position, person in enumerate(values[f.name]):
                    found = people.get(person.person)
                    if found is None:
                        raise NotFoundError(
                            f"There is no person {person.person!r} in this server.")
                    out.append((row_id, position, found[0], getattr(person, link.role)))
            for country in ready.countries:
                country_rows.append((guild_id, type_value, country, ready.start, row_id,
                                     ready.status))
            audit_rows.append((guild_id, actor_id, "import", type_value, number, uid, None,
                               ready.audit, now))
            self._pending.append(_Unindexed(spec.type, row_id, number, record, ready.texts))
        await queue.many(plan.insert, rows)
        for f in people_fields:
            link = f.people
            assert link is not None
            await queue.many(
                f"INSERT INTO {link.table} ({link.owner_column}, position, person_id,"
                f" {link.role}) VALUES (?, ?, ?, ?)", people_rows[f.name])
        # In index order, so each index grows at its end rather than all over.
        country_rows.sort(key=lambda r: (r[2], r[3] or "", r[4]))
        await queue.many(
            "INSERT INTO record_countries (guild_id, record_type, country, date_start, row_id,"
            " status) VALUES (?, ?, ?, ?, ?, ?)", country_rows)
        await queue.many(
            "INSERT INTO audit_log (guild_id, actor_id, action, record_type, record_id,"
            " record_uid, before_json, after_json, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            audit_rows)
        return saved


def _renumbered(record: Record, uid: str, number: int | None) -> Record:
    """A copy of the record with its uid and number (dataclasses.replace without running
    __init__ again: the record was checked when it was read)."""
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__)
    copy.__dict__["uid"] = uid
    copy.__dict__["id"] = number
    return copy


async def interrupted(store: RecordStore, guild_id: int | None = None) -> list[Interrupted]:
    """Imports that stopped part way and that no live process is writing."""
    db = store._db
    sql = "SELECT id, guild_id, actor_id, owner, beat_at, done, total FROM import_journal"
    params: tuple[Any, ...] = ()
    if guild_id is not None:
        sql += " WHERE guild_id = ?"
        params = (guild_id,)
    now = store._clock()
    out = []
    async with db.read() as conn:
        async with conn.execute(sql + " ORDER BY id", params) as cur:
            rows = await cur.fetchall()
        # Only an abandoned import's file is read: a live one's may be 11 MB and not needed.
        for r in rows:
            if not _abandoned(int(r[0]), str(r[3]), str(r[4]), now):
                continue
            async with conn.execute("SELECT source FROM import_sources WHERE journal_id = ?",
                                    (int(r[0]),)) as cur:
                kept = await cur.fetchone()
            if kept is None:  # written in the row's own transaction, removed by its cascade
                raise RuntimeError(f"import journal row {r[0]} has lost its file")
            out.append(Interrupted(int(r[0]), int(r[1]), None if r[2] is None else int(r[2]),
                                   int(r[5]), int(r[6]), unpack(str(kept[0]))))
    return out


async def forget(store: RecordStore, job: Interrupted) -> None:
    """Gives up on finishing an interrupted import (its file no longer fits the server): the
    records it wrote stay, and the server takes imports again."""
    async with store._db.transaction(guild=job.guild_id) as conn:
        await conn.execute("DELETE FROM import_journal WHERE id = ?", (job.id,))
