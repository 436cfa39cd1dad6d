"""A visit of several days is under way until its last day, in every list and filter."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType, Visit, VisitStatus
from bot.stores.database import Database, bundled_migrations
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD


def _visit(end: FuzzyDate | None) -> Visit:
    return Visit(visitor=None, visitor_role="Minister of Trade", from_country="Kazakhstan",
                 to_country="Pakistan", date=FuzzyDate.day(2025, 9, 11), end_date=end,
                 status=VisitStatus.CONFIRMED)


@pytest.mark.parametrize(("end", "seen_on"), [
    (FuzzyDate.day(2025, 9, 13), [date(2025, 9, 12), date(2025, 9, 13)]),
    (None, []),
])
async def test_a_visit_is_listed_from_any_of_its_days(
    store: RecordStore, end: FuzzyDate | None, seen_on: list[date]
) -> None:
    await store.add(GUILD, _visit(end), actor_id=1)
    for day in (date(2025, 9, 12), date(2025, 9, 13), date(2025, 9, 14)):
        found = await store.list_records(GUILD, RecordType.VISIT, RecordFilter(date_from=day))
        assert bool(found) == (day in seen_on), day


async def test_the_upgrade_extends_stored_visits_to_their_last_day(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path)
    for migration in bundled_migrations()[:5]:
        conn.executescript(f"BEGIN;\n{migration.sql}\nPRAGMA user_version = "
                           f"{migration.version};\nCOMMIT;")
    conn.execute(
        "INSERT INTO visits (guild_id, uid, number, visitor_role, from_country, to_country,"
        " date_value, date_precision, date_start, date_end, end_value, end_precision, status,"
        " created_at, updated_at) VALUES (?, 'v', 1, 'Minister', 'Kazakhstan', 'Pakistan',"
        " '2025-09-11', 'day', '2025-09-11', '2025-09-12', '2025-09-13', 'day', 'confirmed',"
        " 'x', 'x')", (GUILD,))
    conn.commit()
    conn.close()
    db = await Database.open(path)
    try:
        store = RecordStore(db, lambda: None)  # type: ignore[arg-type, return-value]
        found = await store.list_records(GUILD, RecordType.VISIT,
                                         RecordFilter(date_from=date(2025, 9, 13)))
        assert [v.uid for v in found] == ["v"]
    finally:
        await db.close()
