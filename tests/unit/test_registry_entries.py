"""Each record type's entry is complete, and the lists, pickers, cards, lookups and events
that name a record read its noun and heading from that entry, not from a switch of their own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain import registry
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    FollowUp,
    Meeting,
    MeetingKind,
    Person,
    Plan,
    PlanKind,
    PlanStatus,
    Record,
    RecordType,
    Source,
    Visit,
    VisitStatus,
)
from bot.domain.registry import REGISTRY, FieldKind, date_of, headline, line_of, spec_of
from bot.services import lookup
from bot.services.desk import RecordLinks
from bot.services.events import event_for
from bot.services.lookup import named
from bot.ui import followups as followup_ui
from bot.ui.render import (
    COLOURS,
    card_footer,
    choice_label,
    list_embed,
    list_line,
    record_card,
)

TOKAYEV = Person(name="Kassym-Jomart Tokayev", title="President", country="Kazakhstan",
                 uid="tokayev", id=3)
PEOPLE = {TOKAYEV.uid: TOKAYEV}
RECORDS: dict[RecordType, Record] = {
    RecordType.PERSON: TOKAYEV,
    RecordType.SOURCE: Source(title="Dawn, 10 September", published=FuzzyDate.day(2025, 9, 10),
                              uid="s1", id=4),
    RecordType.VISIT: Visit(visitor="tokayev", visitor_role="President",
                            from_country="Kazakhstan", to_country="Pakistan",
                            date=FuzzyDate.day(2025, 11, 24), status=VisitStatus.PLANNED,
                            uid="v1", id=7),
    RecordType.MEETING: Meeting(title="Delegation-level talks",
                                kind=MeetingKind.DELEGATION_LEVEL_TALKS,
                                date=FuzzyDate.day(2025, 9, 9), uid="m1", id=5),
    RecordType.PLAN: Plan(title="Action plan 2025–27", kind=PlanKind.ACTION_PLAN,
                          status=PlanStatus.SIGNED, date=FuzzyDate.day(2025, 9, 9),
                          uid="p1", id=6),
    RecordType.FOLLOWUP: FollowUp(what="Finalise the MoUs", due=FuzzyDate.day(2025, 11, 1),
                                  uid="f1", id=8),
}
# What each type was called before the nouns moved into the registry.
NOUNS = {RecordType.PERSON: ("person", "people"), RecordType.SOURCE: ("source", "sources"),
         RecordType.VISIT: ("visit", "visits"), RecordType.MEETING: ("meeting", "meetings"),
         RecordType.PLAN: ("plan", "plans"), RecordType.FOLLOWUP: ("follow-up", "follow-ups")}
HEADINGS = {
    RecordType.PERSON: "Kassym-Jomart Tokayev, President",
    RecordType.SOURCE: "Dawn, 10 September",
    RecordType.VISIT: "Kassym-Jomart Tokayev: Kazakhstan → Pakistan",
    RecordType.MEETING: "Delegation-level talks",
    RecordType.PLAN: "Action plan 2025–27",
    RecordType.FOLLOWUP: "Finalise the MoUs",
}


def test_every_record_type_has_a_complete_entry() -> None:
    assert set(REGISTRY) == set(RecordType) == set(RECORDS)
    for kind, spec in REGISTRY.items():
        assert spec.type is kind and spec_of(RECORDS[kind]) is spec
        assert (spec.noun, spec.nouns) == NOUNS[kind]
        assert kind in COLOURS, f"{kind} has no colour"
        assert headline(RECORDS[kind], PEOPLE) == HEADINGS[kind]


def test_the_heading_without_the_people_is_the_records_own() -> None:
    # Only a visit names a linked person in its heading; without them it is its role.
    for kind, record in RECORDS.items():
        assert headline(record, {}) == record.heading, kind
    assert RECORDS[RecordType.VISIT].heading == "President: Kazakhstan → Pakistan"


def test_the_main_date_is_read_from_the_entry() -> None:
    assert date_of(RECORDS[RecordType.PERSON]) is None
    assert date_of(RECORDS[RecordType.SOURCE]) == FuzzyDate.day(2025, 9, 10)
    assert date_of(RECORDS[RecordType.FOLLOWUP]) == FuzzyDate.day(2025, 11, 1)
    assert date_of(RECORDS[RecordType.VISIT]) == FuzzyDate.day(2025, 11, 24)


def test_the_follow_up_colour_is_the_tables() -> None:
    assert followup_ui.COLOUR == COLOURS[RecordType.FOLLOWUP]


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entry's noun and heading replaced by markers naming the type."""
    def heading(kind: RecordType) -> Callable[[Mapping[str, Any]], str]:
        return lambda _values: f"HEAD-{kind.value}"

    for kind, spec in list(REGISTRY.items()):
        changed = replace(spec, noun=f"noun-{kind.value}", nouns=f"nouns-{kind.value}",
                          heading=heading(kind))
        monkeypatch.setitem(REGISTRY, kind, changed)
        monkeypatch.setitem(registry._BY_CLASS, spec.cls, changed)


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("kind", list(RecordType))
def test_the_heading_every_site_shows_is_the_entrys(kind: RecordType) -> None:
    record = RECORDS[kind]
    mark = f"HEAD-{kind.value}"
    line = line_of(record, PEOPLE)
    assert line.headline == mark
    assert choice_label(line).startswith(f"#{record.id} {mark}")
    assert named(record, PEOPLE).label.startswith(f"#{record.id} {mark}")
    if kind is not RecordType.PERSON:  # a person's line shows name, title and country
        assert f"**{mark}**" in list_line(record, PEOPLE)


@pytest.mark.usefixtures("marked")
def test_a_visits_event_is_named_by_its_heading() -> None:
    visit = RECORDS[RecordType.VISIT]
    assert isinstance(visit, Visit)
    event = event_for(visit, PEOPLE, zone="UTC", now=datetime(2025, 9, 12, tzinfo=UTC))
    assert event is not None and event.name == "HEAD-visit"


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("kind", list(RecordType))
def test_the_noun_every_site_shows_is_the_entrys(kind: RecordType) -> None:
    record = RECORDS[kind]
    assert card_footer(record).startswith(f"Noun-{kind.value} #{record.id}")
    one = list_embed("t", kind, ["a"], page=1, pages=1, total=1, empty="")
    many = list_embed("t", kind, ["a", "b"], page=1, pages=1, total=2, empty="")
    assert one.footer.text is not None and one.footer.text.endswith(f"1 noun-{kind.value}")
    assert many.footer.text is not None and many.footer.text.endswith(f"2 nouns-{kind.value}")


@pytest.mark.usefixtures("marked")
def test_the_follow_up_list_counts_in_its_entrys_nouns() -> None:
    one = followup_ui.list_embed("t", ["a"], page=1, pages=1, total=1, empty="")
    many = followup_ui.list_embed("t", ["a", "b"], page=1, pages=1, total=2, empty="")
    assert one.footer.text == "Page 1 of 1 · 1 noun-followup · overdue first"
    assert many.footer.text == "Page 1 of 1 · 2 nouns-followup · overdue first"


def test_a_visit_answers_to_its_role_countries_and_visitor() -> None:
    visit = RECORDS[RecordType.VISIT]
    assert named(visit, PEOPLE).words == ("President", "Kazakhstan", "Pakistan",
                                          "Kassym-Jomart Tokayev")
    assert named(visit, {}).words == ("President", "Kazakhstan", "Pakistan", "")


@pytest.mark.parametrize("kind", list(RecordType))
def test_what_a_picker_matches_is_the_entrys_search_names(
    kind: RecordType, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = RECORDS[kind]
    spec = spec_of(kind)
    other = next(f.name for f in spec.of(FieldKind.TEXT) if f.name not in spec.search.name_parts)
    changed = replace(spec, search=replace(spec.search, title=(other,), names=()))
    monkeypatch.setitem(REGISTRY, kind, changed)
    monkeypatch.setitem(registry._BY_CLASS, spec.cls, changed)
    assert named(record, PEOPLE).words == (getattr(record, other),)


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("kind", list(RecordType))
def test_every_card_names_its_type_by_the_entrys_noun(kind: RecordType) -> None:
    record = RECORDS[kind]
    card = record_card(record, RecordLinks(people=PEOPLE), date(2025, 9, 12))
    assert card.footer.text == f"Noun-{kind.value} #{record.id} · uid {record.uid}"
    if kind is RecordType.VISIT:
        assert card.title == "HEAD-visit"


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("kind", list(RecordType))
def test_a_lookup_that_fails_names_the_type_by_the_entrys_nouns(kind: RecordType) -> None:
    record = RECORDS[kind]
    assert lookup.not_found("zz", kind).startswith(f"No noun-{kind.value} matches 'zz'")
    two = [named(record, PEOPLE), named(record, PEOPLE)]
    assert f"fits 2 nouns-{kind.value}:" in lookup.ambiguity("zz", kind, two)
