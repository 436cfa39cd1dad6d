"""The PostgreSQL migrations (bot/stores/migrations/postgresql): after each file the schema is
the one SQLite's file of the same number leaves, the search index holds the same words as
SQLite's, and the upgrade's data steps (numbers, counters, deliveries, periods, countries,
the rebuilt index) leave the same rows."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.stores.database import Database, bundled_migrations, migration_step
from bot.stores.dialect import POSTGRES
from bot.stores.postgres import Connection
from tests import pgserver
from tests.conftest import GUILD, OTHER_GUILD

try:
    import asyncpg
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip("asyncpg is not installed: the PostgreSQL schema tests need it",
                allow_module_level=True)
if pgserver.find_bin() is None:  # pragma: no cover - depends on the machine
    pytest.skip("PostgreSQL (initdb and pg_ctl) was not found: the PostgreSQL schema tests "
                "were skipped", allow_module_level=True)

PG_MIGRATIONS = Path(__file__).resolve().parents[2] / "bot" / "stores" / "migrations" / "postgresql"
THIRD_GUILD = 333_333_333_333_333_333
NOW = "2025-09-12T09:00:00+00:00"

# The FTS5 table and its shadow tables have no PostgreSQL twin of the same shape; the search
# index is compared on its own.
_FTS = re.compile(r"^search_index(_.*)?$")
_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
            "d": "SET DEFAULT"}
_TYPES = {"INTEGER": "bigint", "TEXT": "text"}


def pg_files() -> list[Path]:
    return sorted(PG_MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))


@pytest.fixture(scope="module")
def cluster() -> Iterator[pgserver.Cluster]:
    found = pgserver.start()
    try:
        yield found
    finally:
        found.stop()


@pytest.fixture
async def pg(cluster: pgserver.Cluster) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a fresh, empty database of its own."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(cluster.url())
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        conn = await asyncpg.connect(cluster.url(name))
        try:
            yield conn
        finally:
            await conn.close()
        await admin.execute(f"DROP DATABASE {name}")
    finally:
        await admin.close()


async def pg_migrate(conn: asyncpg.Connection, files: Sequence[Path]) -> None:
    """The files in order, each with the store's step after it (as the store applies them)."""
    for path in files:
        step = migration_step(int(path.name[:4]))
        async with conn.transaction():
            await conn.execute(path.read_text("utf-8"))
            if step is not None:
                await step(_PgOnly(), Connection(conn))


class _PgOnly:
    """What a migration step needs of the database: its dialect (it writes on the
    migration's own connection)."""

    dialect = POSTGRES


async def sqlite_upgrade(path: Path) -> None:
    """The pending SQLite migrations, with their steps, as the store applies them at open."""
    db = await Database.open(path, readers=0)
    await db.close()


def sqlite_migrate(conn: sqlite3.Connection, first: int, last: int) -> None:
    """SQLite migrations first..last (1-based, inclusive), their SQL only: a step the store
    runs after a file (migration_steps) needs the store, see sqlite_upgrade."""
    for migration in bundled_migrations()[first - 1:last]:
        conn.executescript(f"BEGIN;\n{migration.sql}\nPRAGMA user_version = "
                           f"{migration.version};\nCOMMIT;")


def _dollars(sql: str) -> str:
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return re.sub(r"\?", number, sql)


Rows = list[tuple[Any, ...]]


class Both:
    """The same statement run on a SQLite connection and a PostgreSQL one."""

    def __init__(self, lite: sqlite3.Connection, pg: asyncpg.Connection) -> None:
        self.lite = lite
        self.pg = pg

    async def run(self, sql: str, *params: Any) -> None:
        self.lite.execute(sql, params)
        self.lite.commit()
        await self.pg.execute(_dollars(sql), *params)

    async def rows(self, sqlite_sql: str, pg_sql: str | None = None) -> tuple[Rows, Rows]:
        lite = [tuple(r) for r in self.lite.execute(sqlite_sql).fetchall()]
        pg = [tuple(r) for r in await self.pg.fetch(pg_sql or sqlite_sql)]
        return lite, pg


# --- the schema, as each backend describes it -------------------------------------------------

Shape = dict[str, dict[str, Any]]


def sqlite_shape(conn: sqlite3.Connection) -> Shape:
    shape: Shape = {}
    tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    for table, sql in tables:
        if _FTS.match(table):
            continue
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        pk = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        columns = []
        for _cid, name, type_, notnull, default, pk_pos in info:
            identity = name == "id" and pk == ["id"] and type_.upper() == "INTEGER"
            columns.append((name, _TYPES.get(type_.upper(), type_), bool(notnull or pk_pos),
                            default, identity))
        uniques, indexes = [], {}
        for _seq, index, unique, origin, _partial in conn.execute(
                f"PRAGMA index_list({table})").fetchall():
            keys = []
            for row in conn.execute(f"PRAGMA index_xinfo({index})").fetchall():
                _seqno, _col, name, _desc, coll, key = row
                if not key:
                    continue
                if coll.upper() == "NOCASE":
                    keys.append(f"lower({name})")
                elif coll.upper() == "BINARY":
                    keys.append(name)
                else:
                    keys.append(f"{name} COLLATE {coll}")
            if origin == "u":
                uniques.append(tuple(keys))
            elif origin == "c":
                indexes[index] = (bool(unique), tuple(keys))
        fks: dict[int, list[Any]] = {}
        for fk_id, _seq, target, src, dst, on_update, on_delete, _match in conn.execute(
                f"PRAGMA foreign_key_list({table})").fetchall():
            entry = fks.setdefault(fk_id, [[], target, [], on_delete, on_update])
            entry[0].append(src)
            entry[2].append(dst)
        triggers = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (table,)).fetchall()]
        shape[table] = {
            "columns": columns,
            "primary key": tuple(pk),
            "unique constraints": sorted(uniques),
            "indexes": indexes,
            "foreign keys": sorted((tuple(a), t, tuple(b), d, u) for a, t, b, d, u in fks.values()),
            "checks": len(re.findall(r"\bCHECK\s*\(", sql, flags=re.IGNORECASE)),
            "triggers": sorted(triggers),
        }
    return shape


def _pg_default(default: str | None) -> str | None:
    if default is None:
        return None
    return re.sub(r"::(text|bigint|integer)$", "", default)


async def pg_shape(conn: asyncpg.Connection) -> Shape:
    shape: Shape = {}
    tables = await conn.fetch("SELECT c.oid, c.relname FROM pg_class c"
                              " WHERE c.relnamespace = current_schema()::regnamespace"
                              " AND c.relkind = 'r' ORDER BY c.relname")
    for oid, table in tables:
        if _FTS.match(table):
            continue
        columns = [(r["column_name"], r["data_type"], r["is_nullable"] == "NO",
                    _pg_default(r["column_default"]), r["is_identity"] == "YES")
                   for r in await conn.fetch(
                       "SELECT column_name, data_type, is_nullable, column_default, is_identity"
                       " FROM information_schema.columns WHERE table_schema = current_schema()"
                       " AND table_name = $1 ORDER BY ordinal_position", table)]

        async def names(attnums: Sequence[int], rel: int) -> tuple[str, ...]:
            found = []
            for attnum in attnums:
                found.append(await conn.fetchval(
                    "SELECT attname FROM pg_attribute WHERE attrelid = $1 AND attnum = $2",
                    rel, attnum))
            return tuple(found)

        constraints = await conn.fetch(
            "SELECT contype::text, conkey, confrelid, confrelid::regclass::text AS target,"
            " confkey, confdeltype::text, confupdtype::text FROM pg_constraint"
            " WHERE conrelid = $1", oid)
        pk: tuple[str, ...] = ()
        uniques, fks, checks = [], [], 0
        for con in constraints:
            if con["contype"] == "p":
                pk = await names(con["conkey"], oid)
            elif con["contype"] == "u":
                uniques.append(await names(con["conkey"], oid))
            elif con["contype"] == "f":
                fks.append((await names(con["conkey"], oid), con["target"],
                            await names(con["confkey"], con["confrelid"]),
                            _ACTIONS[con["confdeltype"]], _ACTIONS[con["confupdtype"]]))
            elif con["contype"] == "c":
                checks += 1
        indexes = {}
        for row in await conn.fetch(
                "SELECT c.relname, i.indisunique, i.indnkeyatts, i.indexrelid FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
                " AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))", oid):
            keys = tuple([await conn.fetchval("SELECT pg_get_indexdef($1, $2, true)",
                                              row["indexrelid"], k)
                          for k in range(1, row["indnkeyatts"] + 1)])
            indexes[row["relname"]] = (row["indisunique"], keys)
        triggers = [r[0] for r in await conn.fetch(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = $1 AND NOT tgisinternal", oid)]
        shape[table] = {
            "columns": columns,
            "primary key": pk,
            "unique constraints": sorted(uniques),
            "indexes": indexes,
            "foreign keys": sorted(fks),
            "checks": checks,
            "triggers": sorted(triggers),
        }
    return shape


def differences(lite: Shape, pg: Shape) -> list[str]:
    """What differs, one readable line (or block) per difference."""
    out = []
    for table in sorted(set(lite) - set(pg)):
        out.append(f"table {table}: in SQLite only")
    for table in sorted(set(pg) - set(lite)):
        out.append(f"table {table}: in PostgreSQL only")
    for table in sorted(set(lite) & set(pg)):
        a, b = lite[table], pg[table]
        names_a = [c[0] for c in a["columns"]]
        names_b = [c[0] for c in b["columns"]]
        if names_a != names_b:
            out.append(f"{table}: columns\n    SQLite:     {names_a}\n"
                       f"    PostgreSQL: {names_b}")
        else:
            fields = ("type", "NOT NULL", "default", "identity")
            for col_a, col_b in zip(a["columns"], b["columns"], strict=True):
                for label, x, y in zip(fields, col_a[1:], col_b[1:], strict=True):
                    if x != y:
                        out.append(f"{table}.{col_a[0]}: {label} is {x!r} in SQLite, "
                                   f"{y!r} in PostgreSQL")
        for key in ("primary key", "unique constraints", "foreign keys", "checks", "triggers"):
            if a[key] != b[key]:
                out.append(f"{table}: {key}\n    SQLite:     {a[key]}\n"
                           f"    PostgreSQL: {b[key]}")
        for index in sorted(set(a["indexes"]) | set(b["indexes"])):
            x, y = a["indexes"].get(index), b["indexes"].get(index)
            if x != y:
                out.append(f"{table}: index {index} is {x} in SQLite, {y} in PostgreSQL")
    return out


async def check_search_index_shape(lite: sqlite3.Connection, pg: asyncpg.Connection,
                                   version: int) -> None:
    lite_columns = [r[1] for r in lite.execute("PRAGMA table_info(search_index)").fetchall()]
    pg_columns = [r[0] for r in await pg.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = 'search_index' ORDER BY ordinal_position")]
    assert pg_columns == ["row_key", "guild_id", "record_type", "record_id", "title", "body",
                          "doc"]
    # SQLite's rowid is row_key here; its `scope` tokens are the guild_id and record_type
    # columns; doc is what PostgreSQL searches.
    assert [c for c in lite_columns if c != "scope"] == pg_columns[1:-1]
    indexes = {r[0]: r[1] for r in await pg.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_index'")}
    # From 0012 the server is the word index's first column, so a search reads only its own.
    words = "gin (guild_id, doc)" if version >= 12 else "gin (doc)"
    assert f"USING {words}" in indexes["search_index_words"]
    assert "(guild_id, record_type, row_key)" in indexes["search_index_scope"]


async def test_each_file_leaves_the_schema_sqlite_leaves(pg: asyncpg.Connection,
                                                          tmp_path: Path) -> None:
    files = pg_files()
    assert [f.name for f in files] == [m.name for m in bundled_migrations()]
    lite = sqlite3.connect(tmp_path / "steps.db")
    try:
        problems = []
        for version, path in enumerate(files, start=1):
            sqlite_migrate(lite, version, version)
            await pg_migrate(pg, [path])
            problems += [f"after {path.name}: {d}"
                         for d in differences(sqlite_shape(lite), await pg_shape(pg))]
            if version >= 2:
                await check_search_index_shape(lite, pg, version)
        assert not problems, "\n".join(problems)
    finally:
        lite.close()
    # And the database the store itself opens, all migrations applied.
    db = await Database.open(tmp_path / "attache.db")
    await db.close()
    final = sqlite3.connect(tmp_path / "attache.db")
    try:
        assert final.execute("PRAGMA user_version").fetchone()[0] == len(files)
        problems = differences(sqlite_shape(final), await pg_shape(pg))
        assert not problems, "\n".join(problems)
        # The store keeps the search index itself (0010): no trigger, no trigger function.
        assert final.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                             ).fetchall() == []
        assert await pg.fetch("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal") == []
        assert await pg.fetch("SELECT proname FROM pg_proc WHERE prorettype = 'trigger'::regtype"
                              " AND pronamespace = current_schema()::regnamespace") == []
    finally:
        final.close()


# --- the search index's words -------------------------------------------------------------------

SEARCH_SQLITE = ("SELECT rowid, guild_id, record_type, record_id, title, body FROM search_index"
                 " ORDER BY rowid")
SEARCH_PG = ("SELECT row_key, guild_id, record_type, record_id, title, body FROM search_index"
             " ORDER BY row_key")


@pytest.fixture
async def pg_url(cluster: pgserver.Cluster) -> AsyncIterator[str]:
    """The address of a fresh, empty database of its own, for a store to open."""
    async with cluster.empty_database() as url:
        yield url


WORDS = "SELECT guild_id, record_type, word, number FROM record_words ORDER BY 1, 2, 3, 4"


async def _same_index(both: Both) -> list[tuple[Any, ...]]:
    lite, pg = await both.rows(SEARCH_SQLITE, SEARCH_PG)
    assert pg == lite
    return pg


async def _rows(db: Database, sql: str) -> Rows:
    async with db.read() as conn, conn.execute(sql) as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def _same_rows(lite: Database, pg: Database) -> Rows:
    """The search rows and words of both stores, which must be the same."""
    index = await _rows(lite, SEARCH_SQLITE)
    assert await _rows(pg, SEARCH_PG) == index
    assert await _rows(pg, WORDS) == await _rows(lite, WORDS)
    return index


async def test_both_stores_write_the_same_search_rows(
    pg_url: str, tmp_path: Path, sample_data: dict[str, Any],
) -> None:
    from bot.domain.fuzzydate import FuzzyDate
    from bot.domain.records import Meeting, MeetingKind, Person, RecordType
    from bot.services.factory import build_services
    from bot.services.interchange import import_data
    from tests.conftest import FixedClock

    clock = FixedClock(datetime(2025, 9, 12, 9, 0, tzinfo=UTC))
    lite, pg = await Database.open(tmp_path / "attache.db"), await Database.open(pg_url)
    try:
        stores = [build_services(db, clock) for db in (lite, pg)]
        for services in stores:
            await import_data(services.changes, GUILD, sample_data, actor_id=None)
            await services.records.add(OTHER_GUILD, Meeting(
                title="Working group", kind=MeetingKind.OTHER, date=FuzzyDate.from_value(
                    "2025-10", "month"), topics=["trade", "energy"]), actor_id=None)
        rows = await _same_rows(lite, pg)
        assert {r[2] for r in rows} == {t.value for t in RecordType}
        visit = next(r for r in rows if r[2] == "visit" and "Tokayev" in r[5])
        assert visit[4] == "President of Kazakhstan Kazakhstan Pakistan"
        # PostgreSQL finds them through its own tsvector, the title weighted A.
        async with pg.read() as conn, conn.execute(
            "SELECT record_type FROM search_index WHERE guild_id = ? AND doc @@"
            " to_tsquery('attache_words', 'tokayev:A') ORDER BY row_key", (GUILD,),
        ) as cur:
            assert [r[0] for r in await cur.fetchall()] == ["person"]

        # A rename reaches the visits the person makes; an edit and a delete their rows.
        for services in stores:
            records = services.records
            person = await records.get_by_uid(GUILD, RecordType.PERSON, "kassym-jomart-tokayev")
            assert isinstance(person, Person)
            await records.update(GUILD, replace(person, name="K. Tokayev"), actor_id=None)
            meeting = await records.require(GUILD, RecordType.MEETING, 1)
            await records.update(GUILD, replace(meeting, topics=["uzbek railways"]),
                                 actor_id=None)
            await records.delete(GUILD, RecordType.PLAN, 2, actor_id=None)
        rows = await _same_rows(lite, pg)
        visit = next(r for r in rows if r[0] == visit[0])
        assert "K. Tokayev President" in visit[5] and "Kassym" not in visit[5]
        assert any(r[2] == "meeting" and r[3] == 1 and r[5].endswith("uzbek railways")
                   for r in rows)
        assert not any(r[2] == "plan" and r[3] == 2 for r in rows)
    finally:
        await lite.close()
        await pg.close()


async def _version_9_rows(both: Both) -> None:
    """Records as a version-9 store holds them (its triggers index them).
    Person 10 is the visitor of visit 12; meeting 15 is another server's."""
    await both.run("INSERT INTO people (id, guild_id, uid, number, name, title, country, notes,"
                   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   10, GUILD, "p-1", 1, "Kassym-Jomart Tokayev", "President", "Kazakhstan",
                   "Élysée, Ak Orda", NOW, NOW)
    await both.run("INSERT INTO sources (id, guild_id, uid, number, title, summary, body,"
                   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   11, GUILD, "s-1", 1, "Pakistan, Kazakhstan sign action plan",
                   "Talks in Islamabad", "The two sides signed an action plan.", NOW, NOW)
    visit = ("INSERT INTO visits (id, guild_id, uid, number, visitor_id, visitor_role,"
             " from_country, to_country, date_value, date_precision, date_start, date_end,"
             " status, place, purpose, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?,"
             " 'Kazakhstan', 'Pakistan', '2025-11', 'month', '2025-11-01', '2025-12-01',"
             " 'planned', ?, ?, ?, ?, ?)")
    await both.run(visit, 12, GUILD, "v-1", 1, 10, "President", "Islamabad", "State visit",
                   "expected in November", NOW, NOW)
    await both.run(visit, 13, GUILD, "v-2", 2, None, "", "", "", "", NOW, NOW)
    meeting = ("INSERT INTO meetings (id, guild_id, uid, number, title, kind, date_value,"
               " date_precision, date_start, date_end, place, countries, topics, summary,"
               " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'delegation_level_talks',"
               " '2025-09-10', 'day', '2025-09-10', '2025-09-11', ?, ?, ?, ?, ?, ?)")
    await both.run(meeting, 14, GUILD, "m-1", 1, "Delegation-level talks", "Islamabad",
                   '["Kazakhstan", "Pakistan"]', "[]", "Joint working groups", NOW, NOW)
    await both.run(meeting, 15, OTHER_GUILD, "m-2", 1, "Working group", "",
                   "[]", '["trade","energy", null]', "", NOW, NOW)
    await both.run("INSERT INTO plans (id, guild_id, uid, number, title, kind, status, place,"
                   " parties, fields, summary, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, 'action_plan', 'signed', ?, ?, ?, ?, ?, ?)",
                   16, GUILD, "a-1", 1, "Action plan 2025-2027", "Islamabad",
                   '["Pakistan","Kazakhstan"]', '["trade", "transport"]', "Signed", NOW, NOW)
    await both.run("INSERT INTO followups (id, guild_id, uid, number, what, status, owner,"
                   " owner_name, notes, person_id, created_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, 'open', 'member:7', ?, ?, ?, ?, ?)",
                   17, GUILD, "f-1", 1, "Finalise the MoUs", "Desk officer", "", 10, NOW, NOW)


async def test_upgrading_a_populated_version_9_keeps_search_working(
    pg_url: str, tmp_path: Path,
) -> None:
    from bot.domain.records import RecordType
    from bot.stores.records import RecordStore
    from tests.conftest import FixedClock

    files = pg_files()
    lite = sqlite3.connect(tmp_path / "nine.db")
    raw = await asyncpg.connect(pg_url)
    try:
        sqlite_migrate(lite, 1, 9)
        await pg_migrate(raw, files[:9])
        await _version_9_rows(Both(lite, raw))
        before = [r[:4] for r in await _same_index(Both(lite, raw))]
        lite.close()
        await sqlite_upgrade(tmp_path / "nine.db")
        await pg_migrate(raw, files[9:])
        # The same records are indexed, now by the store, on both backends alike.
        lite = sqlite3.connect(tmp_path / "nine.db")
        assert [r[:4] for r in await _same_index(Both(lite, raw))] == before
    finally:
        lite.close()
        await raw.close()
    clock = FixedClock(datetime(2025, 9, 12, 9, 0, tzinfo=UTC))
    for db in (await Database.open(tmp_path / "nine.db"),
               await Database.open(pg_url, migrate=False)):
        try:
            store = RecordStore(db, clock)
            hits = await store.search(GUILD, "Tokayev")
            assert {(h.record_type.value, h.record_id) for h in hits} == {
                ("person", 1), ("visit", 1)}
            assert [h.record_id for h in await store.search(GUILD, "Islamabad",
                                                            [RecordType.PLAN])] == [1]
            assert [v.id for v in await store.suggest(GUILD, RecordType.VISIT, "tokay")] == [1]
            assert [m.id for m in await store.suggest(GUILD, RecordType.MEETING, "deleg")] == [1]
            assert await store.suggest(OTHER_GUILD, RecordType.MEETING, "deleg") == []
            assert [m.id for m in await store.suggest(OTHER_GUILD, RecordType.MEETING,
                                                      "work")] == [1]
            # Written by the store from here on: an edit is found, the old words are not.
            meeting = await store.require(GUILD, RecordType.MEETING, 1)
            await store.update(GUILD, replace(meeting, title="Caspian talks"), actor_id=None)
            assert await store.suggest(GUILD, RecordType.MEETING, "deleg") == []
            assert [m.id for m in await store.suggest(GUILD, RecordType.MEETING, "casp")] == [1]
        finally:
            await db.close()


# --- upgrading a populated version-4 database ---------------------------------------------------

async def _version_4_rows(both: Both) -> None:
    """As tests/store/test_numbers.py's _version_4, and a few more kinds of row: one row-id
    sequence for every server, a deleted visit #5 only the audit log remembers."""
    await both.run("INSERT INTO guild_settings (guild_id, timezone, reminder_channel_id)"
                   " VALUES (?, 'Asia/Karachi', 42)", GUILD)
    await both.run("INSERT INTO sources (id, guild_id, uid, title, summary, created_at,"
                   " updated_at) VALUES (1, ?, 's-1', 'Action plan signed', 'In Islamabad',"
                   " ?, ?)", GUILD, NOW, NOW)
    person = ("INSERT INTO people (id, guild_id, uid, name, title, country, created_at,"
              " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    await both.run(person, 3, GUILD, "p-3", "Shehbaz Sharif", "Prime Minister", "Pakistan",
                   NOW, NOW)
    await both.run(person, 8, OTHER_GUILD, "p-8", "A. Envoy", "", "", NOW, NOW)
    visit = ("INSERT INTO visits (id, guild_id, uid, visitor_id, visitor_role, from_country,"
             " to_country, date_value, date_precision, date_start, date_end, end_value,"
             " end_precision, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'President',"
             " 'Kazakhstan', 'Pakistan', '2025-12-01', 'day', '2025-12-01', '2025-12-02', ?, ?,"
             " 'planned', ?, ?)")
    await both.run(visit, 1, GUILD, "v-a1", None, "2025-12-03", "day", NOW, NOW)
    await both.run(visit, 2, OTHER_GUILD, "v-b2", None, "2026-01", "month", NOW, NOW)
    await both.run(visit, 4, GUILD, "v-a4", 3, None, None, NOW, NOW)
    await both.run(visit, 6, THIRD_GUILD, "v-c6", None, "2025-Q4", "quarter", NOW, NOW)
    await both.run(visit, 7, THIRD_GUILD, "v-c7", None, "2026", "year", NOW, NOW)
    await both.run(visit, 9, THIRD_GUILD, "v-c9", None, "2025-12-31T18:00:00+05:00", "day",
                   NOW, NOW)
    # An end inside the start's period leaves date_end as it was.
    await both.run(visit, 10, THIRD_GUILD, "v-c10", None, "2025-11-30", "day", NOW, NOW)
    await both.run("INSERT INTO meetings (id, guild_id, uid, title, kind, date_value,"
                   " date_precision, date_start, date_end, countries, topics, created_at,"
                   " updated_at) VALUES (2, ?, 'm-2', 'Talks', 'talks', '2025-09-10', 'day',"
                   " '2025-09-10', '2025-09-11', '[\"Kazakhstan\",\"Pakistan\"]', '[\"trade\"]',"
                   " ?, ?)", GUILD, NOW, NOW)
    await both.run("INSERT INTO plans (id, guild_id, uid, title, kind, status, parties, fields,"
                   " meeting_id, created_at, updated_at) VALUES (5, ?, 'a-5', 'Action plan',"
                   " 'action plan', 'signed', '[\"Pakistan\", \"Kazakhstan\"]', '[]', 2, ?, ?)",
                   GUILD, NOW, NOW)
    await both.run("INSERT INTO meeting_participants (meeting_id, position, person_id)"
                   " VALUES (2, 0, 3)")
    await both.run("INSERT INTO plan_signatories (plan_id, position, person_id, on_behalf_of)"
                   " VALUES (5, 0, 3, 'Pakistan')")
    audit = ("INSERT INTO audit_log (guild_id, actor_id, action, record_type, record_id,"
             " record_uid, before_json, after_json, at) VALUES (?, 7, ?, ?, ?, ?, NULL, ?, ?)")
    for guild, action, kind, number, uid in (
            (GUILD, "create", "visit", 1, "v-a1"), (OTHER_GUILD, "create", "visit", 2, "v-b2"),
            (GUILD, "create", "visit", 4, "v-a4"), (GUILD, "create", "visit", 5, "v-a5"),
            (GUILD, "delete", "visit", 5, "v-a5"), (OTHER_GUILD, "delete", "plan", 9, "a-9")):
        await both.run(audit, guild, action, kind, number, uid, '{"uid": "x"}', NOW)
    delivery = ("INSERT INTO deliveries (guild_id, visit_id, kind, lead, computed_for, due_at,"
                " status, created_at, updated_at) VALUES (?, ?, ?, ?, '2025-12-01', ?, ?, ?, ?)")
    await both.run(delivery, GUILD, 4, "lead", "1d", "2025-11-30T09:00:00+00:00", "planned",
                   NOW, NOW)
    await both.run(delivery, GUILD, 1, "notice", "notice", "2025-09-12T09:00:00+00:00", "sent",
                   NOW, NOW)
    await both.run(delivery, OTHER_GUILD, 2, "nudge", "month", "2025-11-01T09:00:00+00:00",
                   "planned", NOW, NOW)
    await both.run(delivery, GUILD, 4, "lead", "7d", "2025-11-24T09:00:00+00:00", "superseded",
                   NOW, NOW)
    # The newest delivery was deleted: SQLite hands its id out again, PostgreSQL never does.
    await both.run("DELETE FROM deliveries WHERE id = 4")
    await both.run("INSERT INTO visit_events (visit_id, guild_id, event_id) VALUES (2, ?, 99)",
                   OTHER_GUILD)
    await both.run("INSERT INTO visit_events (visit_id, guild_id, event_id) VALUES (1, ?, 98)",
                   GUILD)


async def _same_table(both: Both, table: str) -> list[tuple[Any, ...]]:
    lite, pg = await both.rows(f"SELECT * FROM {table}")
    lite.sort(key=repr)
    pg.sort(key=repr)
    assert pg == lite, table
    return pg


async def test_upgrading_a_populated_version_4_does_what_sqlite_does(
    pg: asyncpg.Connection, tmp_path: Path,
) -> None:
    files = pg_files()
    lite = sqlite3.connect(tmp_path / "old.db")
    both = Both(lite, pg)
    try:
        sqlite_migrate(lite, 1, 4)
        await pg_migrate(pg, files[:4])
        await _version_4_rows(both)
        lite.close()
        await sqlite_upgrade(tmp_path / "old.db")
        lite = both.lite = sqlite3.connect(tmp_path / "old.db")
        await pg_migrate(pg, files[4:])

        problems = differences(sqlite_shape(lite), await pg_shape(pg))
        assert not problems, "\n".join(problems)
        # Every row of every table is the same in both, the search index included.
        for table in sqlite_shape(lite):
            await _same_table(both, table)
        await _same_index(both)

        # Numbers are the old ids.
        for table in ("sources", "people", "visits", "meetings", "plans"):
            assert await pg.fetchval(f"SELECT count(*) FROM {table} WHERE number <> id") == 0
        # Counters start past every number each server has shown, deleted ones included.
        counters = {(r[0], r[1]): r[2] for r in await pg.fetch(
            "SELECT guild_id, record_type, last FROM record_numbers")}
        assert counters == {
            (GUILD, "visit"): 5, (OTHER_GUILD, "visit"): 2, (THIRD_GUILD, "visit"): 10,
            (GUILD, "person"): 3, (OTHER_GUILD, "person"): 8, (GUILD, "source"): 1,
            (GUILD, "meeting"): 2, (GUILD, "plan"): 5, (OTHER_GUILD, "plan"): 9}
        # Deliveries are keyed by record type and number, with the basis they were planned on.
        deliveries = await pg.fetch("SELECT id, guild_id, record_type, record_id, kind, lead,"
                                    " basis FROM deliveries ORDER BY id")
        assert [tuple(r) for r in deliveries] == [
            (1, GUILD, "visit", 4, "lead", "1d", "2025-11-30T09:00:00+00:00"),
            (2, GUILD, "visit", 1, "notice", "notice", ""),
            (3, OTHER_GUILD, "visit", 2, "nudge", "month", "2025-11-01T09:00:00+00:00")]
        # Event links are per server and visit number.
        events = await pg.fetch("SELECT guild_id, visit_id, event_id FROM visit_events"
                                " ORDER BY guild_id")
        assert [tuple(r) for r in events] == [(GUILD, 1, 98), (OTHER_GUILD, 2, 99)]
        # A visit's period runs to the end of its last day.
        ends = {r[0]: r[1] for r in await pg.fetch("SELECT id, date_end FROM visits")}
        assert ends == {1: "2025-12-04", 2: "2026-02-01", 4: "2025-12-02", 6: "2026-01-01",
                        7: "2027-01-01", 9: "2026-01-01", 10: "2025-12-02"}
        # Each record's countries, one row each.
        countries = await pg.fetch("SELECT record_type, country, row_id FROM record_countries"
                                   " ORDER BY record_type, row_id, country")
        assert ("meeting", "Kazakhstan", 2) in [tuple(r) for r in countries]
        assert ("person", "", 8) not in [tuple(r) for r in countries]
        # The index, written again by the store, names records by number, a visit with its
        # visitor's name, and so do the words it answers to.
        assert await pg.fetchval("SELECT count(*) FROM search_index WHERE record_type = 'visit'"
                                 " AND record_id <> (row_key - 3) / 8") == 0
        rows = {r[0]: r for r in await _same_index(both)}
        assert rows[4 * 8 + 3][5].endswith("Shehbaz Sharif Prime Minister")
        words = await both.rows("SELECT record_type, number FROM record_words"
                                " WHERE word = 'sharif' ORDER BY 1, 2")
        assert words[0] == words[1] == [("person", 3), ("visit", 4)]
        # The rebuilt deliveries table goes on past every id it ever handed out (SQLite, past
        # the highest id left).
        new = ("INSERT INTO deliveries (guild_id, record_id, kind, lead, computed_for, basis,"
               " due_at, created_at, updated_at) VALUES (1, 1, 'digest', 'weekly', '2025-09-15',"
               " '', '2025-09-15T08:00:00+00:00', 'x', 'x') RETURNING id")
        assert lite.execute(new).fetchone()[0] == 4
        assert await pg.fetchval(new) == 5
    finally:
        lite.close()


# --- the checks and the JSON helpers ------------------------------------------------------------

# (table, columns of a valid row, its values, the checked column, a value its CHECK refuses)
_CHECKED = [
    ("guild_settings", "guild_id", (1,), "day_first", 2, 1),
    ("guild_settings", "guild_id", (2,), "reminders_paused", -1, 0),
    ("guild_settings", "guild_id", (3,), "events_enabled", 5, 1),
    ("meetings", "guild_id, uid, title, kind, date_value, date_precision, date_start, date_end,"
     " created_at, updated_at", (1, "m", "t", "talks", "2025", "year", "2025-01-01",
                                 "2026-01-01", NOW, NOW), "countries", "[not json", '["Pakistan"]'),
    ("meetings", "guild_id, uid, title, kind, date_value, date_precision, date_start, date_end,"
     " created_at, updated_at", (2, "m2", "t", "talks", "2025", "year", "2025-01-01",
                                 "2026-01-01", NOW, NOW), "topics", "{'a': 1}", '{"a": 1}'),
    ("plans", "guild_id, uid, title, kind, status, created_at, updated_at",
     (1, "a", "t", "plan", "signed", NOW, NOW), "parties", "['Pakistan']", '["Pakistan"]'),
    ("plans", "guild_id, uid, title, kind, status, created_at, updated_at",
     (2, "a2", "t", "plan", "signed", NOW, NOW), "fields", "", '[]'),
    ("audit_log", "guild_id, action, record_type, record_id, record_uid, at",
     (1, "create", "visit", 1, "v", NOW), "before_json", "{", '{}'),
    ("audit_log", "guild_id, action, record_type, record_id, record_uid, at",
     (1, "create", "visit", 2, "v", NOW), "after_json", "nope", 'null'),
    ("deliveries", "guild_id, record_id, lead, computed_for, basis, due_at, created_at,"
     " updated_at", (1, 1, "1d", "x", "", "y", NOW, NOW), "kind", "lead ", 'lead'),
    ("deliveries", "guild_id, record_id, kind, lead, computed_for, basis, due_at, created_at,"
     " updated_at", (1, 2, "lead", "1d", "x", "", "y", NOW, NOW), "status", "lost", 'sent'),
    ("deliveries", "guild_id, record_id, kind, lead, computed_for, basis, due_at, created_at,"
     " updated_at", (1, 3, "lead", "1d", "x", "", "y", NOW, NOW), "late", 2, 1),
    ("digest_settings", "guild_id", (1,), "enabled", 2, 1),
    ("digest_settings", "guild_id", (2,), "weekday", 7, 6),
    ("digest_settings", "guild_id", (3,), "skip_empty", -1, 0),
]


async def test_every_check_refuses_what_sqlite_refuses(pg: asyncpg.Connection,
                                                       tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "attache.db")
    await db.close()
    await pg_migrate(pg, pg_files())
    lite = sqlite3.connect(tmp_path / "attache.db")
    try:
        checks = sum(len(re.findall(r"\bCHECK\s*\(", sql, flags=re.IGNORECASE)) for (sql,) in
                     lite.execute("SELECT sql FROM sqlite_master WHERE type = 'table'"
                                  " AND name NOT LIKE 'search_index%'").fetchall())
        assert checks == len(_CHECKED)  # every CHECK there is has a case here
        for table, columns, values, column, bad, ok in _CHECKED:
            marks = ", ".join("?" for _ in values)
            insert = f"INSERT INTO {table} ({columns}, {column}) VALUES ({marks}, ?)"
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                lite.execute(insert, (*values, bad))
            with pytest.raises(asyncpg.CheckViolationError):
                await pg.execute(_dollars(insert), *values, bad)
            lite.execute(insert, (*values, ok))
            await pg.execute(_dollars(insert), *values, ok)
        lite.commit()
        # A NULL document passes json_valid in both, as SQLite's CHECK lets NULL through.
        await pg.execute("INSERT INTO audit_log (guild_id, action, record_type, record_id,"
                         " record_uid, at, before_json) VALUES (1, 'x', 'visit', 3, 'v', 'x',"
                         " NULL)")
    finally:
        lite.close()


@pytest.mark.parametrize("doc", [
    '["Kazakhstan", "Pakistan"]', "[]", '["a", null, "b"]', '[1, 2.5, -3, true, false]',
    '{"k": "v", "a": 1, "k": "again"}', '"alone"', "7", "null", '["Côte d\'Ivoire", "\\u00e9"]',
])
async def test_json_words_are_sqlites_json_each_words(pg: asyncpg.Connection, doc: str) -> None:
    await pg_migrate(pg, pg_files()[:2])
    lite = sqlite3.connect(":memory:")
    try:
        expected = lite.execute("SELECT coalesce(group_concat(value, ' '), '')"
                                " FROM json_each(?)", (doc,)).fetchone()[0]
        values = [r[0] for r in lite.execute("SELECT value FROM json_each(?)", (doc,))]
    finally:
        lite.close()
    assert await pg.fetchval("SELECT json_words($1)", doc) == expected
    found = [r[0] for r in await pg.fetch("SELECT value FROM json_values($1) ORDER BY ord", doc)]
    assert found == [None if v is None else str(v) for v in values]


async def test_upgrading_to_version_11_copies_each_status_into_the_country_index(
    pg_url: str, tmp_path: Path,
) -> None:
    files = pg_files()
    lite = sqlite3.connect(tmp_path / "ten.db")
    raw = await asyncpg.connect(pg_url)
    try:
        sqlite_migrate(lite, 1, 10)
        await pg_migrate(raw, files[:10])
        both = Both(lite, raw)
        await both.run("INSERT INTO plans (id, guild_id, uid, number, title, kind, status,"
                       " place, parties, fields, summary, created_at, updated_at) VALUES"
                       " (?, ?, ?, ?, ?, 'action_plan', ?, '', '[]', '[]', '', ?, ?)",
                       21, GUILD, "a-1", 1, "Action plan", "signed", NOW, NOW)
        await both.run("INSERT INTO visits (id, guild_id, uid, number, visitor_role,"
                       " from_country, to_country, date_value, date_precision, date_start,"
                       " date_end, status, place, purpose, notes, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, '', 'Kazakhstan', 'Pakistan', '2025-11', 'month',"
                       " '2025-11-01', '2025-12-01', ?, '', '', '', ?, ?)",
                       22, GUILD, "v-1", 1, "postponed", NOW, NOW)
        rows = [(GUILD, "plan", "Pakistan", None, 21), (GUILD, "plan", "Kazakhstan", None, 21),
                (GUILD, "visit", "Kazakhstan", "2025-11-01", 22),
                (GUILD, "visit", "Pakistan", "2025-11-01", 22),
                (GUILD, "person", "Kazakhstan", None, 23)]
        for row in rows:
            await both.run("INSERT INTO record_countries (guild_id, record_type, country,"
                           " date_start, row_id) VALUES (?, ?, ?, ?, ?)", *row)
        lite.close()
        await sqlite_upgrade(tmp_path / "ten.db")
        await pg_migrate(raw, files[10:11])
        lite = sqlite3.connect(tmp_path / "ten.db")
        found = await Both(lite, raw).rows(
            "SELECT record_type, country, status FROM record_countries"
            " ORDER BY record_type, country")
        expected = [("person", "Kazakhstan", None), ("plan", "Kazakhstan", "signed"),
                    ("plan", "Pakistan", "signed"), ("visit", "Kazakhstan", "postponed"),
                    ("visit", "Pakistan", "postponed")]
        assert found == (expected, expected)
    finally:
        lite.close()
        await raw.close()


# --- 0012: the full-text index keyed by the server ------------------------------------------


async def test_upgrading_to_version_12_keys_the_search_index_by_server(pg_url: str) -> None:
    from bot.domain.fuzzydate import FuzzyDate
    from bot.domain.records import Meeting, MeetingKind, RecordType
    from bot.stores.records import RecordStore
    from tests.conftest import FixedClock

    files = pg_files()
    raw = await asyncpg.connect(pg_url)
    try:
        await pg_migrate(raw, files[:11])
        await raw.execute("CREATE TABLE attache_schema (version BIGINT NOT NULL);"
                          " INSERT INTO attache_schema VALUES (11)")
        # At version 11 the index holds the words alone: the server was filtered afterwards.
        assert "USING gin (doc)" in await raw.fetchval(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_index_words'")
    finally:
        await raw.close()
    clock = FixedClock(datetime(2025, 9, 12, 9, 0, tzinfo=UTC))
    db = await Database.open(pg_url, migrate=False)
    try:
        store = RecordStore(db, clock)
        made: dict[int, list[int]] = {}
        for guild, titles in ((GUILD, ["Energy corridor", "Energy talks", "Rail talks"]),
                              (OTHER_GUILD, ["Energy review"])):
            for title in titles:
                meeting = await store.add(guild, Meeting(
                    title=title, kind=MeetingKind.OTHER,
                    date=FuzzyDate.from_value("2025-10", "month")), actor_id=None)
                assert meeting.id is not None
                made.setdefault(guild, []).append(meeting.id)
    finally:
        await db.close()
    db = await Database.open(pg_url)  # migrates 11 -> 12 (and on)
    try:
        assert await db.schema_version() >= 12
        store = RecordStore(db, clock)
        assert {h.record_id for h in await store.search(GUILD, "energy")} == set(made[GUILD][:2])
        assert [h.record_id for h in await store.search(OTHER_GUILD, "energy")] == made[
            OTHER_GUILD]
        assert await store.search(OTHER_GUILD, "talks") == []
        assert [m.title for m in await store.suggest(GUILD, RecordType.MEETING, "rai")] == [
            "Rail talks"]
    finally:
        await db.close()
    raw = await asyncpg.connect(pg_url)
    try:
        index = await raw.fetchval(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_index_words'")
        assert "USING gin (guild_id, doc)" in index
        assert await raw.fetchval(
            "SELECT count(*) FROM pg_extension WHERE extname = 'btree_gin'") == 1
    finally:
        await raw.close()


async def test_the_databases_owner_needs_no_superuser_for_any_migration(
    cluster: pgserver.Cluster,
) -> None:
    """Every extension the migrations create (unaccent, btree_gin) is trusted: a database's
    owner without superuser rights migrates it from empty to the last version."""
    role = f"owner_{uuid.uuid4().hex[:8]}"
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(cluster.url())
    try:
        await admin.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        await admin.execute(f"CREATE DATABASE {name} OWNER {role}")
        url = f"postgresql://{role}@127.0.0.1:{cluster.port}/{name}"
        db = await Database.open(url)
        try:
            assert await db.schema_version() == len(pg_files())
        finally:
            await db.close()
        await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        await admin.execute(f"DROP ROLE {role}")
    finally:
        await admin.close()


async def test_every_pooled_connection_plans_each_run_for_its_own_values(pg_url: str) -> None:
    """A generic plan, kept for a prepared statement after five runs, is made for an average
    server; the store's connections plan every run for the server and words it is given."""
    db = await Database.open(pg_url)
    try:
        for _ in range(3):
            async with db.read() as conn, conn.execute("SHOW plan_cache_mode") as cur:
                row = await cur.fetchone()
            assert row is not None and row[0] == "force_custom_plan"
    finally:
        await db.close()
