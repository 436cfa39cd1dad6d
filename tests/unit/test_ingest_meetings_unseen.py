"""How meetings are named, dated and peopled on wordings the tuned sets do not hold (issue 12):
talks beside a summit named before or after them, a subject set off by an aside about why they
are in town, talks named by their format, co-chairs on the two sides, hyphenated pairs of
demonyms, names ending in a word like "Son", pronouns after an opening clause, a counterpart
named before the word, multilateral meetings and who attended them. Each class is tested on
phrases of our own, several wordings a class."""

from __future__ import annotations

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, MeetingKind
from bot.services.ingest import Proposal
from bot.services.ingest.people import valid_name
from bot.services.ingest.places import find_places
from tests.unit.ingest_reading import read as _read

D, M = FuzzyDate.day, FuzzyDate.month


def _who(proposal: Proposal, meeting: Meeting) -> set[str]:
    names = {p.uid: p.name for p in proposal.bundle.people}
    return {names[p.person] for p in meeting.participants}


def _by_kind(proposal: Proposal, kind: MeetingKind) -> list[Meeting]:
    return [m for m in proposal.bundle.meetings if m.kind is kind]


@pytest.mark.parametrize("told", [
    "On the sidelines of the G20 summit in New Delhi on Wednesday, Brazilian President Luiz "
    "Carvalho met Indonesian President Prabowo Widodo.",
    "Brazilian President Luiz Carvalho met Indonesian President Prabowo Widodo on the "
    "sidelines of the G20 summit on Wednesday.",
    "On the margins of the G20 summit on Wednesday, Brazilian President Luiz Carvalho met "
    "Indonesian President Prabowo Widodo.",
])
def test_talks_beside_a_summit_are_their_own_meeting_on_its_day(told: str) -> None:
    proposal = _read(f"NEW DELHI, 4 March 2026 — {told}")
    [talks] = _by_kind(proposal, MeetingKind.BILATERAL_TALKS)
    [summit] = _by_kind(proposal, MeetingKind.OTHER)
    assert talks.date == D(2026, 3, 4) == summit.date
    assert _who(proposal, talks) == {"Luiz Carvalho", "Prabowo Widodo"}
    assert summit.title == "G20 summit"


@pytest.mark.parametrize("aside", [
    "in Ottawa for the G7 foreign ministers' meeting",
    "in Ottawa to attend the G7 foreign ministers' meeting",
    "attending the G7 foreign ministers' meeting",
])
def test_an_aside_about_why_the_subject_is_in_town_keeps_them_at_the_talks(aside: str) -> None:
    proposal = _read(
        f"OTTAWA, 12 May 2026 — Japanese Foreign Minister Kenji Sato, {aside}, held talks "
        "with Canadian Foreign Minister Claire Dubois on Tuesday.")
    [talks] = _by_kind(proposal, MeetingKind.BILATERAL_TALKS)
    assert talks.date == D(2026, 5, 12)
    assert _who(proposal, talks) == {"Kenji Sato", "Claire Dubois"}
    assert talks.title == "Sato–Dubois talks"


@pytest.mark.parametrize(("held", "title"), [
    ("held their third 2+2 ministerial dialogue", "India–Australia 2+2 ministerial dialogue"),
    ("held the fifth round of their strategic dialogue",
     "India–Australia strategic dialogue"),
    ("convened an inaugural maritime security dialogue",
     "India–Australia maritime security dialogue"),
])
def test_talks_named_by_their_format_are_a_meeting_of_the_two(held: str, title: str) -> None:
    proposal = _read(f"NEW DELHI, 4 March 2026 — India and Australia {held} in New Delhi on "
                     "Wednesday.")
    [meeting] = proposal.bundle.meetings
    assert (meeting.title, meeting.kind, meeting.date) == (title, MeetingKind.OTHER,
                                                           D(2026, 3, 4))
    assert set(meeting.countries) == {"India", "Australia"}


def test_a_dialogue_named_as_the_subject_that_took_place_is_a_meeting() -> None:
    proposal = _read("SEOUL, 4 March 2026 — South Korea and Vietnam said the strategic "
                     "dialogue took place in Seoul on Tuesday.")
    [meeting] = proposal.bundle.meetings
    assert meeting.title == "South Korea–Vietnam strategic dialogue"


def test_a_dialogue_only_promised_is_no_meeting() -> None:
    with pytest.raises(Exception, match="No meetings"):
        _read("SEOUL, 4 March 2026 — South Korea and Vietnam agreed to launch a strategic "
              "dialogue.")


@pytest.mark.parametrize("told", [
    "Germany and Poland held intergovernmental consultations in Berlin on Monday, co-chaired "
    "by Chancellor Klaus Weber and Prime Minister Jan Nowak.",
    "Chancellor Klaus Weber and Prime Minister Jan Nowak co-chaired the German-Polish "
    "intergovernmental consultations in Berlin on Monday.",
])
def test_co_chairs_sit_on_the_two_sides_and_consultations_keep_their_format(told: str) -> None:
    proposal = _read(f"BERLIN, 4 March 2026 — {told}")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Klaus Weber": "Germany", "Jan Nowak": "Poland"}
    [meeting] = proposal.bundle.meetings
    assert meeting.title == "Germany–Poland intergovernmental consultations"
    assert meeting.date == D(2026, 3, 2)
    assert {p.part for p in meeting.participants} == {"co-chair"}
    assert [(v.from_country, v.to_country) for v in proposal.bundle.visits] == [
        ("Poland", "Germany")]


@pytest.mark.parametrize(("compound", "countries"), [
    ("the German-Polish consultations", ["Germany", "Poland"]),
    ("the Saudi-French committee", ["Saudi Arabia", "France"]),
    ("Kazakh-Uzbek-Kyrgyz talks", ["Kazakhstan", "Uzbekistan", "Kyrgyzstan"]),
])
def test_a_hyphenated_run_of_demonyms_names_each_country(compound: str,
                                                         countries: list[str]) -> None:
    assert [p.country for p in find_places(f"They held {compound} on Monday.")] == countries


@pytest.mark.parametrize("word", ["Guinea-Bissau", "Timor-Leste", "Bio-Kamara", "Franco-German"])
def test_a_hyphenated_name_that_is_not_a_run_of_countries_is_not_split(word: str) -> None:
    assert [p.text for p in find_places(f"They met {word} on Monday.")] in ([], [word])


@pytest.mark.parametrize("name", ["Bui Thanh Son", "Nguyen Van Sat", "Le Minh Sin"])
def test_a_name_ending_in_a_word_that_is_almost_a_preposition_is_a_name(name: str) -> None:
    assert valid_name(name)


@pytest.mark.parametrize("name", ["Foreign Office", "the Ministry's"])
def test_institution_words_are_still_no_names(name: str) -> None:
    assert not valid_name(name)


@pytest.mark.parametrize("told", [
    "Vietnamese Foreign Minister Bui Thanh Son held talks on Tuesday with Brazilian Foreign "
    "Minister Mauro Vieira.",
    "Talks between Vietnamese Foreign Minister Bui Thanh Son and Brazilian Foreign Minister "
    "Mauro Vieira took place in Hanoi on Tuesday.",
    "Bui Thanh Son, Vietnam's foreign minister, held talks with Mauro Vieira, his Brazilian "
    "counterpart, on Tuesday.",
    "Vietnamese Foreign Minister Bui Thanh Son held talks with Mauro Vieira, his Brazilian "
    "counterpart, on Tuesday.",
])
def test_both_sides_of_talks_are_at_them_however_they_are_introduced(told: str) -> None:
    proposal = _read(f"HANOI, 10 March 2026 — {told}")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Bui Thanh Son": "Vietnam", "Mauro Vieira": "Brazil"}
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Bui Thanh Son", "Mauro Vieira"}
    assert meeting.date == D(2026, 3, 10)


@pytest.mark.parametrize("opening", ["During the visit, he", "On Tuesday, he", "Later, he",
                                     "That evening, he", "On Tuesday he", "Later that day he"])
def test_a_pronoun_after_an_opening_clause_is_the_one_just_named(opening: str) -> None:
    proposal = _read(
        "HANOI, 10 March 2026 — Brazilian Foreign Minister Mauro Vieira paid an official visit "
        f"to Vietnam on 9-10 March. {opening} held talks with his Vietnamese counterpart Bui "
        "Thanh Son.")
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Bui Thanh Son", "Mauro Vieira"}


@pytest.mark.parametrize("met", [
    "held a working lunch with", "sat down with", "had a working dinner with",
])
def test_a_meal_or_a_sit_down_with_someone_is_talks(met: str) -> None:
    proposal = _read(f"RABAT, 5 May 2026 — Moroccan Foreign Minister Nasser Bourita {met} "
                     "Portuguese Foreign Minister Paulo Rangel in Rabat on Monday.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 5, 4) and meeting.place == "Rabat"
    assert _who(proposal, meeting) == {"Nasser Bourita", "Paulo Rangel"}


@pytest.mark.parametrize("travelled", ["travelled to Rabat on Monday, where he met",
                                       "flew to Rabat on Monday, where he held talks with"])
def test_talks_where_the_traveller_went_are_there_not_at_the_dateline(travelled: str) -> None:
    proposal = _read(f"LISBON, 5 May 2026 — Portuguese Foreign Minister Paulo Rangel "
                     f"{travelled} Moroccan Foreign Minister Nasser Bourita.")
    [meeting] = proposal.bundle.meetings
    assert meeting.place == "Rabat"
    assert {(v.from_country, v.to_country) for v in proposal.bundle.visits} == {
        ("Portugal", "Morocco")}


@pytest.mark.parametrize("hosted", [
    "Moroccan Foreign Minister Nasser Bourita hosted Portuguese Foreign Minister Paulo Rangel "
    "and Spanish Foreign Minister José Albares.",
    "Moroccan Foreign Minister Nasser Bourita hosted his Portuguese and Spanish counterparts, "
    "Paulo Rangel and José Albares.",
])
def test_the_guests_hosted_at_a_meeting_of_three_just_named_are_at_it(hosted: str) -> None:
    proposal = _read(
        "RABAT, 5 May 2026 — The foreign ministers of Morocco, Portugal and Spain met in Rabat "
        f"on Monday for their first trilateral meeting. {hosted}")
    [meeting] = proposal.bundle.meetings
    assert meeting.kind is MeetingKind.OTHER and meeting.date == D(2026, 5, 4)
    assert _who(proposal, meeting) == {"Nasser Bourita", "Paulo Rangel", "José Albares"}
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people["José Albares"] == "Spain" and people["Paulo Rangel"] == "Portugal"


def test_the_counterparts_of_several_sides_are_one_each_in_order() -> None:
    proposal = _read(
        "KARS, 5 May 2026 — Turkish Foreign Minister Hakan Fidan hosted his Azerbaijani and "
        "Georgian counterparts, Jeyhun Bayramov and Maka Botchorishvili, for the tenth "
        "trilateral meeting in Kars on Monday.")
    people = {p.name: (p.title, p.country) for p in proposal.bundle.people}
    assert people["Jeyhun Bayramov"] == ("Foreign Minister", "Azerbaijan")
    assert people["Maka Botchorishvili"] == ("Foreign Minister", "Georgia")
    [meeting] = proposal.bundle.meetings
    assert len(meeting.participants) == 3


@pytest.mark.parametrize("named", [
    "Foreign Ministers Nasser Bourita of Morocco and Paulo Rangel of Portugal",
    "Foreign Ministers Nasser Bourita and Paulo Rangel",
])
def test_co_chairs_named_under_one_plural_office_each_keep_their_country(named: str) -> None:
    proposal = _read(f"RABAT, 5 May 2026 — {named} co-chaired the fifth session of the "
                     "Morocco–Portugal Joint Commission in Rabat on Monday.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Nasser Bourita": "Morocco", "Paulo Rangel": "Portugal"}
    [meeting] = proposal.bundle.meetings
    assert {p.part for p in meeting.participants} == {"co-chair"}


def test_the_countries_that_hold_a_meeting_are_not_its_name() -> None:
    proposal = _read(
        "KARS, 5 May 2026 — The foreign ministers of Türkiye, Azerbaijan and Georgia held their "
        "tenth trilateral meeting in Kars on Monday. Turkish Foreign Minister Hakan Fidan "
        "chaired the meeting.")
    [meeting] = proposal.bundle.meetings
    assert meeting.title == "Tenth trilateral meeting"
    assert set(meeting.countries) == {"Türkiye", "Azerbaijan", "Georgia"}


@pytest.mark.parametrize("attending", [
    "Kazakh Foreign Minister Murat Nurtleu and Uzbek Foreign Minister Bakhtiyor Saidov were "
    "among those attending.",
    "Also attending were Kazakh Foreign Minister Murat Nurtleu and Uzbek Foreign Minister "
    "Bakhtiyor Saidov.",
    "Kazakh Foreign Minister Murat Nurtleu and Uzbek Foreign Minister Bakhtiyor Saidov were "
    "in attendance.",
])
def test_who_attended_a_meeting_of_several_sides_is_at_it(attending: str) -> None:
    proposal = _read(
        "LUXEMBOURG, 5 May 2026 — The third EU–Central Asia Ministerial Meeting took place in "
        "Luxembourg on Monday. It was chaired by EU High Representative Kaja Kallas. "
        f"{attending}")
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Kaja Kallas", "Murat Nurtleu", "Bakhtiyor Saidov"}


@pytest.mark.parametrize("speaking", ["Speaking at the meeting,", "Addressing the meeting,"])
def test_who_spoke_at_a_meeting_of_several_sides_was_at_it(speaking: str) -> None:
    proposal = _read(
        "KARS, 5 May 2026 — The foreign ministers of Türkiye, Azerbaijan and Georgia held their "
        "tenth trilateral meeting in Kars on Monday. Turkish Foreign Minister Hakan Fidan "
        f"chaired the meeting. {speaking} Azerbaijani Foreign Minister Jeyhun Bayramov said "
        "transport links were a priority.")
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Hakan Fidan", "Jeyhun Bayramov"}


def test_someone_a_sentence_about_the_meeting_merely_names_is_not_at_it() -> None:
    proposal = _read(
        "KARS, 5 May 2026 — The foreign ministers of Türkiye, Azerbaijan and Georgia held their "
        "tenth trilateral meeting in Kars on Monday. Turkish Foreign Minister Hakan Fidan "
        "chaired the meeting. The meeting was first proposed by former Armenian Foreign "
        "Minister Ara Petrosyan.")
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Hakan Fidan"}


@pytest.mark.parametrize(("told", "title"), [
    ("Chinese Foreign Minister Wang Yi met visiting Argentine Foreign Minister Lucía Ferraro",
     "Wang–Ferraro talks"),
    ("South Korean Foreign Minister Park Min-jun held talks with Argentine Foreign Minister "
     "Lucía Ferraro", "Park–Ferraro talks"),
    ("Vietnamese Foreign Minister Bui Thanh Son held talks with Argentine Foreign Minister "
     "Lucía Ferraro", "Bui–Ferraro talks"),
    ("Japanese Foreign Minister KAMIKAWA Yoko held talks with Argentine Foreign Minister "
     "Lucía Ferraro", "Kamikawa–Ferraro talks"),
    ("Japanese Foreign Minister Yuki Nakamura held talks with Argentine Foreign Minister "
     "Lucía Ferraro", "Nakamura–Ferraro talks"),
])
def test_talks_are_titled_by_family_names_written_first_where_they_are(told: str,
                                                                        title: str) -> None:
    proposal = _read(f"BUENOS AIRES, 12 May 2026 — {told} in Buenos Aires on Tuesday.")
    [meeting] = proposal.bundle.meetings
    assert meeting.title == title


@pytest.mark.parametrize("counterpart", [
    "her counterpart from the Republic of Korea, Park Min-jun",
    "her counterpart of the Republic of Korea, Park Min-jun",
    "her South Korean counterpart, Park Min-jun",
])
def test_a_counterpart_from_a_country_named_after_the_word_is_of_it(counterpart: str) -> None:
    proposal = _read(f"OTTAWA, 12 May 2026 — The Minister of Foreign Affairs, Claire Dubois, "
                     f"today met with {counterpart}.")
    people = {p.name: (p.title, p.country) for p in proposal.bundle.people}
    assert people["Park Min-jun"] == ("Minister of Foreign Affairs", "South Korea")
    [meeting] = proposal.bundle.meetings
    assert meeting.title == "Dubois–Park talks"


@pytest.mark.parametrize("received", [
    "received a delegation of Saudi Arabia led by",
    "received a high-level Saudi delegation headed by",
    "welcomed the Saudi government delegation led by",
])
def test_a_delegation_received_is_talks_with_its_head(received: str) -> None:
    proposal = _read(
        f"TASHKENT, 12 May 2026 — President of Uzbekistan Shavkat Mirziyoyev {received} "
        "Minister of Investment Khalid Al-Falih on 11 May.")
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Shavkat Mirziyoyev", "Khalid Al-Falih"}
    assert meeting.date == D(2026, 5, 11)
    assert {(v.from_country, v.to_country) for v in proposal.bundle.visits} == {
        ("Saudi Arabia", "Uzbekistan")}


@pytest.mark.parametrize(("then", "day"), [
    ("Later that day, he was received by", D(2026, 5, 5)),
    ("The previous day, he had met", D(2026, 5, 4)),
    ("On the same day, he also met", D(2026, 5, 5)),
])
def test_a_second_meeting_told_with_a_pronoun_is_the_travellers(then: str, day: FuzzyDate) -> None:
    proposal = _read(
        "RABAT, 7 May 2026 — Portuguese Foreign Minister Paulo Rangel held talks with Moroccan "
        f"Foreign Minister Nasser Bourita in Rabat on Tuesday. {then} Prime Minister Aziz "
        "Akhannouch.")
    second = [m for m in proposal.bundle.meetings
              if "Aziz Akhannouch" in _who(proposal, m)]
    assert [(_who(proposal, m), m.date) for m in second] == [
        ({"Paulo Rangel", "Aziz Akhannouch"}, day)]


@pytest.mark.parametrize("met", [
    "Omani Foreign Minister Badr Albusaidi met Minister of External Affairs Subrahmanyam "
    "Jaishankar in Muscat on Monday.",
    "Omani Foreign Minister Badr Albusaidi held talks with Minister of External Affairs "
    "Subrahmanyam Jaishankar in Muscat on Monday.",
    "Minister of External Affairs Subrahmanyam Jaishankar was received by Omani Foreign "
    "Minister Badr Albusaidi in Muscat on Monday.",
])
def test_the_other_side_of_talks_is_not_the_datelines_country(met: str) -> None:
    proposal = _read(f"MUSCAT, 12 May 2026 — {met} The two discussed trade between Oman and "
                     "India.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Badr Albusaidi": "Oman", "Subrahmanyam Jaishankar": "India"}


def test_two_officials_of_the_host_who_met_keep_their_country_when_the_text_gives_both() -> None:
    proposal = _read(
        "MUSCAT, 12 May 2026 — Omani Foreign Minister Badr Albusaidi met Omani Minister of "
        "Commerce Qais Al Yousef in Muscat on Monday. Oman and India will sign a trade "
        "agreement in June 2026.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Badr Albusaidi": "Oman", "Qais Al Yousef": "Oman"}


@pytest.mark.parametrize(("dateline", "compound", "first"), [
    ("BERLIN", "China–Germany", "Germany"),
    ("BERLIN", "Germany–China", "Germany"),
    ("BEIJING", "China–Germany", "China"),
])
def test_co_chairs_under_one_office_after_a_compound_pair_are_the_host_first(
        dateline: str, compound: str, first: str) -> None:
    proposal = _read(
        f"{dateline}, 12 May 2026 — The seventh round of the {compound} Strategic Dialogue was "
        "held on Monday, co-chaired by Foreign Ministers Anna Weber and Wang Yi.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people["Anna Weber"] == first
    assert {people["Anna Weber"], people["Wang Yi"]} == {"Germany", "China"}


@pytest.mark.parametrize(("told", "name", "title"), [
    ("Sultan Haitham bin Tarik received Indian Prime Minister Narendra Modi at Al Alam "
     "Palace", "Haitham bin Tarik", "Sultan"),
    ("King Abdullah II met Egyptian President Abdel Fattah el-Sisi", "Abdel Fattah el-Sisi",
     "President"),
])
def test_rulers_and_names_with_a_joined_particle_are_read_whole(told: str, name: str,
                                                                 title: str) -> None:
    proposal = _read(f"MUSCAT, 12 May 2026 — {told} on Monday.")
    people = {p.name: p.title for p in proposal.bundle.people}
    assert people[name] == title
    [meeting] = proposal.bundle.meetings
    assert len(meeting.participants) == 2


def test_a_regnal_number_is_not_a_family_name() -> None:
    proposal = _read("AMMAN, 12 May 2026 — King Abdullah II met Egyptian President Abdel "
                     "Fattah el-Sisi in Amman on Monday.")
    assert proposal.bundle.meetings[0].title == "Abdullah–el-Sisi talks"


def test_talks_between_others_that_merely_stalled_are_no_meeting() -> None:
    with pytest.raises(Exception, match="No meetings"):
        _read("YEREVAN, 12 May 2026 — Talks between Armenia and Azerbaijan have stalled, "
              "analysts said.")


@pytest.mark.parametrize("told", [
    "Portuguese Foreign Minister Paulo Rangel held talks in Rabat on Tuesday at the invitation "
    "of Moroccan Foreign Minister Nasser Bourita.",
    "Portuguese Foreign Minister Paulo Rangel held talks on Tuesday with Moroccan Foreign "
    "Minister Nasser Bourita, who hosted him in Rabat.",
    "The talks, hosted by Moroccan Foreign Minister Nasser Bourita, brought Portuguese Foreign "
    "Minister Paulo Rangel to Rabat on Tuesday.",
    "Moroccan Foreign Minister Nasser Bourita welcomed Portuguese Foreign Minister Paulo Rangel "
    "to Rabat on Tuesday for talks.",
])
def test_the_host_of_talks_is_whoever_the_sentence_says_hosted(told: str) -> None:
    proposal = _read(f"RABAT, 7 May 2026 — {told}")
    [meeting] = proposal.bundle.meetings
    names = {p.uid: p.name for p in proposal.bundle.people}
    assert {names[p.person]: p.part for p in meeting.participants} == {
        "Nasser Bourita": "host", "Paulo Rangel": "guest"}


@pytest.mark.parametrize("of", ["of Türkiye, Azerbaijan and Georgia",
                                "of the foreign ministers of Türkiye, Azerbaijan and Georgia"])
def test_a_numbered_meeting_of_countries_is_named_by_its_number_and_presided_is_chaired(
        of: str) -> None:
    proposal = _read(
        "KARS, 5 May 2026 — Turkish Foreign Minister Hakan Fidan presided over the tenth "
        f"trilateral meeting {of} in Kars on Monday.")
    [meeting] = proposal.bundle.meetings
    assert meeting.title.lower().startswith("tenth trilateral meeting")
    assert [p.part for p in meeting.participants] == ["chair"]


@pytest.mark.parametrize("described", [
    "attended by Azerbaijani Foreign Minister Jeyhun Bayramov",
    "hosted by Turkish Foreign Minister Hakan Fidan",
])
def test_a_participle_after_the_day_describes_the_meeting_and_leaves_it_its_day(
        described: str) -> None:
    proposal = _read(
        "KARS, 5 May 2026 — The foreign ministers of Türkiye, Azerbaijan and Georgia held their "
        f"tenth trilateral meeting in Kars on Monday, {described}.")
    [meeting] = proposal.bundle.meetings
    assert meeting.date == D(2026, 5, 4)


def test_the_two_who_held_a_meeting_named_for_two_sides_are_one_each() -> None:
    proposal = _read(
        "JAKARTA, 12 May 2026 — President Prabowo Subianto and Prime Minister Anthony Albanese "
        "held the ninth Indonesia–Australia Annual Leaders' Meeting in Jakarta on Monday.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert people == {"Prabowo Subianto": "Indonesia", "Anthony Albanese": "Australia"}
    assert [(v.from_country, v.to_country) for v in proposal.bundle.visits] == [
        ("Australia", "Indonesia")]


def test_two_of_the_host_at_a_meeting_of_an_organisation_keep_the_hosts_country() -> None:
    proposal = _read(
        "JAKARTA, 12 May 2026 — President Prabowo Subianto and Foreign Minister Sugiono opened "
        "the ASEAN Summit in Jakarta on Monday. Australia and Indonesia signed a memorandum on "
        "Tuesday.")
    people = {p.name: p.country for p in proposal.bundle.people}
    assert set(people.values()) <= {"Indonesia"}


@pytest.mark.parametrize("side", ["The Saudi delegation held talks with",
                                  "The Saudi side held talks with",
                                  "On Monday, the Saudi delegation met"])
def test_a_side_named_by_its_country_is_the_one_person_of_it_named(side: str) -> None:
    proposal = _read(
        "TASHKENT, 12 May 2026 — Saudi Minister of Investment Khalid Al-Falih arrived in "
        f"Tashkent on Sunday. {side} Uzbek Foreign Minister Bakhtiyor Saidov on Monday.")
    [meeting] = proposal.bundle.meetings
    assert _who(proposal, meeting) == {"Khalid Al-Falih", "Bakhtiyor Saidov"}
