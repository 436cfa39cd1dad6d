"""The database behind every store: what a backend offers (reads, all-or-nothing
transactions, numbered migrations), and SQLite's, one writer beside a few readers."""

from __future__ import annotations

import abc
import asyncio
import functools
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.domain.errors import UserError
from bot.stores.dialect import SQLITE, Dialect

if TYPE_CHECKING:
    from bot.stores.timelines import TimelineStore

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaTooNew(UserError):
    """The database was written by a newer Attaché than this one."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations(dialect: str = "sqlite") -> list[Migration]:
    """The migration files shipped for a backend, in version order, with no gaps.

    SQLite's are in migrations/, PostgreSQL's twins (same numbers, same names) in
    migrations/postgresql/.
    """
    folder = resources.files("bot.stores").joinpath("migrations")
    if dialect != "sqlite":
        folder = folder.joinpath(dialect)
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.name} is out of sequence (want {expected})")
    return found


def migration_step(version: int) -> Callable[[Database, Any], Awaitable[None]] | None:
    """What runs after a migration's file, in its transaction (see migration_steps)."""
    from bot.stores.migration_steps import AFTER

    return AFTER.get(version)


class DatabaseBusy(UserError):
    """Another process (e.g. a command-line import) held the write lock too long."""


BUSY = ("The database is busy with another long write (an import, perhaps), so nothing was "
        "saved. Try again in a minute.")

# How long a write waits for another process's lock before the user is told it is busy.
BUSY_TIMEOUT_MS = 5000
# How long a command's write waits for this process's writer (held by another server's long
# write) before the user is told it is busy: inside Discord's three seconds.
COMMAND_WAIT_S = 2.0
# Readers beside the one writer: enough that a slow read in one server (a briefing) does
# not make the next command wait, few enough to stay light on a small machine.
READERS = 3
# Page caches, in KiB (SQLite's negative cache_size).
WRITER_CACHE_KIB = 65_536
READER_CACHE_KIB = 16_384


async def _connect(path: str, *, reader: bool, busy_ms: int) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        # A pragma that answers with a row keeps its statement open until the cursor is
        # closed, and an open statement makes the next COMMIT fail: close each one.
        pragmas = [f"busy_timeout = {busy_ms}", "foreign_keys = ON"]
        if reader:
            pragmas += ["query_only = ON", f"cache_size = -{READER_CACHE_KIB}"]
        else:
            # The writer's page cache holds the full-text and date indexes a bulk import
            # touches; SQLite's default of 2 MB makes a 100,000-record import re-read them.
            pragmas.append(f"cache_size = -{WRITER_CACHE_KIB}")
        for pragma in pragmas:
            await (await conn.execute(f"PRAGMA {pragma}")).close()
        if path != ":memory:" and not reader:
            await (await conn.execute("PRAGMA journal_mode = WAL")).close()
    except BaseException:
        await conn.close()
        raise
    return conn


class Rows:
    """What a statement gave, every row already fetched: the part of aiosqlite's cursor the
    stores use (fetchone, fetchall, fetchmany, async iteration, rowcount, lastrowid,
    description), read from memory."""

    __slots__ = ("_next", "_rows", "description", "lastrowid", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None,
                 description: Any) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.description = description

    async def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchmany(self, size: int = 1) -> list[Any]:
        start, self._next = self._next, min(len(self._rows), self._next + size)
        return self._rows[start:self._next]

    async def fetchall(self) -> list[Any]:
        start, self._next = self._next, len(self._rows)
        return self._rows[start:] if start else self._rows

    def __aiter__(self) -> Rows:
        return self

    async def __anext__(self) -> Any:
        if self._next >= len(self._rows):
            raise StopAsyncIteration
        self._next += 1
        return self._rows[self._next - 1]

    async def close(self) -> None:
        self._rows = []

    async def __aenter__(self) -> Rows:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class _Statement:
    """`await conn.execute(…)` or `async with conn.execute(…) as cur`, as with aiosqlite."""

    __slots__ = ("_rows", "_run")

    def __init__(self, run: Awaitable[Rows]) -> None:
        self._run = run
        self._rows: Rows | None = None

    def __await__(self) -> Generator[Any, None, Rows]:
        return self._run.__await__()

    async def __aenter__(self) -> Rows:
        self._rows = await self._run
        return self._rows

    async def __aexit__(self, *exc: object) -> None:
        if self._rows is not None:
            await self._rows.close()


def _run_statement(conn: sqlite3.Connection, sql: str, parameters: Any) -> Rows:
    """On the connection's own thread: the statement run, all its rows fetched, its cursor
    closed (a cursor left open would keep its statement open, and an open statement makes
    the next COMMIT fail)."""
    cursor = conn.execute(sql, parameters)
    try:
        return Rows(cursor.fetchall(), cursor.rowcount, cursor.lastrowid, cursor.description)
    finally:
        cursor.close()


class OneTrip:
    """An aiosqlite connection whose `execute` makes one trip to the connection's thread
    instead of three (execute, fetch, close).

    Each trip hands the statement to another thread and its answer back to the event loop,
    two wake-ups that under load each wait for the GIL and a core: the wire benchmark's
    mixed load measured about 2,900 trips a second, p99 9.6 ms each, and a reader held
    longer for every one. Every statement the stores run reads all its rows anyway, so
    fetching them in the same trip changes nothing they see. Everything else (executemany,
    executescript, in_transaction, backup…) is the aiosqlite connection's own.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Any = ()) -> _Statement:
        raw = self.raw
        # aiosqlite's own queue to its thread (what its execute uses), with one function
        # that does the whole statement. _execute and _conn are aiosqlite's private names,
        # which is one reason pyproject keeps it below 0.23; tests/store/test_contention.py
        # fails first should they change.
        return _Statement(raw._execute(_run_statement, raw._conn, sql, parameters))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def is_url(target: str | Path) -> bool:
    """Whether a database target names a server (postgresql://…) rather than a file."""
    return str(target).startswith(("postgresql://", "postgres://"))


class Database(abc.ABC):
    """What every store needs of a database, whichever backend holds it.

    `read()` gives a connection that sees every committed write and never one in progress;
    `transaction()` gives one whose statements commit together or not at all. Statements
    use `?` placeholders; what the backends write differently is in `dialect`.
    """

    dialect: Dialect
    # What to call the database in messages: a file's path, or a URL without its password.
    path: str

    @classmethod
    async def open(
        cls, target: str | Path, *, migrate: bool = True, readers: int = READERS,
        busy_ms: int = BUSY_TIMEOUT_MS,
    ) -> Database:
        """SQLite at a path (":memory:" included), or PostgreSQL at a postgresql:// URL."""
        if is_url(target):
            from bot.stores.postgres import PostgresDatabase
            return await PostgresDatabase.connect(str(target), migrate=migrate)
        return await SqliteDatabase.open_file(target, migrate=migrate, readers=readers,
                                              busy_ms=busy_ms)

    @functools.cached_property
    def timelines(self) -> TimelineStore:
        """/timeline's reads (bot.stores.timelines), made once for this database."""
        from bot.stores.timelines import TimelineStore  # which imports this module (records)

        return TimelineStore(self)

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def schema_version(self) -> int: ...

    @abc.abstractmethod
    async def migrate(self, migrations: list[Migration] | None = None) -> list[str]: ...

    @abc.abstractmethod
    def read(self) -> Any:
        """An async context manager yielding a connection for reads."""

    @abc.abstractmethod
    def transaction(self, *, wait: float | None = None, guild: int | None = None) -> Any:
        """An async context manager yielding a connection whose statements are one
        transaction. `guild` names the server written to: writes to one server are
        serialised, writes to different servers need not be."""

    async def listen(self, channel: str, callback: Callable[[str], None]) -> bool:
        """Calls `callback(payload)` whenever another process notifies `channel` (see
        Dialect.notify); False where there are no other processes to hear from."""
        return False

    @abc.abstractmethod
    async def refresh_statistics(self) -> None:
        """After a bulk write: lets the query planner see the tables as they now are."""

    @abc.abstractmethod
    async def integrity_check(self) -> list[str]: ...

    @abc.abstractmethod
    async def foreign_key_check(self) -> int: ...

    @abc.abstractmethod
    async def backup(self, target: str | Path) -> None: ...


class SqliteDatabase(Database):
    """One writer connection and a few readers for the whole bot.

    In WAL mode readers never wait for the writer, so each read takes a reader connection of
    its own: a long write or a slow read in one server delays no other. Writes are
    serialised by a lock around each transaction, so one command never sees another's
    half-written change. An in-memory database has one connection for everything.
    """

    dialect = SQLITE

    def __init__(
        self, writer: aiosqlite.Connection, path: str,
        readers: list[aiosqlite.Connection] | None = None, *, busy_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self._conn = writer
        self._writer = OneTrip(writer)
        self._busy_ms = busy_ms
        self._busy_now = busy_ms  # the writer's busy_timeout as last set
        self._lock = asyncio.Lock()
        self._readers: asyncio.Queue[OneTrip] = asyncio.Queue()
        self._reader_list = [OneTrip(reader) for reader in readers or []]
        for reader in self._reader_list:
            self._readers.put_nowait(reader)
        self.path = path
        self._closed = False

    @classmethod
    async def open_file(
        cls, path: str | Path, *, migrate: bool = True, readers: int = READERS,
        busy_ms: int = BUSY_TIMEOUT_MS,
    ) -> SqliteDatabase:
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await _connect(path, reader=False, busy_ms=busy_ms)
        db = cls(conn, path, busy_ms=busy_ms)
        try:
            if migrate:
                await db.migrate()
            if path != ":memory:":
                for _ in range(readers):
                    reader = OneTrip(await _connect(path, reader=True, busy_ms=busy_ms))
                    db._reader_list.append(reader)
                    db._readers.put_nowait(reader)
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        # An unclosed aiosqlite connection keeps its non-daemon thread, and the process, alive.
        # Closing twice (two paths to shutdown at once) must not close a connection twice:
        # aiosqlite then waits forever for a thread that has gone.
        readers, self._reader_list = self._reader_list, []
        for reader in readers:
            await reader.close()
        if not self._closed:
            self._closed = True
            await self._conn.close()

    async def refresh_statistics(self) -> None:
        # SQLite plans without statistics unless ANALYZE was once run, which it never is here.
        return None

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, migrations: list[Migration] | None = None) -> list[str]:
        """Applies each pending migration in a transaction of its own; returns their names."""
        pending = migrations if migrations is not None else bundled_migrations()
        applied = []
        async with self._lock:
            current = await self.schema_version()
            known = max((m.version for m in pending), default=0)
            if current > known:
                # Opening it would let this older code write rows the newer schema forbids.
                raise SchemaTooNew(
                    f"The database {self.path} has schema version {current}, but this "
                    f"Attaché knows versions up to {known}: upgrade Attaché, or restore a "
                    "backup.")
            for migration in pending:
                if migration.version <= current:
                    continue
                # PRAGMA user_version is transactional, so a failed file leaves no trace.
                step = migration_step(migration.version)
                try:
                    await self._conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql}\n")
                    if step is not None:
                        await step(self, self._writer)
                    # execute, not executescript: a script would commit first.
                    await (await self._conn.execute(
                        f"PRAGMA user_version = {migration.version}")).close()
                    await self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
                log.info("applied migration %s", migration.name)
                applied.append(migration.name)
                current = migration.version
        return applied

    @asynccontextmanager
    async def read(self) -> AsyncIterator[OneTrip]:
        """A connection that sees every committed write, never one in progress."""
        if not self._reader_list:
            async with self._lock:
                yield self._writer
            return
        conn = await self._readers.get()
        try:
            yield conn
        finally:
            self._readers.put_nowait(conn)

    @asynccontextmanager
    async def transaction(
        self, *, wait: float | None = None, guild: int | None = None
    ) -> AsyncIterator[OneTrip]:
        """All-or-nothing: any exception rolls back every statement made inside.

        A lock held by another process past the busy timeout becomes DatabaseBusy, a
        refusal the user can read, never a raw OperationalError. Every write of the process
        is serialised here, so `guild` needs nothing more. With `wait`, a write that
        cannot start within that many seconds (another server's long import holds the
        writer) is refused the same way, so a command still answers within Discord's three
        seconds; background work waits as long as it takes. What is left of `wait` once the
        writer is free also bounds SQLite's own wait for another process's lock (a CLI
        import): with the full busy timeout, a command behind an import answered only after
        2 + 5 seconds, when Discord had long dropped it.
        """
        loop = asyncio.get_running_loop()
        began = loop.time()
        if wait is None:
            await self._lock.acquire()
        else:
            try:
                await asyncio.wait_for(self._lock.acquire(), wait)
            except TimeoutError:
                raise DatabaseBusy(BUSY) from None
        try:
            busy_ms = self._busy_ms
            if wait is not None:
                left = wait - (loop.time() - began)
                busy_ms = max(0, min(busy_ms, int(left * 1000)))
            async with self._transaction(busy_ms) as conn:
                yield conn
        finally:
            self._lock.release()

    @asynccontextmanager
    async def _transaction(self, busy_ms: int) -> AsyncIterator[OneTrip]:
        """One transaction on the writer, waiting at most `busy_ms` for another process's
        lock; the caller holds the lock."""
        conn = self._writer
        if busy_ms != self._busy_now:
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            self._busy_now = busy_ms
        try:
            await conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise DatabaseBusy(BUSY) from None
            raise
        try:
            yield conn
        except BaseException as exc:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise DatabaseBusy(BUSY) from None
            raise
        else:
            try:
                await conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                if _is_busy(exc):
                    raise DatabaseBusy(BUSY) from None
                raise

    async def integrity_check(self) -> list[str]:
        async with self.read() as conn, conn.execute("PRAGMA integrity_check") as cur:
            return [str(row[0]) for row in await cur.fetchall()]

    async def foreign_key_check(self) -> int:
        async with self.read() as conn, conn.execute("PRAGMA foreign_key_check") as cur:
            return len(list(await cur.fetchall()))

    async def backup(self, target: str | Path) -> None:
        """A consistent copy through SQLite's online backup, safe while the bot runs."""
        target_path = Path(target)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = await aiosqlite.connect(str(target_path))
            try:
                await self._conn.backup(dest)
            finally:
                await dest.close()


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
