"""Shared fixtures: a real database per test on each backend (a SQLite file, a PostgreSQL
database made from a migrated template), a fixed clock, and the sample data."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.services.changes import ChangePipeline
from bot.services.factory import Services, build_services
from bot.stores.database import Database
from bot.stores.records import RecordStore
from tests import pgserver

try:
    import asyncpg
except ImportError:  # the test extra installs it; without it the PostgreSQL half skips
    asyncpg = None

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "pakistan-kazakhstan-2025-09-10.json"

# The reference article is read where the project's shared folder keeps it, never copied into
# the repository (its sentences are not ours); tests that need it skip without it.
SEED = ROOT.parent / "shared" / "seeds" / "pakistan-kazakhstan-2025-09-10.txt"


def reference_article() -> str:
    if not SEED.exists():
        pytest.skip("the reference article is not beside this checkout (../shared/seeds)")
    return SEED.read_text("utf-8")


GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222


class FixedClock:
    """A clock the test moves by hand; nothing ever sleeps."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 9, 12, 9, 0, tzinfo=UTC))


BACKENDS = ("sqlite", "postgresql")
TEMPLATE = "attache_template"
_databases = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgserver.Cluster]:
    """One throwaway PostgreSQL cluster for the whole run, started on first use.

    Where PostgreSQL is not installed the PostgreSQL half of the suite is skipped, saying
    so, except in CI (CI=true), where a missing server fails the run instead.
    """
    missing = None
    if asyncpg is None:
        missing = "asyncpg is not installed (pip install -e '.[test]')"
    elif pgserver.find_bin() is None:
        missing = "PostgreSQL's initdb and pg_ctl were not found (Debian: apt install postgresql)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs every test on PostgreSQL too, but {missing}.")
        pytest.skip(f"PostgreSQL tests skipped: {missing}")
    cluster = pgserver.start()
    try:
        # Requested from inside a test's event loop, so the template is made in a thread.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _make_template(cluster)).result()
        yield cluster
    finally:
        cluster.stop()


async def _make_template(cluster: pgserver.Cluster) -> None:
    """A database with every migration applied, copied for each test (much faster than
    migrating each one)."""
    conn = await asyncpg.connect(cluster.url())
    try:
        await conn.execute(f"CREATE DATABASE {TEMPLATE}")
    finally:
        await conn.close()
    database = await Database.open(cluster.url(TEMPLATE))
    await database.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_target(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """Where the test's database lives: a fresh SQLite file, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield str(tmp_path / "attache.db")
        return
    cluster: pgserver.Cluster = request.getfixturevalue("pg_cluster")
    name = _free.pop() if _free else await _new_database(cluster)
    yield cluster.url(name)
    if await _emptied(cluster, name):
        _free.append(name)


# Databases emptied after a test, ready for the next: emptying one (about 50 ms) is a third
# of what copying the template costs, and the PostgreSQL half of the suite makes thousands.
_free: list[str] = []


async def _new_database(cluster: pgserver.Cluster) -> str:
    name = f"t{os.getpid()}_{next(_databases)}"
    conn = await asyncpg.connect(cluster.url())
    try:
        await conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    finally:
        await conn.close()
    return name


async def _emptied(cluster: pgserver.Cluster, name: str) -> bool:
    """Every table of `name` emptied and its ids restarted, as the template has them, so
    the next test finds it as fresh as a copy; dropped instead if that cannot be done."""
    conn = await asyncpg.connect(cluster.url())
    try:
        # Connections a test left open (a listener, a second "process") would hold locks.
        await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE datname = $1 AND pid <> pg_backend_pid()", name)
        target = await asyncpg.connect(cluster.url(name))
        try:
            tables = [row[0] for row in await target.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'attache_schema'")]
            await target.execute("SET lock_timeout = '5s'")
            await target.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            return True
        except Exception:
            await target.close()
            await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return False
        finally:
            if not target.is_closed():
                await target.close()
    finally:
        await conn.close()


@pytest.fixture
async def db(database_target: str) -> AsyncIterator[Database]:
    database = await Database.open(database_target)
    yield database
    await database.close()


@pytest.fixture
def services(db: Database, clock: FixedClock) -> Services:
    """Everything the bot builds, through the same factory, on the test's database."""
    return build_services(db, clock)


@pytest.fixture
def store(services: Services) -> RecordStore:
    return services.records


@pytest.fixture
def changes(services: Services) -> ChangePipeline:
    """Where every write ends: imports in tests go through it as they do in the bot."""
    return services.changes


@pytest.fixture
def sample_data() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text("utf-8"))
