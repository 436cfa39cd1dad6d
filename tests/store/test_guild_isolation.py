"""No method of the store lets one server read or change another server's records."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.domain.errors import NotFoundError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Participant,
    Person,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.services.changes import ChangePipeline
from bot.services.interchange import ImportRejected, export_data, import_data
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD, OTHER_GUILD


@pytest.fixture
async def filled(
    changes: ChangePipeline, store: RecordStore, sample_data: dict[str, Any]
) -> RecordStore:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    return store


async def test_reads_see_nothing_of_another_server(filled: RecordStore) -> None:
    store = filled
    for kind in RecordType:
        mine = await store.list_records(GUILD, kind, RecordFilter(limit=100))
        assert mine, kind
        assert await store.list_records(OTHER_GUILD, kind, RecordFilter(limit=100)) == []
        assert await store.count(OTHER_GUILD, kind) == 0
        assert await store.existing_uids(OTHER_GUILD, kind) == set()
        for record in mine:
            assert await store.get(OTHER_GUILD, kind, record.id) is None
            assert await store.get_by_uid(OTHER_GUILD, kind, record.uid) is None
            assert await store.history(OTHER_GUILD, kind, record.id) == []
            with pytest.raises(NotFoundError):
                await store.require(OTHER_GUILD, kind, record.id)
    assert await store.search(OTHER_GUILD, "Kazakhstan") == []
    assert await store.search(GUILD, "Kazakhstan") != []
    exported = await export_data(store, OTHER_GUILD)
    assert all(exported[k] == [] for k in ("people", "meetings", "plans", "visits", "sources"))


async def test_writes_cannot_reach_another_server(filled: RecordStore) -> None:
    store = filled
    person = await store.get_by_uid(GUILD, RecordType.PERSON, "murat-nurtleu")
    assert isinstance(person, Person)
    with pytest.raises(NotFoundError):
        await store.update(OTHER_GUILD, replace(person, title="Hijacked"), actor_id=9)
    with pytest.raises(NotFoundError):
        await store.delete(OTHER_GUILD, RecordType.PERSON, person.id, actor_id=9)
    assert await store.get(GUILD, RecordType.PERSON, person.id) == person


async def test_links_cannot_point_into_another_server(
    changes: ChangePipeline, filled: RecordStore
) -> None:
    store = filled
    # The uid exists, but in the first server only: the second cannot link to it.
    meeting = Meeting(
        title="Borrowed participant",
        kind=MeetingKind.OTHER,
        date=FuzzyDate.month(2025, 10),
        participants=[Participant("murat-nurtleu")],
    )
    with pytest.raises(NotFoundError):
        await store.add(OTHER_GUILD, meeting, actor_id=9)
    visit = Visit(
        visitor="murat-nurtleu", visitor_role="", from_country="Kazakhstan",
        to_country="Pakistan", date=FuzzyDate.month(2025, 10), status=VisitStatus.PLANNED,
        source="report-2025-09-10",
    )
    with pytest.raises(NotFoundError):
        await store.add(OTHER_GUILD, visit, actor_id=9)
    partial = {"schema_version": 1, "meetings": [
        {"uid": "m1", "title": "x", "kind": "other", "date": {"value": "2025", "precision": "year"},
         "participants": [{"person": "ishaq-dar"}]}
    ]}
    with pytest.raises(ImportRejected, match="ishaq-dar"):
        await import_data(changes, OTHER_GUILD, partial, actor_id=9)
    assert await store.count(OTHER_GUILD, RecordType.MEETING) == 0


async def test_the_same_file_lives_separately_in_two_servers(changes: ChangePipeline,
    filled: RecordStore, sample_data: dict[str, Any]
) -> None:
    store = filled
    await import_data(changes, OTHER_GUILD, sample_data, actor_id=None)
    first = await store.get_by_uid(GUILD, RecordType.PERSON, "ishaq-dar")
    second = await store.get_by_uid(OTHER_GUILD, RecordType.PERSON, "ishaq-dar")
    # Numbers are local to each server: the same file gives each server the same numbers,
    # and each record stays its own.
    assert first is not None and second is not None and first.id == second.id
    await store.update(OTHER_GUILD, replace(second, title="Changed there"), actor_id=9)
    assert (await store.get(GUILD, RecordType.PERSON, first.id)).title == first.title
    await store.delete(OTHER_GUILD, RecordType.SOURCE, (await store.get_by_uid(
        OTHER_GUILD, RecordType.SOURCE, "report-2025-09-10")).id, actor_id=9)
    assert await store.get_by_uid(GUILD, RecordType.SOURCE, "report-2025-09-10") is not None
