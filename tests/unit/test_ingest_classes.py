"""Ingest on the classes of text issue 12 lists, one phrase of our own each (propose())."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.organisations import find_organisation, read_side
from bot.domain.records import MeetingKind, Plan, PlanKind, PlanStatus, Visit, VisitStatus
from bot.services.ingest import Proposal, propose
from bot.services.ingest.organisations import ORGANISATIONS

D, M = FuzzyDate.day, FuzzyDate.month
TODAY = date(2026, 6, 30)


def _read(text: str) -> Proposal:
    return propose(text, dateline=None, today=TODAY)


def _names(proposal: Proposal) -> dict[str, str]:
    return {p.uid: p.name for p in proposal.bundle.people}


def _plan(proposal: Proposal, word: str) -> Plan:
    found = [p for p in proposal.bundle.plans if word.lower() in p.title.lower()]
    assert len(found) == 1, [p.title for p in proposal.bundle.plans]
    return found[0]


def _visits(proposal: Proposal) -> list[tuple[str | None, str, str, VisitStatus, FuzzyDate]]:
    names = _names(proposal)
    return [(names.get(v.visitor or ""), v.from_country, v.to_country, v.status, v.date)
            for v in proposal.bundle.visits]


def _visit(proposal: Proposal) -> Visit:
    assert len(proposal.bundle.visits) == 1, _visits(proposal)
    return proposal.bundle.visits[0]


# --- multilateral meetings and numbered series ---------------------------------------------


def test_a_meeting_of_five_ministers_is_one_meeting_of_five_sides() -> None:
    proposal = _read(
        "TASHKENT, 13 March 2026 – The foreign ministers of Uzbekistan, Kazakhstan, Kyrgyzstan, "
        "Tajikistan and Turkmenistan held a consultative meeting in Tashkent on Thursday, "
        "12 March. Uzbek Foreign Minister Rustam Yuldashev chaired the meeting, which reviewed "
        "regional water and transit projects.")
    (meeting,) = proposal.bundle.meetings
    assert meeting.kind is MeetingKind.OTHER
    assert meeting.date == D(2026, 3, 12)
    assert meeting.place == "Tashkent"
    assert set(meeting.countries) == {"Uzbekistan", "Kazakhstan", "Kyrgyzstan", "Tajikistan",
                                      "Turkmenistan"}


def test_a_numbered_session_keeps_its_number_and_its_co_chairs() -> None:
    proposal = _read(
        "BUDAPEST, 15 April 2026 – The 12th Session of the Kazakhstan–Hungary Intergovernmental "
        "Commission on Economic Cooperation took place in Budapest on 14 April 2026. It was "
        "co-chaired by Hungarian Minister of Foreign Affairs and Trade Gergely Kovacs and Kazakh "
        "Deputy Prime Minister Aidar Suleimenov.")
    (meeting,) = proposal.bundle.meetings
    assert meeting.title == ("Kazakhstan–Hungary Intergovernmental Commission on Economic "
                             "Cooperation, 12th session")
    assert meeting.date == D(2026, 4, 14)
    names = _names(proposal)
    assert {names[p.person]: p.part for p in meeting.participants} == {
        "Gergely Kovacs": "co-chair", "Aidar Suleimenov": "co-chair"}
    # The Kazakh co-chair came to Budapest for it.
    assert _visits(proposal) == [("Aidar Suleimenov", "Kazakhstan", "Hungary",
                                  VisitStatus.COMPLETED, D(2026, 4, 14))]


def test_a_dialogue_partner_is_a_standing_not_a_meeting() -> None:
    proposal = _read(
        "JAKARTA, 20 February 2026 – ASEAN Secretary-General Lim Wei Jie received Chilean "
        "Foreign Minister Camila Rojas at the ASEAN Secretariat in Jakarta on Friday. The two "
        "discussed Chile's application to become a Sectoral Dialogue Partner of ASEAN.")
    (meeting,) = proposal.bundle.meetings
    assert meeting.kind is MeetingKind.BILATERAL_TALKS
    assert meeting.date == D(2026, 2, 20)
    # The organisation is a side, and its Secretary-General acts for it.
    assert meeting.countries == ["ASEAN", "Chile"]
    assert {p.name: p.country for p in proposal.bundle.people} == {
        "Lim Wei Jie": "ASEAN", "Camila Rojas": "Chile"}


# --- organisations as parties, hosts and sides ---------------------------------------------


def test_an_organisation_is_a_party_to_a_declaration() -> None:
    proposal = _read(
        "HANOI, 8 May 2026 – The European Union and Vietnam today signed a Joint Declaration on "
        "Green Transition. EU Commissioner for International Partnerships Hanna Lindqvist and "
        "Vietnamese Minister of Planning and Investment Do Van Hai signed the text at the "
        "Government Office in Hanoi.")
    plan = _plan(proposal, "Declaration")
    assert plan.kind is PlanKind.JOINT_STATEMENT and plan.status is PlanStatus.SIGNED
    assert plan.date == D(2026, 5, 8)
    assert set(plan.parties) == {"European Union", "Vietnam"}
    people = {p.name: (p.title, p.country) for p in proposal.bundle.people}
    assert people["Hanna Lindqvist"] == ("Commissioner for International Partnerships",
                                         "European Union")


# --- signed texts that are not called agreements -------------------------------------------


def test_a_communique_a_protocol_a_roadmap_and_a_programme_signed_at_talks() -> None:
    proposal = _read(
        "LISBON, 5 June 2026 – Portugal and Angola adopted a joint communiqué at the end of "
        "talks between Prime Minister Luis Mendes and Angolan President Joaquim Neto in Lisbon "
        "on Friday. The two governments also signed a Protocol on Double Taxation, a Roadmap "
        "for Energy Cooperation 2026–2030 and a Programme of Cultural Cooperation for "
        "2026–2029.")
    kinds = {p.title: p.kind for p in proposal.bundle.plans}
    assert kinds == {
        "Portugal–Angola joint communiqué": PlanKind.JOINT_STATEMENT,
        "Protocol on Double Taxation": PlanKind.OTHER,
        "Roadmap for Energy Cooperation 2026–2030": PlanKind.ROADMAP,
        "Programme of Cultural Cooperation for 2026–2029": PlanKind.OTHER,
    }
    # Adopted is signed; the texts signed "also" were signed at the same talks, that Friday.
    assert {(p.status, p.date) for p in proposal.bundle.plans} == {
        (PlanStatus.SIGNED, D(2026, 6, 5))}
    (talks,) = proposal.bundle.meetings
    assert talks.date == D(2026, 6, 5)


def test_a_final_act_of_three_delegations_and_the_host_of_its_closing_session() -> None:
    proposal = _read(
        "VIENNA, 23 January 2026 – Delegations of Austria, Slovakia and Hungary signed the "
        "Final Act of the Danube Navigation Conference in Vienna on Friday. Austrian Foreign "
        "Minister Claudia Reiter hosted the closing session.")
    plan = _plan(proposal, "Final Act")
    assert plan.title == "Final Act of the Danube Navigation Conference"  # not "… in Vienna"
    assert plan.date == D(2026, 1, 23)
    assert set(plan.parties) == {"Austria", "Slovakia", "Hungary"}
    # Hosting the closing session is hosting the conference, not talks of her own.
    (conference,) = proposal.bundle.meetings
    assert conference.kind is MeetingKind.OTHER
    assert set(conference.countries) == {"Austria", "Slovakia", "Hungary"}
    assert [_names(proposal)[p.person] for p in conference.participants] == ["Claudia Reiter"]


def test_a_ratified_agreement_is_dated_when_it_was_signed() -> None:
    proposal = _read(
        "ASTANA, 16 October 2026 – The Mazhilis of Kazakhstan today ratified the Agreement "
        "between Kazakhstan and Azerbaijan on the Trans-Caspian Fibre-Optic Line. The agreement "
        "was signed in Baku by the foreign ministers of the two countries in March.")
    (plan,) = proposal.bundle.plans
    assert plan.title == "Agreement on the Trans-Caspian Fibre-Optic Line"
    assert plan.status is PlanStatus.SIGNED
    assert plan.date == M(2026, 3)


def test_a_text_the_sides_resolved_to_conclude_is_under_negotiation_and_undated() -> None:
    proposal = _read(
        "MANAMA, 3 November 2026 – Bahrain and the Philippines resolved to conclude an "
        "Agreement on the Recruitment of Domestic Workers at the earliest opportunity, Foreign "
        "Minister Khalid Al Mansoori told his Philippine counterpart Rosario Delgado during "
        "talks in Manama on Tuesday.")
    plan = _plan(proposal, "Domestic Workers")
    assert plan.status is PlanStatus.UNDER_NEGOTIATION
    assert plan.date is None


def test_memoranda_named_only_by_their_fields_are_several_plans() -> None:
    proposal = _read(
        "DODOMA, 5 June 2026 – Tanzania and Kenya signed memoranda of understanding in the "
        "fields of health, fisheries and youth development after talks between President Salma "
        "Mwinyi and Kenyan President David Otieno at State House in Dodoma on Friday.")
    assert sorted(p.title for p in proposal.bundle.plans) == [
        "Memorandum of understanding on fisheries",
        "Memorandum of understanding on health",
        "Memorandum of understanding on youth development",
    ]
    assert {(p.kind, p.date) for p in proposal.bundle.plans} == {(PlanKind.MOU, D(2026, 6, 5))}


# --- visits told indirectly ----------------------------------------------------------------


def test_talks_during_a_state_visit_are_dated_past_the_aside() -> None:
    proposal = _read(
        "DODOMA, 5 June 2026 – President Salma Mwinyi held talks with Kenyan President David "
        "Otieno, who is in Tanzania on a state visit, at State House in Dodoma on Friday.")
    (talks,) = proposal.bundle.meetings
    assert talks.date == D(2026, 6, 5)  # "on Friday" is the talks', past the aside
    assert _visits(proposal) == [("David Otieno", "Kenya", "Tanzania", VisitStatus.COMPLETED,
                                  D(2026, 6, 5))]


def test_an_arrival_at_someone_s_invitation_is_one_visit_and_the_host_stays_home() -> None:
    proposal = _read(
        "HANOI, 8 May 2026 – Lao Deputy Prime Minister Somphet Vongsa arrived in Hanoi on "
        "Friday for a two-day official visit at the invitation of Vietnamese Deputy Prime "
        "Minister Tran Quoc Minh.")
    visit = _visit(proposal)
    assert (visit.from_country, visit.to_country, visit.status) == (
        "Laos", "Vietnam", VisitStatus.COMPLETED)
    assert (visit.date, visit.end_date) == (D(2026, 5, 8), D(2026, 5, 9))


def test_a_delegation_led_by_a_minister_of_state_is_her_visit() -> None:
    proposal = _read(
        "TASHKENT, 15 April 2026 – A Pakistani delegation led by Minister of State for Foreign "
        "Affairs Nadia Rahim visited Tashkent on 14 April for political consultations with "
        "Uzbek Deputy Foreign Minister Bakhtiyor Sodiqov.")
    assert _visits(proposal) == [("Nadia Rahim", "Pakistan", "Uzbekistan",
                                  VisitStatus.COMPLETED, D(2026, 4, 14))]
    (consultations,) = proposal.bundle.meetings
    assert consultations.date == D(2026, 4, 14)


def test_a_postponed_visit_and_a_second_trip_named_in_passing() -> None:
    proposal = _read(
        "NEW DELHI, 14 April 2026 – The visit of Sri Lankan Prime Minister Anura Pathirana to "
        "India, planned for 20 April, has been postponed at the request of the Sri Lankan side. "
        "Pathirana, who visited Bangladesh in March, is expected to travel to New Delhi later "
        "in the year.")
    assert sorted(_visits(proposal), key=lambda v: v[2]) == [
        ("Anura Pathirana", "Sri Lanka", "Bangladesh", VisitStatus.COMPLETED, M(2026, 3)),
        ("Anura Pathirana", "Sri Lanka", "India", VisitStatus.POSTPONED, D(2026, 4, 20)),
    ]


def test_a_suspended_visit_is_postponed_and_keeps_its_day_to_come() -> None:
    proposal = _read(
        "MANILA, 3 November 2026 – The Philippines has suspended the planned visit of Foreign "
        "Secretary Rosario Delgado to Kuwait on 10 November, the Department of Foreign Affairs "
        "said on Tuesday.")
    # The visitor is named after an office, and Kuwait lies past her name.
    assert _visits(proposal) == [("Rosario Delgado", "Philippines", "Kuwait",
                                  VisitStatus.POSTPONED, D(2026, 11, 10))]


def test_a_cancelled_visit_keeps_the_day_it_was_scheduled_for() -> None:
    proposal = _read(
        "BISHKEK, 16 October 2026 – Kazakh President Nurlan Temirov has cancelled his visit to "
        "Kyrgyzstan scheduled for 20 October, the presidential press service said on Friday.")
    # "has cancelled" is past, but the day it was scheduled for is still to come.
    assert _visits(proposal) == [("Nurlan Temirov", "Kazakhstan", "Kyrgyzstan",
                                  VisitStatus.CANCELLED, D(2026, 10, 20))]


def test_an_invitation_extended_then_accepted_is_one_planned_visit() -> None:
    proposal = _read(
        "SANTIAGO, 23 January 2026 – Chilean Foreign Minister Ana Fuentes extended an "
        "invitation to Peruvian Foreign Minister Jorge Quispe to visit Santiago, during a "
        "telephone call on Friday. Quispe accepted the invitation and will visit in March.")
    # The call's Friday is not the visit's; the visit is the one accepted, for March.
    assert _visits(proposal) == [("Jorge Quispe", "Peru", "Chile", VisitStatus.PLANNED,
                                  M(2026, 3))]


def test_an_invitation_alone_is_a_proposed_visit() -> None:
    proposal = _read(
        "SANTIAGO, 23 January 2026 – Chilean Foreign Minister Ana Fuentes extended an "
        "invitation to Peruvian Foreign Minister Jorge Quispe to visit Santiago in May, when "
        "the two met in Lima on Friday.")
    (visit,) = [v for v in _visits(proposal) if v[0] == "Jorge Quispe"]
    assert visit == ("Jorge Quispe", "Peru", "Chile", VisitStatus.PROPOSED, M(2026, 5))


def test_a_visit_dated_only_by_its_meeting() -> None:
    proposal = _read(
        "RIYADH, 20 February 2026 – Saudi Foreign Minister Prince Faisal bin Turki received "
        "Egyptian Foreign Minister Hany Mansour in Riyadh on Friday. Mansour is in the Kingdom "
        "on a working visit.")
    assert _visits(proposal) == [("Hany Mansour", "Egypt", "Saudi Arabia",
                                  VisitStatus.COMPLETED, D(2026, 2, 20))]


def test_a_three_day_visit_that_ended_on_friday_began_on_wednesday() -> None:
    proposal = _read(
        "ULAANBAATAR, 14 March 2026 – Japanese Foreign Minister Kenji Morita ended a three-day "
        "official visit to Mongolia on Friday, after talks with Mongolian Foreign Minister "
        "Bat-Erdene Gantulga.")
    visit = _visit(proposal)
    assert (visit.date, visit.end_date) == (D(2026, 3, 11), D(2026, 3, 13))


def test_a_reception_to_come_is_a_planned_visit_on_a_weekday_and_month_without_year() -> None:
    proposal = _read(
        "Press release No. 112/26\n\n"
        "RABAT, 20 February 2026 – Moroccan Foreign Minister Youssef Bennani will receive "
        "Ghanaian Foreign Minister Kwame Asante in Rabat on Tuesday, 3 March, the Ministry "
        "announced.")
    assert _visits(proposal) == [("Kwame Asante", "Ghana", "Morocco", VisitStatus.PLANNED,
                                  D(2026, 3, 3))]
    assert proposal.bundle.meetings == []  # announced, not held


# --- openings: a quote, a headline and byline, a labelled stamp with dotted dates ------------


def test_a_text_opening_with_a_quote_is_read_from_its_dateline() -> None:
    proposal = _read(
        '"Our two countries share a reef and a future," President Hemi Tane said as he '
        "welcomed Fijian Prime Minister Josefa Ratu to Wellington.\n\n"
        "WELLINGTON, 5 June 2026 – New Zealand and Fiji signed a Memorandum of Understanding on "
        "Disaster Resilience on Friday after talks between the two leaders.")
    assert proposal.dateline == date(2026, 6, 5)
    plan = _plan(proposal, "Disaster Resilience")
    assert plan.date == D(2026, 6, 5)
    assert _visits(proposal) == [("Josefa Ratu", "Fiji", "New Zealand", VisitStatus.COMPLETED,
                                  D(2026, 6, 5))]


def test_a_headline_and_a_byline_above_the_dateline() -> None:
    proposal = _read(
        "Hungary and Egypt sign grain protocol\n\n"
        "By Laila Hassan, Staff Correspondent\n\n"
        "CAIRO, 8 May 2026 – Hungarian Foreign Minister Gergely Kovacs and Egyptian Foreign "
        "Minister Hany Mansour signed a protocol on grain exports in Cairo on Friday.")
    (source,) = proposal.bundle.sources
    assert source.title.startswith("Hungary and Egypt sign grain protocol (report, Cairo")
    assert source.published == D(2026, 5, 8)
    assert "Laila Hassan" not in _names(proposal).values()  # the writer is no official
    plan = _plan(proposal, "grain")
    assert plan.title == "Protocol on grain exports"
    assert plan.date == D(2026, 5, 8)


def test_a_labelled_stamp_and_dotted_dates() -> None:
    proposal = _read(
        "Ministry of Foreign Affairs of Lithuania\n"
        "Published: 14.04.2026\n\n"
        "Lithuanian Foreign Minister Ruta Zukauskiene and Polish Foreign Minister Marek Nowak "
        "signed a Programme of Cooperation for 2026–2028 in Vilnius on 13.04.2026.")
    assert proposal.dateline == date(2026, 4, 14)
    plan = _plan(proposal, "Programme")
    assert plan.title == "Programme of Cooperation for 2026–2028"
    assert plan.date == D(2026, 4, 13)
    assert _visits(proposal) == [("Marek Nowak", "Poland", "Lithuania", VisitStatus.COMPLETED,
                                  D(2026, 4, 13))]


# --- sentences that merely name countries ---------------------------------------------------


@pytest.mark.parametrize("text", [
    "GENEVA, 5 June 2026 – Kenya and Ghana are both members of the African Union and the "
    "Commonwealth. Trade between Kenya and Ghana reached 300 million dollars last year, "
    "according to the latest figures.",
    "GENEVA, 5 June 2026 – Switzerland and Denmark top this year's innovation index, ahead of "
    "Sweden and Singapore, the report published on Friday says.",
], ids=["memberships-and-trade", "ranking"])
def test_sentences_that_merely_name_two_countries_give_nothing(text: str) -> None:
    with pytest.raises(UserError):
        _read(text)


def test_organisations_are_named_as_the_desk_s_commands_name_them() -> None:
    proposal = _read(
        "RIYADH, 20 February 2026 – The Secretary-General of the Gulf Cooperation Council, "
        "Faisal Al Harbi, received Uzbek Foreign Minister Rustam Yuldashev at the GCC "
        "Secretariat in Riyadh on Friday. The two discussed the next Central Asia–GCC "
        "ministerial meeting.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people["Faisal Al Harbi"] == "GCC"  # as /meeting add countries:"Gulf Cooperation
    # Council" would store it
    assert read_side("Gulf Cooperation Council") == "GCC"
    (meeting,) = proposal.bundle.meetings
    assert set(meeting.countries) == {"GCC", "Uzbekistan"}
    # At its own seat the Secretary-General has not travelled; the Uzbek minister has.
    assert [v[:3] for v in _visits(proposal)] == [("Rustam Yuldashev", "Uzbekistan",
                                                   "Saudi Arabia")]


def test_every_organisation_ingest_knows_is_spelt_as_the_desk_spells_it() -> None:
    for org in ORGANISATIONS:
        known = find_organisation(org.name)
        assert known is None or known.name == org.name, org.name
