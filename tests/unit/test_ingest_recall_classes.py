"""Ingest on classes of text issue 12 names as missed on unseen reports, each tested on
phrases of our own: honorifics stacked before a name, names in letters beyond Latin-1, seas
and regions named after a country, an embassy's header, periods that are not an event's day,
visits told indirectly, multilateral meetings and signed texts not called agreements."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import VisitStatus
from bot.services.ingest import Proposal
from bot.services.ingest.dates import find_dates
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


# --- periods and days -------------------------------------------------------------------------


@pytest.mark.parametrize(("phrase", "value"), [
    ("will go before August", Y(2026)),
    ("will go ahead of September", Y(2026)),
    ("in the first semester of 2027", Y(2027)),
    ("during the second semester of the present year", Y(2026)),
    ("in the first semester", Y(2026)),
    ("within the year", Y(2026)),
    ("by mid-2027", Y(2027)),
    ("by the end of the year", Y(2026)),
    ("must be done by September", M(2026, 9)),  # a deadline is ahead, whatever the tense
    ("no later than September", M(2026, 9)),
])
def test_a_period_keeps_the_precision_it_has(phrase: str, value: FuzzyDate) -> None:
    [found] = find_dates(phrase, date(2026, 2, 5))
    assert found.date == value


def test_a_visit_said_to_come_before_a_month_is_planned_for_its_year() -> None:
    proposal = read("ROME, 5 February 2026 — Italian Foreign Minister Antonio Tajani said he "
                    "would visit Albania before August.")
    assert _visits(proposal) == {
        ("Antonio Tajani", "Italy", "Albania", VisitStatus.PLANNED, "2026..")}


@pytest.mark.parametrize("verb", ["said", "told reporters", "announced that"])
def test_the_one_who_says_he_will_visit_is_the_visitor(verb: str) -> None:
    proposal = read(
        f"ROME, 5 February 2026 — Italian Foreign Minister Antonio Tajani {verb} he will visit "
        "Albania in July. He met Albanian Foreign Minister Igli Hasani in Rome on 4 February.")
    assert ("Antonio Tajani", "Italy", "Albania", VisitStatus.PLANNED, "2026-07..") in (
        _visits(proposal))


def test_the_period_a_programme_covers_is_not_its_day_of_signing() -> None:
    proposal = read(
        "VIENNA, 5 February 2026 — Austria and Slovakia signed a cooperation programme on rail "
        "for the first semester of 2026. Austrian Transport Minister Peter Hanke and Slovak "
        "Transport Minister Jozef Raz signed it in Vienna on 4 February.")
    [plan] = proposal.bundle.plans
    assert plan.date == D(2026, 2, 4)
    assert plan.title == "Cooperation programme on rail"
    assert _visits(proposal) == {
        ("Jozef Raz", "Slovakia", "Austria", VisitStatus.COMPLETED, "2026-02-04..")}


def test_a_list_of_fields_ends_at_the_day_and_place_of_signing() -> None:
    proposal = read(
        "KIGALI, 3 March 2026 — Rwanda and Burundi signed memoranda of understanding in the "
        "fields of health, education and energy on 2 March in Kigali.")
    assert sorted(p.title for p in proposal.bundle.plans) == [
        "Memorandum of understanding on education", "Memorandum of understanding on energy",
        "Memorandum of understanding on health"]
    assert {p.date for p in proposal.bundle.plans} == {D(2026, 3, 2)}


@pytest.mark.parametrize(("told", "day"), [
    ("The same day, the two ministers signed", D(2026, 4, 8)),
    ("The following day, the two ministers signed", D(2026, 4, 9)),
    ("The day before, the two ministers had signed", D(2026, 4, 7)),
])
def test_a_day_told_by_another_is_read_from_the_day_before_it(told: str, day: FuzzyDate) -> None:
    proposal = read(
        "DAKAR, 9 April 2026 — Senegalese Foreign Minister Yassine Fall held talks with her "
        f"counterpart from Guinea-Bissau, Carlos Pinto Pereira, in Dakar on 8 April. {told} an "
        "agreement on fisheries.")
    [plan] = proposal.bundle.plans
    assert plan.date == day
    assert set(plan.parties) == {"Senegal", "Guinea-Bissau"}


# --- visits told indirectly -------------------------------------------------------------------


@pytest.mark.parametrize("opening", [
    "The state visit of Korean President Lee Jae-myung to Hungary ended on Friday.",
    "South Korean President Lee Jae-myung concluded his state visit to Hungary on Friday.",
])
def test_a_visit_that_ended_on_a_weekday_runs_from_the_meeting_held_during_it(
    opening: str
) -> None:
    proposal = read(f"BUDAPEST, 13 June 2026 — {opening} During the visit, Lee met Hungarian "
                    "President Tamás Sulyok on 11 June.")
    assert _visits(proposal) == {
        ("Lee Jae-myung", "South Korea", "Hungary", VisitStatus.COMPLETED,
         "2026-06-11..2026-06-12")}
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 6, 11)


def test_talks_during_a_visit_are_the_guests_visit_not_the_hosts() -> None:
    proposal = read(
        "BUDAPEST, 13 June 2026 — South Korean President Lee Jae-myung held talks with "
        "Hungarian President Tamás Sulyok on Thursday during a state visit that ended on "
        "Friday.")
    assert {(v[1], v[2]) for v in _visits(proposal)} == {("South Korea", "Hungary")}


def test_a_visit_with_its_days_is_no_visit_to_a_site() -> None:
    proposal = read(
        "NAIROBI, 10 June 2026 — Japanese State Minister for Foreign Affairs Hisashi Matsumoto "
        "visited Kenya from 7 to 9 June. He met Kenyan Cabinet Secretary Musalia Mudavadi on "
        "8 June.")
    assert [m.kind.value for m in proposal.bundle.meetings] == ["bilateral_talks"]
    assert _visits(proposal) == {
        ("Hisashi Matsumoto", "Japan", "Kenya", VisitStatus.COMPLETED,
         "2026-06-07..2026-06-09")}


# --- false positives --------------------------------------------------------------------------


def test_a_minister_among_compatriots_at_home_is_no_meeting_between_countries() -> None:
    with pytest.raises(UserError):
        read("NAIROBI, 3 March 2026 — Kenyan President William Ruto met business leaders in "
             "Nairobi on Monday. Ruto said Kenya and Uganda share a long history of trade.")


def test_a_guest_meeting_business_leaders_is_still_a_meeting() -> None:
    proposal = read(
        "NAIROBI, 3 March 2026 — Ugandan President Yoweri Museveni met business leaders in "
        "Nairobi on Monday during his state visit to Kenya.")
    [meeting] = proposal.bundle.meetings
    assert meeting.kind.value == "business_meeting"
    assert set(meeting.countries) == {"Kenya", "Uganda"}


@pytest.mark.parametrize("second", [
    "Noboa had also been due to travel on to Bolivia.",
    "He was also to have visited Bolivia on the same trip.",
    "The trip was to have included a stop in La Paz.",
])
def test_a_second_trip_that_was_to_have_been_fares_as_the_first(second: str) -> None:
    proposal = read("LIMA, 3 June 2026 — Ecuadorian President Daniel Noboa has cancelled his "
                    f"visit to Peru, planned for 10 June. {second}")
    assert {v[1:] for v in _visits(proposal)} == {
        ("Ecuador", "Peru", VisitStatus.CANCELLED, "2026-06-10.."),
        ("Ecuador", "Bolivia", VisitStatus.CANCELLED, "2026-06..")}


# --- multilateral meetings and signed texts ---------------------------------------------------


@pytest.mark.parametrize("verb", ["opened", "was held", "was formally opened"])
def test_a_numbered_summit_is_named_and_dated_by_its_own_verb(verb: str) -> None:
    proposal = read(f"KUALA LUMPUR, 27 May 2026 — The 46th ASEAN Summit {verb} in Kuala Lumpur "
                    "on 26 May. Malaysian Prime Minister Anwar Ibrahim chaired the summit, "
                    "attended by the leaders of Indonesia, Thailand, Vietnam and the Philippines.")
    [meeting] = proposal.bundle.meetings
    assert (meeting.title, meeting.date) == ("46th ASEAN Summit", D(2026, 5, 26))
    assert {"ASEAN", "Indonesia", "Thailand", "Vietnam", "Philippines"} <= set(meeting.countries)


def test_a_statement_dated_before_what_it_is_on_is_one_text_named_by_its_subject() -> None:
    proposal = read("LONDON, 27 May 2026 — The United Kingdom, France and Germany issued a joint "
                    "statement on 26 May on Iran's nuclear programme.")
    [plan] = proposal.bundle.plans
    assert (plan.kind.value, plan.title, plan.date) == (
        "joint_statement", "Joint statement on Iran's nuclear programme", D(2026, 5, 26))
    assert set(plan.parties) == {"United Kingdom", "France", "Germany"}


@pytest.mark.parametrize(("sentence", "kind", "title"), [
    ("Kazakhstan, Kyrgyzstan and Uzbekistan signed a final act on the tri-junction of their "
     "borders in Astana on 26 May.", "other", "Final act on the tri-junction of their borders"),
    ("Finland, Estonia and Latvia adopted a joint declaration on Baltic Sea security in "
     "Helsinki on 26 May.", "joint_statement", "Joint declaration on Baltic Sea security"),
    ("Morocco, Mauritania and Senegal signed a protocol on fisheries cooperation on 26 May.",
     "other", "Protocol on fisheries cooperation"),
])
def test_signed_texts_not_called_agreements_are_plans_of_every_side(
    sentence: str, kind: str, title: str
) -> None:
    proposal = read(f"ASTANA, 27 May 2026 — {sentence}")
    [plan] = proposal.bundle.plans
    assert (plan.kind.value, plan.title, plan.date) == (kind, title, D(2026, 5, 26))
    assert len(plan.parties) == 3


# --- how a text opens ---------------------------------------------------------------------------


@pytest.mark.parametrize("head", [
    "03.06.2026 | Press release\n\n",
    "Date of publication: 03.06.2026\n\n",
    "Updated: 03/06/2026 10:15\n",
    "Kenya and Tanzania deepen ties\n3 June 2026, 14:05\nBy Staff Reporter\n\n",
    '"Our partnership is stronger than ever."\n\nNAIROBI, Wednesday 3 June — ',
])
def test_a_text_opening_with_a_stamp_headline_byline_or_quote_is_dated_by_it(head: str) -> None:
    proposal = read(f"{head}Kenyan President William Ruto held talks with Tanzanian President "
                    "Samia Suluhu Hassan in Nairobi on Tuesday.")
    assert proposal.dateline == date(2026, 6, 3)
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 6, 2)


@pytest.mark.parametrize(("phrase", "read_on", "day"), [
    ("will host him on Friday, 12 June", date(2026, 6, 30), D(2026, 6, 12)),  # not 2027's
    ("met him on Tuesday, 2 June", date(2026, 6, 30), D(2026, 6, 2)),
    ("will meet on Wednesday 13 January", date(2026, 12, 20), D(2027, 1, 13)),
    ("met on 2.6.2026", date(2026, 6, 30), D(2026, 6, 2)),
])
def test_a_weekday_with_a_day_and_month_picks_the_year_it_falls_in(
    phrase: str, read_on: date, day: FuzzyDate
) -> None:
    [found] = find_dates(phrase, read_on)
    assert found.date == day


# --- invitations, returns ---------------------------------------------------------------------


def test_who_accepts_someones_invitation_is_the_visitor() -> None:
    proposal = read("SANTIAGO, 3 March 2026 — Argentine President Javier Milei has accepted "
                    "Chilean President Gabriel Boric's invitation to visit Santiago in October.")
    assert _visits(proposal) == {
        ("Javier Milei", "Argentina", "Chile", VisitStatus.PLANNED, "2026-10..")}


def test_a_return_from_a_country_is_the_visit_there_ending_that_day() -> None:
    proposal = read("BUENOS AIRES, 3 March 2026 — Argentine President Javier Milei returned from "
                    "Chile on Tuesday after a two-day state visit.")
    assert _visits(proposal) == {
        ("Javier Milei", "Argentina", "Chile", VisitStatus.COMPLETED, "2026-03-02..2026-03-03")}


def test_a_return_home_is_no_visit() -> None:
    with pytest.raises(UserError):
        read("NAIROBI, 3 March 2026 — Kenyan President William Ruto returned to Nairobi on "
             "Tuesday, his office said. Kenya and Uganda trade a great deal.")


def test_an_invitation_to_return_is_a_second_visit_beside_the_one_made() -> None:
    proposal = read(
        "SANTIAGO, 3 March 2026 — Chilean Foreign Minister Alberto van Klaveren received "
        "Peruvian Foreign Minister Elmer Schialer on 2 March. Van Klaveren invited Schialer to "
        "return to Santiago in the second half of the year.")
    assert _visits(proposal) == {
        ("Elmer Schialer", "Peru", "Chile", VisitStatus.COMPLETED, "2026-03-02.."),
        ("Elmer Schialer", "Peru", "Chile", VisitStatus.PROPOSED, "2026..")}


@pytest.mark.parametrize(("sentence", "title"), [
    ("Georgian Foreign Minister Maka Botchorishvili and Armenian Foreign Minister Ararat "
     "Mirzoyan approved a multi-year course of action on energy cooperation in Tbilisi on 21 "
     "April.", "Multi-year course of action on energy cooperation"),
    ("The intergovernmental commission of Armenia and Georgia adopted a cooperation plan for "
     "2026–2028 at its session in Yerevan on 21 April.", "Cooperation plan for 2026–2028"),
])
def test_plans_by_another_name_are_action_plans(sentence: str, title: str) -> None:
    proposal = read(f"TBILISI, 22 April 2026 — {sentence}")
    [plan] = proposal.bundle.plans
    assert (plan.kind.value, plan.status.value, plan.title, plan.date) == (
        "action_plan", "signed", title, D(2026, 4, 21))


@pytest.mark.parametrize("verb", ["agreed to work towards", "are working towards",
                                  "resolved to conclude"])
def test_a_text_the_sides_work_towards_is_under_negotiation(verb: str) -> None:
    proposal = read(f"YEREVAN, 22 April 2026 — Armenia and Georgia {verb} an agreement on visa "
                    "facilitation.")
    [plan] = proposal.bundle.plans
    assert (plan.status.value, set(plan.parties)) == ("under_negotiation", {"Armenia", "Georgia"})


def test_letters_after_a_name_and_offices_in_other_languages_are_read() -> None:
    proposal = read(
        "LONDON, 3 June 2026 — The Rt. Hon. Sir Keir Starmer MP, Prime Minister of the United "
        "Kingdom, met Irish Taoiseach Micheál Martin in London on 2 June.")
    assert {(p.name, p.title, p.country) for p in proposal.bundle.people} == {
        ("Keir Starmer", "Prime Minister", "United Kingdom"),
        ("Micheál Martin", "Taoiseach", "Ireland")}


@pytest.mark.parametrize("habit", ["for years without result", "repeatedly since 2019",
                                   "on several occasions"])
def test_talks_held_over_and_over_are_no_meeting_of_a_day(habit: str) -> None:
    with pytest.raises(UserError):
        read(f"NAIROBI, 3 March 2026 — Kenya and Uganda have held talks on the border {habit}. "
             "Kenyan Foreign Minister Musalia Mudavadi spoke to reporters in Nairobi on Monday.")


def test_a_text_to_be_signed_soon_is_not_named_by_when() -> None:
    proposal = read(
        "NAIROBI, 3 March 2026 — Kenyan Foreign Minister Musalia Mudavadi said Kenya and Uganda "
        "would sign a new agreement on fisheries soon. He spoke to reporters in Nairobi on "
        "Monday.")
    [plan] = proposal.bundle.plans
    assert (plan.title, plan.status.value) == ("Agreement on fisheries", "expected")


@pytest.mark.parametrize("guest", ["the Japanese Ambassador", "the Ambassador of Japan",
                                   "a delegation from Japan"])
def test_talks_with_an_unnamed_office_are_with_its_country_not_one_named_beside(
    guest: str
) -> None:
    proposal = read(f"NAIROBI, 3 March 2026 — Kenyan President William Ruto, who visited "
                    f"Ethiopia last year, met {guest} in Nairobi on Monday.")
    [meeting] = proposal.bundle.meetings
    assert (set(meeting.countries), meeting.title) == ({"Kenya", "Japan"}, "Kenya–Japan talks")


def test_a_joint_press_conference_is_a_meeting_of_the_two() -> None:
    proposal = read(
        "NAIROBI, 3 March 2026 — Kenyan Foreign Minister Musalia Mudavadi, speaking at a joint "
        "press conference with his Ugandan counterpart Odongo Jeje on Monday, said the border "
        "would reopen.")
    [meeting] = proposal.bundle.meetings
    assert (who(proposal, meeting), meeting.date) == (
        {"Musalia Mudavadi", "Odongo Jeje"}, D(2026, 3, 2))
    assert _visits(proposal) == {
        ("Odongo Jeje", "Uganda", "Kenya", VisitStatus.COMPLETED, "2026-03-02..")}


@pytest.mark.parametrize(("sentence", "fields"), [
    ("signed memoranda of understanding on health and tourism on 2 June.",
     ["health", "tourism"]),
    ("signed agreements in the areas of energy, agriculture and culture on 2 June.",
     ["agriculture", "culture", "energy"]),
    ("exchanged memoranda of understanding on youth, sport and culture on 2 June.",
     ["culture", "sport", "youth"]),
])
def test_texts_named_only_by_their_fields_are_one_plan_a_field(
    sentence: str, fields: list[str]
) -> None:
    proposal = read(f"DOHA, 3 June 2026 — Qatar and Kenya {sentence}")
    assert sorted(p.title.rsplit(" on ", 1)[1] for p in proposal.bundle.plans) == fields
    assert {p.date for p in proposal.bundle.plans} == {D(2026, 6, 2)}


def test_a_package_of_documents_covering_fields_is_proposed() -> None:
    proposal = read("DOHA, 3 June 2026 — Qatar and Kenya signed a number of cooperation "
                    "documents on 2 June, covering labour, aviation and investment protection.")
    [plan] = proposal.bundle.plans
    assert (plan.fields, plan.date) == (["labour", "aviation", "investment protection"],
                                        D(2026, 6, 2))
