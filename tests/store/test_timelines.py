"""The timeline's own reads give what the record store's pages and counts give, on both
backends: the same records around today in the same order, their fields as stored, the same
counts and caps, one server's only."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, MeetingKind, Plan, Record, RecordType, Visit
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.database import Database
from bot.stores.records import RecordFilter, RecordStore
from bot.stores.timelines import KINDS, TimelineRow
from tests.benchmarks.datagen import synthetic_bundle
from tests.conftest import GUILD, OTHER_GUILD

TODAY = date(2025, 9, 12)


@pytest.fixture
async def busiest(changes: ChangePipeline, store: RecordStore) -> str:
    """300 records of each kind over 50 countries, from 2016 to 2039 so that today is near
    the middle, in one server and a few in another; the country with most meetings."""
    await import_data(changes, GUILD, synthetic_bundle(300, this_year=2036), actor_id=None)
    await import_data(changes, OTHER_GUILD, synthetic_bundle(20, this_year=2025, seed=9),
                      actor_id=None)
    counts = {}
    for name in ("Kazakhstan", "Pakistan", "China", "India", "Japan", "Mexico", "Kenya"):
        counts[name] = await store.count(GUILD, RecordType.MEETING, RecordFilter(country=name))
    return max(counts, key=lambda name: counts[name])


async def _dated(store: RecordStore, kind: RecordType, country: str,
                 since: date | None = None) -> list[Record]:
    """Every dated record of the kind naming the country, oldest first, as its list has it."""
    records = await store.list_records(GUILD, kind, RecordFilter(
        country=country, date_from=since, limit=10_000))
    return [r for r in records if _start(r) is not None]


def _start(record: Record) -> date | None:
    when = record.date if isinstance(record, Meeting | Plan | Visit) else None
    return when.start if when is not None else None


@pytest.mark.parametrize(("since", "before", "ahead"),
                         [(None, 4, 3), (date(2020, 2, 15), 1, 3)])
async def test_rows_are_the_latest_and_next_of_each_kind(
    db: Database, store: RecordStore, busiest: str, since: date | None, before: int,
    ahead: int,
) -> None:
    rows = await db.timelines.rows(GUILD, busiest.lower(), TODAY, since=since, before=before,
                                   ahead=ahead)
    for kind in KINDS:
        dated = await _dated(store, kind, busiest, since)
        past = [r for r in dated if (_start(r) or TODAY) < TODAY]
        next_ = [r for r in dated if (_start(r) or TODAY) >= TODAY]
        assert len(past) > before and len(next_) > ahead, "the sample should overflow both"
        got_past = [r.number for r in rows if r.kind is kind and not r.ahead]
        got_next = [r.number for r in rows if r.kind is kind and r.ahead]
        # Newest first before today, soonest first from today: as the index walks.
        assert got_past == [r.id for r in reversed(past)][:before]
        assert got_next == [r.id for r in next_][:ahead]
        if since is not None:
            everything = await _dated(store, kind, busiest)
            assert len(everything) > len(dated), "since should leave some out"


async def test_rows_hold_the_records_own_fields(
    db: Database, store: RecordStore, busiest: str
) -> None:
    rows = await db.timelines.rows(GUILD, busiest, TODAY, since=None, before=50, ahead=50)
    assert {r.kind for r in rows} == set(KINDS)
    for row in rows:
        [record] = await store.get_many(GUILD, row.kind, [row.number])
        assert _light(record, await _visitor(store, record)) == row


async def _visitor(store: RecordStore, record: Record) -> str | None:
    if not isinstance(record, Visit) or not record.visitor:
        return None
    [person] = await store.get_by_uids(GUILD, RecordType.PERSON, [record.visitor])
    return getattr(person, "name", None)


def _light(record: Record, visitor: str | None) -> TimelineRow:
    assert isinstance(record, Meeting | Plan | Visit) and record.id is not None
    assert record.date is not None
    common = {"number": record.id, "date": record.date, "ahead": record.date.start >= TODAY}
    if isinstance(record, Meeting):
        return TimelineRow(kind=RecordType.MEETING, end=None, status="", title=record.title,
                           role="", from_country="", to_country="", visitor=None, **common)
    if isinstance(record, Plan):
        return TimelineRow(kind=RecordType.PLAN, end=None, status=record.status.value,
                           title=record.title, role="", from_country="", to_country="",
                           visitor=None, **common)
    return TimelineRow(kind=RecordType.VISIT, end=record.end_date, status=record.status.value,
                       title="", role=record.visitor_role, from_country=record.from_country,
                       to_country=record.to_country, visitor=visitor, **common)


@pytest.mark.parametrize("since", [None, date(2020, 2, 15)])
async def test_counts_are_the_record_stores_counts(
    db: Database, store: RecordStore, busiest: str, since: date | None
) -> None:
    # Begun before 2020-02-15 and reaching into it, or not (a year ends as it began).
    for uid, when in (("y2020", FuzzyDate.year(2020)), ("m2020", FuzzyDate.month(2020, 2)),
                      ("y2019", FuzzyDate.year(2019)), ("d2020", FuzzyDate.day(2020, 2, 14))):
        await store.add(GUILD, Meeting(title=uid, kind=MeetingKind.OTHER, date=when,
                                       countries=[busiest], uid=uid), actor_id=None)
    for cap in (3, 10_000):
        got = await db.timelines.counts(GUILD, busiest.upper(), TODAY, since=since, cap=cap)
        assert set(got) == set(KINDS)
        for kind in KINDS:
            dated = await _dated(store, kind, busiest, since)
            if since is not None and kind is RecordType.MEETING:
                assert {r.uid for r in dated if (_start(r) or since) < since} == {
                    "y2020", "m2020"}
            before = sum(1 for r in dated if (_start(r) or TODAY) < TODAY)
            # Exact up to the cap, and past it when there are more.
            for counted, true in ((got[kind].before, before),
                                  (got[kind].ahead, len(dated) - before)):
                assert counted == true if true <= cap else cap < counted <= true
            assert min(got[kind].before, cap + 1) == await store.count(GUILD, kind, RecordFilter(
                country=busiest, date_from=since, date_to=TODAY), cap=cap)


async def test_another_servers_records_are_not_read(db: Database, busiest: str) -> None:
    mine = await db.timelines.rows(GUILD, busiest, TODAY, since=None, before=500, ahead=500)
    theirs = await db.timelines.rows(OTHER_GUILD, busiest, TODAY, since=None, before=500,
                                     ahead=500)
    counts = await db.timelines.counts(OTHER_GUILD, busiest, TODAY, since=None, cap=10_000)
    # The other server holds 20 of each kind over 50 countries: a few at most.
    assert len(theirs) == sum(c.before + c.ahead for c in counts.values()) < 20
    assert len(mine) > 3 * len(theirs)
    assert not {r.number for r in theirs} <= {r.number for r in mine}
    nowhere = await db.timelines.rows(GUILD, "Atlantis", TODAY, since=None, before=5, ahead=5)
    assert nowhere == []
