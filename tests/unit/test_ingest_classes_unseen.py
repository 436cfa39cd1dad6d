"""Ingest on the classes the blind set showed it missing (issue 12), each tested on phrases of
our own, several wordings a class: seasons, onward and called-off stops, the day before
"during X's visit", guests "visiting", delegations "of the … government, headed by", a
visit's first day from "on the second day of", signatories told a sentence later, bodies
holding "their regular meeting", trips to several countries, organisations' seats."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.organisations import ORGANISATIONS, find_organisation, read_side, seated_in
from bot.domain.records import MeetingKind, VisitStatus
from bot.services.ingest import Proposal
from bot.services.ingest.dates import find_dates
from bot.services.ingest.organisations import find_organisations
from tests.unit.ingest_reading import read as _read

D, M, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.year


def _visits(proposal: Proposal) -> set[tuple[str | None, str, str, VisitStatus, str]]:
    names = {p.uid: p.name for p in proposal.bundle.people}
    return {(names.get(v.visitor or ""), v.from_country, v.to_country, v.status,
             f"{v.date.value}..{v.end_date.value if v.end_date else ''}")
            for v in proposal.bundle.visits}


@pytest.mark.parametrize(("phrase", "read_on", "year"), [
    ("will travel there in the spring", date(2026, 2, 3), 2026),
    ("will travel there in the autumn", date(2026, 11, 20), 2026),  # still autumn
    ("will travel there in the autumn", date(2026, 12, 10), 2027),  # this one is over
    ("visited them in the autumn", date(2026, 2, 3), 2025),
    ("will go next spring", date(2026, 2, 3), 2026),
    ("is expected in spring 2027", date(2026, 2, 3), 2027),
    ("planned for the winter of 2026", date(2026, 2, 3), 2026),
    ("later in the year", date(2026, 2, 3), 2026),
    ("by the end of the year", date(2026, 2, 3), 2026),
])
def test_a_season_is_its_year(phrase: str, read_on: date, year: int) -> None:
    [found] = find_dates(phrase, read_on)
    assert found.date == Y(year)


@pytest.mark.parametrize("phrase", ["a fall in exports", "the Arab Spring", "spring rolls"])
def test_a_season_word_that_is_no_season_is_no_date(phrase: str) -> None:
    assert find_dates(phrase, date(2026, 2, 3)) == []


def test_a_visit_announced_for_a_season_is_planned_for_that_year() -> None:
    proposal = _read(
        "CANBERRA, 3 February 2026 — Australian Foreign Minister Sarah Kelly will visit India "
        "in the spring, her office said on Tuesday.")
    assert _visits(proposal) == {("Sarah Kelly", "Australia", "India", VisitStatus.PLANNED,
                                  "2026..")}


@pytest.mark.parametrize("second", [
    "A stop in Kigali planned for the same trip has also been called off.",
    "His trip to Rwanda later in the month has also been called off.",
    "He has also called off a leg in Rwanda.",
])
def test_a_second_trip_named_in_passing_is_a_visit_of_the_same_traveller(second: str) -> None:
    proposal = _read(
        "NAIROBI, 3 March 2026 - Ugandan President Yoweri Kato has postponed a state visit to "
        f"Kenya that was due to begin on 10 March, the ministry said on Tuesday. {second}")
    found = _visits(proposal)
    assert ("Yoweri Kato", "Uganda", "Kenya", VisitStatus.POSTPONED, "2026-03-10..") in found
    assert ("Yoweri Kato", "Uganda", "Rwanda", VisitStatus.CANCELLED, "2026-03..") in found


def test_a_stop_named_beside_a_visit_leaves_the_visit_its_day() -> None:
    proposal = _read(
        "LIMA, 5 May 2026 — Peruvian Foreign Minister Jorge Salazar has postponed his visit to "
        "Bolivia, scheduled for 12 May, as well as a stop in Asunción, the ministry said.")
    assert {v[2:] for v in _visits(proposal)} == {
        ("Bolivia", VisitStatus.POSTPONED, "2026-05-12.."),
        ("Paraguay", VisitStatus.POSTPONED, "2026-05..")}


@pytest.mark.parametrize("frame", ["during Fahmy's working visit to Italy",
                                   "in the course of Fahmy's visit",
                                   "on the margins of Fahmy's working visit"])
def test_the_day_before_a_visit_that_frames_a_meeting_is_the_meetings(frame: str) -> None:
    proposal = _read(
        "ROME, 14 May 2026 — Italian Foreign Minister Paolo Ricci met Egyptian Foreign Minister "
        f"Samir Fahmy in Rome on Wednesday {frame}.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 5, 13)
    [visit] = proposal.bundle.visits
    assert (visit.from_country, visit.to_country, visit.date) == ("Egypt", "Italy",
                                                                D(2026, 5, 13))


@pytest.mark.parametrize("guest", ["visiting Cambodian Deputy Prime Minister Sok Chenda",
                                   "the visiting Deputy Prime Minister of Cambodia, Sok Chenda"])
def test_a_visiting_guest_travelled_and_the_day_is_the_meetings(guest: str) -> None:
    proposal = _read(
        f"HANOI, 2 October 2026 — Prime Minister Pham Van Duc received {guest} at the "
        "Government Office on Thursday.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 10, 1)
    assert _visits(proposal) == {("Sok Chenda", "Cambodia", "Vietnam", VisitStatus.COMPLETED,
                                  "2026-10-01..")}


@pytest.mark.parametrize("delegation", [
    "A delegation of the Croatian government, headed by Deputy Prime Minister Ivo Matić,",
    "A Croatian government delegation led by Deputy Prime Minister Ivo Matić",
    "A Croatian delegation headed by Deputy Prime Minister Ivo Matić",
])
def test_a_delegation_led_by_someone_is_their_side_and_their_visit(delegation: str) -> None:
    proposal = _read(
        f"BRATISLAVA, 12 May 2026 — {delegation} held talks in Bratislava on Tuesday with "
        "Slovak Economy Minister Peter Kováč.")
    matic = next(p for p in proposal.bundle.people if p.name == "Ivo Matić")
    assert matic.country == "Croatia"
    assert _visits(proposal) == {("Ivo Matić", "Croatia", "Slovakia", VisitStatus.COMPLETED,
                                  "2026-05-12..")}


@pytest.mark.parametrize(("told", "days"), [
    ("on the second day of his official visit to Laos", "2026-01-15.."),
    ("at the end of his two-day official visit to Laos", "2026-01-15..2026-01-16"),
])
def test_a_visit_dated_only_by_the_meeting_during_it_runs_back(told: str, days: str) -> None:
    proposal = _read(
        "VIENTIANE, 16 January 2026 — Thai Prime Minister Anutin Srisuk met Lao Prime Minister "
        f"Sonexay Siphandone in Vientiane on Friday, {told}.")
    assert {v[1:] for v in _visits(proposal)} == {("Thailand", "Laos", VisitStatus.COMPLETED,
                                                   days)}


@pytest.mark.parametrize("signers", [
    "The agreement was signed by Norwegian Fisheries Minister Kari Nordby and Icelandic "
    "Fisheries Minister Jón Gunnarsson.",
    "Norwegian Fisheries Minister Kari Nordby and her Icelandic counterpart, Jón Gunnarsson, "
    "put their signatures to the document after two hours of talks.",
    "Norwegian Fisheries Minister Kari Nordby and Icelandic Fisheries Minister Jón Gunnarsson "
    "initialled the text.",
])
def test_signatories_named_in_the_next_sentence_sign_the_text_just_signed(signers: str) -> None:
    proposal = _read(
        "OSLO, 21 January 2026 — Norway and Iceland signed a fisheries protocol in Oslo on "
        f"Wednesday. {signers}")
    [plan] = proposal.bundle.plans
    names = {p.uid: p.name for p in proposal.bundle.people}
    assert {names[s.person] for s in plan.signatories} == {"Kari Nordby", "Jón Gunnarsson"}


def test_a_body_holding_its_regular_meeting_is_a_meeting_of_those_who_attend() -> None:
    proposal = _read(
        "MINSK, 3 April 2026 — The CIS Council of Foreign Ministers held its regular meeting in "
        "Minsk on Friday. Belarusian Foreign Minister Viktor Sidorenko chaired the meeting, "
        "which was attended by the foreign ministers of Armenia, Kazakhstan, Kyrgyzstan, "
        "Russia, Tajikistan and Uzbekistan.")
    [meeting] = proposal.bundle.meetings
    assert meeting.kind is MeetingKind.OTHER and meeting.date == D(2026, 4, 3)
    assert {"CIS", "Belarus", "Armenia", "Russia", "Uzbekistan"} <= set(meeting.countries)


@pytest.mark.parametrize(("days", "first", "last"), [
    ("from 29 June to 2 July", "2026-06-29", "2026-07-02"),
    ("June 29 to July 2", "2026-06-29", "2026-07-02"),
])
def test_a_trip_to_several_countries_is_a_visit_to_each(days: str, first: str,
                                                        last: str) -> None:
    proposal = _read(
        "HELSINKI, 22 June 2026 — The Minister of Foreign Affairs of Finland, Liisa Korhonen, "
        f"will visit Namibia and Botswana {days}.")
    assert {v[2:] for v in _visits(proposal)} == {
        ("Namibia", VisitStatus.PLANNED, f"{first}..{last}"),
        ("Botswana", VisitStatus.PLANNED, f"{first}..{last}")}


def test_a_range_into_the_next_year_ends_in_it() -> None:
    [found] = find_dates("from 30 December to 2 January", date(2026, 6, 22))
    assert (found.date, found.end_date) == (D(2026, 12, 30), D(2027, 1, 2))


# --- one organisation table -----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "name"), [
    ("Gulf Cooperation Council", "GCC"), ("the African Union Commission", "African Union"),
    ("BIMSTEC", "BIMSTEC"), ("Andean Community", "Andean Community"),
    ("Pacific Islands Forum Secretariat", "Pacific Islands Forum"), ("OECD", "OECD"),
])
def test_a_name_the_desk_types_and_one_a_report_gives_are_one_side(typed: str,
                                                                   name: str) -> None:
    assert read_side(typed) == name
    [mention] = find_organisations(f"They met at the {typed} on Monday.")
    assert mention.name == name


def test_every_organisation_has_one_spelling_and_its_seats() -> None:
    names = [org.name for org in ORGANISATIONS]
    assert len(names) == len(set(names))
    for org in ORGANISATIONS:
        for form in org.forms:
            assert find_organisation(form) is org, form
    assert seated_in("BIMSTEC", "Dhaka") and seated_in("Andean Community", "Lima")
    assert not seated_in("BIMSTEC", "Bangkok")


def test_a_short_name_in_mixed_case_is_not_read_as_an_organisation_in_a_report() -> None:
    # "CoE" is what a desk may type for the Council of Europe; "Coe" in a report is a name.
    assert read_side("CoE") == "Council of Europe"
    assert find_organisations("Sebastian Coe met the minister.") == []


def test_an_official_of_an_organisation_not_once_known_is_of_it() -> None:
    proposal = _read(
        "DAKAR, 20 June 2026 — Senegalese Prime Minister Amadou Ba met the President of the "
        "Andean Community, Luis Mora, at the Andean Community secretariat in Lima on Friday.")
    mora = next(p for p in proposal.bundle.people if p.name == "Luis Mora")
    assert mora.country == "Andean Community"
    [meeting] = proposal.bundle.meetings
    assert set(meeting.countries) == {"Senegal", "Andean Community"}


@pytest.mark.parametrize("host", ["hosted his Cypriot counterpart, Elena Christou, for talks",
                                  "welcomed Cypriot Foreign Minister Elena Christou for talks"])
def test_talks_someone_was_hosted_for_are_one_meeting_on_its_day(host: str) -> None:
    proposal = _read(
        f"ATHENS, 8 July 2026 — Greek Foreign Minister Nikos Dimas {host} in Athens on "
        "Tuesday.")
    [meeting] = proposal.bundle.meetings
    names = {p.uid: p.name for p in proposal.bundle.people}
    assert meeting.date == D(2026, 7, 7)
    assert {names[p.person] for p in meeting.participants} == {"Nikos Dimas", "Elena Christou"}


@pytest.mark.parametrize("where", ["at a meeting in Quito on Monday",
                                   "during their meeting in Quito on Monday"])
def test_ministers_named_after_their_countries_met(where: str) -> None:
    proposal = _read(
        "QUITO, 19 May 2026 — The foreign ministers of Ecuador and Peru, Gabriela Sommerfeld "
        f"and Javier Quispe, discussed border demining {where}.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Gabriela Sommerfeld": "Ecuador", "Javier Quispe": "Peru"}
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 5, 18) and len(meeting.participants) == 2


def test_a_trip_to_two_cities_is_a_visit_to_each_country() -> None:
    proposal = _read(
        "WASHINGTON, 6 March 2026 — Secretary of State Daniel Brooks will travel to Seoul and "
        "Tokyo next week, the State Department said on Friday.")
    assert {(v.to_country, v.place) for v in proposal.bundle.visits} == {
        ("South Korea", "Seoul"), ("Japan", "Tokyo")}


@pytest.mark.parametrize("summit", ["an extraordinary summit", "an extraordinary session"])
def test_an_extraordinary_summit_is_a_meeting_of_those_who_came(summit: str) -> None:
    proposal = _read(
        f"ABUJA, 9 December 2026 — ECOWAS heads of state met in Abuja on Sunday for {summit} "
        "on the situation in Guinea-Bissau, chaired by Sierra Leonean President Julius "
        "Bio-Kamara. Senegalese President Bassirou Faye and Ivorian President Alassane Koné "
        "attended.")
    [meeting] = proposal.bundle.meetings
    assert meeting.kind is MeetingKind.OTHER and meeting.date == D(2026, 12, 6)
    assert {"ECOWAS", "Sierra Leone", "Senegal", "Côte d'Ivoire"} <= set(meeting.countries)


def test_the_heads_of_each_side_took_part_and_are_of_their_side() -> None:
    proposal = _read(
        "RIYADH, 19 January 2026 — The Saudi-French Joint Committee held its fourth meeting in "
        "Riyadh on Monday. The Saudi side was headed by Deputy Minister Waleed Al-Khereiji, and "
        "the French side by Secretary General Anne-Marie Dubois.")
    people = {p.uid: (p.name, p.country) for p in proposal.bundle.people}
    [meeting] = proposal.bundle.meetings
    assert {people[p.person] for p in meeting.participants} == {
        ("Waleed Al-Khereiji", "Saudi Arabia"), ("Anne-Marie Dubois", "France")}


@pytest.mark.parametrize(("signed", "title"), [
    ("signed a Plan of Consultations for 2026–2028", "Plan of Consultations for 2026–2028"),
    ("signed a new Strategic Partnership Plan", "Strategic Partnership Plan"),
])
def test_a_plan_named_as_one_is_a_plan(signed: str, title: str) -> None:
    proposal = _read(
        f"MADRID, 26 March 2026 — Spain and Mexico {signed} in Madrid on Thursday.")
    [plan] = proposal.bundle.plans
    assert (plan.title, plan.date) == (title, D(2026, 3, 26))


def test_a_plan_of_the_national_kind_is_no_plan_when_not_named() -> None:
    with pytest.raises(Exception, match="No meetings"):
        _read("MADRID, 26 March 2026 — Spain said its plan for the economy was working.")


@pytest.mark.parametrize("lead", ["following talks between", "after talks between"])
def test_talks_between_two_named_ministers_are_a_meeting(lead: str) -> None:
    proposal = _read(
        "NAIROBI, 20 August 2026 — Kenya and Somalia resolved to conclude a maritime boundary "
        f"cooperation agreement, {lead} Foreign Ministers Musalia Wekesa and Ahmed Hassan in "
        "Nairobi on Wednesday.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 8, 19) and len(meeting.participants) == 2


@pytest.mark.parametrize("clause", ["signed in Rome in November 2021",
                                    "which was signed in November 2021"])
def test_a_text_ratified_takes_the_day_it_was_signed_when_told_after_it(clause: str) -> None:
    proposal = _read(
        "ROME, 3 November 2026 — The Italian Senate on Tuesday ratified the Treaty on Enhanced "
        f"Cooperation between Italy and France, {clause}.")
    [plan] = proposal.bundle.plans
    assert plan.date == M(2021, 11)


@pytest.mark.parametrize("head", [
    "March 12, 2026 – Lisbon, Portugal – Ministry of Foreign Affairs\n\n",
    "Readout of the meeting\n\nMarch 12, 2026 – Lisbon – Ministry of Foreign Affairs\n\n",
    "Press Release No: 88, 12 March 2026, Regarding the visit of the Swedish minister\n\n",
    "Ministry of Foreign Affairs\nPublished: 12.03.2026, 10:15\n\nMinisters meet\n\n",
    "Lisbon | 12 March 2026\n\n",
    "Posted on 12 March 2026 by the Press Office\n\n",
])
def test_a_report_dated_by_its_header_reads_its_days_from_it(head: str) -> None:
    proposal = _read(head + "Foreign Minister Ana Costa of Portugal met Foreign Minister Lars "
                            "Berg of Sweden in Lisbon on Tuesday.")
    assert proposal.bundle.sources[0].published == D(2026, 3, 12)
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 3, 10)


def test_the_place_of_a_us_style_dateline_is_the_city_not_the_issuer() -> None:
    proposal = _read("March 12, 2026 – Ottawa, Ontario – Global Affairs Canada\n\nToday, "
                     "Foreign Minister Claire Roy of Canada met Foreign Minister Lars Berg of "
                     "Sweden.")
    [meeting] = proposal.bundle.meetings
    assert (meeting.place, meeting.date) == ("Ottawa", D(2026, 3, 12))


@pytest.mark.parametrize("signing", ["They also signed a memorandum on tourism.",
                                     "The two then signed a memorandum on tourism.",
                                     "Both signed a memorandum on tourism."])
def test_they_who_signed_are_the_two_just_named(signing: str) -> None:
    proposal = _read(
        "SOFIA, 9 April 2026 — Bulgarian Foreign Minister Ivan Petrov and Romanian Foreign "
        f"Minister Andrei Popescu held talks in Sofia on Thursday. {signing}")
    [plan] = proposal.bundle.plans
    names = {p.uid: p.name for p in proposal.bundle.people}
    assert {names[s.person] for s in plan.signatories} == {"Ivan Petrov", "Andrei Popescu"}


def test_they_are_no_one_when_the_sentence_before_names_one_side_only() -> None:
    proposal = _read(
        "SOFIA, 9 April 2026 — Bulgarian Foreign Minister Ivan Petrov and Bulgarian Economy "
        "Minister Nina Ivanova met Romanian officials in Sofia on Thursday. They also signed a "
        "memorandum on tourism.")
    [plan] = proposal.bundle.plans
    assert plan.signatories == []


def test_a_guest_welcomed_for_talks_is_a_meeting_and_travel_for_talks_is_not() -> None:
    proposal = _read(
        "ROME, 9 October 2026 — Italian Prime Minister Giulia Conti welcomed Albanian Prime "
        "Minister Edi Kola to Palazzo Chigi on Thursday for talks on migration. Conti will "
        "travel to Tirana next month for talks with President Bajram Begaj-Lika.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 10, 8) and len(meeting.participants) == 2


def test_the_day_a_visit_began_with_a_meeting_is_the_meetings() -> None:
    proposal = _read(
        "MADRID, 2 June 2026 — The King of Spain received the President of Chile, Gabriel Soto, "
        "at the Royal Palace on Monday, on the first day of Soto's state visit to Spain.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 6, 1)
    assert {(v.to_country, v.date) for v in proposal.bundle.visits} == {("Spain", D(2026, 6, 1))}


@pytest.mark.parametrize(("phrase", "value"), [
    ("will meet this coming Monday", D(2026, 5, 11)),
    ("the coming visit on Monday", D(2026, 5, 11)),
    ("a summit in H2 2026", Y(2026)),
    ("the H1 2027 summit", Y(2027)),
])
def test_more_ways_of_dating_what_is_to_come(phrase: str, value: FuzzyDate) -> None:
    [found] = find_dates(phrase, date(2026, 5, 6))
    assert found.date == value


def test_a_statement_dated_by_the_days_of_a_visit_is_issued_on_its_last() -> None:
    proposal = _read(
        "Joint Press Statement\n\nNairobi, 9–11 February 2026\n\n1. The two leaders held "
        "bilateral talks at State House on Tuesday, followed by a business forum. The two "
        "sides signed a Letter of Intent on Ocean Governance.\n\nPrime Minister Ingrid Dahl "
        "of Norway and President William Otieno of Kenya attended.")
    assert proposal.bundle.sources[0].published == D(2026, 2, 11)
    talks = [m for m in proposal.bundle.meetings if m.kind is MeetingKind.BILATERAL_TALKS]
    assert [m.date for m in talks] == [D(2026, 2, 10)]
    assert [p.title for p in proposal.bundle.plans] == ["Letter of Intent on Ocean Governance"]


@pytest.mark.parametrize("later", ["Later,", "Later that day,", "Afterwards,"])
def test_a_guest_received_at_a_palace_and_what_followed_that_day(later: str) -> None:
    proposal = _read(
        "KUWAIT CITY, 3 September 2026 (KUNA) -- Prime Minister Sheikh Ahmad Al-Sabah received "
        "at Bayan Palace on Wednesday the visiting Minister of Foreign Affairs of Uzbekistan, "
        f"Bakhtiyor Saidov. {later} Saidov and his Kuwaiti counterpart, Abdullah Al-Yahya, "
        "chaired the second round of political consultations.")
    assert sorted(m.date.value for m in proposal.bundle.meetings) == ["2026-09-02",
                                                                     "2026-09-02"]
    assert {(v.to_country, v.date) for v in proposal.bundle.visits} == {
        ("Kuwait", D(2026, 9, 2))}


@pytest.mark.parametrize(("invitation", "status"), [
    ("Pereyra invited Lamas to visit Montevideo later in the year; Lamas accepted.",
     VisitStatus.PLANNED),
    ("Pereyra invited Lamas to visit Montevideo later in the year, which he accepted.",
     VisitStatus.PLANNED),
    ("Pereyra invited Lamas to visit Montevideo later in the year.", VisitStatus.PROPOSED),
])
def test_an_invitation_taken_up_in_the_same_sentence_is_a_visit_planned(
    invitation: str, status: VisitStatus
) -> None:
    proposal = _read(
        "BUENOS AIRES, 15 May 2026 — Argentine Foreign Minister Diego Lamas and Uruguayan "
        "Foreign Minister Mariana Pereyra held a working meeting at the San Martín Palace on "
        f"Thursday. {invitation}")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 5, 14)
    # Pereyra, seen at work in Buenos Aires, has travelled there; Lamas is invited back.
    assert _visits(proposal) == {("Diego Lamas", "Argentina", "Uruguay", status, "2026.."),
                                 ("Mariana Pereyra", "Uruguay", "Argentina",
                                  VisitStatus.COMPLETED, "2026-05-14..")}


def test_a_meeting_numbered_past_a_thousand_keeps_its_number() -> None:
    proposal = _read(
        "ADDIS ABABA, 21 November 2026 — The African Union Peace and Security Council held its "
        "1,250th meeting on Thursday, 19 November, on the situation in eastern DR Congo.")
    [meeting] = proposal.bundle.meetings
    assert meeting.title == "African Union Peace and Security Council, 1,250th meeting"
