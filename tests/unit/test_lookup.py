"""Reading a typed record name: exact titles and names, then a unique word or its start."""

from __future__ import annotations

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Person,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.services.lookup import ambiguity, named, pick, words_of

DAR = Person(name="Mohammad Ishaq Dar", title="Foreign Minister", uid="dar", id=1)
NURTLEU = Person(name="Murat Nurtleu", title="Foreign Minister", uid="nurtleu", id=2)
TOKAYEV = Person(name="Kassym-Jomart Tokayev", title="President", uid="tokayev", id=3)
DARKHAN = Person(name="Darkhan Kaletayev", title="Ambassador", uid="darkhan", id=4)
PEOPLE = {p.uid: p for p in (DAR, NURTLEU, TOKAYEV, DARKHAN)}

VISIT_2025 = Visit(visitor="tokayev", visitor_role="President", from_country="Kazakhstan",
                   to_country="Pakistan", date=FuzzyDate.month(2025, 11),
                   status=VisitStatus.PLANNED, uid="v1", id=7)
VISIT_2003 = Visit(visitor=None, visitor_role="President of Kazakhstan",
                   from_country="Kazakhstan", to_country="Pakistan", date=FuzzyDate.year(2003),
                   status=VisitStatus.COMPLETED, uid="v2", id=8)
TALKS = Meeting(title="Pakistan–Kazakhstan delegation-level talks",
                kind=MeetingKind.DELEGATION_LEVEL_TALKS, date=FuzzyDate.day(2025, 9, 9),
                uid="m1", id=5)
JWG = Meeting(title="Joint Working Group on agriculture", kind=MeetingKind.JOINT_WORKING_GROUP,
              date=FuzzyDate.month(2025, 9), uid="m2", id=6)


def _pick(typed: str, *records: object) -> object:
    match = pick(typed, [named(r, PEOPLE) for r in records])  # type: ignore[arg-type]
    return match.record if match.record is not None else [c.record.id for c in match.candidates]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Murat Nurtleu", NURTLEU),  # the exact name
        ("murat nurtleu", NURTLEU),  # in any case
        ("Nurtleu", NURTLEU),  # one word of it
        ("nurt", NURTLEU),  # the start of a word
        ("Ishaq", DAR),
        ("Kassym-Jomart", TOKAYEV),  # a hyphenated name is two words
        ("Mohammad Ishaq Dar, Foreign Minister", DAR),  # the heading as shown
        ("Dar", [1, 4]),  # Dar and Darkhan: ambiguous, both offered
        ("Foreign Minister", []),  # a person is named by name, not office
        ("Zhumabek", []),
    ],
)
def test_people_by_name(typed: str, expected: object) -> None:
    assert _pick(typed, DAR, NURTLEU, TOKAYEV, DARKHAN) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Tokayev", VISIT_2025),  # the visitor's name
        ("kassym", VISIT_2025),
        ("President Pakistan", [7, 8]),  # role and country fit both
        ("President of Kazakhstan", VISIT_2003),  # "of" is only in the 2003 role
        ("President of Kazakhstan: Kazakhstan → Pakistan", VISIT_2003),  # the exact heading
        ("Kassym-Jomart Tokayev: Kazakhstan → Pakistan", VISIT_2025),  # the title shown
        ("Kazakh", [7, 8]),
        ("India", []),
    ],
)
def test_visits_by_visitor_role_or_country(typed: str, expected: object) -> None:
    assert _pick(typed, VISIT_2025, VISIT_2003) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Joint Working Group on agriculture", JWG),
        ("agri", JWG),
        ("delegation talks", TALKS),
        ("Pakistan–Kazakhstan delegation-level talks", TALKS),
        ("Kazakhstan", TALKS),
        ("group talks", []),  # every word must fit the same record
    ],
)
def test_titles_by_word(typed: str, expected: object) -> None:
    assert _pick(typed, TALKS, JWG) == expected


def test_accents_and_case_do_not_matter() -> None:
    assert words_of("Tête-à-TÊTE Nurtleú") == ["tete", "a", "tete", "nurtleu"]
    assert _pick("nurtléu", DAR, NURTLEU) == NURTLEU


def test_an_ambiguous_word_names_at_most_five() -> None:
    people = [Person(name=f"Aliya Number{i}", uid=f"p{i}", id=i) for i in range(1, 9)]
    match = pick("Aliya", [named(p, {}) for p in people])
    text = ambiguity("Aliya", RecordType.PERSON, match.candidates)
    assert text.startswith("'Aliya' fits 8 people:")
    assert text.count("• #") == 5 and "…and 3 more." in text
    assert "#1 Aliya Number1" in text and "e.g. #1" in text


def test_labels_say_number_heading_and_date() -> None:
    assert named(VISIT_2025, PEOPLE).label == (
        "#7 Kassym-Jomart Tokayev: Kazakhstan → Pakistan, November 2025")
    assert named(TALKS, PEOPLE).label == (
        "#5 Pakistan–Kazakhstan delegation-level talks, 9 September 2025")
    assert named(DAR, PEOPLE).label == "#1 Mohammad Ishaq Dar, Foreign Minister"
