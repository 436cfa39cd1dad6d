"""Meetings and visits in forms found by studying the fourth set (issue 12), each class tested
on sentences of our own with several wordings, and negatives that must give no record: a
guest received after a day and a place in any words, a body revived (not met), translated
date ranges and quarters "of the year", invitations read in the right direction, and the
others named test by test."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, MeetingKind, Visit, VisitStatus
from bot.services.ingest import Proposal, propose
from bot.services.ingest.dates import find_dates

D, M, Q, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.quarter, FuzzyDate.year
TODAY = date(2026, 6, 30)


def _read(text: str) -> Proposal:
    return propose(text, dateline=None, today=TODAY)


def _names(proposal: Proposal) -> dict[str, str]:
    return {p.uid: p.name for p in proposal.bundle.people}


def _who(proposal: Proposal, meeting: Meeting) -> set[str]:
    names = _names(proposal)
    return {names[p.person] for p in meeting.participants}


def _visits(proposal: Proposal) -> set[tuple[str, str, str, FuzzyDate | None, VisitStatus]]:
    names = _names(proposal)
    return {(names.get(v.visitor or "", v.visitor_role), v.from_country, v.to_country, v.date,
             v.status) for v in proposal.bundle.visits}


def _visit_to(proposal: Proposal, country: str) -> list[Visit]:
    return [v for v in proposal.bundle.visits if v.to_country == country]


# --- a guest received after a day and a place, in any words -----------------------------------


@pytest.mark.parametrize("between", [
    "this Wednesday in the Palacio San Martín",
    "at the Ministry's headquarters in Lima today",
    "on Wednesday at the Casa de Nariño",
    "yesterday in the old chancery building",
])
def test_a_guest_received_after_where_and_when_is_a_meeting(between: str) -> None:
    proposal = _read(f"LIMA, 25 June 2026 — The Minister of Foreign Affairs, Carmen Quispe "
                     f"Rojas, received {between} the Deputy Foreign Minister of Chile, Tomás "
                     "Araya Fuentes, who is on a working visit to Peru.")
    [talks] = proposal.bundle.meetings
    assert talks.kind is MeetingKind.BILATERAL_TALKS
    assert _who(proposal, talks) == {"Carmen Quispe Rojas", "Tomás Araya Fuentes"}
    assert talks.date.precision.value == "day"


@pytest.mark.parametrize("thing", [
    "received this Wednesday in Lima the first shipment of Chilean vaccines",
    "welcomed on Wednesday the report of the Deputy Foreign Minister's commission",
    "received this Wednesday the Ambassador's letter on the fisheries dispute",
])
def test_a_thing_received_is_no_meeting(thing: str) -> None:
    text = (f"LIMA, 25 June 2026 — Peruvian Foreign Minister Carmen Quispe {thing}. Chilean "
            "Foreign Minister Tomás Araya met Quispe in Lima on Tuesday.")
    [talks] = _read(text).bundle.meetings
    assert talks.date == D(2026, 6, 23)


# --- a body revived or re-established has not met ---------------------------------------------


@pytest.mark.parametrize("verb", ["agreed to revive their", "decided to relaunch the",
                                  "agreed to re-establish the", "resolved to reactivate their"])
def test_a_body_revived_is_not_a_meeting_and_leaves_the_talks_theirs(verb: str) -> None:
    proposal = _read(f"DAKAR, 12 June 2026 — Senegal and Gambia {verb} Joint Commission, idle "
                     "since 2018, after talks on Thursday between Senegalese Foreign Minister "
                     "Awa Ndiaye and her Gambian counterpart, Lamin Jallow, who is on a "
                     "two-day visit to Dakar.")
    [talks] = proposal.bundle.meetings
    assert talks.kind is MeetingKind.BILATERAL_TALKS
    assert talks.date == D(2026, 6, 11)
    assert _who(proposal, talks) == {"Awa Ndiaye", "Lamin Jallow"}


def test_a_commission_that_met_is_still_a_meeting() -> None:
    proposal = _read("DAKAR, 12 June 2026 — The Senegal–Gambia Joint Commission met in Dakar on "
                     "Thursday under Senegalese Foreign Minister Awa Ndiaye and Gambian Foreign "
                     "Minister Lamin Jallow.")
    assert [m.kind for m in proposal.bundle.meetings] == [MeetingKind.OTHER]


# --- dates written as translations write them -------------------------------------------------


@pytest.mark.parametrize(("phrase", "first", "last"), [
    ("from the 13 to the 15 of May", D(2026, 5, 13), D(2026, 5, 15)),
    ("from the 2 to the 4 of June", D(2026, 6, 2), D(2026, 6, 4)),
    ("from 13 to 15 May", D(2026, 5, 13), D(2026, 5, 15)),
])
def test_a_range_of_days_with_articles_is_one_range(phrase: str, first: FuzzyDate,
                                                    last: FuzzyDate) -> None:
    [mention] = find_dates(f"She is on a visit {phrase}.", date(2026, 5, 14))
    assert (mention.date, mention.end_date) == (first, last)


@pytest.mark.parametrize(("phrase", "expected"), [
    ("in November of 2024", M(2024, 11)),
    ("in March of 2019", M(2019, 3)),
])
def test_a_month_of_a_year_keeps_its_year(phrase: str, expected: FuzzyDate) -> None:
    [mention] = find_dates(f"The president visited Lima {phrase}.", date(2026, 5, 14))
    assert mention.date == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    ("in the third quarter of the year", Q(2026, 3)),
    ("in the last quarter of the year", Q(2026, 4)),
    ("during the first quarter of the present year", Q(2026, 1)),
    ("in the fourth quarter of 2027", Q(2027, 4)),
])
def test_a_quarter_of_the_year_is_the_datelines_year(phrase: str, expected: FuzzyDate) -> None:
    [mention] = find_dates(f"The prime minister will visit Lima {phrase}.", date(2026, 5, 14))
    assert mention.date == expected


@pytest.mark.parametrize("adjective", ["revived", "enlarged", "renamed"])
def test_a_participle_after_an_article_does_not_put_a_plan_in_the_past(adjective: str) -> None:
    [mention] = find_dates(f"They agreed to hold the first session of the {adjective} "
                           "commission in Lima in October.", date(2026, 6, 5))
    assert mention.date == M(2026, 10)


def test_a_month_after_a_past_verb_is_still_the_past_one() -> None:
    [mention] = find_dates("The commission revised its rules in October.", date(2026, 6, 5))
    assert mention.date == M(2025, 10)


# --- invitations: who is asked to travel ------------------------------------------------------


@pytest.mark.parametrize("told", [
    "handed him an invitation from the King to President Karim Haddad to visit Morocco",
    "conveyed an invitation from the King to President Karim Haddad to visit Morocco",
])
def test_an_invitation_to_a_named_guest_is_the_guests_visit(told: str) -> None:
    proposal = _read(f"RABAT, 10 June 2026 — Moroccan Foreign Minister Nadia Alaoui received "
                     f"Lebanese Foreign Minister Rami Khoury in Rabat on Tuesday and {told} in "
                     "the third quarter of the year.")
    visits = _visits(proposal)
    assert ("Karim Haddad", "Lebanon", "Morocco", Q(2026, 3), VisitStatus.PROPOSED) in visits
    assert all(v[0] != "Rami Khoury" or v[3] != Q(2026, 3) for v in visits)


@pytest.mark.parametrize("honorific", ["His Majesty", "His Royal Highness", "Her Excellency"])
def test_an_invitation_conveyed_to_a_host_is_the_hosts_trip_abroad(honorific: str) -> None:
    proposal = _read("RABAT, 10 June 2026 — Moroccan Foreign Minister Nadia Alaoui received "
                     "Lebanese Foreign Minister Rami Khoury in Rabat on Tuesday. Minister Khoury "
                     f"conveyed to {honorific} an invitation to visit Lebanon in the fourth "
                     "quarter of 2026.")
    [invited] = _visit_to(proposal, "Lebanon")
    assert (invited.from_country, invited.date, invited.status) == (
        "Morocco", Q(2026, 4), VisitStatus.PROPOSED)
    assert _names(proposal)[invited.visitor or ""] == "Nadia Alaoui"


def test_an_invitation_is_not_a_visit_by_the_one_who_hands_it_over() -> None:
    proposal = _read("RABAT, 10 June 2026 — Lebanese Foreign Minister Rami Khoury, on a visit to "
                     "Morocco, met Moroccan Foreign Minister Nadia Alaoui in Rabat on Tuesday "
                     "and extended to her an invitation to visit Beirut next year.")
    assert ("Rami Khoury", "Lebanon", "Lebanon") not in {v[:3] for v in _visits(proposal)}
    assert all(v.to_country != "Lebanon" or v.status is not VisitStatus.COMPLETED
               for v in proposal.bundle.visits)


# --- ministers gathered by where they come from -----------------------------------------------


@pytest.mark.parametrize(("opening", "name"), [
    ("Baltic foreign ministers meeting in Vilnius on Tuesday agreed",
     "Meeting of Baltic foreign ministers"),
    ("Baltic defence ministers met in Vilnius on Tuesday and agreed",
     "Meeting of Baltic defence ministers"),
    ("Estonian, Latvian and Lithuanian foreign ministers gathered in Vilnius on Tuesday and "
     "agreed", "Meeting of Estonian, Latvian and Lithuanian foreign ministers"),
])
def test_ministers_named_by_nationality_meeting_somewhere_is_a_meeting(opening: str,
                                                                       name: str) -> None:
    proposal = _read(f"VILNIUS, 24 June 2026 — {opening} to pool their air defences. The "
                     "meeting, hosted by Lithuanian Foreign Minister Rasa Kairyte, brought "
                     "together Estonian Foreign Minister Mart Tamm and Latvian Foreign Minister Ilze "
                     "Berzina.")
    [meeting] = proposal.bundle.meetings
    assert (meeting.kind, meeting.title, meeting.date) == (MeetingKind.OTHER, name,
                                                           D(2026, 6, 23))
    assert _who(proposal, meeting) == {"Rasa Kairyte", "Mart Tamm", "Ilze Berzina"}
    assert {(v[0], v[2]) for v in _visits(proposal)} == {("Mart Tamm", "Lithuania"),
                                                          ("Ilze Berzina", "Lithuania")}


def test_a_gathering_for_a_named_summit_is_that_summit() -> None:
    proposal = _read("VILNIUS, 24 June 2026 — Baltic foreign ministers met in Vilnius on Tuesday "
                     "for an extraordinary session on energy, chaired by Lithuanian Foreign "
                     "Minister Rasa Kairyte. Estonian Foreign Minister Mart Tamm attended.")
    [session] = proposal.bundle.meetings
    assert _who(proposal, session) == {"Rasa Kairyte", "Mart Tamm"}


@pytest.mark.parametrize("sentence", [
    "Baltic foreign ministers meeting with their Nordic peers is a tradition.",
    "The foreign ministers met with approval the idea of a summit.",
])
def test_ministers_meeting_with_others_is_no_gathering_of_their_own(sentence: str) -> None:
    from bot.services.ingest.meetings import _GATHERED
    assert _GATHERED.search(sentence) is None


# --- talks on the sidelines told by what was discussed ----------------------------------------


@pytest.mark.parametrize("verb", ["discussed", "conferred on", "exchanged views on"])
def test_two_who_spoke_on_the_sidelines_of_a_meeting_held_talks(verb: str) -> None:
    proposal = _read("VILNIUS, 24 June 2026 — Baltic foreign ministers met in Vilnius on "
                     "Tuesday. The meeting was hosted by Lithuanian Foreign Minister Rasa "
                     "Kairyte and attended by Estonian Foreign Minister Mart Tamm. On the "
                     f"sidelines of the meeting, Tamm and Kairyte {verb} the border crossings, "
                     "which have strained ties since the collapse of transit talks in 2023.")
    [talks] = [m for m in proposal.bundle.meetings if m.kind is MeetingKind.BILATERAL_TALKS]
    assert _who(proposal, talks) == {"Rasa Kairyte", "Mart Tamm"}
    assert talks.date == D(2026, 6, 23)


def test_a_subject_discussed_with_no_meeting_beside_it_is_no_meeting() -> None:
    proposal = _read("VILNIUS, 24 June 2026 — Lithuanian Foreign Minister Rasa Kairyte met "
                     "Estonian Foreign Minister Mart Tamm in Vilnius on Tuesday. Tamm and "
                     "Kairyte discussed the border crossings.")
    assert len(proposal.bundle.meetings) == 1


# --- a call paid in a place, and the honorific "Hon." ------------------------------------------


@pytest.mark.parametrize("call", [
    "paid a courtesy call in Honiara on Prime Minister Peter Kenilorea",
    "paid a courtesy call at the Parliament House in Honiara on Prime Minister Peter Kenilorea",
    "made an official call in Honiara on the Hon. Peter Kenilorea, Prime Minister of Solomon "
    "Islands,",
])
def test_a_call_paid_in_a_city_is_a_meeting_there(call: str) -> None:
    proposal = _read(f"HONIARA, 12 June 2026 — Australian Foreign Minister Claire Dawson {call} "
                     "on Thursday.")
    [talks] = proposal.bundle.meetings
    assert talks.kind is MeetingKind.BILATERAL_TALKS
    assert talks.place == "Honiara"
    assert "Peter Kenilorea" in _who(proposal, talks)


def test_hon_before_a_name_does_not_end_the_sentence() -> None:
    from bot.services.ingest.sentences import split_sentences
    text = "She called on the Hon. Peter Kenilorea in Honiara. The Rt. Hon. Ana Lee met him."
    assert [s.text for s in split_sentences(text)] == [
        "She called on the Hon. Peter Kenilorea in Honiara.", "The Rt. Hon. Ana Lee met him."]


# --- legs of a trip announced ahead ------------------------------------------------------------


@pytest.mark.parametrize(("follow", "first", "second"), [
    ("The visit will be followed by visits to the Kingdom of Tonga on 3 July and to the "
     "Republic of Vanuatu from 5 to 6 July.", (D(2026, 7, 3), None), (D(2026, 7, 5), D(2026, 7, 6))),
    ("The visit will be followed by a visit to Tonga on 3 July and a stop in Vanuatu on 5 July.",
     (D(2026, 7, 3), None), (D(2026, 7, 5), None)),
])
def test_legs_that_will_follow_a_visit_are_the_travellers_planned_visits(
    follow: str, first: tuple[FuzzyDate, FuzzyDate | None],
    second: tuple[FuzzyDate, FuzzyDate | None],
) -> None:
    proposal = _read("SUVA, 29 June 2026 — South Korean Vice Foreign Minister Park Ji-hoon is "
                     f"visiting Fiji from 28 June to 1 July. {follow}")
    [tonga] = _visit_to(proposal, "Tonga")
    [vanuatu] = _visit_to(proposal, "Vanuatu")
    for visit, (day, end) in ((tonga, first), (vanuatu, second)):
        assert (visit.from_country, visit.date, visit.end_date, visit.status) == (
            "South Korea", day, end, VisitStatus.PLANNED)
        assert _names(proposal)[visit.visitor or ""] == "Park Ji-hoon"


def test_a_visit_followed_by_talks_gives_no_leg() -> None:
    proposal = _read("SUVA, 29 June 2026 — South Korean Vice Foreign Minister Park Ji-hoon is "
                     "visiting Fiji from 28 June to 1 July. The visit will be followed by talks "
                     "in Seoul with officials from Tonga.")
    assert {v.to_country for v in proposal.bundle.visits} == {"Fiji"}


@pytest.mark.parametrize(("onward", "day"), [
    ("Park will leave for Tokyo on Saturday.", D(2026, 7, 4)),
    ("Park is to depart for Tokyo on Saturday.", D(2026, 7, 4)),
])
def test_leaving_for_a_city_is_a_trip_there(onward: str, day: FuzzyDate) -> None:
    proposal = _read("SUVA, 29 June 2026 — South Korean Vice Foreign Minister Park Ji-hoon is "
                     f"visiting Fiji from 28 June to 1 July. {onward}")
    [japan] = _visit_to(proposal, "Japan")
    assert (japan.date, japan.status) == (day, VisitStatus.PLANNED)


def test_leaving_a_post_is_no_trip() -> None:
    proposal = _read("SUVA, 29 June 2026 — South Korean Vice Foreign Minister Park Ji-hoon is "
                     "visiting Fiji from 28 June to 1 July. He will leave the ministry in "
                     "December.")
    assert {v.to_country for v in proposal.bundle.visits} == {"Fiji"}


# --- meetings still to come or not between states ----------------------------------------------


@pytest.mark.parametrize("aside", [
    "after Peru's Congress was called into an extraordinary session on the budget",
    "after the Peruvian Parliament convened an emergency session on the budget",
])
def test_a_parliaments_session_is_no_meeting(aside: str) -> None:
    proposal = _read(f"LIMA, 25 June 2026 — A state visit to Peru by Chilean President Rosa "
                     f"Vidal, scheduled for 6–8 July, has been postponed, {aside}.")
    assert proposal.bundle.meetings == []
    [visit] = proposal.bundle.visits
    assert (visit.status, visit.date, visit.end_date) == (VisitStatus.POSTPONED, D(2026, 7, 6),
                                                          D(2026, 7, 8))


@pytest.mark.parametrize("plan", ["was to include talks with", "had been due to hold talks with",
                                  "was expected to include a meeting with"])
def test_talks_a_called_off_visit_was_to_include_did_not_take_place(plan: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — A state visit to Peru by Chilean President Rosa "
                     "Vidal, scheduled for 6–8 July, has been postponed. The visit "
                     f"{plan} President Luis Paredes and a stop in Arequipa.")
    assert proposal.bundle.meetings == []
    assert len(proposal.bundle.visits) == 1


@pytest.mark.parametrize("sentence", [
    "The ministers agreed to hold the next session of the Peru–Chile Permanent Joint "
    "Commission for Cooperation in Santiago before the end of the year.",
    "They will convene the upcoming meeting of the Peru–Chile Binational Cabinet in Arica.",
])
def test_the_next_session_of_a_long_named_body_is_still_to_come(sentence: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — Peruvian Foreign Minister Carmen Quispe met her "
                     f"Chilean counterpart Tomás Araya in Lima on Wednesday. {sentence}")
    assert [m.kind for m in proposal.bundle.meetings] == [MeetingKind.BILATERAL_TALKS]


def test_a_forum_someone_is_in_town_for_is_no_meeting() -> None:
    proposal = _read("LIMA, 25 June 2026 — Peruvian Foreign Minister Carmen Quispe met Chilean "
                     "Finance Minister Tomás Araya in Lima on Wednesday. Araya is in Peru for "
                     "the Lima Mining Forum, which ends on Friday.")
    [talks] = proposal.bundle.meetings
    assert talks.kind is MeetingKind.BILATERAL_TALKS
    [visit] = proposal.bundle.visits
    assert visit.date == D(2026, 6, 24)


# --- visits dated by the clause they close, and trips back --------------------------------------


@pytest.mark.parametrize(("clause", "expected"), [
    ("which is to be signed in early 2027, when Quispe visits Santiago", Y(2027)),
    ("to be signed in November, when the foreign minister visits Santiago", M(2026, 11)),
])
def test_a_visit_told_by_when_takes_the_date_of_its_clause(clause: str,
                                                           expected: FuzzyDate) -> None:
    proposal = _read("LIMA, 25 June 2026 — Peruvian Foreign Minister Carmen Quispe met Chilean "
                     f"Foreign Minister Tomás Araya in Lima on Wednesday and agreed on a "
                     f"memorandum of understanding, {clause}.")
    [chile] = _visit_to(proposal, "Chile")
    assert (chile.date, chile.status) == (expected, VisitStatus.PLANNED)


@pytest.mark.parametrize("back", ["is expected back in Lima in September",
                                  "is due back in Lima in September",
                                  "will be back in Lima in September"])
def test_a_visitor_expected_back_makes_another_trip(back: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean Foreign Minister Tomás Araya held talks "
                     f"with Peruvian Foreign Minister Carmen Quispe in Lima on Wednesday. Araya "
                     f"{back} for the Pacific Alliance summit.")
    assert (("Tomás Araya", "Chile", "Peru", M(2026, 9), VisitStatus.PLANNED)
            in _visits(proposal))


def test_a_minister_back_at_home_makes_no_trip() -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean Foreign Minister Tomás Araya held talks "
                     "with Peruvian Foreign Minister Carmen Quispe in Lima on Wednesday. Araya "
                     "is expected back in Santiago on Friday.")
    assert {v.to_country for v in proposal.bundle.visits} == {"Peru"}
