"""Upstream reading on wordings of issue 12's eighth round: a counterpart received is a
meeting though no meeting word is used, "was received on Tuesday by" is still a reception, and
an organisation inside a portfolio ("Foreign and CARICOM Affairs") is no side.
Each class is tested on phrases of our own, several wordings a class."""

from __future__ import annotations

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import MeetingKind
from tests.unit.ingest_reading import read, who

D = FuzzyDate.day


@pytest.mark.parametrize("verb", ["received", "welcomed", "hosted"])
@pytest.mark.parametrize("counterpart", ["his Latvian counterpart", "her counterpart from Latvia"])
def test_a_counterpart_received_is_a_meeting_of_the_two(verb: str, counterpart: str) -> None:
    proposal = read(f"VILNIUS, 12 March 2026 — Lithuanian Foreign Minister Jonas Petraitis "
                    f"{verb} {counterpart}, Ilze Ozola, in Vilnius on Wednesday.")
    [talks] = proposal.bundle.meetings
    assert talks.kind is MeetingKind.BILATERAL_TALKS
    assert talks.date == D(2026, 3, 11)
    assert who(proposal, talks) == {"Jonas Petraitis", "Ilze Ozola"}
    assert set(talks.countries) == {"Lithuania", "Latvia"}


@pytest.mark.parametrize("between", ["on Tuesday", "in Bridgetown on Tuesday",
                                     "on Tuesday in Bridgetown"])
def test_received_by_with_a_day_or_place_between_is_a_meeting_and_a_visit(between: str) -> None:
    proposal = read(f"BRIDGETOWN, 22 April 2026 — Guyana's Foreign Minister, Ravi Doobay, "
                    f"was received {between} by Barbados's Prime Minister, Celia Worrell.")
    [talks] = proposal.bundle.meetings
    assert talks.date == D(2026, 4, 21)
    assert who(proposal, talks) == {"Ravi Doobay", "Celia Worrell"}
    [visit] = proposal.bundle.visits
    assert (visit.from_country, visit.to_country) == ("Guyana", "Barbados")


@pytest.mark.parametrize(("office", "country"), [
    ("Minister of Foreign and CARICOM Affairs", "Trinidad and Tobago"),
    ("Minister of Trade and ASEAN Economic Affairs", "Malaysia"),
    ("Minister of Foreign and SADC Affairs", "Botswana"),
])
def test_an_organisation_inside_a_portfolio_is_no_side(office: str, country: str) -> None:
    proposal = read(f"PARIS, 22 April 2026 — The {office} of {country}, Dana Holloway-Reid, "
                    "met French Foreign Minister Luc Garnier in Paris on Tuesday.")
    person = next(p for p in proposal.bundle.people if p.name == "Dana Holloway-Reid")
    assert (person.title, person.country) == (office, country)
    [talks] = proposal.bundle.meetings
    assert set(talks.countries) == {"France", country}


def test_an_unnamed_counterpart_received_is_met_at_the_talks_named_next() -> None:
    proposal = read("VILNIUS, 12 March 2026 — Lithuanian Foreign Minister Jonas Petraitis "
                    "received his Latvian counterpart and held a tête-à-tête with her in "
                    "Vilnius on Wednesday.")
    assert [m.kind for m in proposal.bundle.meetings] == [MeetingKind.TETE_A_TETE]
