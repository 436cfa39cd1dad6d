"""Shared fixtures: a real SQLite file per test, a fixed clock, and the sample data."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.services.changes import ChangePipeline
from bot.services.factory import Services, build_services
from bot.stores.database import Database
from bot.stores.records import RecordStore

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


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "attache.db")
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
