"""Proposing records from a report's text: bot.services.ingest (offline, deterministic)."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import bundle_from_json
from bot.domain.records import MeetingKind, PlanKind, PlanStatus, VisitStatus
from bot.services.ingest import Proposal, proposal_json, propose
from bot.services.ingest.dateline import find_dateline
from bot.services.ingest.dates import find_dates
from bot.services.ingest.places import _CITY
from bot.services.ingest.plans import list_items
from tests.conftest import reference_article

D, M, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.year
CORPUS = Path(__file__).resolve().parent.parent / "data" / "ingest"
TODAY = date(2026, 6, 30)
DATELINE = date(2025, 9, 10)  # the reference article's, a Wednesday


@pytest.fixture(scope="module")
def reference() -> Proposal:
    return propose(reference_article(), dateline=None, today=TODAY)


def _names(proposal: Proposal) -> dict[str, str]:
    return {p.uid: p.name for p in proposal.bundle.people}


# --- the reference article ----------------------------------------------------------------


def test_reference_action_plan_signed_on_tuesday_with_nine_fields(reference: Proposal) -> None:
    plans = [p for p in reference.bundle.plans if p.kind is PlanKind.ACTION_PLAN]
    assert len(plans) == 1
    plan = plans[0]
    names = _names(reference)
    assert plan.status is PlanStatus.SIGNED
    assert plan.date == D(2025, 9, 9)
    assert plan.parties == ["Pakistan", "Kazakhstan"]
    assert plan.fields == [
        "politics", "trade", "economy", "defence and security", "science and technology",
        "culture", "tourism", "humanitarian assistance", "consular facilitation",
    ]
    assert {names[s.person]: s.on_behalf_of for s in plan.signatories} == {
        "Mohammad Ishaq Dar": "Ministry of Foreign Affairs of Pakistan",
        "Murat Nurtleu": "Ministry of Foreign Affairs of Kazakhstan",
    }


def test_reference_delegation_talks_co_chaired(reference: Proposal) -> None:
    talks = [m for m in reference.bundle.meetings
             if m.kind is MeetingKind.DELEGATION_LEVEL_TALKS]
    assert len(talks) == 1
    names = _names(reference)
    assert {names[p.person]: p.part for p in talks[0].participants} == {
        "Mohammad Ishaq Dar": "co-chair", "Murat Nurtleu": "co-chair"}
    assert talks[0].date == D(2025, 9, 9)  # the action plan was signed after them
    assert talks[0].place == "Islamabad"
    assert talks[0].countries == ["Pakistan", "Kazakhstan"]


def test_reference_other_meetings_are_dated_to_the_month_only(reference: Proposal) -> None:
    kinds = sorted(m.kind.value for m in reference.bundle.meetings)
    assert kinds == ["bilateral_talks", "business_meeting", "delegation_level_talks",
                     "joint_working_group", "joint_working_group", "site_visit", "tete_a_tete"]
    for meeting in reference.bundle.meetings:
        if meeting.kind is not MeetingKind.DELEGATION_LEVEL_TALKS:
            assert meeting.date == M(2025, 9), meeting.title  # the text gives no day
    groups = sorted(m.topics[0] for m in reference.bundle.meetings
                    if m.kind is MeetingKind.JOINT_WORKING_GROUP)
    assert groups == ["agriculture", "information technology"]


def test_reference_presidential_visit_planned_for_november(reference: Proposal) -> None:
    planned = [v for v in reference.bundle.visits if v.status is VisitStatus.PLANNED]
    assert len(planned) == 1  # four mentions, one visit
    visit = planned[0]
    assert visit.visitor is None  # "the Kazakh President" is never named
    assert visit.visitor_role == "President of Kazakhstan"
    assert (visit.from_country, visit.to_country) == ("Kazakhstan", "Pakistan")
    assert visit.date == M(2025, 11)
    assert visit.date.precision.value == "month"


def test_reference_last_presidential_visit_in_2003(reference: Proposal) -> None:
    past = [v for v in reference.bundle.visits if v.date == Y(2003)]
    assert len(past) == 1
    assert past[0].status is VisitStatus.COMPLETED
    assert past[0].visitor_role == "President of Kazakhstan"
    assert past[0].date.precision.value == "year"


def test_reference_foreign_minister_visit_and_expected_agreements(reference: Proposal) -> None:
    names = _names(reference)
    current = [v for v in reference.bundle.visits if v.visitor]
    assert [(names[v.visitor or ""], v.date, v.status) for v in current] == [
        ("Murat Nurtleu", D(2025, 9, 9), VisitStatus.COMPLETED)]
    expected = [p for p in reference.bundle.plans if p.status is PlanStatus.EXPECTED]
    assert [(p.kind, p.date) for p in expected] == [(PlanKind.AGREEMENT, M(2025, 11))]


def test_reference_people_have_titles_and_countries(reference: Proposal) -> None:
    people = {(p.name, p.title, p.country) for p in reference.bundle.people}
    assert people == {
        ("Mohammad Ishaq Dar", "Deputy Prime Minister and Foreign Minister", "Pakistan"),
        ("Murat Nurtleu", "Deputy Prime Minister and Foreign Minister", "Kazakhstan"),
    }


def test_reference_source_cites_the_text(reference: Proposal) -> None:
    text = reference_article()
    [source] = reference.bundle.sources
    assert source.text == text
    assert source.published == D(2025, 9, 10)
    assert "Islamabad" in source.title
    for kind in ("people", "meetings", "plans", "visits"):
        for record in getattr(reference.bundle, kind):
            assert record.source == source.uid


def test_proposal_json_is_the_export_schema(reference: Proposal) -> None:
    data = json.loads(json.dumps(proposal_json(reference)))
    assert data["schema_version"] == 1
    bundle, errors = bundle_from_json(data)
    assert errors == []
    assert len(bundle) == len(reference.bundle)


def test_proposals_are_deterministic_with_fresh_uids() -> None:
    text = reference_article()
    first = proposal_json(propose(text, dateline=None, today=TODAY))
    again = proposal_json(propose(text, dateline=None, today=date(2027, 1, 1)))
    assert first == again  # the dateline in the text, not today, anchors every date
    other = propose((CORPUS / "01-tashkent-kyrgyz-fm.txt").read_text(encoding="utf-8"),
                    dateline=None, today=TODAY)
    uids = {r["uid"] for kind in ("people", "meetings", "plans", "visits", "sources")
            for r in first[kind]}
    assert not uids & {r.uid for r in other.bundle.people + other.bundle.plans}


# --- datelines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "place"),
    [
        ("ISLAMABAD, Sept 10 — Pakistan and Kazakhstan", date(2025, 9, 10), "Islamabad"),
        (" date 2025-09-10 ISLAMABAD: Pakistan and", date(2025, 9, 10), "Islamabad"),
        ("ASTANA, 3 March 2026 (Reuters) - Kazakhstan", date(2026, 3, 3), "Astana"),
        ("DOHA, Nov. 3 (QNA) -- Qatar and", date(2025, 11, 3), "Doha"),
        ("MEXICO CITY, July 21, 2025 — The state visit", date(2025, 7, 21), "Mexico City"),
        ("Accra, 18/02/2026 — Ghana and", date(2026, 2, 18), "Accra"),
        ("ABU DHABI, 9th December 2025: The UAE", date(2025, 12, 9), "Abu Dhabi"),
        ("Lisbon, 12 March 2026\n\nPRESS RELEASE", date(2026, 3, 12), "Lisbon"),
        ("JOINT COMMUNIQUÉ\n\nParis, 15 January 2026\n\nAt the", date(2026, 1, 15), "Paris"),
        # No year: the most recent such day on or before today.
        ("SEOUL, Dec. 28 -- Mongolian", date(2025, 12, 28), "Seoul"),
    ],
)
def test_dateline_forms(text: str, day: date, place: str) -> None:
    found = find_dateline(text, date(2026, 6, 30))
    assert found is not None
    assert (found.day, found.place) == (day, place)


@pytest.mark.parametrize("text", [
    "On Tuesday Pakistan and Kazakhstan put their names to an action plan.",
    "The talks of 9 September 2025 were held in Islamabad after a long delay.",
    "",
])
def test_no_dateline(text: str) -> None:
    assert find_dateline(text, TODAY) is None


def test_dateline_argument_overrides_the_text() -> None:
    text = reference_article()
    later = propose(text, dateline=date(2025, 9, 17), today=TODAY)
    plan = next(p for p in later.bundle.plans if p.kind is PlanKind.ACTION_PLAN)
    assert plan.date == D(2025, 9, 16)  # "on Tuesday" before the given Wednesday
    assert later.dateline == date(2025, 9, 17)


def test_without_a_dateline_today_anchors_and_a_warning_says_so() -> None:
    text = ("Foreign Minister Ishaq Dar and his Kazakh counterpart, Murat Nurtleu, on Tuesday "
            "signed an action plan of cooperation between Pakistan and Kazakhstan.")
    proposal = propose(text, dateline=None, today=date(2026, 6, 30))  # a Tuesday
    assert proposal.bundle.plans[0].date == D(2026, 6, 30)
    assert proposal.bundle.sources[0].published is None
    assert any("No dateline" in w for w in proposal.warnings)


# --- relative dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        ("Pakistan and Kazakhstan on Tuesday signed", DATELINE, D(2025, 9, 9)),
        ("the group met in Osh last week", DATELINE, M(2025, 9)),
        ("will make a state visit next month", DATELINE, M(2025, 10)),
        ("would pay a state visit later this year", DATELINE, Y(2025)),
        ("the Kazakhstan President's visit in November 2025", DATELINE, M(2025, 11)),
        ("A Kazakh president last came to Pakistan in 2003.", DATELINE, Y(2003)),
        ("when the President travels to Abidjan on March 28th", DATELINE, D(2025, 3, 28)),
        ("is expected to be signed when he travels on March 28th", DATELINE, D(2026, 3, 28)),
        ("will be received on Friday by the President", DATELINE, D(2025, 9, 12)),
        ("the visit, originally planned for December, was", date(2026, 1, 28), M(2025, 12)),
        ("planned for April was cancelled", date(2026, 5, 27), M(2026, 4)),
        ("has been postponed to October", date(2025, 7, 21), M(2025, 10)),
        ("to visit Manila in the first quarter of 2026", DATELINE, FuzzyDate.quarter(2026, 1)),
        ("in the second half of the year", DATELINE, Y(2025)),
        ("signed today in Lisbon", date(2026, 3, 12), D(2026, 3, 12)),
        ("the ministers last met on 9 January 2026", TODAY, D(2026, 1, 9)),
        ("said Wednesday", date(2026, 1, 28), D(2026, 1, 28)),
    ],
)
def test_relative_dates(sentence: str, anchor: date, expected: FuzzyDate) -> None:
    found = find_dates(sentence, anchor)
    assert [m.date for m in found][-1:] == [expected]


def test_ranges_keep_their_end_and_words_are_not_dates() -> None:
    [visit] = find_dates("on an official visit to Japan from 5 to 8 November", date(2025, 11, 7))
    assert (visit.date, visit.end_date) == (D(2025, 11, 5), D(2025, 11, 8))
    assert find_dates("a roadmap for 2026-2027; we may sign it; in March alone", DATELINE)[0].date \
        == M(2025, 3)  # "for 2026-2027" is a period of a plan, "may" a verb, not dates


def test_relative_dates_in_a_proposal_never_invent_a_day() -> None:
    text = ("ASTANA, 3 March 2026 — Kazakhstan and Azerbaijan will sign an agreement on a joint "
            "shipping company when Azerbaijan's president visits Astana next month, Foreign "
            "Minister Yerlan Sadykov said after talks with his Azerbaijani counterpart, Rauf "
            "Guliyev. The last visit by an Azerbaijani president to Kazakhstan was in 2019.")
    proposal = propose(text, dateline=None, today=TODAY)
    by_status = {v.status: v for v in proposal.bundle.visits if v.visitor is None}
    assert by_status[VisitStatus.PLANNED].date == M(2026, 4)
    assert by_status[VisitStatus.COMPLETED].date == Y(2019)
    assert proposal.bundle.plans[0].status is PlanStatus.EXPECTED
    assert proposal.bundle.plans[0].date == M(2026, 4)


# --- visits that did not happen, several agreements ----------------------------------------


def test_postponed_and_cancelled_visits() -> None:
    postponed = propose(
        "NAIROBI, May 14 — A state visit to Kenya by Ethiopia's Prime Minister, Dawit "
        "Alemayehu, planned for 20–22 May, has been postponed, the ministry said.",
        dateline=None, today=TODAY)
    [visit] = postponed.bundle.visits
    assert visit.status is VisitStatus.POSTPONED
    assert (visit.date, visit.end_date) == (D(2026, 5, 20), D(2026, 5, 22))
    cancelled = propose(
        "SEOUL, Jan. 28 -- A visit to Ulaanbaatar by the South Korean Prime Minister in "
        "October was cancelled after the floods in Mongolia.", dateline=None, today=TODAY)
    [visit] = cancelled.bundle.visits
    assert (visit.status, visit.date) == (VisitStatus.CANCELLED, M(2025, 10))
    assert (visit.from_country, visit.to_country, visit.place) == (
        "South Korea", "Mongolia", "Ulaanbaatar")


def test_several_agreements_in_one_sentence() -> None:
    proposal = propose((CORPUS / "02-doha-philippines-mous.txt").read_text(encoding="utf-8"),
                       dateline=None, today=TODAY)
    mous = [p for p in proposal.bundle.plans if p.kind is PlanKind.MOU]
    assert sorted(p.title for p in mous) == [
        "Memorandum of understanding on health", "Memorandum of understanding on labour mobility",
        "Memorandum of understanding on sport", "Memorandum of understanding on tourism"]
    assert {p.date for p in mous} == {D(2025, 11, 2)}
    negotiating = [p for p in proposal.bundle.plans if p.status is PlanStatus.UNDER_NEGOTIATION]
    assert [p.date for p in negotiating] == [None]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("politics, trade, defence and security, and consular facilitation.",
         ["politics", "trade", "defence and security", "consular facilitation"]),
        ("trade, transport and logistics, energy and customs procedures, and asks both sides",
         ["trade", "transport and logistics", "energy", "customs procedures"]),
        ("education, the blue economy and the strengthening of institutions.",
         ["education", "blue economy", "strengthening of institutions"]),
    ],
)
def test_list_items(text: str, items: list[str]) -> None:
    assert list_items(text) == items


def test_city_table_names_only_known_countries() -> None:
    for _name, country in _CITY.values():
        assert normalise_country(country) == country


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "The text is empty"),
        ("   \n\t  ", "The text is empty"),
        ("\x00\x01PK\x03\x04 binary" * 40, "binary file"),
        ("Pakistan signed an agreement. " * 7_000, "at most 200 KB"),
        ("".join("qzxv wpl kjh " for _ in range(15_000)), "does not read as English prose"),
        ("The weather in Islamabad was sunny on Tuesday, with temperatures reaching 35 "
         "degrees. Residents went to the parks and markets stayed open late.",
         "No meetings, agreements or visits"),
        ("The Prime Minister visited a school in Lahore on Monday and spoke to pupils about "
         "the new curriculum for the province.", "No meetings, agreements or visits"),
    ],
    ids=["empty", "blank", "binary", "oversized", "noise", "weather", "domestic"],
)
def test_bad_input_is_refused_with_a_clear_message(text: str, says: str) -> None:
    with pytest.raises(UserError) as refused:
        propose(text, dateline=None, today=TODAY)
    assert says in str(refused.value)


def test_two_hundred_kb_of_noise_is_refused() -> None:
    noise = ("x7Gq2 Lm9 " * 20_000)[:200_000]
    with pytest.raises(UserError, match="English prose"):
        propose(noise, dateline=None, today=TODAY)


# --- speed (opt-in) -------------------------------------------------------------------------


def _ten_kb_report() -> str:
    text = reference_article()
    others = sorted(CORPUS.glob("*.txt"))
    i = 0
    while len(text.encode("utf-8")) < 10_000:
        text += "\n\n" + others[i % len(others)].read_text(encoding="utf-8").split("\n", 1)[1]
        i += 1
    return text.encode("utf-8")[:10_000].decode("utf-8", "ignore")


@pytest.mark.benchmark
def test_ingest_speed_on_ten_kb() -> None:
    text = _ten_kb_report()
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        propose(text, dateline=None, today=TODAY)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"\ningest of a {len(text.encode('utf-8')) // 1000} KB report: median "
          f"{samples[len(samples) // 2]:.1f} ms, worst {samples[-1]:.1f} ms (budget 200 ms)")
