"""Meetings and visits in forms found by studying the fourth set (issue 12), each class tested
on sentences of our own with several wordings, and negatives that must give no record: a
guest received after a day and a place in any words, a body revived (not met), translated
date ranges and quarters "of the year", invitations read in the right direction, and the
others named test by test."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import MeetingKind, Visit, VisitStatus
from bot.services.ingest import Proposal
from bot.services.ingest.dates import find_dates
from tests.unit.ingest_reading import names as _names
from tests.unit.ingest_reading import read as _read
from tests.unit.ingest_reading import who as _who

D, M, Q, Y = FuzzyDate.day, FuzzyDate.month, FuzzyDate.quarter, FuzzyDate.year


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
                     "together Estonian Foreign Minister Mart Tamm and Latvian Foreign "
                     "Minister Ilze Berzina.")
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
     "Republic of Vanuatu from 5 to 6 July.", (D(2026, 7, 3), None),
     (D(2026, 7, 5), D(2026, 7, 6))),
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


# --- a numbered meeting, its headline, and the previous meeting of its series -----------------


@pytest.mark.parametrize("number", ["XII", "IX", "12th"])
def test_a_numbered_meeting_of_a_body_is_one_meeting_under_its_headline(number: str) -> None:
    proposal = _read(f"Lima, June 25, 2026\n\nPeru and Chile hold {number} Meeting of the "
                     f"Binational Cabinet\n\nThe {number} Meeting of the Peru–Chile Binational "
                     "Cabinet took place yesterday in Arica, co-chaired by Peruvian Foreign "
                     "Minister Carmen Quispe and Chilean Foreign Minister Tomás Araya.")
    [meeting] = proposal.bundle.meetings
    assert meeting.kind is MeetingKind.OTHER and meeting.date == D(2026, 6, 24)
    assert _who(proposal, meeting) == {"Carmen Quispe", "Tomás Araya"}


@pytest.mark.parametrize(("recall", "day", "place"), [
    ("the previous meeting of the Cabinet, held in Lima in 2024,", Y(2024), "Lima"),
    ("the last session of the Cabinet, which was held in Santiago in March 2025,", M(2025, 3),
     "Santiago"),
])
def test_the_previous_meeting_of_a_series_is_a_past_meeting(recall: str, day: FuzzyDate,
                                                            place: str) -> None:
    proposal = _read("Lima, June 25, 2026\n\nThe 12th Meeting of the Peru–Chile Binational "
                     "Cabinet took place yesterday in Arica, co-chaired by Peruvian Foreign "
                     "Minister Carmen Quispe and Chilean Foreign Minister Tomás Araya. Quispe "
                     f"recalled that {recall} had set up the border task force.")
    past = [m for m in proposal.bundle.meetings if m.date == day]
    assert [(m.kind, m.place) for m in past] == [(MeetingKind.OTHER, place)]
    assert len(proposal.bundle.meetings) == 2


def test_a_previous_meeting_with_no_day_is_not_invented() -> None:
    proposal = _read("Lima, June 25, 2026\n\nThe 12th Meeting of the Peru–Chile Binational "
                     "Cabinet took place yesterday in Arica, co-chaired by Peruvian Foreign "
                     "Minister Carmen Quispe and Chilean Foreign Minister Tomás Araya. The "
                     "previous meeting of the Cabinet, held in Lima, set up a task force.")
    assert len(proposal.bundle.meetings) == 1


# --- distractors: taking office, and a visit someone recalls ----------------------------------


@pytest.mark.parametrize("since", ["since he took office last year",
                                   "since she was elected in 2024",
                                   "since he came to power in 2023"])
def test_the_first_visit_since_taking_office_recalls_no_visit(since: str) -> None:
    proposal = _read("WELLINGTON, 14 March 2026 — Tongan Prime Minister Siale Fifita ended a "
                     f"three-day official visit to New Zealand on Saturday, the first {since}.")
    assert [v.date for v in proposal.bundle.visits] == [D(2026, 3, 12)]


def test_the_first_visit_since_a_year_still_recalls_that_years_visit() -> None:
    proposal = _read("WELLINGTON, 14 March 2026 — Tongan Prime Minister Siale Fifita ended a "
                     "three-day official visit to New Zealand on Saturday, the first since 2019.")
    assert Y(2019) in {v.date for v in proposal.bundle.visits}


@pytest.mark.parametrize("verb", ["realised", "made", "paid"])
def test_a_visit_someone_recalls_is_the_trip_of_who_made_it(verb: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean Foreign Minister Tomás Araya held talks with "
                     "Peruvian Foreign Minister Carmen Quispe in Lima on Wednesday. Araya "
                     f"recalled the state visit that the President of Peru {verb} to Santiago "
                     "in November of 2024.")
    visits = _visits(proposal)
    assert ("President", "Peru", "Chile", M(2024, 11), VisitStatus.COMPLETED) in {
        (v[0].split(" of ")[0], *v[1:]) for v in visits}
    assert all(v[3] != M(2024, 11) or v[0] != "Tomás Araya" for v in visits)


def test_a_day_inside_a_visit_under_way_is_that_visit() -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean Foreign Minister Tomás Araya, who is on an "
                     "official visit to Peru from 24 to 27 June, held talks with Peruvian "
                     "Foreign Minister Carmen Quispe in Lima on Wednesday. The Chilean "
                     "delegation will continue tomorrow with a visit to the port of Callao.")
    assert [(v.date, v.end_date) for v in proposal.bundle.visits] == [
        (D(2026, 6, 24), D(2026, 6, 27))]


# --- meetings dated from the sentence around them ---------------------------------------------


@pytest.mark.parametrize("opening", ["The same day,", "On the same day,", "That same day,"])
def test_a_meeting_on_the_same_day_takes_the_day_and_city_before(opening: str) -> None:
    proposal = _read("LIMA, 26 June 2026 — On 24 June, Peruvian Foreign Minister Carmen Quispe "
                     "held talks in Lima with Chilean Deputy Foreign Minister Tomás Araya, who "
                     f"is on a visit to Peru from 23 to 26 June. {opening} Araya was received "
                     "by Prime Minister Luis Paredes.")
    second = [m for m in proposal.bundle.meetings if "Luis Paredes" in _who(proposal, m)]
    assert [(m.date, m.place) for m in second] == [(D(2026, 6, 24), "Lima")]


@pytest.mark.parametrize("event", [
    "held the annual Peru–Chile Leaders' Dialogue",
    "held the second Peru–Chile Strategic Dialogue",
])
def test_a_meeting_in_a_when_clause_takes_the_time_before_it(event: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — The Peru–Chile Defence Treaty, signed in October "
                     "2025, is working. Chilean President Rosa Vidal's visit to Lima in March, "
                     f"when she and her Peruvian counterpart {event}, went well.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == M(2026, 3)


def test_a_series_named_as_a_label_is_no_meeting() -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal met Peruvian President "
                     "Luis Paredes in Lima on Tuesday. Of the 40 commitments in the Peru–Chile "
                     "Leaders' Dialogue communiqués since 2019, 12 were delivered.")
    assert [m.kind for m in proposal.bundle.meetings] == [MeetingKind.BILATERAL_TALKS]


@pytest.mark.parametrize("tasked", ["instructed the Peru–Chile Joint Committee on Fisheries",
                                    "tasked the Peru–Chile Joint Commission"])
def test_a_body_named_with_a_dash_and_tasked_has_not_met(tasked: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal met Peruvian President "
                     f"Luis Paredes in Lima on Tuesday. They {tasked} to report by December.")
    assert [m.kind for m in proposal.bundle.meetings] == [MeetingKind.BILATERAL_TALKS]


def test_met_separately_with_two_is_a_meeting_with_each() -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal held talks with Peruvian "
                     "President Luis Paredes in Lima on Tuesday. On the same day, Vidal met "
                     "separately with Prime Minister Ana Torres and Congress President Jorge "
                     "Salas.")
    pairs = {frozenset(_who(proposal, m)) for m in proposal.bundle.meetings}
    assert frozenset({"Rosa Vidal", "Ana Torres"}) in pairs
    assert frozenset({"Rosa Vidal", "Jorge Salas"}) in pairs


def test_a_trip_spoken_of_recalls_the_last_one_of_its_kind() -> None:
    proposal = _read("LIMA, 25 June 2026 — Peruvian Foreign Minister Carmen Quispe met Chilean "
                     "Foreign Minister Tomás Araya in Lima on Tuesday. They discussed the visit "
                     "of the President of Peru to Chile next month. The sides reviewed the "
                     "preparations for that visit, the first by a Peruvian President to Santiago "
                     "since 2018.")
    assert Y(2018) in {v.date for v in _visit_to(proposal, "Chile")}


# --- a chair seen only as "under the chairmanship of", a venue before its city -----------------


@pytest.mark.parametrize("chaired", ["under the chairmanship of", "under the chair of",
                                     "under the presidency of"])
def test_a_chair_named_after_the_meeting_took_part_and_travelled(chaired: str) -> None:
    proposal = _read("Accra, Friday 19 June 2026\n\nThe 41st Ordinary Session of the ECOWAS "
                     "Council of Ministers was held in Accra on 17 June 2026, "
                     f"{chaired} Prof. Fatou Jallow, Minister of Foreign Affairs of the Republic "
                     "of the Gambia and Chair of the Council. The session was hosted by Ghanaian "
                     "Foreign Minister Kofi Mensah.")
    [session] = proposal.bundle.meetings
    names = _names(proposal)
    assert {names[p.person]: p.part for p in session.participants}.get("Fatou Jallow") == "chair"
    assert ("Fatou Jallow", "Gambia", "Ghana") in {v[:3] for v in _visits(proposal)}


@pytest.mark.parametrize(("venue", "city"), [("State House, Nairobi", "Nairobi"),
                                             ("Government House, Kampala", "Kampala")])
def test_talks_at_a_venue_then_its_city_are_placed_in_the_city(venue: str, city: str) -> None:
    proposal = _read("NAIROBI, 10 June 2026 — Kenyan President Daniel Otieno hosted Rwandan "
                     f"President Paul Mugisha for talks at {venue}, on Tuesday.")
    [talks] = proposal.bundle.meetings
    assert talks.place == city


def test_a_venue_with_no_city_after_it_gives_no_place() -> None:
    proposal = _read("NAIROBI, 10 June 2026 — Kenyan President Daniel Otieno hosted Rwandan "
                     "President Paul Mugisha for talks at State House, on Tuesday.")
    [talks] = proposal.bundle.meetings
    assert talks.place in ("", "Nairobi")


# --- a long feature: sections, habits, things welcomed, a tour's legs ---------------------------

_TOUR = ("DAKAR, 12 March 2026 (Wire) — Ghanaian President Kofi Mensah wrapped up a tour of West "
         "Africa in Dakar on Thursday.\n\n"
         "Bamako: cotton and a business forum\n\n"
         "Mensah landed in Bamako on Friday, 6 March, for a two-day state visit. On Saturday he "
         "held talks at the Koulouba palace with Malian President Issa Traore. Traore was "
         "received in Accra on a state visit in 2024, and the two leaders have met at several "
         "summits since. Bamako welcomed Ghana's interest in the railway.\n\n"
         "On Saturday the two presidents opened the Ghana–Mali Business Forum at a Bamako "
         "hotel.\n\n"
         "Dakar: a plan\n\n"
         "Mensah arrived in Dakar on Wednesday, 11 March, and held talks the same day with "
         "Senegalese President Ousmane Diallo. An agreement on fisheries is to be signed during "
         "Diallo's visit to Accra, which both sides said would take place in the first quarter "
         "of 2027.\n\n"
         "Abidjan: postponed\n\n"
         "The tour was to end on Friday, 13 March, with a working visit to Côte d'Ivoire and "
         "talks in Abidjan with President Yao Kouassi. That visit has been postponed. Each of "
         "the governments visited issued statements on trade. The last Ghanaian tour of West "
         "Africa, in 2012, took in six countries. His next foreign trip is not expected before "
         "the autumn.")


def test_a_meeting_placed_by_no_city_is_in_its_sections_city() -> None:
    proposal = _read(_TOUR)
    talks = {m.date: m.place for m in proposal.bundle.meetings
             if m.kind is MeetingKind.BILATERAL_TALKS}
    assert talks == {D(2026, 3, 7): "Bamako", D(2026, 3, 11): "Dakar"}


def test_habits_things_welcomed_regions_and_verbs_are_no_meetings() -> None:
    proposal = _read(_TOUR)
    assert sorted((m.kind.value, m.date.start.day) for m in proposal.bundle.meetings) == [
        ("bilateral_talks", 7), ("bilateral_talks", 11), ("other", 7)]


def test_a_tours_last_leg_and_a_guests_visit_to_come_have_the_right_traveller() -> None:
    proposal = _read(_TOUR)
    visits = _visits(proposal)
    assert ("Kofi Mensah", "Ghana", "Côte d'Ivoire", D(2026, 3, 13),
            VisitStatus.POSTPONED) in visits
    assert ("Ousmane Diallo", "Senegal", "Ghana", Q(2027, 1), VisitStatus.PLANNED) in visits
    assert all(v[3] != Y(2026) for v in visits)  # the foreign trip goes nowhere named


@pytest.mark.parametrize("sentence", [
    "The agreement sets up a joint committee to choose the crops.",
    "The treaty establishes a permanent commission on the river.",
])
def test_a_body_a_text_sets_up_has_not_met(sentence: str) -> None:
    proposal = _read("DAKAR, 12 March 2026 — Ghanaian President Kofi Mensah held talks with "
                     f"Senegalese President Ousmane Diallo in Dakar on Wednesday. {sentence}")
    assert [m.kind for m in proposal.bundle.meetings] == [MeetingKind.BILATERAL_TALKS]


def test_a_site_visit_with_a_named_place_still_counts() -> None:
    proposal = _read("TBILISI, 4 December 2025 — Finnish Foreign Minister Juhani Koskinen met "
                     "Georgian Foreign Minister Nino Beridze on Wednesday. On Thursday he visited "
                     "the boundary line near Ergneti.")
    assert MeetingKind.SITE_VISIT in {m.kind for m in proposal.bundle.meetings}


# --- "the talks" after separate meetings, an official spelling, an invitation taken up --------


def test_the_talks_after_separate_meetings_are_the_talks_held_before_them() -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal held talks with Peruvian "
                     "President Luis Paredes in Lima on Tuesday. On the same day, Vidal met "
                     "separately with Prime Minister Ana Torres and Congress President Jorge "
                     "Salas. Following the talks, President Paredes hosted a state dinner, "
                     "co-chaired by Foreign Minister Carmen Quispe.")
    pairs = {frozenset(_who(proposal, m)) for m in proposal.bundle.meetings}
    assert frozenset({"Rosa Vidal", "Ana Torres"}) in pairs
    assert frozenset({"Rosa Vidal", "Jorge Salas"}) in pairs


def test_ha_noi_is_hanoi() -> None:
    from bot.services.ingest.places import city_country
    assert city_country("Ha Noi") == city_country("Hanoi") == "Vietnam"


@pytest.mark.parametrize("answer", ["President Paredes accepted the invitation with pleasure.",
                                    "Paredes accepted the invitation."])
def test_an_invitation_accepted_in_the_next_sentence_is_a_planned_visit(answer: str) -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal held talks with Peruvian "
                     "President Luis Paredes in Lima on Tuesday. President Vidal invited "
                     f"President Paredes to pay a state visit to Chile in 2027. {answer}")
    [chile] = _visit_to(proposal, "Chile")
    assert (chile.date, chile.status) == (Y(2027), VisitStatus.PLANNED)


def test_an_invitation_declined_stays_proposed() -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal held talks with Peruvian "
                     "President Luis Paredes in Lima on Tuesday. President Vidal invited "
                     "President Paredes to pay a state visit to Chile in 2027. Dates will be "
                     "agreed later.")
    [chile] = _visit_to(proposal, "Chile")
    assert chile.status is VisitStatus.PROPOSED


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Vidal last visited Peru in August 2025, for the Pacific Alliance summit in Lima.",
     M(2025, 8)),
    ("Vidal travelled to Lima in March 2024 for the Pacific Alliance summit.", M(2024, 3)),
])
def test_a_summit_a_past_trip_was_made_for_is_dated_by_the_trip(sentence: str,
                                                                 expected: FuzzyDate) -> None:
    proposal = _read("LIMA, 25 June 2026 — Chilean President Rosa Vidal held talks with Peruvian "
                     f"President Luis Paredes in Lima on Tuesday. {sentence}")
    summits = [m for m in proposal.bundle.meetings if m.kind is MeetingKind.OTHER]
    assert [m.date for m in summits] == [expected]
