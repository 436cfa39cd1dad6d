"""Ingest on classes of text issue 12 names as missed on unseen reports, each tested on
phrases of our own: honorifics stacked before a name, names in letters beyond Latin-1, seas
and regions named after a country, an embassy's header, periods that are not an event's day,
visits told indirectly, multilateral meetings and signed texts not called agreements."""

from __future__ import annotations

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import VisitStatus
from bot.services.ingest import Proposal
from bot.services.ingest.places import find_places
from tests.unit.ingest_reading import names, read, who

D, M, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.year


def _visits(proposal: Proposal) -> set[tuple[str | None, str, str, VisitStatus, str]]:
    known = names(proposal)
    return {(known.get(v.visitor or ""), v.from_country, v.to_country, v.status,
             f"{v.date.value}..{v.end_date.value if v.end_date else ''}")
            for v in proposal.bundle.visits}


def _people(proposal: Proposal) -> dict[str, str]:
    """Name -> country."""
    return {p.name: p.country for p in proposal.bundle.people}


# --- honorifics and letters ---------------------------------------------------------------


@pytest.mark.parametrize(("styled", "name"), [
    ("Hon. Gen. Jeje Odongo", "Jeje Odongo"),
    ("Hon. Dr. Jeje Odongo", "Jeje Odongo"),
    ("Lt. Gen. Jeje Odongo", "Jeje Odongo"),
    ("Rt. Hon. Jeje Odongo", "Jeje Odongo"),
    ("H.E. Amb. Jeje Odongo", "Jeje Odongo"),
    ("Shri Jeje Odongo", "Jeje Odongo"),
    ("Hon. ʻAisake Eke", "ʻAisake Eke"),  # a name opening with an okina
])
def test_stacked_honorifics_are_not_part_of_the_name(styled: str, name: str) -> None:
    proposal = read(
        f"KAMPALA, 10 March 2026 — Uganda's Minister of State for Foreign Affairs, {styled}, "
        "received Rwandan Foreign Minister Olivier Nduhungirehe on 9 March.")
    assert _people(proposal).get(name) == "Uganda"
    [meeting] = proposal.bundle.meetings
    assert who(proposal, meeting) == {name, "Olivier Nduhungirehe"}


@pytest.mark.parametrize(("guest", "country"), [
    ("EU Commissioner Maroš Šefčovič", "European Union"),
    ("Turkish Deputy Foreign Minister Şahin Özdemir", "Türkiye"),
    ("Polish Deputy Minister Łukasz Żurek", "Poland"),
    ("Czech Foreign Minister Čeněk Řehák", "Czechia"),
])
def test_names_in_letters_beyond_latin_1_are_read(guest: str, country: str) -> None:
    proposal = read(f"BRATISLAVA, 10 March 2026 — Slovak Foreign Minister Juraj Blanár met "
                    f"{guest} in Bratislava on 9 March.")
    name = " ".join(guest.split()[-2:])
    assert _people(proposal).get(name) == country
    [meeting] = proposal.bundle.meetings
    assert who(proposal, meeting) == {"Juraj Blanár", name}


# --- places named after a country -----------------------------------------------------------


@pytest.mark.parametrize("phrase", [
    "security in the Indian Ocean", "piracy in the Gulf of Guinea", "oil in the Niger Delta",
    "the waters of Lake Chad", "the South China Sea", "the Sea of Japan", "the Korean Peninsula",
    "the Persian Gulf", "ports on the Gulf of Oman", "the Jordan Valley", "the Irish Sea",
    "the Indian Ocean Commission",
])
def test_a_sea_or_region_named_after_a_country_is_not_the_country(phrase: str) -> None:
    assert [p for p in find_places(f"They discussed {phrase}.") if not p.is_org] == []


@pytest.mark.parametrize(("phrase", "country"), [
    ("Papua New Guinea", "Papua New Guinea"), ("the Solomon Islands", "Solomon Islands"),
    ("Guinea-Bissau", "Guinea-Bissau"), ("New Zealand", "New Zealand"),
    ("South Sudan", "South Sudan"), ("the Dominican Republic", "Dominican Republic"),
    ("Nigerien", "Niger"), ("Mexico City", "Mexico"),
])
def test_countries_whose_names_hold_another_or_a_feature_word_are_kept(
    phrase: str, country: str
) -> None:
    assert [p.country for p in find_places(f"They discussed {phrase}.")] == [country]


def test_a_visit_to_a_region_is_no_visit_to_a_country_of_the_report() -> None:
    proposal = read(
        "CANBERRA, 10 March 2026 — Australian Foreign Minister Penny Wong will visit the Indian "
        "Ocean island states in April. She met Indian High Commissioner Gopal Baglay on 9 March.")
    assert _visits(proposal) == set()
    assert len(proposal.bundle.meetings) == 1


def test_a_maritime_agreement_named_for_a_sea_keeps_its_parties() -> None:
    proposal = read(
        "PORT LOUIS, 12 May 2026 — Mauritian Prime Minister Navin Ramgoolam received the "
        "Indian Foreign Minister Subrahmanyam Jaishankar on 11 May. The same day, the two "
        "sides signed a memorandum of understanding on maritime security in the Indian Ocean.")
    [plan] = proposal.bundle.plans
    assert set(plan.parties) == {"Mauritius", "India"}
    assert plan.date == D(2026, 5, 11)


# --- an embassy's header --------------------------------------------------------------------


@pytest.mark.parametrize("header", [
    "Embassy of Brazil in Angola", "Embassy of the Federative Republic of Brazil in Angola",
    "Consulate General of Brazil in Luanda",
])
def test_an_embassy_header_makes_the_country_it_sits_in_the_host(header: str) -> None:
    proposal = read(
        f"{header}\nPublished: 12.05.2026\n\nBrazilian Foreign Minister Mauro Vieira was "
        "received by Angolan President João Lourenço on Monday. The two discussed energy.")
    assert _visits(proposal) == {
        ("Mauro Vieira", "Brazil", "Angola", VisitStatus.COMPLETED, "2026-05-11..")}


def test_an_embassy_header_names_the_side_a_bare_demonym_is() -> None:
    # "Korean" alone is either Korea; the header says which.
    proposal = read(
        "Embassy of the Republic of Korea in Uzbekistan\nPublished: 03.06.2026\n\n"
        "Korean Vice Foreign Minister Park Yoon-joo visited Tashkent on 2 June and held talks "
        "with Uzbek First Deputy Foreign Minister Bakhromjon Aloyev.")
    assert _visits(proposal) == {
        ("Park Yoon-joo", "South Korea", "Uzbekistan", VisitStatus.COMPLETED, "2026-06-02..")}
