"""Classes found by the error analysis of the fifth set (issue 12), on phrases of our own."""

from __future__ import annotations

from datetime import date

from bot.domain.fuzzydate import FuzzyDate
from bot.services.ingest.dates import find_dates
from bot.services.ingest.document import read_document
from bot.services.ingest.extract import propose

ANCHOR = date(2026, 9, 10)  # a Thursday
TODAY = date(2026, 6, 30)


def test_a_roadmap_for_a_partnership_adopted_on_a_weekday_is_the_last_one() -> None:
    text = ("The two presidents adopted a roadmap for a green hydrogen partnership on Tuesday, "
            "at talks in the capital.")
    (found,) = find_dates(text, ANCHOR)
    assert found.date == FuzzyDate.day(2026, 9, 8)


def test_a_roadmap_for_a_visit_still_puts_its_weekday_ahead() -> None:
    text = "Officials are drafting a roadmap for the state visit on Tuesday."
    (found,) = find_dates(text, ANCHOR)
    assert found.date == FuzzyDate.day(2026, 9, 15)


def test_a_list_of_titled_officials_of_countries_keeps_every_one() -> None:
    text = ("RIGA, 4 May 2026 — The summit was attended by President Aivars Kalns of Latvia, "
            "President Jonas Vilkas of Lithuania and President Mari Tamm of Estonia.")
    people = read_document(text, dateline=None, today=TODAY).people.people
    assert {(p.name, p.title, p.country) for p in people} == {
        ("Aivars Kalns", "President", "Latvia"), ("Jonas Vilkas", "President", "Lithuania"),
        ("Mari Tamm", "President", "Estonia")}


def test_a_town_the_table_does_not_know_is_in_the_country_its_dateline_names() -> None:
    text = ("ZELL AM SEE, Austria, 6 May 2026 — Austrian Foreign Minister Lena Haberl received "
            "Slovenian Foreign Minister Tomaž Rupnik for talks on Tuesday.")
    bundle = propose(text, dateline=None, today=TODAY).bundle
    assert [(v.from_country, v.to_country) for v in bundle.visits] == [("Slovenia", "Austria")]


def test_a_meeting_held_this_year_is_dated_by_the_day_its_sentence_tells() -> None:
    text = ("TURKU, 8 May 2026 — The prime ministers of Finland, Sweden and Norway adopted a "
            "statement on Thursday at the close of their Fifth Consultative Meeting, held this "
            "year in Turku.")
    (meeting,) = propose(text, dateline=None, today=TODAY).bundle.meetings
    assert meeting.date == FuzzyDate.day(2026, 5, 7)


def test_talks_that_evening_are_on_the_day_just_told_not_the_eve() -> None:
    text = ("TURKU, 8 May 2026 — Swedish Prime Minister Erik Lund arrived in Turku on Wednesday "
            "and held talks with Finnish Prime Minister Aino Koski that evening.")
    anchor = date(2026, 5, 8)
    doc = read_document(text, dateline=None, today=anchor)
    told = {m.text: m.date for mentions in doc.dates for m in mentions}
    assert told["that evening"] == FuzzyDate.day(2026, 5, 6)
    assert told["Wednesday"] == FuzzyDate.day(2026, 5, 6)
