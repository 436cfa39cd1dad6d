"""Reviewing an ingest proposal: matching stored records, saving a subset, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.domain.errors import PermissionDeniedError, UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Participant,
    Person,
    Plan,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.services.access import Actor
from bot.services.desk import DeskService
from bot.services.factory import Services
from bot.services.ingest_review import (
    DatelineOrigin,
    IngestReviewService,
    ReviewItem,
    apply_edits,
    check_upload,
    dateline_day,
    decode_upload,
    edit_form,
)
from bot.services.interchange import ImportRejected
from bot.stores.database import Database
from bot.stores.records import RecordStore
from tests.conftest import GUILD, FixedClock

TEXTS = Path(__file__).resolve().parent.parent / "data" / "ingest"
# A short statement written for the project: a cancelled visit, an MoU expected in April, an
# earlier meeting, and a visit known only to the month.
TALLINN = (TEXTS / "05-tallinn-cancelled-visit.txt").read_text("utf-8")
EDITOR = Actor(GUILD, 7, can_manage_guild=True)
READER = Actor(GUILD, 8)


@pytest.fixture
def desk(services: Services, db: Database, store: RecordStore, clock: FixedClock) -> DeskService:
    return services.desk


@pytest.fixture
def ingest(services: Services, desk: DeskService, store: RecordStore) -> IngestReviewService:
    return services.ingest


async def stored(store: RecordStore) -> dict[str, int]:
    bundle = await store.export_bundle(GUILD)
    return {kind.plural: len(bundle.section(kind)) for kind in RecordType}


def of_kind(items: list[ReviewItem], kind: RecordType) -> list[ReviewItem]:
    return [i for i in items if i.kind is kind]


async def test_a_review_lists_every_record_as_new_and_echoes_the_dateline(
    ingest: IngestReviewService,
) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    assert review.dateline == date(2025, 9, 12)
    assert review.dateline_origin is DatelineOrigin.TODAY
    assert any("No dateline found" in w for w in review.warnings)
    assert all(i.mark == "new" for i in review.items)
    kinds = [i.kind for i in review.items]
    # What happened first, then who, then the source; the source is not offered on its own.
    assert kinds[0] is RecordType.MEETING and kinds[-1] is RecordType.SOURCE
    assert RecordType.SOURCE not in {i.kind for i in review.choosable}

    given = await ingest.review(EDITOR, TALLINN, dateline=date(2026, 2, 10))
    assert (given.dateline, given.dateline_origin) == (date(2026, 2, 10), DatelineOrigin.GIVEN)


async def test_save_all_stores_every_record_citing_the_source(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    result = await ingest.save(EDITOR, review)
    assert sum(result.report.counts.created.values()) == len(review.items)
    bundle = await store.export_bundle(GUILD)
    [source] = bundle.sources
    assert source.text == TALLINN.strip()
    for kind in (RecordType.PERSON, RecordType.MEETING, RecordType.PLAN, RecordType.VISIT):
        assert bundle.section(kind)
        assert all(r.source == source.uid for r in bundle.section(kind))
    history = await store.history(GUILD, RecordType.SOURCE, source.id or 0)
    assert [e.actor_id for e in history] == [EDITOR.user_id]


async def test_reingesting_the_same_text_proposes_updates_not_duplicates(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    first = await ingest.review(EDITOR, TALLINN, dateline=None)
    await ingest.save(EDITOR, first)
    before = await stored(store)

    again = await ingest.review(EDITOR, TALLINN, dateline=None)
    assert all(i.existing is not None for i in again.items)
    assert all(i.mark.startswith("same as #") for i in again.items)
    assert [i.record.uid for i in again.items] == [i.record.uid for i in first.items]
    result = await ingest.save(EDITOR, again)
    assert result.report.counts.created == {}
    assert await stored(store) == before


async def test_records_typed_by_hand_are_matched_and_keep_their_uid(
    ingest: IngestReviewService, desk: DeskService, store: RecordStore
) -> None:
    # The desk already holds the Danish minister (under another uid, with notes), and the
    # cancelled February visit entered at month precision by role.
    nielsen = await desk.add(EDITOR, Person("Lars Holm Nielsen", notes="Met him in 2024.",
                                            uid="nielsen"))
    visit = await desk.add(EDITOR, Visit(
        visitor=None, visitor_role="Foreign Minister", from_country="Denmark",
        to_country="Estonia", date=FuzzyDate.day(2026, 2, 17), status=VisitStatus.PLANNED,
        notes="Hand-written note.", uid="dk-fm-visit",
    ))
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    person = next(i for i in of_kind(review.items, RecordType.PERSON)
                  if i.record.name == "Lars Holm Nielsen")
    assert person.mark == f"updates #{nielsen.id}" and person.record.uid == "nielsen"
    assert isinstance(person.record, Person) and person.record.notes == "Met him in 2024."
    [february] = [i for i in of_kind(review.items, RecordType.VISIT)
                  if isinstance(i.record, Visit) and i.record.date.start.month == 2]
    assert february.existing is not None and february.existing.id == visit.id
    assert february.record.uid == "dk-fm-visit"
    assert isinstance(february.record, Visit)
    assert february.record.status is VisitStatus.CANCELLED
    assert february.record.visitor == "nielsen"  # points at the stored person, not a new one
    assert february.record.notes == "Hand-written note."

    await ingest.save(EDITOR, review)
    people = [p for p in (await store.export_bundle(GUILD)).people
              if p.name == "Lars Holm Nielsen"]
    assert [p.uid for p in people] == ["nielsen"]
    saved = await store.get_by_uid(GUILD, RecordType.VISIT, "dk-fm-visit")
    assert isinstance(saved, Visit) and saved.status is VisitStatus.CANCELLED
    assert saved.source is not None and saved.source.startswith("source-")
    assert await store.count(GUILD, RecordType.VISIT) == len(of_kind(review.items,
                                                                     RecordType.VISIT))


async def test_a_plan_matches_by_title_and_date_only(
    ingest: IngestReviewService, desk: DeskService
) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    [plan] = of_kind(review.items, RecordType.PLAN)
    assert isinstance(plan.record, Plan)
    same = await desk.add(EDITOR, replace(plan.record, uid="", id=None, source=None,
                                          title=plan.record.title.upper(), meeting=None,
                                          visit=None, signatories=[]))
    other_day = replace(plan.record, uid="", id=None, source=None, meeting=None, visit=None,
                        signatories=[], date=FuzzyDate.year(2027))
    await desk.add(EDITOR, other_day)
    again = await ingest.review(EDITOR, TALLINN, dateline=None)
    [matched] = of_kind(again.items, RecordType.PLAN)
    assert matched.mark == f"updates #{same.id}"
    assert isinstance(matched.record, Plan) and matched.record.title == same.title


async def test_saving_a_subset_brings_the_people_and_source_it_needs(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    [meeting] = of_kind(review.items, RecordType.MEETING)
    assert isinstance(meeting.record, Meeting) and meeting.record.participants
    result = await ingest.save(EDITOR, review, [meeting.key])
    assert [i.key for i in result.saved] == [meeting.key]
    counts = await stored(store)
    assert counts["meetings"] == 1 and counts["sources"] == 1
    assert counts["people"] == len(meeting.record.participants)
    assert counts["plans"] == counts["visits"] == 0
    saved = await store.get_by_uid(GUILD, RecordType.MEETING, meeting.record.uid)
    assert isinstance(saved, Meeting) and saved.visit is None  # its visit was left out
    assert {i.kind for i in result.added} == {RecordType.PERSON, RecordType.SOURCE}


async def test_a_bad_reference_saves_nothing(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    [meeting] = of_kind(review.items, RecordType.MEETING)
    assert isinstance(meeting.record, Meeting)
    meeting.record = replace(meeting.record,
                             participants=[Participant("nobody-by-this-uid", "guest")])
    with pytest.raises(ImportRejected) as caught:
        await ingest.save(EDITOR, review)
    assert "nobody-by-this-uid" in str(caught.value)
    assert sum((await stored(store)).values()) == 0


async def test_readers_may_neither_review_nor_save(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    with pytest.raises(PermissionDeniedError):
        await ingest.review(READER, TALLINN, dateline=None)
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    with pytest.raises(PermissionDeniedError, match="Nothing was changed"):
        await ingest.save(READER, review)
    assert sum((await stored(store)).values()) == 0


async def test_choosing_nothing_saves_nothing(ingest: IngestReviewService) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    with pytest.raises(UserError, match="Nothing was chosen"):
        await ingest.save(EDITOR, review, [])


@pytest.mark.parametrize(("name", "size", "message"), [
    ("report.pdf", 100, "not a .txt or .md file"),
    ("report.txt", 0, "is empty"),
    ("report.md", 300_000, "at most 200 KB"),
])
def test_uploads_are_refused_before_reading(name: str, size: int, message: str) -> None:
    with pytest.raises(UserError, match=message):
        check_upload(name, size)


def test_an_upload_that_is_not_utf8_is_called_binary() -> None:
    with pytest.raises(UserError, match="binary"):
        decode_upload("x.txt", b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    assert decode_upload("x.md", "\ufeffDOHA — text".encode()) == "DOHA — text"


def test_a_dateline_must_be_a_day() -> None:
    assert dateline_day(FuzzyDate.day(2025, 9, 10)) == date(2025, 9, 10)
    assert dateline_day(None) is None
    with pytest.raises(UserError, match="must be one day"):
        dateline_day(FuzzyDate.month(2025, 9))


async def test_editing_a_proposed_visit_keeps_its_uid_and_marks_it(
    ingest: IngestReviewService,
) -> None:
    review = await ingest.review(EDITOR, TALLINN, dateline=None)
    [may] = [i for i in of_kind(review.items, RecordType.VISIT)
             if isinstance(i.record, Visit) and i.record.date.start.year == 2024]
    uid = may.record.uid
    assert dict((f.name, v) for f, v in edit_form(may.record))["date"] == "May 2024"
    edited = await ingest.edit(EDITOR, review, may.key, {"date": "12 May 2024",
                                                         "status": "Completed"})
    assert edited.edited and edited.record.uid == uid
    assert isinstance(edited.record, Visit) and edited.record.date == FuzzyDate.day(2024, 5, 12)


@pytest.mark.parametrize(("values", "message"), [
    ({"date": "whenever"}, 'Could not read "whenever" as a date'),
    ({"date": ""}, "date cannot be empty"),
    ({"status": "maybe"}, "Use one of: proposed, planned, confirmed"),
])
def test_a_bad_edit_is_refused_and_changes_nothing(values: dict[str, str], message: str) -> None:
    visit = Visit(None, "Foreign Minister", "Denmark", "Estonia", FuzzyDate.month(2024, 5),
                  VisitStatus.COMPLETED, uid="v")
    with pytest.raises(UserError, match=message):
        apply_edits(visit, values, today=date(2025, 9, 12))
    assert visit.date == FuzzyDate.month(2024, 5)


def test_edits_read_relative_dates_against_the_dateline_and_normalise_lists() -> None:
    meeting = Meeting("Talks", MeetingKind.BILATERAL_TALKS, FuzzyDate.day(2025, 9, 1), uid="m")
    edited = apply_edits(meeting, {"date": "on Tuesday", "countries": "kazakh; PK"},
                         today=date(2025, 9, 10))
    assert isinstance(edited, Meeting) and edited.uid == "m"
    assert edited.date == FuzzyDate.day(2025, 9, 9)  # the Tuesday before the dateline
    assert edited.countries == ["Kazakhstan", "Pakistan"]
    assert apply_edits(meeting, {"title": "Talks"}, today=date(2025, 9, 10)) is meeting
