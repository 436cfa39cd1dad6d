"""The briefing's own reads give what the record store's pages and counts give, on both
backends: the same records in the same order, the same counts, the same caps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.records import PlanStatus, RecordType, Visit, VisitStatus
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.briefs import BriefStore, HeldLevel
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


async def test_plan_counts_per_status_stop_one_past_the_cap(
    db: Database, store: RecordStore, busiest: str
) -> None:
    statuses = [s.value for s in PlanStatus]
    for cap in (1, 1_000):
        got = await BriefStore(db).counts(GUILD, busiest.upper(), window=RecordFilter(),
                                          signed=CONCLUDED, held=["completed"], cap=cap,
                                          plan_statuses=statuses)
        assert list(got.plans_by_status) == statuses
        for status in statuses:
            assert got.plans_by_status[status] == await store.count(
                GUILD, RecordType.PLAN, RecordFilter(country=busiest, statuses=[status]),
                cap=cap), (status, cap)
    assert any(n > 1 for n in got.plans_by_status.values()), "a status with several plans"


async def _held_levels(store: RecordStore, country: str) -> dict[Any, date]:
    """The newest start of each (role, from, to) of the country's held visits, from its list
    (the country's side case aside, as the store compares it)."""
    newest: dict[Any, date] = {}
    for v in await store.list_records(GUILD, RecordType.VISIT, RecordFilter(
            country=country, statuses=["completed"], date_to=TOMORROW, limit=10_000)):
        assert isinstance(v, Visit)
        sides = [side for side, named in ((True, v.from_country), (False, v.to_country))
                 if named.casefold() == country.casefold()]
        for outbound in sides:
            key = (outbound, v.to_country if outbound else v.from_country, v.visitor_role)
            newest[key] = max(newest.get(key, v.date.start), v.date.start)
    return newest


def _key(lv: HeldLevel) -> tuple[bool, str, str]:
    return (lv.outbound, lv.to_country if lv.outbound else lv.from_country, lv.role)


async def test_visit_pages_are_the_visit_lists_and_held_visits_read_light(
    db: Database, store: RecordStore, busiest: str
) -> None:
    pages = [
        RecordFilter(country=busiest, statuses=OPEN, date_from=TODAY, limit=5),
        RecordFilter(country=busiest, statuses=OPEN, date_to=TOMORROW, newest_first=True,
                     limit=5),
    ]
    held = RecordFilter(country=busiest.upper(), statuses=["completed"], date_to=TOMORROW,
                        newest_first=True, limit=7)
    numbers, rows, _ = await BriefStore(db).visit_pages(GUILD, pages, held)
    assert numbers == [await _numbers(store, RecordType.VISIT, flt) for flt in pages]
    expected = [v for v in await store.list_records(GUILD, RecordType.VISIT, held)
                if isinstance(v, Visit)]
    assert rows and [(r.role, r.from_country, r.to_country, r.day, r.outbound) for r in rows] == [
        (v.visitor_role, v.from_country, v.to_country, v.date.start,
         v.from_country.casefold() == busiest.casefold()) for v in expected]


async def test_visit_levels_are_the_newest_held_visit_of_each_role_and_direction(
    db: Database, store: RecordStore, changes: ChangePipeline
) -> None:
    # Enough visits for several levels of a country, some with several visits each.
    await import_data(changes, GUILD, synthetic_bundle(0, 0, 1500, this_year=2025),
                      actor_id=None)
    briefs = BriefStore(db)
    for country in ("Kazakhstan", "pakistan"):
        newest = await _held_levels(store, country)
        assert len(newest) >= 10, "the synthetic store should hold many levels"
        levels = await briefs.visit_levels(GUILD, country, "completed", TOMORROW)
        assert {_key(lv): lv.day for lv in levels} == newest
        assert len(levels) == len(newest)  # each once
        # Only some other countries: the same levels, no others.
        others = sorted({(out, other) for out, other, _ in newest})[::3]
        some = await briefs.visit_levels(GUILD, country, "completed", TOMORROW, others)
        assert {_key(lv): lv.day for lv in some} == {
            k: day for k, day in newest.items() if (k[0], k[1]) in others}
        assert await briefs.visit_levels(GUILD, country, "completed", TOMORROW, []) == []
        # With a full page of held visits, the levels of the visits of a page are read
        # with it: those between the country and their other countries.
        page = RecordFilter(country=country, statuses=OPEN, limit=15)
        held = RecordFilter(country=country, statuses=["completed"], date_to=TOMORROW,
                            newest_first=True, limit=3)
        (listed,), recent, of_page = await briefs.visit_pages(GUILD, [page], held, ahead=0)
        assert len(listed) == 15 and len(recent) == 3
        wanted = set()
        for visit in await store.get_many(GUILD, RecordType.VISIT, listed):
            assert isinstance(visit, Visit)
            if visit.from_country.casefold() == country.casefold():
                wanted.add((True, visit.to_country))
            if visit.to_country.casefold() == country.casefold():
                wanted.add((False, visit.from_country))
        assert of_page, "some visit of the page should share its countries with a held one"
        assert {_key(lv): lv.day for lv in of_page} == {
            k: day for k, day in newest.items() if (k[0], k[1]) in wanted}
        # Not when the held page holds them all: every level is then on it.
        _, _, none = await briefs.visit_pages(GUILD, [page], replace(held, limit=10_000),
                                              ahead=0)
        assert none == []
        # Visits begun before a day only.
        early = date(2015, 1, 1)
        assert all(lv.day < early for lv in await briefs.visit_levels(
            GUILD, country, "completed", early))


async def test_held_visits_are_the_visits_behind_the_levels(
    db: Database, store: RecordStore, busiest: str
) -> None:
    briefs = BriefStore(db)
    levels = await briefs.visit_levels(GUILD, busiest, "completed", TOMORROW)
    picks = sorted(levels, key=lambda lv: (lv.day, lv.role, lv.from_country, lv.to_country))
    rows = await briefs.held_visits(GUILD, busiest, "completed", picks)
    assert len(rows) == len(picks) >= 2
    for pick, row in zip(picks, rows, strict=True):  # in the order asked
        visit = await store.get(GUILD, RecordType.VISIT, row.number)
        assert isinstance(visit, Visit)
        assert visit.status is VisitStatus.COMPLETED
        assert (visit.visitor_role, visit.from_country.casefold(), visit.to_country.casefold(),
                visit.date.start) == (pick.role, pick.from_country.casefold(),
                                      pick.to_country.casefold(), pick.day)
        assert (row.uid, row.visitor, row.source, row.role, row.from_country, row.to_country,
                row.date, row.end_date, row.place, row.purpose) == (
            visit.uid, visit.visitor, visit.source, visit.visitor_role, visit.from_country,
            visit.to_country, visit.date, visit.end_date, visit.place, visit.purpose)
    assert await briefs.held_visits(GUILD, busiest, "completed", []) == []


def _held(uid: str, day: str, **kw: Any) -> dict[str, Any]:
    return {"uid": uid, "visitor_role": "President", "from_country": "Kazakhstan",
            "to_country": "Pakistan", "date": {"value": day, "precision": "day"},
            "end_date": None, "status": "completed", "place": "", "purpose": "", "notes": "",
            **kw}


async def test_a_level_is_its_newest_visit_and_on_one_day_the_last_recorded(
    db: Database, changes: ChangePipeline
) -> None:
    visits = [
        _held("old", "2003-05-01"),
        _held("first", "2010-03-01", source="report-a"),
        _held("second", "2010-03-01", source="report-b", visitor="tokayev"),
        _held("ahead", "2030-01-01"),  # marked completed, but not yet begun: not held
        _held("planned", "2024-01-01", status="planned"),
        _held("back", "2012-01-01", from_country="Pakistan", to_country="Kazakhstan"),
    ]
    data = {"schema_version": 1, "visits": visits,
            "people": [{"uid": "tokayev", "name": "Kassym-Jomart Tokayev",
                        "title": "President", "country": "Kazakhstan"}],
            "sources": [{"uid": u, "title": u} for u in ("report-a", "report-b")]}
    await import_data(changes, GUILD, data, actor_id=None)
    briefs = BriefStore(db)
    levels = await briefs.visit_levels(GUILD, "kazakhstan", "completed", TOMORROW)
    by_side = {lv.outbound: lv for lv in levels}
    assert len(levels) == 2
    assert (by_side[True].to_country, by_side[True].day) == ("Pakistan", date(2010, 3, 1))
    assert (by_side[False].from_country, by_side[False].day) == ("Pakistan", date(2012, 1, 1))
    [row] = await briefs.held_visits(GUILD, "kazakhstan", "completed", [by_side[True]])
    assert (row.uid, row.source, row.visitor) == ("second", "report-b", "tokayev")


async def test_another_server_reads_nothing(db: Database, busiest: str) -> None:
    briefs = BriefStore(db)
    counts = await briefs.counts(OTHER_GUILD, busiest, window=RecordFilter(), signed=CONCLUDED,
                                 held=["completed"], cap=10)
    assert (counts.meetings, counts.plans, counts.visits, counts.people) == (0, 0, 0, 0)
    pages = await briefs.plan_pages(OTHER_GUILD, busiest, [("signed", True)], 5)
    assert pages == {"signed": []}
    assert counts.plans_by_status == {}
    other = await briefs.counts(OTHER_GUILD, busiest, window=RecordFilter(), signed=CONCLUDED,
                                held=["completed"], cap=10, plan_statuses=["signed"])
    assert other.plans_by_status == {"signed": 0}
    numbers, rows, levels = await briefs.visit_pages(
        OTHER_GUILD, [RecordFilter(country=busiest)], RecordFilter(country=busiest), ahead=0)
    assert (numbers, rows, levels) == ([[]], [], [])
    assert await briefs.visit_levels(OTHER_GUILD, busiest, "completed", TOMORROW) == []
    mine = await briefs.visit_levels(GUILD, busiest, "completed", TOMORROW)
    assert mine
    # The visits behind this server's levels are not another server's to read.
    assert await briefs.held_visits(OTHER_GUILD, busiest, "completed", mine[:3]) == []
