"""Upstream reading on wordings of issue 12's eighth round: a counterpart received or hosted
is a meeting though no meeting word is used. Each class is tested on phrases of our own,
several wordings a class."""

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
