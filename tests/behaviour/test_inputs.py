"""What people type into commands: record pickers by name, refused inputs, '-' that clears
and dates typed without a year — through the real discord.py client, offline."""

from __future__ import annotations

from typing import Any

import pytest

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
