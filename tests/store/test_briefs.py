"""The briefing's own reads give what the record store's pages and counts give, on both
backends: the same records in the same order, the same counts, the same caps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.records import PlanStatus, RecordType, Visit, VisitStatus
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.briefs import BriefStore
from bot.stores.database import Database
from bot.stores.records import RecordFilter, RecordStore
from tests.benchmarks.datagen import synthetic_bundle
from tests.conftest import GUILD, OTHER_GUILD

TODAY = date(2025, 9, 12)
TOMORROW = TODAY + timedelta(days=1)
OPEN = [s.value for s in VisitStatus if s.is_open]
CONCLUDED = [PlanStatus.SIGNED.value, PlanStatus.IN_FORCE.value, PlanStatus.EXPIRED.value]


@pytest.fixture
async def busiest(changes: ChangePipeline, store: RecordStore) -> str:
    """A store of 150 records of each kind over 50 countries; the country with most plans."""
    await import_data(changes, GUILD, synthetic_bundle(150, this_year=2025), actor_id=None)
    counts = {}
    for name in ("Kazakhstan", "Pakistan", "China", "India", "Japan", "Mexico", "Kenya"):
        counts[name] = await store.count(GUILD, RecordType.PLAN, RecordFilter(country=name))
    return max(counts, key=lambda name: counts[name])


async def _numbers(store: RecordStore, kind: RecordType, flt: RecordFilter) -> list[int]:
    return [r.id for r in await store.list_records(GUILD, kind, flt) if r.id is not None]


async def test_counts_are_the_record_stores_counts(
    db: Database, store: RecordStore, busiest: str
) -> None:
    window = RecordFilter(date_from=date(2015, 1, 1), date_to=TOMORROW)
    for cap in (2, 1_000):
        got = await BriefStore(db).counts(GUILD, busiest.upper(), window=window,
                                          signed=CONCLUDED, held=["completed"], cap=cap)

        async def count(kind: RecordType, cap: int = cap, **kw: Any) -> int:
            return await store.count(GUILD, kind, RecordFilter(country=busiest, **kw), cap=cap)

        assert got.meetings == await count(RecordType.MEETING)
        assert got.plans == await count(RecordType.PLAN)
        assert got.visits == await count(RecordType.VISIT)
        assert got.people == await count(RecordType.PERSON)
        span = {"date_from": window.date_from, "date_to": window.date_to}
        assert got.meetings_in_window == await count(RecordType.MEETING, **span)
        assert got.plans_signed_in_window == await count(RecordType.PLAN, statuses=CONCLUDED,
                                                         **span)
        assert got.visits_held_in_window == await count(RecordType.VISIT,
                                                        statuses=["completed"], **span)
    # Counting stops one past the cap: "more than the cap", whatever the real number.
    capped = await BriefStore(db).counts(GUILD, busiest, window=window, signed=CONCLUDED,
                                         held=["completed"], cap=2)
    assert capped.meetings == 3


@pytest.mark.parametrize("limit", [2, 5, 25])
async def test_plan_pages_are_the_plan_lists_first_pages(
    db: Database, store: RecordStore, busiest: str, limit: int
) -> None:
    order = [(s.value, s.value in CONCLUDED) for s in PlanStatus]
    pages = await BriefStore(db).plan_pages(GUILD, busiest, order, limit)
    undated = 0
    for status, newest in order:
        expected = await _numbers(store, RecordType.PLAN, RecordFilter(
            country=busiest, statuses=[status], newest_first=newest, limit=limit))
        assert pages[status] == expected, status
        plans = await store.get_many(GUILD, RecordType.PLAN, expected)
        undated += sum(1 for p in plans if getattr(p, "date", None) is None)
    if limit == 25:
        assert undated, "the store should hold undated plans, listed after the dated"


async def test_plan_counts_per_status_and_when_counting_stopped(
    db: Database, store: RecordStore, busiest: str
) -> None:
    total = await store.count(GUILD, RecordType.PLAN, RecordFilter(country=busiest))
    counted = await BriefStore(db).plan_counts(GUILD, busiest, total + 1)
    assert counted.complete
    for status in PlanStatus:
        assert counted.by_status.get(status.value, 0) == await store.count(
            GUILD, RecordType.PLAN, RecordFilter(country=busiest, statuses=[status.value]))
    partial = await BriefStore(db).plan_counts(GUILD, busiest, total - 1)
    assert not partial.complete
    assert sum(partial.by_status.values()) == total - 1


async def test_visit_pages_and_held_visits_are_the_visit_lists(
    db: Database, store: RecordStore, busiest: str
) -> None:
    pages = [
        RecordFilter(country=busiest, statuses=OPEN, date_from=TODAY, limit=5),
        RecordFilter(country=busiest, statuses=OPEN, date_to=TOMORROW, newest_first=True,
                     limit=5),
    ]
    held = RecordFilter(country=busiest, statuses=["completed"], date_to=TOMORROW,
                        newest_first=True, limit=7)
    numbers, rows = await BriefStore(db).visit_pages(GUILD, pages, held)
    assert numbers == [await _numbers(store, RecordType.VISIT, flt) for flt in pages]
    expected = [v for v in await store.list_records(GUILD, RecordType.VISIT, held)
                if isinstance(v, Visit)]
    assert [r.number for r in rows] == [v.id for v in expected]
    for row, visit in zip(rows, expected, strict=True):
        assert (row.uid, row.visitor, row.source, row.role, row.from_country, row.to_country,
                row.date, row.end_date, row.place, row.purpose) == (
            visit.uid, visit.visitor, visit.source, visit.visitor_role, visit.from_country,
            visit.to_country, visit.date, visit.end_date, visit.place, visit.purpose)


async def test_held_visits_carry_their_source_and_visitor(
    db: Database, changes: ChangePipeline, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    held = RecordFilter(country="Kazakhstan", statuses=["completed"], date_to=TOMORROW,
                        newest_first=True, limit=10)
    _, rows = await BriefStore(db).visit_pages(GUILD, [], held)
    assert [(r.uid, r.visitor, r.source) for r in rows] == [
        ("nurtleu-visit-2025-09", "murat-nurtleu", "report-2025-09-10"),
        ("president-visit-2003", None, "report-2025-09-10"),
    ]


async def test_another_server_reads_nothing(db: Database, busiest: str) -> None:
    briefs = BriefStore(db)
    counts = await briefs.counts(OTHER_GUILD, busiest, window=RecordFilter(), signed=CONCLUDED,
                                 held=["completed"], cap=10)
    assert (counts.meetings, counts.plans, counts.visits, counts.people) == (0, 0, 0, 0)
    pages = await briefs.plan_pages(OTHER_GUILD, busiest, [("signed", True)], 5)
    assert pages == {"signed": []}
    assert (await briefs.plan_counts(OTHER_GUILD, busiest, 100)).by_status == {}
    numbers, rows = await briefs.visit_pages(
        OTHER_GUILD, [RecordFilter(country=busiest)], RecordFilter(country=busiest))
    assert (numbers, rows) == ([[]], [])
