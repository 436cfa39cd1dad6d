"""Officials, plans and follow-ups in forms found by studying the fourth set (issue 12), each
class tested on sentences of our own in several wordings, with negatives: officials named by
a possessive country, by an initial, under long or comma-run offices and after "of the … Republic
of X"; plans titled by their subject, expected at a visit, adopted schedules; and follow-ups
set in future-tense outcome lists, with their deadlines and telling words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Person
from bot.services.ingest import Proposal, propose

D, M, Q, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.quarter, FuzzyDate.year
TODAY = date(2026, 6, 30)


def _read(text: str) -> Proposal:
    return propose(text, dateline=None, today=TODAY)


def _people(proposal: Proposal) -> dict[str, Person]:
    return {p.name: p for p in proposal.bundle.people}


# --- officials -------------------------------------------------------------------------------


@pytest.mark.parametrize(("opening", "office"), [
    ("Baltic foreign ministers meeting in Vilnius on Monday", "Foreign Minister"),
    ("The defence ministers of the region, meeting in Vilnius on Monday,", "Defence Minister"),
])
def test_a_person_named_by_a_possessive_country_takes_the_gatherings_office(
    opening: str, office: str,
) -> None:
    proposal = _read(f"VILNIUS, 4 May 2026 — {opening} agreed a joint statement on energy "
                     "security. Lithuanian Foreign Minister Rasa Kairyte hosted Latvia's Juris "
                     "Ozolins and Estonia's Mart Kask.")
    people = _people(proposal)
    assert (people["Juris Ozolins"].country, people["Juris Ozolins"].title) == ("Latvia", office)
    assert (people["Mart Kask"].country, people["Mart Kask"].title) == ("Estonia", office)


@pytest.mark.parametrize("thing", [
    "Latvia's Riga Stradins University",  # an institution: no person
    "Latvia's Foreign Ministry",
    "Latvia's GDP",
])
def test_a_possessive_country_before_no_name_makes_no_person(thing: str) -> None:
    proposal = _read("VILNIUS, 4 May 2026 — Lithuanian Foreign Minister Rasa Kairyte met "
                     f"Latvian Foreign Minister Juris Ozolins in Vilnius on Monday; {thing} "
                     "was mentioned.")
    assert set(_people(proposal)) == {"Rasa Kairyte", "Juris Ozolins"}


@pytest.mark.parametrize(("written", "name"), [
    ("Prime Minister D. Tsogtbaatar", "D. Tsogtbaatar"),
    ("Prime Minister Oyun D. Tsogtbaatar", "Oyun D. Tsogtbaatar"),
    ("H.E. Dr. Oyun D. Tsogtbaatar", "Oyun D. Tsogtbaatar"),
])
def test_an_initial_is_part_of_a_name(written: str, name: str) -> None:
    proposal = _read(f"ULAANBAATAR, 3 March 2026 — {written} held talks with Japanese Foreign "
                     "Minister Aoki Taro in Ulaanbaatar on Tuesday.")
    assert name in _people(proposal)
    assert not any(n.endswith((" D", " D.")) for n in _people(proposal))


def test_an_initial_before_an_abbreviation_or_a_stop_is_no_name() -> None:
    proposal = _read("WASHINGTON, 3 March 2026 — U.S. Secretary of State Laura Whitby met "
                     "Mongolian Foreign Minister Oyun Tsogtbaatar in Washington on Tuesday. "
                     "They discussed Plan B. The talks lasted two hours.")
    assert set(_people(proposal)) == {"Laura Whitby", "Oyun Tsogtbaatar"}


@pytest.mark.parametrize(("sentence", "name", "office"), [
    ("The memorandum was signed by Grace Otieno, Cabinet Secretary for Energy, Green Hydrogen "
     "and Petroleum, and Ugandan Foreign Minister Paul Mugisha.", "Grace Otieno",
     "Cabinet Secretary for Energy, Green Hydrogen and Petroleum"),
    ("The memorandum was signed by Minister for Livestock and Fisheries Grace Otieno and "
     "Ugandan Foreign Minister Paul Mugisha.", "Grace Otieno",
     "Minister for Livestock and Fisheries"),
    ("Speaker of the National Assembly Grace Otieno received Ugandan Foreign Minister Paul "
     "Mugisha.", "Grace Otieno", "Speaker of the National Assembly"),
    ("Deputy Chairman of the Council of Ministers Grace Otieno received Ugandan Foreign "
     "Minister Paul Mugisha.", "Grace Otieno", "Deputy Chairman of the Council of Ministers"),
    ("Ugandan Foreign Minister Paul Mugisha met the Minister of Trade and Regional Markets of "
     "the Republic of Kenya, Grace Otieno.", "Grace Otieno",
     "Minister of Trade and Regional Markets"),
])
def test_a_long_office_runs_to_the_name(sentence: str, name: str, office: str) -> None:
    proposal = _read(f"NAIROBI, 3 March 2026 — {sentence} They met in Nairobi on Tuesday.")
    people = _people(proposal)
    assert people[name].title == office
    assert set(people) == {name, "Paul Mugisha"}  # no part of an office taken for a name


def test_an_office_of_the_republic_before_the_name_gives_the_country() -> None:
    proposal = _read("HANOI, 3 March 2026 — President of the Socialist Republic of Viet Nam "
                     "Tran Minh Duc received President of the United Republic of Tanzania "
                     "Asha Mollel in Hanoi on Tuesday.")
    people = _people(proposal)
    assert set(people) == {"Tran Minh Duc", "Asha Mollel"}
    assert (people["Tran Minh Duc"].country, people["Asha Mollel"].country) == (
        "Vietnam", "Tanzania")


def test_a_long_name_after_royal_honorifics_keeps_its_office() -> None:
    proposal = _read("DOHA, 3 March 2026 — His Highness Sheikh Hamad bin Khalid bin Jassim Al "
                     "Thani, Minister of State for Foreign Affairs, received Peruvian Foreign "
                     "Minister Luis Paredes in Doha on Tuesday.")
    people = _people(proposal)
    assert people["Hamad bin Khalid bin Jassim Al Thani"].title == (
        "Minister of State for Foreign Affairs")
    assert set(people) == {"Hamad bin Khalid bin Jassim Al Thani", "Luis Paredes"}


# "Hon." with its stop still ends a sentence where sentences are split (not read here).
@pytest.mark.parametrize("honorific", ["Hon", "the Hon", "the Honourable", "Rt Hon"])
def test_a_name_after_hon_is_read(honorific: str) -> None:
    proposal = _read(f"SUVA, 3 March 2026 — Japanese State Minister Ito Ken called on the "
                     f"Prime Minister of Fiji, {honorific} Jone Ratu, in Suva on Tuesday.")
    people = _people(proposal)
    assert (people["Jone Ratu"].title, people["Jone Ratu"].country) == ("Prime Minister", "Fiji")


def test_two_ministers_named_after_the_two_are_both_people() -> None:
    proposal = _read("MANILA, 3 March 2026 — The Philippine and Thai foreign ministers met in "
                     "Manila on Tuesday. The plan was signed by the two Foreign Ministers, "
                     "Ana Cruz and Somchai Wong.")
    people = _people(proposal)
    assert people["Ana Cruz"].title == people["Somchai Wong"].title == "Foreign Minister"


def test_two_offices_each_before_a_name_stay_apart() -> None:
    proposal = _read("MANILA, 3 March 2026 — Thai Foreign Minister Somchai Wong met Minister of "
                     "Trade and Industry Ana Cruz and Secretary of Tourism Luis Bautista in "
                     "Manila on Tuesday.")
    people = _people(proposal)
    assert set(people) == {"Somchai Wong", "Ana Cruz", "Luis Bautista"}
    assert people["Ana Cruz"].title == "Minister of Trade and Industry"
    assert people["Luis Bautista"].title == "Secretary of Tourism"


@pytest.mark.parametrize("byline", ["By Dr. Lena Ostrova and Marc Delorme",
                                    "Lena Ostrova, Marc Delorme",
                                    "Prof. Lena Ostrova & Dr. Marc Delorme"])
def test_the_authors_of_a_brief_are_not_people(byline: str) -> None:
    proposal = _read(f"Policy brief\nPublished 15 June 2026\n{byline}\n\nFrench Foreign "
                     "Minister Claire Aubert visited Canberra in March, where she met "
                     "Australian Foreign Minister Tom Reid.")
    assert set(_people(proposal)) == {"Claire Aubert", "Tom Reid"}


def test_a_headline_with_a_deed_is_no_byline() -> None:
    proposal = _read("Foreign Minister Lena Ostrova visits Canberra\nPublished 15 June 2026\n\n"
                     "French Foreign Minister Lena Ostrova arrived in Canberra on Monday and "
                     "met Australian Foreign Minister Tom Reid.")
    assert {"Lena Ostrova", "Tom Reid"} <= set(_people(proposal))


# --- plans -----------------------------------------------------------------------------------


def _plans(proposal: Proposal) -> dict[str, tuple[str, str, FuzzyDate | None]]:
    return {p.title: (p.kind.value, p.status.value, p.date) for p in proposal.bundle.plans}


@pytest.mark.parametrize("sides", [
    "between the Government of Chile and the Government of the Republic of Korea",
    "between the Republic of Chile and the Republic of Korea",
    "between the Government of the Republic of Chile and the Korean Government",
])
def test_a_formal_title_is_named_by_its_subject(sides: str) -> None:
    proposal = _read(f"SANTIAGO, 3 March 2026 — Chile and South Korea signed the Agreement {sides} "
                     "on Cooperation in the Field of Green Hydrogen on Tuesday in Santiago.")
    assert list(_plans(proposal)) == ["Agreement on Cooperation in the Field of Green Hydrogen"]


@pytest.mark.parametrize(("clause", "when"), [
    ("which is to be signed in early 2027", Y(2027)),
    ("which is expected to be signed in March 2027", M(2027, 3)),
    ("that will be signed in the first quarter of 2027", Q(2027, 1)),
])
def test_a_text_still_to_be_signed_is_expected_and_dated_by_the_signing(
    clause: str, when: FuzzyDate,
) -> None:
    proposal = _read("OSLO, 3 June 2026 — Norwegian Minister of Trade Ola Berg met Kenyan Trade "
                     "Minister Ruth Njeri in Oslo on Wednesday. The two ministers agreed on the "
                     "main elements of a memorandum of understanding on seed banks, "
                     f"{clause}.")
    assert _plans(proposal) == {
        "Memorandum of understanding on seed banks": ("mou", "expected", when)}


def test_a_text_signed_earlier_is_still_signed() -> None:
    proposal = _read("OSLO, 3 June 2026 — Norwegian Minister of Trade Ola Berg met Kenyan Trade "
                     "Minister Ruth Njeri in Oslo on Wednesday. They reviewed the memorandum of "
                     "understanding on seed banks, which was signed in March 2025.")
    assert _plans(proposal) == {
        "Memorandum of understanding on seed banks": ("mou", "signed", M(2025, 3))}


def test_a_headline_plan_named_again_in_the_body_is_one_plan() -> None:
    proposal = _read("Oslo, 3 June 2026\n\nNorway and Kenya to sign accord on seed banks\n\n"
                     "Norwegian Minister of Trade Ola Berg met Kenyan Trade Minister Ruth Njeri "
                     "in Oslo on Wednesday. They agreed the text of a memorandum of "
                     "understanding on seed banks, which is to be signed in 2027.")
    assert _plans(proposal) == {
        "Memorandum of understanding on seed banks": ("mou", "expected", Y(2027))}


def test_a_text_named_by_its_kind_alone_is_spelled_out() -> None:
    proposal = _read("ULAANBAATAR, 3 June 2026 — Mongolian Foreign Minister Oyun Tsogtbaatar and "
                     "Japanese Foreign Minister Aoki Taro initialled the Agreement on "
                     "Cooperation in Rare Earths in Ulaanbaatar on Wednesday, which is to be "
                     "signed in July. They asked their experts to draft an action plan for the "
                     "Agreement.")
    plans = _plans(proposal)
    assert "Action plan for the Agreement on Cooperation in Rare Earths" in plans


@pytest.mark.parametrize("verb", ["adopted", "approved", "endorsed"])
def test_an_adopted_schedule_is_a_plan(verb: str) -> None:
    proposal = _read("BISHKEK, 3 June 2026 — Kyrgyz Deputy Prime Minister Aibek Osmonov and "
                     "Kazakh Deputy Prime Minister Serik Zhanov met in Bishkek on Wednesday. "
                     f"The sides {verb} a joint schedule for the Naryn reservoirs.")
    assert _plans(proposal) == {
        "Joint schedule for the Naryn reservoirs": ("other", "signed", D(2026, 6, 3))}


def test_a_schedule_not_adopted_is_no_plan() -> None:
    proposal = _read("BISHKEK, 3 June 2026 — Kyrgyz Deputy Prime Minister Aibek Osmonov and "
                     "Kazakh Deputy Prime Minister Serik Zhanov met in Bishkek on Wednesday and "
                     "signed a protocol on water. They discussed the schedule of the visit.")
    assert list(_plans(proposal)) == ["Protocol on water"]


@pytest.mark.parametrize("next_deed", [
    "and directed the Secretariat to prepare a report on the revised roadmap for trade",
    "and instructed the Commission to submit proposals on the customs union",
    "and tasked the ministers with a study of the road map for energy",
])
def test_a_title_stops_at_the_next_deed(next_deed: str) -> None:
    proposal = _read("ABUJA, 3 June 2026 — Nigerian Foreign Minister Musa Bello met Ghanaian "
                     "Foreign Minister Ama Owusu in Abuja on Wednesday. The Council adopted the "
                     f"Regional Strategy on Fisheries 2026–2030 {next_deed}.")
    plans = _plans(proposal)
    assert list(plans) == ["Regional Strategy on Fisheries 2026–2030"]


@pytest.mark.parametrize("verb", ["subscribed", "signed"])
def test_subscribed_is_signed(verb: str) -> None:
    proposal = _read("ASUNCIÓN, 3 June 2026 — The Minister of Foreign Affairs, Rosa Benítez, "
                     "received the Bolivian Vice Minister of Foreign Affairs, Juan Mamani, on "
                     f"Wednesday. Both {verb} a Memorandum of Understanding on Border Trade.")
    assert _plans(proposal)["Memorandum of Understanding on Border Trade"][1] == "signed"


def test_the_two_ministers_are_the_two_just_named() -> None:
    proposal = _read(
        "DIGEST | Saturday 27 June 2026\n\nKENYA–UGANDA. Kenyan Foreign Minister Ruth Njeri "
        "and Ugandan Foreign Minister Paul Mugisha met in Kampala on Monday.\n\n"
        "PERU–CHILE. Peruvian Foreign Minister Luis Paredes held talks with Chilean Foreign "
        "Minister Ana Soto in Lima last week. The two ministers signed a memorandum of "
        "understanding on border crossings.")
    names = {p.uid: p.name for p in proposal.bundle.people}
    [plan] = proposal.bundle.plans
    assert {names[s.person] for s in plan.signatories} == {"Luis Paredes", "Ana Soto"}
