"""RecordStore against a real SQLite file: writes with audit rows, reads, filters, search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.errors import NotFoundError, UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Participant,
    Person,
    Plan,
    PlanKind,
    PlanStatus,
    RecordType,
    Signatory,
    Visit,
    VisitStatus,
)
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD, FixedClock


async def _person(store: RecordStore, name: str = "Murat Nurtleu", **kw: Any) -> Person:
    person = await store.add(GUILD, Person(name=name, **kw), actor_id=1)
    assert isinstance(person, Person)
    return person


async def test_add_assigns_id_and_uid_and_reads_back(store: RecordStore) -> None:
    person = await _person(store, title="Foreign Minister", country="Kazakhstan")
    assert person.id is not None
    assert person.uid.startswith("person-")
    assert await store.get(GUILD, RecordType.PERSON, person.id) == person


async def test_meeting_with_participants_round_trips(store: RecordStore) -> None:
    dar = await _person(store, "Mohammad Ishaq Dar")
    nurtleu = await _person(store)
    meeting = Meeting(
        title="Delegation-level talks",
        kind=MeetingKind.DELEGATION_LEVEL_TALKS,
        date=FuzzyDate.day(2025, 9, 9),
        place="Islamabad",
        countries=["Pakistan", "Kazakhstan"],
        participants=[Participant(dar.uid, "co-chair"), Participant(nurtleu.uid, "co-chair")],
        topics=["trade", "agriculture"],
    )
    stored = await store.add(GUILD, meeting, actor_id=1)
    again = await store.get(GUILD, RecordType.MEETING, stored.id)
    assert again == stored
    assert [p.person for p in again.participants] == [dar.uid, nurtleu.uid]


async def test_every_write_leaves_an_audit_row(store: RecordStore, clock: FixedClock) -> None:
    person = await _person(store, title="Deputy Prime Minister")
    clock.current += timedelta(hours=1)
    edited = await store.update(GUILD, replace(person, title="Foreign Minister"), actor_id=2)
    clock.current += timedelta(hours=1)
    await store.delete(GUILD, RecordType.PERSON, person.id, actor_id=3)
    trail = await store.history(GUILD, RecordType.PERSON, person.id)
    assert [(e.action, e.actor_id) for e in trail] == [("create", 1), ("update", 2), ("delete", 3)]
    assert trail[1].before["title"] == "Deputy Prime Minister"
    assert trail[1].after["title"] == edited.title == "Foreign Minister"
    # The deleted record's full content stays in the log.
    assert trail[2].before["name"] == "Murat Nurtleu" and trail[2].after is None
    assert trail[2].at == clock.current
    assert await store.get(GUILD, RecordType.PERSON, person.id) is None


async def test_a_failed_write_leaves_nothing(store: RecordStore) -> None:
    dar = await _person(store, "Mohammad Ishaq Dar")
    # The second signatory does not exist: the plan, its first signatory and its audit row
    # must all vanish with the failure.
    plan = Plan(
        title="Action plan",
        kind=PlanKind.ACTION_PLAN,
        status=PlanStatus.SIGNED,
        signatories=[Signatory(dar.uid), Signatory("nobody")],
    )
    with pytest.raises(NotFoundError, match="nobody"):
        await store.add(GUILD, plan, actor_id=1)
    assert await store.count(GUILD, RecordType.PLAN) == 0
    async with store._db.read() as conn:
        async with conn.execute("SELECT count(*) FROM plan_signatories") as cur:
            assert (await cur.fetchone())[0] == 0
        async with conn.execute("SELECT record_type FROM audit_log") as cur:
            assert [row[0] for row in await cur.fetchall()] == ["person"]


async def test_an_edit_never_changes_the_uid(store: RecordStore) -> None:
    person = await _person(store)
    edited = await store.update(GUILD, replace(person, uid="something-else"), actor_id=1)
    assert edited.uid == person.uid


async def test_a_person_in_use_cannot_be_deleted(store: RecordStore) -> None:
    nurtleu = await _person(store)
    visit = Visit(
        visitor=nurtleu.uid,
        visitor_role="Foreign Minister",
        from_country="Kazakhstan",
        to_country="Pakistan",
        date=FuzzyDate.day(2025, 9, 9),
        status=VisitStatus.COMPLETED,
    )
    await store.add(GUILD, visit, actor_id=1)
    with pytest.raises(UserError, match="1 visit"):
        await store.delete(GUILD, RecordType.PERSON, nurtleu.id, actor_id=1)
    assert await store.get(GUILD, RecordType.PERSON, nurtleu.id) is not None


async def test_duplicate_uid_is_refused(store: RecordStore) -> None:
    await _person(store, uid="dar")
    with pytest.raises(UserError, match="already exists"):
        await _person(store, "Someone else", uid="dar")


async def test_filters_and_order(
    changes: ChangePipeline, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    visits = await store.list_records(GUILD, RecordType.VISIT, RecordFilter(country="kazakhstan"))
    assert [v.date.render() for v in visits] == ["2003", "9 September 2025", "November 2025"]
    newest = await store.list_records(GUILD, RecordType.VISIT, RecordFilter(newest_first=True))
    assert newest[0].date.render() == "November 2025"
    # Everything that shares a day with the window counts: November as a month overlaps it.
    upcoming = await store.list_records(
        GUILD,
        RecordType.VISIT,
        RecordFilter(date_from=date(2025, 11, 20), statuses=["planned", "confirmed"]),
    )
    assert [v.uid for v in upcoming] == ["president-visit-2025-11"]
    jwgs = await store.list_records(
        GUILD, RecordType.MEETING, RecordFilter(kinds=["joint_working_group"])
    )
    assert {m.uid for m in jwgs} == {"jwg-it-2025-09", "jwg-agriculture-2025-09"}
    signed = await store.list_records(GUILD, RecordType.PLAN, RecordFilter(statuses=["signed"]))
    assert [p.uid for p in signed] == ["action-plan-2025"]
    assert await store.count(GUILD, RecordType.MEETING, RecordFilter(country="Pakistan")) == 7
    page = await store.list_records(GUILD, RecordType.MEETING, RecordFilter(limit=3, offset=6))
    assert len(page) == 1


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "NEAR(", "action AND", "plan*", "(((", "OR", "-", "tête-à-tête", "^title"],
)
async def test_search_treats_syntax_as_words(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any], query: str
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    await store.search(GUILD, query)  # never raises, whatever the user typed


async def test_search_finds_words_anywhere(
    changes: ChangePipeline, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    hits = await store.search(GUILD, "consular")
    assert [(h.record_type, h.title) for h in hits] == [
        (RecordType.PLAN, "Pakistan–Kazakhstan Action Plan of Cooperation")
    ]
    visits = await store.search(GUILD, "Nurtleu", kinds=[RecordType.VISIT])
    assert [h.record_type for h in visits] == [RecordType.VISIT]
    assert await store.search(GUILD, "tete a tete") != []  # accents do not matter
    # Edits keep the index in step.
    plan = (await store.list_records(GUILD, RecordType.PLAN, RecordFilter(statuses=["signed"])))[0]
    await store.update(GUILD, replace(plan, fields=["fisheries"]), actor_id=1)
    assert await store.search(GUILD, "consular") == []
    assert [h.record_id for h in await store.search(GUILD, "fisheries")] == [plan.id]


@pytest.mark.parametrize(
    ("words", "names"),
    [
        ("nurt", ["Murat Nurtleu"]),
        ("murat", ["Murat Nurtleu"]),
        ("MURAT n", ["Murat Nurtleu"]),
        ("dar", ["Mohammad Ishaq Dar"]),
        ("minister", []),  # a title, not a name
        ("'(", []),
    ],
)
async def test_title_words_filter(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any], words: str, names: list[str]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    found = await store.list_records(GUILD, RecordType.PERSON, RecordFilter(title_words=words))
    assert [p.name for p in found] == names


async def test_a_capped_count_stops_past_the_cap(store: RecordStore) -> None:
    for i in range(12):
        await store.add(GUILD, Meeting(title=f"Round {i}", kind=MeetingKind.OTHER,
                                       date=FuzzyDate(date(2025, 1, 1) + timedelta(days=i)),
                                       countries=["Kazakhstan"]), actor_id=1)
    assert await store.count(GUILD, RecordType.MEETING) == 12
    assert await store.count(GUILD, RecordType.MEETING, cap=5) == 6
    flt = RecordFilter(country="kazakhstan")
    assert await store.count(GUILD, RecordType.MEETING, flt, cap=20) == 12


async def test_country_lists_follow_edits_and_deletes(store: RecordStore) -> None:
    first = await store.add(GUILD, Meeting(title="Talks", kind=MeetingKind.OTHER,
                                           date=FuzzyDate(date(2025, 3, 1)),
                                           countries=["Kazakhstan", "Pakistan"]), actor_id=1)
    by = {c: RecordFilter(country=c) for c in ("Kazakhstan", "Pakistan", "Uzbekistan")}

    async def titles(country: str) -> list[str]:
        found = await store.list_records(GUILD, RecordType.MEETING, by[country])
        return [m.title for m in found if isinstance(m, Meeting)]

    assert await titles("Pakistan") == ["Talks"]
    await store.update(GUILD, replace(first, countries=["Kazakhstan", "Uzbekistan"]), actor_id=1)
    assert await titles("Pakistan") == [] and await titles("Uzbekistan") == ["Talks"]
    assert first.id is not None
    await store.delete(GUILD, RecordType.MEETING, first.id, actor_id=1)
    assert await titles("Kazakhstan") == []


async def test_a_missing_record_is_named_as_people_name_its_type(store: RecordStore) -> None:
    with pytest.raises(NotFoundError, match="There is no follow-up #99 in this server"):
        await store.delete(GUILD, RecordType.FOLLOWUP, 99, actor_id=1)
    with pytest.raises(NotFoundError, match="There is no plan #7 in this server"):
        await store.delete(GUILD, RecordType.PLAN, 7, actor_id=1)
