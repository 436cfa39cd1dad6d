"""What people type into commands: record pickers by name, refused inputs, '-' that clears
and dates typed without a year — through the real discord.py client, offline."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, Person, RecordType, Visit
from tests.behaviour.conftest import Desk


async def _by_uid(desk: Desk, kind: RecordType, uid: str) -> Any:
    record = await desk.bot.records.get_by_uid(desk.guild.id, kind, uid)
    assert record is not None
    return record


# --- record pickers take names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "option", "typed", "title"),
    [
        ("visit show", "visit", "Tokayev", "Kassym-Jomart Tokayev: Kazakhstan → Pakistan"),
        ("visit show", "visit", "kassym", "Kassym-Jomart Tokayev: Kazakhstan → Pakistan"),
        ("visit show", "visit", "Nurtleu", "Murat Nurtleu: Kazakhstan → Pakistan"),
        ("person show", "person", "Bekova", "Aida Bekova"),
        ("person show", "person", "Nurtleu", "Murat Nurtleu"),
        ("person show", "person", "ishaq", "Mohammad Ishaq Dar"),
        ("meeting show", "meeting", "agriculture", "Joint Working Group on agriculture"),
        ("meeting show", "meeting", "delegation-level talks",
         "Pakistan–Kazakhstan delegation-level talks"),
        ("plan show", "plan", "Action Plan", "Pakistan–Kazakhstan Action Plan of Cooperation"),
        ("source show", "source", "news report",
         "Pakistan, Kazakhstan sign action plan of cooperation (news report, Islamabad)"),
    ],
)
async def test_a_picker_takes_a_unique_word_of_a_name(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str, typed: str, title: str
) -> None:
    sample_data["people"].append({"uid": "aida-bekova", "name": "Aida Bekova",
                                  "title": "Ambassador of Kazakhstan", "country": "Kazakhstan"})
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, command, **{option: typed})
    assert not res.ephemeral, res.response.content
    assert res.response.embeds[0].title.startswith(title)


async def test_an_edit_picks_the_visitor_and_the_visit_by_name(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "visit edit", visit="Tokayev",
                                  visitor="Nurtleu")
    assert not res.ephemeral, res.response.content
    visit = await _by_uid(desk, RecordType.VISIT, "president-visit-2025-11")
    assert isinstance(visit, Visit) and visit.visitor == "murat-nurtleu"


async def test_the_exact_name_wins_over_longer_names_sharing_its_words(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    sample_data["people"].append({"uid": "murat-nurtleu-jr", "name": "Murat Nurtleu Junior"})
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "person show", person="Murat Nurtleu")
    assert res.response.embeds[0].title == "Murat Nurtleu"


@pytest.mark.parametrize(
    ("command", "option", "typed", "expected"),
    [
        ("visit show", "visit", "Kazakhstan", ["Kassym-Jomart Tokayev: Kazakhstan → Pakistan",
                                               "Murat Nurtleu: Kazakhstan → Pakistan",
                                               "President of Kazakhstan: Kazakhstan → Pakistan"]),
        ("visit show", "visit", "president", ["Kassym-Jomart Tokayev", "President of Kazakhstan"]),
        ("person show", "person", "Mura", ["Murat Nurtleu", "Murad Ali"]),
        ("meeting show", "meeting", "joint working group",
         ["Joint Working Group on information technology", "Joint Working Group on agriculture"]),
    ],
)
async def test_an_ambiguous_word_lists_the_candidates(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str, typed: str,
    expected: list[str],
) -> None:
    sample_data["people"].append({"uid": "murad-ali", "name": "Murad Ali"})
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, command, **{option: typed})
    assert res.ephemeral
    text = res.response.content
    assert f"{typed!r} fits {len(expected)} " in text
    assert "Pick one from the suggestions" in text
    listed = [line for line in text.splitlines() if line.startswith("• #")]
    assert len(listed) == len(expected)
    for name in expected:
        assert any(name in line for line in listed), (name, listed)
    assert len(desk.user_errors()) == 1


async def test_an_ambiguous_word_names_five_of_many(desk: Desk) -> None:
    for n in range(8):
        await desk.bot.records.add(desk.guild.id, Person(name=f"Aliya Envoy{n}"), actor_id=None)
    res = await desk.reader.slash(desk.channel, "person show", person="aliya")
    assert res.ephemeral and "'aliya' fits 8 people" in res.response.content
    assert res.response.content.count("• #") == 5 and "…and 3 more." in res.response.content
    assert len(desk.user_errors()) == 1


@pytest.mark.parametrize(
    ("command", "option", "typed"),
    [
        ("visit show", "visit", "Modi"),
        ("person show", "person", "Zhumabek"),
        ("person show", "person", "Deputy"),  # an office is not a name
        ("meeting show", "meeting", "summit"),
        ("plan show", "plan", "treaty of friendship"),
    ],
)
async def test_nothing_found_says_so_and_suggests_autocomplete(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str, typed: str
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, command, **{option: typed})
    assert res.ephemeral
    kind = option
    assert f"No {kind} matches {typed!r} in this server" in res.response.content
    assert "suggestions as you type" in res.response.content and "#12" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_participants_name_the_candidates_of_an_ambiguous_word(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    sample_data["people"].append({"uid": "murad-ali", "name": "Murad Ali"})
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(
        desk.channel, "meeting add", title="Consultations", kind="bilateral_talks",
        date="2025-09-01", participants="Dar (co-chair); Mura (co-chair)",
    )
    assert res.ephemeral
    assert "no single person matches 'Mura' (could be: #" in res.response.content
    assert "Murat Nurtleu" in res.response.content and "Murad Ali" in res.response.content
    assert await desk.bot.records.count(desk.guild.id, RecordType.MEETING) == 7
    assert len(desk.user_errors()) == 1
    res = await desk.editor.slash(
        desk.channel, "meeting add", title="Consultations", kind="bilateral_talks",
        date="2025-09-01", participants="Dar (co-chair); Nurtleu (co-chair)",
    )
    assert not res.ephemeral, res.response.content
    meetings = await desk.bot.records.list_records(desk.guild.id, RecordType.MEETING,)
    [added] = [m for m in meetings if isinstance(m, Meeting) and m.title == "Consultations"]
    assert [p.person for p in added.participants] == ["ishaq-dar", "murat-nurtleu"]


# --- inputs that cannot be used are refused, never an internal error ------------------------

HUGE_NUMBERS = ["#99999999999999999999", "#9223372036854775808", "9223372036854775807",
                "#9007199254740992", "#" + "9" * 90, "#0"]


def refused(desk: Desk, res: Any, *needles: str) -> str:
    """The reply was a private refusal saying each needle, and the bot met no crash."""
    assert res.ephemeral, res.response.content
    text = str(res.response.content)
    assert "Something went wrong" not in text
    for needle in needles:
        assert needle in text, text
    assert desk.user_errors(), "the refusal was not a UserError"  # and no other error
    return text


@pytest.mark.parametrize(
    ("command", "option"),
    [("visit show", "visit"), ("person show", "person"), ("meeting show", "meeting"),
     ("plan show", "plan"), ("source show", "source"), ("history visit", "record"),
     ("history person", "record")],
)
async def test_a_record_number_out_of_range_is_refused_saying_the_range(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str
) -> None:
    await desk.load_sample(sample_data)
    for number in HUGE_NUMBERS:
        res = await desk.reader.slash(desk.channel, command, **{option: number})
        refused(desk, res, "is not a record number", "from #1 to #9,007,199,254,740,991")


@pytest.mark.parametrize("number", HUGE_NUMBERS[:2])
async def test_huge_numbers_in_other_record_options_and_people_lists(
    desk: Desk, sample_data: dict[str, Any], number: str
) -> None:
    await desk.load_sample(sample_data)
    meeting = {"title": "Talks", "kind": "bilateral_talks", "date": "2025-09-01"}
    for options in ({"visit": number}, {"source": number},
                    {"participants": f"Ishaq Dar (co-chair); {number} (co-chair)"}):
        res = await desk.editor.slash(desk.channel, "meeting add", **meeting, **options)
        refused(desk, res, "is not a record number")
    res = await desk.editor.slash(desk.channel, "visit edit", visit="Tokayev", visitor=number)
    refused(desk, res, "is not a record number")
    assert await desk.bot.records.count(desk.guild.id, RecordType.MEETING) == 7


async def test_autocomplete_with_a_huge_number_offers_nothing_and_does_not_crash(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    for command in ("history visit", "history person"):
        choices = await desk.reader.autocomplete(desk.channel, command, "record",
                                                 "#99999999999999999999")
        assert all("#99999999999999999999" not in c["name"] for c in choices)
    assert desk.user_errors() == []


BAD_TEXT = [
    ("\ud800", "lone surrogate, U+D800"),
    ("Tok\udfffayev", "lone surrogate, U+DFFF"),
    ("Tok\x00ayev", "control character (U+0000)"),
    ("bell\x07", "control character (U+0007)"),
    ("\x1b[31mred", "control character (U+001B)"),
    ("del\x7f", "control character (U+007F)"),
    ("next\x85line", "control character (U+0085)"),
    ("two\nlines", "line break or tab"),
    ("tab\tbed", "line break or tab"),
]


@pytest.mark.parametrize(
    ("command", "option", "others"),
    [
        ("visit show", "visit", {}),
        ("person show", "person", {}),
        ("person add", "name", {"title": "Envoy", "country": "Kazakhstan"}),
        ("person edit", "title", {"person": "Nurtleu"}),
        ("visit edit", "place", {"visit": "Tokayev"}),
        ("visit add", "from_country", {"to_country": "Pakistan", "date": "2026",
                                       "visitor_role": "Envoy"}),
        ("visit add", "date", {"from_country": "Kazakhstan", "to_country": "Pakistan",
                               "visitor_role": "Envoy"}),
        ("meeting add", "participants", {"title": "Talks", "kind": "other", "date": "2025"}),
        ("meeting edit", "topics", {"meeting": "agriculture"}),
        ("plan edit", "summary", {"plan": "Action Plan"}),
        ("source add", "title", {}),
        ("search", "query", {}),
        ("briefing", "country", {}),
        ("person list", "name", {}),
    ],
)
async def test_unusable_text_is_refused_naming_the_option(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str,
    others: dict[str, str],
) -> None:
    await desk.load_sample(sample_data)
    store = desk.bot.records
    counts = {k: await store.count(desk.guild.id, k) for k in RecordType}
    for text, why in BAD_TEXT:
        res = await desk.editor.slash(desk.channel, command, **others, **{option: text})
        refused(desk, res, f"Refused: the {option} option contains", why, "Nothing was changed")
    # Nothing was written: no record added, none edited.
    assert {k: await store.count(desk.guild.id, k) for k in RecordType} == counts
    for kind, uid in [(RecordType.VISIT, "president-visit-2025-11"),
                      (RecordType.PERSON, "murat-nurtleu"), (RecordType.PLAN, "action-plan-2025"),
                      (RecordType.MEETING, "jwg-agriculture-2025-09")]:
        trail = await store.history(desk.guild.id, kind, (await _by_uid(desk, kind, uid)).id)
        assert [e.action for e in trail] == ["import"]


async def test_autocomplete_of_unusable_text_offers_nothing(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    for text, _ in BAD_TEXT:
        assert await desk.reader.autocomplete(desk.channel, "visit show", "visit", text) == []
        assert await desk.reader.autocomplete(desk.channel, "briefing", "country", text) == []
    assert desk.user_errors() == []


@pytest.mark.parametrize(("text", "why"), [
    ("Notes\x00with a null", "control character (U+0000)"),
    ("half \ud83d of an emoji", "lone surrogate, U+D83D"),
    ("escape \x1b[2J", "control character (U+001B)"),
])
async def test_the_long_text_form_refuses_control_characters_naming_the_field(
    desk: Desk, sample_data: dict[str, Any], text: str, why: str
) -> None:
    from tests.behaviour.conftest import form_field_id

    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "person show", person="Nurtleu")
    shown = await desk.editor.click(res.response, custom_id="long_text")
    done = await desk.editor.submit_modal(shown, {form_field_id(shown): text})
    refused(desk, done, "Refused: Notes contains", why)
    person = await _by_uid(desk, RecordType.PERSON, "murat-nurtleu")
    assert "\x00" not in person.notes and "\x1b" not in person.notes


async def test_the_long_text_form_keeps_line_breaks_and_tabs(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    from tests.behaviour.conftest import form_field_id

    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "person show", person="Nurtleu")
    shown = await desk.editor.click(res.response, custom_id="long_text")
    done = await desk.editor.submit_modal(shown, {form_field_id(shown): "One.\n\tTwo."})
    assert done.response.content == "Notes saved."
    person = await _by_uid(desk, RecordType.PERSON, "murat-nurtleu")
    assert person.notes == "One.\n\tTwo."


# --- '-' clears any optional field of every edit command ----------------------------------

# (command, picker option, the record's uid, options to set first, options that clear them,
#  the fields as they must be after clearing)
CLEARING = [
    ("visit edit", "visit", RecordType.VISIT, "president-visit-2025-11",
     {"end_date": "2025-11-30", "place": "Islamabad"},
     {"end_date": "-", "place": "-", "purpose": "-", "source": "-", "visitor": "-"},
     {"end_date": None, "place": "", "purpose": "", "source": None, "visitor": None}),
    ("visit edit", "visit", RecordType.VISIT, "president-visit-2025-11", {},
     {"visitor_role": " - "}, {"visitor_role": "", "visitor": "kassym-jomart-tokayev"}),
    ("meeting edit", "meeting", RecordType.MEETING, "delegation-talks-2025-09-09", {},
     {"place": "-", "countries": "-", "participants": "-", "topics": "-", "visit": "-",
      "source": "-", "summary": "-"},
     {"place": "", "countries": [], "participants": [], "topics": [], "visit": None,
      "source": None, "summary": ""}),
    ("plan edit", "plan", RecordType.PLAN, "action-plan-2025", {},
     {"date": "-", "place": "-", "parties": "-", "signatories": "-", "fields": "-",
      "meeting": "-", "visit": "-", "source": "-", "summary": "-"},
     {"date": None, "place": "", "parties": [], "signatories": [], "fields": [],
      "meeting": None, "visit": None, "source": None, "summary": ""}),
    ("person edit", "person", RecordType.PERSON, "murat-nurtleu", {},
     {"title": "-", "country": "-", "notes": "-", "source": "-"},
     {"title": "", "country": "", "notes": "", "source": None}),
    ("source edit", "source", RecordType.SOURCE, "report-2025-09-10",
     {"url": "https://example.org/report"},
     {"url": "-", "published": "-", "summary": "-"},
     {"url": "", "published": None, "summary": ""}),
]


@pytest.mark.parametrize(
    ("command", "option", "kind", "uid", "first", "clear", "after"), CLEARING,
    ids=[f"{c[0]}:{','.join(c[5])}" for c in CLEARING],
)
async def test_a_dash_clears_every_optional_field(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str, kind: RecordType,
    uid: str, first: dict[str, str], clear: dict[str, str], after: dict[str, Any],
) -> None:
    await desk.load_sample(sample_data)
    record = await _by_uid(desk, kind, uid)
    if first:
        res = await desk.editor.slash(desk.channel, command, **{option: f"#{record.id}"}, **first)
        assert not res.ephemeral, res.response.content
    res = await desk.editor.slash(desk.channel, command, **{option: f"#{record.id}"}, **clear)
    assert not res.ephemeral, res.response.content
    assert f"#{record.id}" in res.response.content
    for name in clear:
        assert name in res.response.content  # the reply says what was cleared
    saved = await _by_uid(desk, kind, uid)
    assert {name: getattr(saved, name) for name in after} == after
    assert "-" not in [getattr(saved, name) for name in after]
    # Everything not named stays as it was.
    untouched = [n for n in ("title", "name", "date", "status", "kind", "from_country")
                 if hasattr(record, n) and n not in clear]
    assert all(getattr(saved, n) == getattr(record, n) for n in untouched)


@pytest.mark.parametrize(
    ("command", "option", "kind", "uid", "field"),
    [
        ("visit edit", "visit", RecordType.VISIT, "president-visit-2025-11", "date"),
        ("visit edit", "visit", RecordType.VISIT, "president-visit-2025-11", "from_country"),
        ("visit edit", "visit", RecordType.VISIT, "president-visit-2025-11", "to_country"),
        ("meeting edit", "meeting", RecordType.MEETING, "delegation-talks-2025-09-09", "title"),
        ("meeting edit", "meeting", RecordType.MEETING, "delegation-talks-2025-09-09", "date"),
        ("plan edit", "plan", RecordType.PLAN, "action-plan-2025", "title"),
        ("person edit", "person", RecordType.PERSON, "murat-nurtleu", "name"),
        ("source edit", "source", RecordType.SOURCE, "report-2025-09-10", "title"),
    ],
)
async def test_a_dash_in_a_required_field_is_refused(
    desk: Desk, sample_data: dict[str, Any], command: str, option: str, kind: RecordType,
    uid: str, field: str,
) -> None:
    await desk.load_sample(sample_data)
    record = await _by_uid(desk, kind, uid)
    # An optional field cleared in the same command stays too: nothing is saved.
    other = {RecordType.PERSON: "notes", RecordType.SOURCE: "summary"}.get(kind, "place")
    res = await desk.editor.slash(desk.channel, command, **{option: f"#{record.id}"},
                                  **{field: "-", other: "-"})
    refused(desk, res, f"{field} cannot be cleared: every {kind.value} has one",
            "leave the option out")
    assert await _by_uid(desk, kind, uid) == record  # nothing else was cleared either


async def test_a_visit_keeps_someone_visiting(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    visit = await _by_uid(desk, RecordType.VISIT, "president-visit-2025-11")
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{visit.id}",
                                  visitor="-", visitor_role="-")
    refused(desk, res, "a visit needs someone visiting")
    assert await _by_uid(desk, RecordType.VISIT, "president-visit-2025-11") == visit


@pytest.mark.parametrize("command", ["visit edit", "meeting edit", "plan edit", "person edit",
                                     "source edit"])
async def test_each_edit_command_says_that_a_dash_clears(desk: Desk, command: str) -> None:
    group, name = command.split()
    edit = desk.bot.tree.get_command(group).get_command(name)  # type: ignore[union-attr]
    described = {p.name: p.description for p in edit.parameters}  # type: ignore[union-attr]
    clears = {n for n, d in described.items() if "- clears it" in d}
    kind = RecordType(group)
    from bot.domain.registry import spec_of

    spec = spec_of(kind)
    optional = {f.name for f in spec.fields if not f.required and f.name in described}
    assert clears == optional, (clears, optional)
    assert "- clears one" in edit.description  # type: ignore[union-attr]
    assert all(len(d) <= 100 for d in described.values())


# --- a date typed without a year lands where its record faces -------------------------------
# The bot's clock reads 12 September 2025 (tests/behaviour/conftest.py).


async def _visit_added(desk: Desk, **options: str) -> tuple[Any, Visit]:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", visitor_role="Envoy", **options)
    assert not res.ephemeral, res.response.content
    [visit] = [v for v in await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
               if isinstance(v, Visit) and v.visitor_role == "Envoy"]
    return res, visit


@pytest.mark.parametrize(
    ("options", "expected", "echo"),
    [
        ({"date": "15 March"}, FuzzyDate.day(2026, 3, 15), "15 March 2026 — the next 15 March"),
        ({"date": "15 March", "status": "proposed"}, FuzzyDate.day(2026, 3, 15), "the next"),
        ({"date": "March", "status": "confirmed"}, FuzzyDate.month(2026, 3),
         "March 2026 — the next March"),
        ({"date": "Q2"}, FuzzyDate.quarter(2026, 2), "Q2 2026 — the next Q2"),
        ({"date": "15 October"}, FuzzyDate.day(2025, 10, 15), "15 October 2025 — the next"),
        ({"date": "15 March", "status": "completed"}, FuzzyDate.day(2025, 3, 15),
         "15 March 2025 — the last 15 March"),
        ({"date": "15 October", "status": "completed"}, FuzzyDate.day(2024, 10, 15),
         "15 October 2024 — the last 15 October"),
    ],
)
async def test_visit_add_places_a_year_less_date_by_its_status(
    desk: Desk, options: dict[str, str], expected: FuzzyDate, echo: str
) -> None:
    res, visit = await _visit_added(desk, **options)
    assert echo in res.response.content
    assert "(no year given)" in res.response.content
    assert visit.date == expected


async def test_a_planned_visit_typed_without_a_year_is_upcoming(desk: Desk) -> None:
    await _visit_added(desk, date="15 March")
    res = await desk.reader.slash(desk.channel, "visit upcoming")
    assert "Envoy: Kazakhstan → Pakistan" in res.response.embeds[0].description


async def test_a_year_less_last_day_is_the_first_after_the_start(desk: Desk) -> None:
    res, visit = await _visit_added(desk, date="28 December", end_date="2 January")
    assert visit.date == FuzzyDate.day(2025, 12, 28)
    assert visit.end_date == FuzzyDate.day(2026, 1, 2)
    assert "Until: 2 January 2026 — the first 2 January from the start" in res.response.content


async def test_visit_edit_and_postpone_place_a_year_less_date(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    planned = await _by_uid(desk, RecordType.VISIT, "president-visit-2025-11")
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{planned.id}",
                                  date="15 March")
    assert "15 March 2026 — the next 15 March" in res.response.content
    assert (await _by_uid(desk, RecordType.VISIT, planned.uid)).date == FuzzyDate.day(2026, 3, 15)
    # Marked held in the same edit: the last 15 March.
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{planned.id}",
                                  date="15 March", status="completed")
    assert "15 March 2025 — the last 15 March" in res.response.content
    held = await _by_uid(desk, RecordType.VISIT, "nurtleu-visit-2025-09")
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{held.id}",
                                  end_date="10 September")
    assert (await _by_uid(desk, RecordType.VISIT, held.uid)).end_date == FuzzyDate.day(2025, 9, 10)
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{planned.id}",
                                  status="planned")
    res = await desk.editor.slash(desk.channel, "visit postpone", visit=f"#{planned.id}",
                                  new_date="February")
    assert "February 2026 — the next February" in res.response.content
    moved = await _by_uid(desk, RecordType.VISIT, planned.uid)
    assert moved.date == FuzzyDate.month(2026, 2) and "to February 2026" in moved.notes


@pytest.mark.parametrize(
    ("options", "expected", "echo"),
    [
        ({}, FuzzyDate.day(2024, 11, 20), "20 November 2024 — the last 20 November"),
        ({"visit": "Tokayev"}, FuzzyDate.day(2025, 11, 20),  # during a visit still ahead
         "20 November 2025 — the next 20 November"),
        ({"visit": "Nurtleu"}, FuzzyDate.day(2024, 11, 20), "the last 20 November"),  # held
    ],
)
async def test_meeting_add_looks_back_unless_during_a_visit_ahead(
    desk: Desk, sample_data: dict[str, Any], options: dict[str, str], expected: FuzzyDate,
    echo: str,
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "meeting add", title="Consultations",
                                  kind="bilateral_talks", date="20 November", **options)
    assert echo in res.response.content, res.response.content
    [added] = [m for m in await desk.bot.records.list_records(desk.guild.id, RecordType.MEETING)
               if isinstance(m, Meeting) and m.title == "Consultations"]
    assert added.date == expected


async def test_meeting_edit_places_a_year_less_date(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    talks = await _by_uid(desk, RecordType.MEETING, "delegation-talks-2025-09-09")
    res = await desk.editor.slash(desk.channel, "meeting edit", meeting=f"#{talks.id}",
                                  date="15 October")
    assert "15 October 2024 — the last 15 October" in res.response.content
    # The talks prepared the visit in November; tied to it, their date looks ahead.
    tokayev = await _by_uid(desk, RecordType.VISIT, "president-visit-2025-11")
    res = await desk.editor.slash(desk.channel, "meeting edit", meeting=f"#{talks.id}",
                                  date="15 October", visit=f"#{tokayev.id}")
    assert "15 October 2025 — the next 15 October" in res.response.content
    res = await desk.editor.slash(desk.channel, "meeting edit", meeting=f"#{talks.id}",
                                  date="16 October")
    assert "16 October 2025 — the next 16 October" in res.response.content  # still linked


@pytest.mark.parametrize(
    ("status", "expected", "echo"),
    [
        ("expected", FuzzyDate.day(2026, 3, 15), "15 March 2026 — the next 15 March"),
        ("under_negotiation", FuzzyDate.day(2026, 3, 15), "the next 15 March"),
        ("signed", FuzzyDate.day(2025, 3, 15), "15 March 2025 — the last 15 March"),
        ("in_force", FuzzyDate.day(2025, 3, 15), "the last 15 March"),
    ],
)
async def test_plan_add_places_a_year_less_date_by_its_status(
    desk: Desk, status: str, expected: FuzzyDate, echo: str
) -> None:
    res = await desk.editor.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap",
                                  status=status, date="15 March")
    assert echo in res.response.content, res.response.content
    [plan] = await desk.bot.records.list_records(desk.guild.id, RecordType.PLAN)
    assert plan.date == expected


async def test_plan_edit_places_a_year_less_date_by_its_status(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    expected = await _by_uid(desk, RecordType.PLAN, "presidential-visit-agreements-2025")
    res = await desk.editor.slash(desk.channel, "plan edit", plan=f"#{expected.id}",
                                  date="March")
    assert "March 2026 — the next March" in res.response.content
    res = await desk.editor.slash(desk.channel, "plan edit", plan=f"#{expected.id}",
                                  date="March", status="signed")
    assert "March 2025 — the last March" in res.response.content
    assert (await _by_uid(desk, RecordType.PLAN, expected.uid)).date == FuzzyDate.month(2025, 3)


async def test_a_source_is_published_on_the_last_such_date(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "source add", title="Communiqué",
                                  published="15 October")
    assert "Published: 15 October 2024 — the last 15 October" in res.response.content
    report = await _by_uid(desk, RecordType.SOURCE, "report-2025-09-10")
    res = await desk.editor.slash(desk.channel, "source edit", source=f"#{report.id}",
                                  published="10 Sep")
    assert "10 September 2025 — the last 10 September" in res.response.content
    assert (await _by_uid(desk, RecordType.SOURCE, report.uid)).published == FuzzyDate.day(
        2025, 9, 10)


async def test_today_is_read_in_the_servers_zone(desk: Desk, sim_clock: Any) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    # 23:00 UTC on 11 September is already 12 September in Karachi.
    sim_clock.start = datetime(2025, 9, 11, 23, 0, tzinfo=UTC)
    settings = await desk.bot.guild_settings.get(desk.guild.id)
    await desk.bot.guild_settings.save(replace(settings, timezone="Asia/Karachi"))
    res = await desk.editor.slash(desk.channel, "meeting add", title="Call",
                                  kind="other", date="12 September")
    assert "12 September 2025 — the last 12 September" in res.response.content


@pytest.mark.parametrize("typed", ["15 March 2201", "1899", "Q1 2300", "15 March 12345"])
async def test_years_outside_1900_to_2200_are_refused_in_commands(desk: Desk, typed: str) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", visitor_role="Envoy", date=typed)
    refused(desk, res, "the year must be between 1900 and 2200")
    assert await desk.bot.records.count(desk.guild.id, RecordType.VISIT) == 0
