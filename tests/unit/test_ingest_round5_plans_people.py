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
from bot.services.ingest import Proposal
from tests.unit.ingest_reading import read as _read

D, M, Q, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.quarter, FuzzyDate.year


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
    "Latvia's Baltic Airways",
    "Latvia's Daugava Holdings",
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


# --- follow-ups ------------------------------------------------------------------------------


def _work(proposal: Proposal) -> dict[str, FuzzyDate | None]:
    return {f.what: f.due for f in proposal.bundle.followups}


_MET = ("MEXICO CITY, 24 April 2026 — Mexican Foreign Secretary Rosa Lara and Guatemalan "
        "Foreign Minister Julio Paz held talks in Mexico City yesterday. The agreements "
        "reached include:\n\n")


@pytest.mark.parametrize("marker", ["-", "•", "(a)"])
def test_work_in_an_outcome_list_told_in_the_future_is_a_followup(marker: str) -> None:
    proposal = _read(_MET + f"{marker} The Working Group on Customs will submit a study on "
                     "tariffs by 15 September 2026.\n"
                     f"{marker} The Subcommittee on Energy will meet in Tapachula in August.\n")
    assert _work(proposal) == {
        "Submit a study on tariffs": D(2026, 9, 15),
        "Hold a meeting of the Subcommittee on Energy in Tapachula": M(2026, 8)}


@pytest.mark.parametrize("line", [
    "- The Working Group on Customs will continue its work.",  # no deadline work
    "- Trade will benefit from the new crossing in August.",
    "- The two ministers will sign the border agreement in August.",  # a text expected
])
def test_a_future_line_with_no_work_is_no_followup(line: str) -> None:
    assert _work(_read(_MET + line + "\n")) == {}


def test_a_future_sentence_outside_a_list_is_no_followup() -> None:
    proposal = _read("MEXICO CITY, 24 April 2026 — Mexican Foreign Secretary Rosa Lara met "
                     "Guatemalan Foreign Minister Julio Paz in Mexico City yesterday. The Working "
                     "Group on Customs will submit a study on tariffs by 15 September 2026, "
                     "officials said.")
    assert _work(proposal) == {}


@pytest.mark.parametrize("aside", ["before the 15 of October", "by 15 October"])
def test_a_deadline_between_commas_after_the_verb_is_the_due(aside: str) -> None:
    proposal = _read("ASUNCIÓN, 14 May 2026 — The Paraguayan Foreign Minister, Rosa Benítez, "
                     "received the Bolivian Vice Minister, Juan Mamani, on Thursday. They "
                     f"instructed their technical teams to elaborate, {aside}, a work plan on "
                     "river ports.")
    assert _work(proposal) == {"Elaborate a work plan on river ports": D(2026, 10, 15)}


@pytest.mark.parametrize("deadline", ["by the end of August", "by August",
                                      "no later than the end of August"])
def test_a_deadline_month_without_a_year_is_the_one_ahead(deadline: str) -> None:
    proposal = _read("OSLO, 5 June 2026 — Norwegian Foreign Minister Ola Berg met Kenyan "
                     "Foreign Minister Ruth Njeri in Oslo on Thursday. They asked their experts "
                     f"to draft a fisheries roadmap {deadline}.")
    assert list(_work(proposal).values()) == [M(2026, 8)]


def test_a_weekday_is_never_moved_a_year_on() -> None:
    proposal = _read("OSLO, 5 June 2026 — Norwegian Foreign Minister Ola Berg met Kenyan "
                     "Foreign Minister Ruth Njeri in Oslo on Thursday, and they agreed to revive "
                     "their joint commission, dormant since March.")
    assert all(due is None or due.start.year == 2026 for due in _work(proposal).values())


def test_asked_their_own_people_is_a_directive_and_asked_another_state_is_not() -> None:
    proposal = _read("OSLO, 5 June 2026 — Norwegian Foreign Minister Ola Berg met Kenyan "
                     "Foreign Minister Ruth Njeri in Oslo on Thursday. They asked their experts "
                     "to prepare a list of pilot districts by 30 September 2026, and asked the "
                     "European Union to lift its tariffs by 30 September 2026.")
    assert list(_work(proposal)) == ["Prepare a list of pilot districts"]


def test_its_is_what_the_work_before_named() -> None:
    proposal = _read("PORT LOUIS, 5 June 2026 — Mauritian Foreign Minister Anil Ramgoolam met "
                     "Seychellois Foreign Minister Marie Hoareau in Port Louis on Thursday. They "
                     "agreed to hold the first session of the Joint Commission in Victoria in "
                     "October, and asked their experts to draw up its agenda by 31 August 2026.")
    assert _work(proposal) == {
        "Hold the first session of the Joint Commission in Victoria": M(2026, 10),
        "Draw up the agenda of the first session of the Joint Commission": D(2026, 8, 31)}


def test_a_body_that_will_hold_its_meeting_is_named_in_it() -> None:
    proposal = _read("LUANDA, 5 June 2026 — Angolan Minister of Agriculture Paulo Neto and "
                     "Brazilian Minister of Agriculture Ana Lima signed an agreement on seeds in "
                     "Luanda on Thursday. They agreed that the steering committee would hold its "
                     "first meeting in Huambo in September.")
    assert _work(proposal) == {"Hold the first meeting of the steering committee in Huambo":
                               M(2026, 9)}


def test_work_named_shortly_carries_the_words_it_was_first_named_with() -> None:
    proposal = _read("OSLO, 2 June 2026 — Nordic foreign ministers meeting in Oslo on Monday "
                     "agreed to set up a joint task force on Arctic search and rescue. Norwegian "
                     "Foreign Minister Ola Berg hosted Danish Foreign Minister Mads Holm. The "
                     "ministers tasked their officials with setting up the task force by the end "
                     "of August.")
    assert _work(proposal) == {
        "Set up the joint task force on Arctic search and rescue": M(2026, 8)}


def test_meeting_again_is_the_next_meeting_of_the_body_that_met() -> None:
    proposal = _read("KHUJAND, 27 June 2026 — The Joint Commission on Border Rivers of "
                     "Tajikistan and Uzbekistan held its fifth meeting in Khujand on Wednesday, "
                     "co-chaired by Tajik Deputy Prime Minister Rustam Saidov and Uzbek Deputy "
                     "Prime Minister Jamshid Umarov. The sides agreed to meet again in Termez in "
                     "the first quarter of 2027.")
    assert _work(proposal) == {
        "Hold the next meeting of the Joint Commission on Border Rivers of Tajikistan and "
        "Uzbekistan in Termez": Q(2027, 1)}


def test_the_memorandum_of_a_followup_is_spelled_out() -> None:
    proposal = _read("OSLO, 3 June 2026 — Norwegian Minister of Trade Ola Berg met Kenyan Trade "
                     "Minister Ruth Njeri in Oslo on Wednesday. They agreed on a memorandum of "
                     "understanding on seed banks, which is to be signed in 2027. They instructed "
                     "their officials to finalise the text of the memorandum by 1 December 2026.")
    assert _work(proposal) == {
        "Finalise the text of the memorandum of understanding on seed banks": D(2026, 12, 1)}


_TALKS = ("MAPUTO, 12 March 2026 — Mozambican Foreign Minister Celia Mabote held talks with "
          "Brazilian Foreign Minister Paulo Rocha in Maputo on Wednesday. ")


@pytest.mark.parametrize(("after", "status", "when"), [
    ("", "under_negotiation", None),
    (" It is to be signed during the President's visit to Brasília in the first quarter of "
     "2027.", "expected", Q(2027, 1)),
    (" The agreement will be signed in May.", "expected", M(2026, 5)),
])
def test_an_initialled_text_is_expected_once_it_is_to_be_signed(
    after: str, status: str, when: FuzzyDate | None,
) -> None:
    proposal = _read(_TALKS + "The ministers initialled an agreement on consular cooperation."
                     + after)
    assert _plans(proposal) == {"Agreement on consular cooperation": ("agreement", status, when)}


def test_a_text_under_discussion_since_a_year_is_under_negotiation_undated() -> None:
    proposal = _read(_TALKS + "They also discussed the agreement on port services, which has "
                     "been under discussion since 2019.")
    assert _plans(proposal) == {
        "Agreement on port services": ("agreement", "under_negotiation", None)}


def test_a_text_under_discussion_and_expected_to_be_signed_is_expected() -> None:
    proposal = _read(_TALKS + "An agreement on port services, under discussion since 2019, is "
                     "expected to be signed in June.")
    assert _plans(proposal) == {"Agreement on port services": ("agreement", "expected", M(2026, 6))}


@pytest.mark.parametrize("sentence", [
    "Business leaders said credit mattered more than any agreement signed on the trip.",
    "The treaty ally status of Mozambique was not discussed, officials signed nothing.",
    "No agreement was signed.",
])
def test_a_plan_word_that_names_no_text_is_no_plan(sentence: str) -> None:
    proposal = _read(_TALKS + "They signed a memorandum of understanding on fisheries. "
                     + sentence)
    assert list(_plans(proposal)) == ["Memorandum of understanding on fisheries"]


def test_a_definite_text_named_by_new_words_is_another_text() -> None:
    proposal = _read(_TALKS + "They signed an agreement on fisheries. The tour ends without the "
                     "long-awaited Brazil–South Africa defence industry agreement, which has been "
                     "under discussion since 2019.")
    plans = _plans(proposal)
    assert plans["Agreement on fisheries"][1] == "signed"
    assert ("agreement", "under_negotiation", None) in plans.values()


def test_a_status_word_far_in_another_clause_makes_no_plan() -> None:
    proposal = _read(_TALKS + "The Mozambique–Brazil Treaty of Friendship, signed in October "
                     "2025, gives the two navies a common basis for patrols in the Mozambique "
                     "Channel for the first time, and the visit of the Brazilian President in "
                     "March, when she and her Mozambican counterpart held the annual summit, "
                     "produced warm words and a long communiqué.")
    assert [kind for kind, _, _ in _plans(proposal).values()] == ["treaty"]


# --- the sides of a text ---------------------------------------------------------------------


def _parties(proposal: Proposal) -> dict[str, set[str]]:
    return {p.title: set(p.parties) for p in proposal.bundle.plans}


def test_a_digest_gives_each_text_the_sides_of_its_own_story() -> None:
    proposal = _read(
        "DIGEST | Saturday 27 June 2026\n\nKENYA–UGANDA. Kenyan Foreign Minister Ruth Njeri "
        "met Ugandan Foreign Minister Paul Mugisha in Kampala on Monday. The sides adopted a "
        "joint schedule for the Lake Victoria patrols.\n\n"
        "PERU–CHILE. Peruvian Foreign Minister Luis Paredes will visit Chile next month. An "
        "agreement on consular services is expected to be signed during the visit.")
    parties = _parties(proposal)
    assert parties["Joint schedule for the Lake Victoria patrols"] == {"Kenya", "Uganda"}
    assert parties["Agreement on consular services"] == {"Peru", "Chile"}


def test_a_capital_that_negotiates_is_its_state() -> None:
    proposal = _read("Policy brief\nPublished 15 June 2026\n\nAustralian Foreign Minister Tom "
                     "Reid visited Port Moresby in March. Canberra and Nauru are still "
                     "negotiating an agreement on policing cooperation.")
    assert _parties(proposal)["Agreement on policing cooperation"] == {"Australia", "Nauru"}


def test_a_text_an_organisation_adopts_alone_is_its_own() -> None:
    proposal = _read("ABUJA, 19 June 2026 — Ghanaian Foreign Minister Ama Owusu met Nigerian "
                     "Foreign Minister Musa Bello in Abuja on Wednesday. At the close of its "
                     "session, the ECOWAS Council adopted the ECOWAS Strategy on Fisheries.")
    assert _parties(proposal)["ECOWAS Strategy on Fisheries"] == {"ECOWAS"}


def test_where_a_text_is_to_be_signed_is_no_side_of_it() -> None:
    proposal = _read("TALLINN, 3 March 2026 — Estonian Foreign Minister Kadri Lepp met Danish "
                     "Foreign Minister Lars Holm in Tallinn on Tuesday. Lepp and Holm agreed that "
                     "the memorandum of understanding on cyber training will be signed at the "
                     "meeting of NATO foreign ministers in April.")
    assert list(_parties(proposal).values()) == [{"Estonia", "Denmark"}]


# --- signatories -----------------------------------------------------------------------------


def _signers(proposal: Proposal) -> dict[str, set[str]]:
    names = {p.uid: p.name for p in proposal.bundle.people}
    return {p.title: {names[s.person] for s in p.signatories} for p in proposal.bundle.plans}


_SUVA = ("SUVA, 21 May 2026 — Japanese State Minister Ito Ken met Fijian Deputy Prime Minister "
         "Jone Ratu in Suva on Wednesday. ")


def test_signers_named_after_witnesses_sign_and_the_witnesses_do_not() -> None:
    proposal = _read(_SUVA + "In the presence of State Minister Ito and Deputy Prime Minister "
                     "Ratu, Japanese Ambassador Mori Aki, and Fijian Permanent Secretary for "
                     "Trade Sela Vuki, signed and exchanged Notes concerning a grant for school "
                     "buses under the Economic Development Programme.")
    assert _signers(proposal) == {
        "Exchange of Notes concerning a grant for school buses under the Economic Development "
        "Programme": {"Mori Aki", "Sela Vuki"}}


def test_a_text_recalled_after_a_comma_has_no_signers() -> None:
    proposal = _read(_SUVA + "They reviewed the roadmap on fisheries, signed last year.")
    assert _signers(proposal) == {"Roadmap on fisheries": set()}


def test_a_signer_with_an_aside_and_a_counterpart_after_the_text_both_sign() -> None:
    proposal = _read("MAPUTO, 11 March 2026 — Brazilian Foreign Minister Paulo Rocha, who flew "
                     "in from Brasília for the day, and Mozambican Foreign Minister Celia Mabote "
                     "held talks in Maputo on Wednesday. Brazilian Trade Minister Ana Lima, who "
                     "joined the delegation in Maputo, signed a protocol on cashew exports with "
                     "her Mozambican counterpart, Minister of Industry Jose Tembe.")
    assert _signers(proposal) == {"Protocol on cashew exports": {"Ana Lima", "Jose Tembe"}}


def test_the_two_foreign_ministers_are_not_a_trade_minister_just_named() -> None:
    proposal = _read("SEOUL, 16 June 2026 — South Korean Foreign Minister Lee Min-ho held talks "
                     "with Chilean Foreign Minister Ana Soto in Seoul on Monday. Soto met Trade "
                     "Minister Kim Dae-jung the same day. On Tuesday the two foreign ministers "
                     "signed an agreement on youth exchanges.")
    assert _signers(proposal) == {"Agreement on youth exchanges": {"Lee Min-ho", "Ana Soto"}}


def test_the_two_governments_signing_name_no_signers() -> None:
    proposal = _read("WINDHOEK, 9 March 2026 — Namibian Foreign Minister Peya Nandi held talks "
                     "with Brazilian Foreign Minister Paulo Rocha in Windhoek on Monday. The two "
                     "governments signed a memorandum of understanding on green hydrogen.")
    assert _signers(proposal) == {"Memorandum of understanding on green hydrogen": set()}


# --- the day of a signing after the talks ----------------------------------------------------


def test_an_item_far_down_a_signing_list_is_dated_by_the_talks_before_it() -> None:
    proposal = _read(
        "JOINT STATEMENT\n\nManila, 12 February 2026\n\n"
        "1. On 11 February 2026, Philippine President Ana Cruz and Thai President Somchai Wong "
        "held talks in Manila.\n\n"
        "2. Following the talks, the two Presidents witnessed the signing of:\n"
        "(a) the Memorandum of Understanding on Rice Seeds;\n"
        "(b) the Agreement on Coast Guard Cooperation;\n"
        "(c) the Plan of Action on Tourism 2026–2028.\n")
    assert {t: d for t, (_, _, d) in _plans(proposal).items()} == {
        "Memorandum of Understanding on Rice Seeds": D(2026, 2, 11),
        "Agreement on Coast Guard Cooperation": D(2026, 2, 11),
        "Plan of Action on Tourism 2026–2028": D(2026, 2, 11)}


def test_a_text_adopted_after_a_meeting_is_dated_by_it_not_by_the_next_meeting() -> None:
    proposal = _read("BISHKEK, 27 June 2026 — Kyrgyz Deputy Prime Minister Aibek Osmonov and "
                     "Kazakh Deputy Prime Minister Serik Zhanov met in Bishkek on Wednesday. The "
                     "sides adopted a joint schedule for the Chu river and agreed to meet again "
                     "in Almaty in the first quarter of 2027.")
    assert _plans(proposal) == {
        "Joint schedule for the Chu river": ("other", "signed", D(2026, 6, 24))}


def test_a_signing_after_a_visit_range_is_not_dated_by_its_first_day() -> None:
    proposal = _read("TOKYO, 7 November 2025 — Vietnamese Prime Minister Tran Quoc Hung, who is "
                     "on an official visit to Japan from 5 to 8 November, held talks with "
                     "Japanese Prime Minister Haruki Sato. After the talks the two leaders "
                     "witnessed the exchange of an agreement on rice, valid until 2030.")
    assert all(d != D(2025, 11, 5) for _, _, d in _plans(proposal).values())


def test_a_month_of_work_to_come_after_a_past_verb_is_the_one_ahead() -> None:
    proposal = _read("MUSCAT, 23 June 2026 — Omani Foreign Minister Said Al-Harthy met Indian "
                     "Commerce Minister Ravi Menon in Muscat on Monday. They directed the Joint "
                     "Working Group on Ports to meet in Mumbai in September to prepare a draft.")
    assert list(_work(proposal).values()) == [M(2026, 9)]


def test_a_month_since_which_something_is_is_no_deadline() -> None:
    proposal = _read("MUSCAT, 23 June 2026 — Omani Foreign Minister Said Al-Harthy met Indian "
                     "Commerce Minister Ravi Menon in Muscat on Monday. They agreed to resume the "
                     "port talks suspended since March.")
    assert all(due is None or due.start < date(2026, 6, 23)
               for due in _work(proposal).values())


@pytest.mark.parametrize(("told", "when"), [
    ("They agreed to hold the fifth session of the Joint Commission in Dakar in the last "
     "quarter of 2026, and tasked the experts with preparing the agreements to be signed on "
     "that occasion.", Q(2026, 4)),
    ("Senegal will host the fifth session of the Joint Commission in Dakar in 2027. The "
     "ministers instructed the secretariat to prepare a fisheries strategy for adoption at "
     "that meeting.", Y(2027)),
])
def test_work_due_at_that_meeting_is_due_when_the_meeting_is(told: str, when: FuzzyDate) -> None:
    proposal = _read("RABAT, 10 June 2026 — Moroccan Foreign Minister Nadia Alami met "
                     "Senegalese Foreign Minister Awa Diop in Rabat on Tuesday. " + told)
    work = _work(proposal)
    assert when in work.values()
    assert not any("adoption" in what for what in work)


def test_each_infinitive_agreed_is_work_of_its_own() -> None:
    proposal = _read("BEIJING, 10 June 2026 — Chinese Foreign Minister Wang Lei met Japanese "
                     "Foreign Minister Ito Ken in Beijing on Tuesday. They agreed to resume the "
                     "China–Japan maritime dialogue, suspended since 2023, and to hold its next "
                     "round in Tokyo in October.")
    assert _work(proposal)["Hold the next round of the China–Japan maritime dialogue in Tokyo"] == (
        M(2026, 10))


def test_a_numbered_outcome_read_apart_from_its_number_is_still_an_item() -> None:
    proposal = _read("JOINT STATEMENT\n\nHanoi, 30 January 2026\n\n1. Vietnamese President Le "
                     "Van Minh held talks with Philippine President Ana Cruz in Hanoi on 29 "
                     "January 2026.\n\n2. The Joint Commission on Fisheries will hold its next "
                     "meeting in Manila in May 2026.\n")
    assert _work(proposal) == {
        "Hold the next meeting of the Joint Commission on Fisheries in Manila": M(2026, 5)}


@pytest.mark.parametrize("meeting", ["The fourth meeting of the Kenya–Uganda Joint Commission "
                                     "on Trade was held in Nairobi on Wednesday",
                                     "Kenya and Uganda held the fourth session of the Joint "
                                     "Commission on Trade in Nairobi on Wednesday"])
def test_the_protocol_of_the_session_is_of_the_meeting_just_named(meeting: str) -> None:
    proposal = _read(f"NAIROBI, 6 May 2026 — {meeting}, co-chaired by Kenyan Trade Minister "
                     "Ruth Njeri and Ugandan Trade Minister Paul Mugisha. The parties signed the "
                     "protocol of the session.")
    [title] = _plans(proposal)
    assert title.startswith("Protocol of the fourth ") and "Joint Commission on Trade" in title


def test_a_protocol_of_the_session_with_no_numbered_meeting_stays_as_written() -> None:
    proposal = _read("NAIROBI, 6 May 2026 — Kenyan Trade Minister Ruth Njeri met Ugandan Trade "
                     "Minister Paul Mugisha in Nairobi on Wednesday. They signed the protocol of "
                     "the session.")
    assert list(_plans(proposal)) == ["Protocol of the session"]


@pytest.mark.parametrize("verb", ["calling for", "urging", "condemning"])
def test_a_communique_calling_for_something_is_one_on_it(verb: str) -> None:
    proposal = _read("ADDIS ABABA, 6 March 2026 — African Union Commission Chairperson Amina "
                     "Bello met Algerian Foreign Minister Karim Haddad in Addis Ababa on Friday. "
                     f"The council adopted a communiqué {verb} the reopening of the border.")
    assert list(_plans(proposal)) == ["Communiqué on the reopening of the border"]


@pytest.mark.parametrize(("opening", "what"), [
    ("Baltic foreign ministers meeting in Riga on Monday agreed a statement on energy.",
     "Hold the next meeting of Baltic foreign ministers in Vilnius"),
    ("Latvian Foreign Minister Juris Ozolins met Lithuanian Foreign Minister Rasa Kairyte in "
     "Riga on Monday.", "Hold their next meeting in Vilnius"),
])
def test_their_next_meeting_is_that_of_the_gathering_named(opening: str, what: str) -> None:
    proposal = _read(f"RIGA, 2 June 2026 — {opening} Latvian Foreign Minister Juris Ozolins "
                     "hosted Estonia's Mart Kask. The ministers agreed to hold their next meeting "
                     "in Vilnius in November.")
    assert _work(proposal) == {what: M(2026, 11)}
