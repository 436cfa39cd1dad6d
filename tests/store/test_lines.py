"""A list page read as Lines (a few columns and the linked people's names, with its count in
the same statement) shows exactly what the whole records would, on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.records import Person, Record, RecordType, VisitStatus
from bot.domain.registry import line_of, people_of
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.records import RecordFilter, RecordStore
from bot.ui.render import choice_label, list_line
from tests.benchmarks.datagen import synthetic_bundle
from tests.conftest import GUILD, OTHER_GUILD

OPEN = [s.value for s in VisitStatus if s.is_open]
FILTERS = [
    RecordFilter(limit=7),
    RecordFilter(limit=7, offset=7, newest_first=True),
    RecordFilter(country="Kazakhstan", limit=5),
    RecordFilter(country="kazakhstan", statuses=OPEN, date_from=date(2025, 1, 1), limit=5),
    RecordFilter(date_from=date(2024, 1, 1), date_to=date(2026, 1, 1), limit=4, offset=3),
    RecordFilter(limit=5, offset=10_000),  # past the end: no rows to carry the count
]


@pytest.fixture
async def filled(changes: ChangePipeline, store: RecordStore) -> RecordStore:
    await import_data(changes, GUILD, synthetic_bundle(60, this_year=2025), actor_id=None)
    return store


async def _people(store: RecordStore, records: list[Record]) -> dict[str, Person]:
    uids = {p for r in records for p in _person_uids(r)}
    found = await store.get_by_uids(GUILD, RecordType.PERSON, uids)
    return {p.uid: p for p in found if isinstance(p, Person)}


def _person_uids(record: Record) -> list[str]:
    return list(people_of(record))


@pytest.mark.parametrize("kind", list(RecordType))
async def test_a_page_of_lines_is_the_page_of_records(
    filled: RecordStore, kind: RecordType
) -> None:
    for flt in FILTERS:
        if flt.country and kind in (RecordType.SOURCE, RecordType.FOLLOWUP):
            continue  # they name no country
        records = await filled.list_records(GUILD, kind, flt)
        people = await _people(filled, records)
        for cap in (None, 3, 1_000):
            lines, total = await filled.line_page(GUILD, kind, flt, cap=cap)
            assert lines == [line_of(r, people) for r in records], flt
            assert total == await filled.count(GUILD, kind, flt, cap=cap), (flt, cap)
        assert [list_line(x, zone="Asia/Karachi", today=date(2025, 9, 12)) for x in lines] \
            == [list_line(r, people, zone="Asia/Karachi", today=date(2025, 9, 12))
                for r in records]
        assert [choice_label(x) for x in lines] == [
            choice_label(line_of(r, people)) for r in records]
        lines, total = await filled.line_page(GUILD, kind, flt, counted=False)
        assert total is None and [x.id for x in lines] == [r.id for r in records]


async def test_visit_lines_name_their_visitor_or_their_role(filled: RecordStore) -> None:
    lines, _ = await filled.line_page(GUILD, RecordType.VISIT, RecordFilter(limit=60))
    named = [x for x in lines if x["visitor"]]
    unnamed = [x for x in lines if not x["visitor"]]
    assert named and unnamed
    people = {p.uid: p for p in await filled.get_by_uids(
        GUILD, RecordType.PERSON, [x["visitor"] for x in named]) if isinstance(p, Person)}
    assert all(x["visitor.name"] == people[x["visitor"]].name for x in named)
    assert all(x["visitor.name"] is None for x in unnamed)
    assert all(list_line(x).count(x["visitor_role"] or "Visit") for x in unnamed)


@pytest.mark.parametrize("typed", ["", "ene", "kaz", "joint w", "zzzz"])
async def test_suggested_lines_are_the_suggested_records(
    filled: RecordStore, typed: str
) -> None:
    for kind in (RecordType.MEETING, RecordType.VISIT, RecordType.PERSON):
        records = await filled.suggest(GUILD, kind, typed)
        people = await _people(filled, records)
        assert await filled.suggest_lines(GUILD, kind, typed) == [
            line_of(r, people) for r in records]


async def test_another_servers_numbers_give_no_lines(filled: RecordStore) -> None:
    mine = await filled.lines(GUILD, RecordType.MEETING, [1, 2, 3])
    assert [x.id for x in mine] == [1, 2, 3]
    assert await filled.lines(OTHER_GUILD, RecordType.MEETING, [1, 2, 3]) == []
    assert await filled.line_page(OTHER_GUILD, RecordType.MEETING) == ([], 0)
    assert await filled.suggest_lines(OTHER_GUILD, RecordType.MEETING, "") == []
    assert await filled.lines(GUILD, RecordType.MEETING, [10_000]) == []
