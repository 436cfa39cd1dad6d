"""An ingest review never damages what the desk knows: field-by-field changes, the more
specific value kept by default, a choice per field, and a save refused after a concurrent edit."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Person,
    Record,
    RecordType,
    Source,
    Visit,
    VisitStatus,
)
from bot.services.access import Actor
from bot.services.factory import Services
from bot.services.ingest.markup import plain_text
from bot.services.ingest_review import (
    Choice,
    IngestReviewService,
    Review,
    ReviewItem,
    field_changes,
)
from bot.stores.records import RecordStore
from tests.conftest import GUILD

EDITOR = Actor(GUILD, 7, can_manage_guild=True)
# Written for these tests: a visit known to the month, a named minister, and talks.
REPORT = (
    "ASTANA, 3 March 2026 — Kazakh Foreign Minister Murat Nurtleu held talks with his "
    "Uzbek counterpart, Bakhtiyor Saidov, on Monday. The President of Uzbekistan is "
    "expected to visit Kazakhstan in May 2026."
)
MASKED = re.compile(r"\[[^\]]*\]\([^)]*\)")


@pytest.fixture
def ingest(services: Services) -> IngestReviewService:
    return services.ingest


def item_of(review: Review, kind: RecordType, heading: str) -> ReviewItem:
    return next(i for i in review.items if i.kind is kind and heading in i.record.heading)


async def seed(services: Services, *records: Record) -> list[Record]:
    return [await services.desk.add(EDITOR, r) for r in records]


# --- the default rule, on records alone ---------------------------------------------------


def test_a_less_specific_office_keeps_the_stored_one() -> None:
    stored = Person("Murat Nurtleu", "Deputy Prime Minister and Foreign Minister", "Kazakhstan",
                    uid="mn", id=3)
    report = Person("Murat Nurtleu", "Foreign Minister", "Kazakhstan", uid="mn")
    [change] = field_changes(stored, report)
    assert (change.name, change.default) == ("title", Choice.KEEP)
    assert change.before == "Deputy Prime Minister and Foreign Minister"
    assert change.after == "Foreign Minister"
    assert "less specific" in change.why
    # The other way round the report says more, and is taken.
    [wider] = field_changes(report, stored)
    assert wider.default is Choice.TAKE


def test_a_day_is_not_replaced_by_its_month_but_another_month_is_taken() -> None:
    day = Visit(None, "President", "Uzbekistan", "Kazakhstan", FuzzyDate.day(2026, 5, 12),
                VisitStatus.PLANNED, uid="v", id=4)
    changes = {c.name: c for c in field_changes(day, replace(day, date=FuzzyDate.month(2026, 5)))}
    assert changes["date"].default is Choice.KEEP
    moved = {c.name: c for c in field_changes(day, replace(day, date=FuzzyDate.month(2026, 6)))}
    assert moved["date"].default is Choice.TAKE


def test_the_source_already_cited_is_kept_and_lists_only_grow() -> None:
    stored = Meeting("Talks", MeetingKind.BILATERAL_TALKS, FuzzyDate.day(2026, 3, 2),
                     countries=["Kazakhstan"], source="old-source", summary="Typed by hand.",
                     uid="m", id=5)
    report = replace(stored, countries=["Uzbekistan"], source="new-source", summary="From it.")
    changes = {c.name: c for c in field_changes(stored, report)}
    assert changes["source"].default is Choice.KEEP
    assert changes["summary"].default is Choice.KEEP
    assert changes["countries"].default is Choice.TAKE
    assert changes["countries"].after == ["Kazakhstan", "Uzbekistan"]  # nothing stored is lost
    # A link the stored record lacks is filled in.
    bare = {c.name: c for c in field_changes(replace(stored, source=None), report)}
    assert bare["source"].default is Choice.TAKE


# --- in a review ----------------------------------------------------------------------------


async def test_an_update_card_keeps_the_more_specific_title_until_told_otherwise(
    ingest: IngestReviewService, services: Services, store: RecordStore
) -> None:
    [nurtleu] = await seed(services, Person(
        "Murat Nurtleu", "Deputy Prime Minister and Foreign Minister", "Kazakhstan",
        notes="Prefers French.", uid="nurtleu"))
    review = await ingest.review(EDITOR, REPORT, dateline=None)
    item = item_of(review, RecordType.PERSON, "Nurtleu")
    assert item.mark == f"updates #{nurtleu.id}"
    title = next(c for c in item.changes if c.name == "title")
    assert (title.before, title.after, title.default) == (
        "Deputy Prime Minister and Foreign Minister", "Foreign Minister", Choice.KEEP)
    assert isinstance(item.record, Person)
    assert item.record.title == "Deputy Prime Minister and Foreign Minister"
    assert item.record.notes == "Prefers French."

    ingest.choose(review, item.key, ["title"])
    assert isinstance(item.record, Person) and item.record.title == "Foreign Minister"
    ingest.choose(review, item.key, [])  # and back: every field keeps what is stored
    assert item.record == item.existing and item.mark == f"same as #{nurtleu.id}"
    with pytest.raises(UserError, match="not one the report changes"):
        ingest.choose(review, item.key, ["name"])

    ingest.choose(review, item.key, ["title"])
    await ingest.save(EDITOR, review)
    saved = await store.get_by_uid(GUILD, RecordType.PERSON, "nurtleu")
    assert isinstance(saved, Person)
    assert (saved.title, saved.notes) == ("Foreign Minister", "Prefers French.")


async def test_a_stored_day_and_source_survive_a_report_of_the_month(
    ingest: IngestReviewService, services: Services, store: RecordStore
) -> None:
    [source] = await seed(services, Source("Protocol office note", uid="note"))
    [visit] = await seed(services, Visit(
        None, "President of Uzbekistan", "Uzbekistan", "Kazakhstan",
        FuzzyDate.day(2026, 5, 12), VisitStatus.CONFIRMED, source=source.uid, uid="visit"))
    review = await ingest.review(EDITOR, REPORT, dateline=None)
    item = item_of(review, RecordType.VISIT, "Uzbekistan → Kazakhstan")
    assert item.existing is not None and item.existing.id == visit.id
    assert isinstance(item.record, Visit)
    assert item.record.date == FuzzyDate.day(2026, 5, 12)
    assert item.record.source == "note"
    assert {c.name: c.default for c in item.changes}["source"] is Choice.KEEP
    await ingest.save(EDITOR, review)
    saved = await store.get_by_uid(GUILD, RecordType.VISIT, "visit")
    assert isinstance(saved, Visit)
    assert (saved.date, saved.source) == (FuzzyDate.day(2026, 5, 12), "note")
    assert saved.status is VisitStatus.PLANNED  # the report's status is taken by default


async def test_a_save_after_a_concurrent_edit_is_refused_and_writes_nothing(
    ingest: IngestReviewService, services: Services, store: RecordStore
) -> None:
    [nurtleu] = await seed(services, Person("Murat Nurtleu", "Foreign Minister", "Kazakhstan",
                                            uid="nurtleu"))
    review = await ingest.review(EDITOR, REPORT, dateline=None)
    before = await store.export_bundle(GUILD)
    # Another editor corrects the person while the review is open.
    newer = replace(nurtleu, title="Deputy Prime Minister and Foreign Minister")
    await services.changes.update(GUILD, nurtleu, newer, actor_id=99)
    with pytest.raises(UserError) as refused:
        await ingest.save(EDITOR, review)
    message = refused.value.message
    assert f"“updates #{nurtleu.id} · person Murat Nurtleu, Foreign Minister” was edited (title)" \
        in message
    assert "Run /ingest again" in message
    after = await store.export_bundle(GUILD)
    assert [len(after.section(k)) for k in RecordType] == [len(before.section(k))
                                                           for k in RecordType]
    kept = await store.get_by_uid(GUILD, RecordType.PERSON, "nurtleu")
    assert isinstance(kept, Person) and kept.title == newer.title  # the newer edit stands


async def test_a_second_review_of_the_same_report_cannot_save_over_the_first(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    first = await ingest.review(EDITOR, REPORT, dateline=None)
    second = await ingest.review(EDITOR, REPORT, dateline=None)
    await ingest.save(EDITOR, first)
    counted = await store.count(GUILD, RecordType.MEETING)
    with pytest.raises(UserError, match="was saved by someone else as #"):
        await ingest.save(EDITOR, second)
    assert await store.count(GUILD, RecordType.MEETING) == counted


# --- markup ---------------------------------------------------------------------------------


def test_masked_links_and_markup_become_plain_text() -> None:
    assert plain_text("See the [Official statement](https://evil.example).") == (
        "See the Official statement (https://evil.example).")
    assert plain_text("[a [b](https://x.example)](https://y.example)") == (
        "a b (https://x.example) (https://y.example)")
    assert plain_text("# **ASTANA**, 3 March\n> quoted ||spoiler|| `code` <@123>") == (
        "ASTANA, 3 March\nquoted spoiler code @123")
    assert MASKED.search(plain_text("[x](y) [](z) [w]( <v> ) [[u]](t)")) is None
    assert plain_text("snake_case and 2*3*4 stay") == "snake_case and 2*3*4 stay"


async def test_a_report_with_masked_links_is_stored_as_text(
    ingest: IngestReviewService, store: RecordStore
) -> None:
    text = ("**ASTANA, 3 March 2026** — Kazakh Foreign Minister Murat Nurtleu held talks with "
            "his Uzbek counterpart, Bakhtiyor Saidov, on Monday, according to the "
            "[Official statement](https://evil.example). They signed a [roadmap on water]"
            "(https://evil.example/x) for 2026–2028.")
    review = await ingest.review(EDITOR, text, dateline=None)
    assert review.dateline == date(2026, 3, 3)  # the bold dateline is read once plain
    await ingest.save(EDITOR, review)
    bundle = await store.export_bundle(GUILD)
    [source] = bundle.sources
    assert "Official statement (https://evil.example)" in source.text
    strings = [value for kind in RecordType for record in bundle.section(kind)
               for value in vars(record).values() if isinstance(value, str)]
    assert strings and not any(MASKED.search(s) for s in strings)
    assert not any("**" in s for s in strings)
