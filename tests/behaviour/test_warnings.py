"""Warnings before mistakes: duplicates, unknown countries, organisations, and statuses that
say something happened on a date still ahead — each asked or refused through the real
client, with the confirmation's buttons pressed."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.records import Plan, RecordType, Visit
from tests.behaviour.conftest import Desk


async def _count(desk: Desk, kind: RecordType) -> int:
    return len(await desk.bot.records.list_records(desk.guild.id, kind))


def _button(res: Any, custom_id: str) -> None:
    ids = [c["custom_id"] for row in res.response.components for c in row["components"]]
    assert custom_id in ids, ids


VISIT = {"from_country": "Kazakhstan", "to_country": "Pakistan", "date": "November 2025",
         "visitor_role": "President"}


async def test_a_duplicate_visit_asks_first_naming_the_existing_number(desk: Desk) -> None:
    first = await desk.editor.slash(desk.channel, "visit add", **VISIT)
    assert not first.ephemeral
    again = await desk.editor.slash(desk.channel, "visit add", **{**VISIT, "visitor_role":
                                                                 "PRESIDENT"})
    assert again.ephemeral
    assert "Visit #1 “President: Kazakhstan → Pakistan” is already recorded for November 2025" \
        in again.response.content
    _button(again, "confirm")
    assert await _count(desk, RecordType.VISIT) == 1
    # Cancel: nothing saved.
    cancelled = await desk.editor.click(again.response, custom_id="cancel")
    assert "Nothing was saved." in cancelled.response.content
    assert await _count(desk, RecordType.VISIT) == 1
    # Ask again and confirm: saved, and the card is shown.
    again = await desk.editor.slash(desk.channel, "visit add", **VISIT)
    saved = await desk.editor.click(again.response, custom_id="confirm")
    assert "Saved visit #2." in saved.response.content
    assert await _count(desk, RecordType.VISIT) == 2


async def test_a_different_date_or_side_is_no_duplicate(desk: Desk) -> None:
    await desk.editor.slash(desk.channel, "visit add", **VISIT)
    for change in ({"date": "December 2025"}, {"to_country": "Uzbekistan"},
                   {"visitor_role": "Foreign Minister"}):
        res = await desk.editor.slash(desk.channel, "visit add", **{**VISIT, **change})
        assert not res.ephemeral, res.response.content
    assert await _count(desk, RecordType.VISIT) == 4


async def test_a_duplicate_meeting_plan_person_and_source_ask_too(desk: Desk) -> None:
    cases = [
        ("meeting add", {"title": "Delegation-level talks", "kind": "other",
                         "date": "9 September 2025"}, "Meeting #1"),
        ("plan add", {"title": "Action Plan", "kind": "action_plan", "status": "signed",
                      "date": "9 September 2025"}, "Plan #1"),
        ("person add", {"name": "Murat Nurtleu", "title": "Foreign Minister",
                        "country": "KZ"}, "Person #1"),
        ("source add", {"title": "MFA statement", "published": "10 September 2025"},
         "Source #1"),
    ]
    for command, options, named in cases:
        first = await desk.editor.slash(desk.channel, command, **options)
        assert not first.ephemeral, first.response.content
        # The same again, written differently: case and spacing do not make it new.
        typed = {k: (v.upper() if k in ("title", "name") else v) for k, v in options.items()}
        again = await desk.editor.slash(desk.channel, command, **typed)
        assert again.ephemeral and named in again.response.content, (command,
                                                                     again.response.content)


async def test_a_warning_left_unanswered_saves_nothing(desk: Desk) -> None:
    await desk.editor.slash(desk.channel, "visit add", **VISIT)
    again = await desk.editor.slash(desk.channel, "visit add", **VISIT)
    assert again.ephemeral
    await desk.env.advance_time(61)
    assert await _count(desk, RecordType.VISIT) == 1


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Narnia", "Did you mean"),
    ("Kazakstn", "Kazakhstan"),
    ("Korea", "South Korea, North Korea"),
    ("AU", "Australia or the African Union"),
])
async def test_an_unknown_country_is_refused_with_the_closest(
    desk: Desk, typed: str, suggested: str,
) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", **{**VISIT, "to_country": typed})
    assert res.ephemeral
    assert f"“{typed}”" in res.response.content and suggested in res.response.content
    assert "/help" in res.response.content
    assert desk.user_errors()
    assert await _count(desk, RecordType.VISIT) == 0


@pytest.mark.parametrize(("typed", "stored"), [
    ("Britain", "United Kingdom"), ("England", "United Kingdom"),
    ("Great Britain", "United Kingdom"), ("ASEAN", "ASEAN"),
    ("the Gulf Cooperation Council", "GCC"), ("African Union", "African Union"),
    ("UN", "United Nations"), ("EU", "European Union"),
])
async def test_common_names_and_organisations_are_sides(
    desk: Desk, typed: str, stored: str,
) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", **{**VISIT, "to_country": typed})
    assert not res.ephemeral, res.response.content
    [visit] = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    assert isinstance(visit, Visit) and visit.to_country == stored


async def test_meeting_countries_and_plan_parties_are_read_the_same_way(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "meeting add", title="Summit", kind="other",
                                  date="9 September 2025", countries="Pakistan, Narnia")
    assert res.ephemeral and "“Narnia”" in res.response.content
    desk.user_errors()
    res = await desk.editor.slash(
        desk.channel, "plan add", title="Framework", kind="agreement", status="expected",
        parties="Pakistan; GCC; Ministry of Foreign Affairs of Kazakhstan")
    assert not res.ephemeral, res.response.content
    [plan] = await desk.bot.records.list_records(desk.guild.id, RecordType.PLAN)
    assert isinstance(plan, Plan)
    assert plan.parties == ["Pakistan", "GCC", "Ministry of Foreign Affairs of Kazakhstan"]


async def test_country_autocomplete_offers_organisations(desk: Desk) -> None:
    choices = await desk.editor.autocomplete(desk.channel, "visit add", "to_country", "asea")
    assert "ASEAN" in [c["value"] for c in choices]
    choices = await desk.editor.autocomplete(desk.channel, "visit add", "to_country", "Narnia")
    assert all(c["value"] != "Narnia" for c in choices)


async def test_a_plan_signed_in_the_future_asks_first(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap",
                                  status="signed", date="15 December 2025")
    assert res.ephemeral
    assert "marked signed, but its date, 15 December 2025, is still ahead" in \
        res.response.content
    assert await _count(desk, RecordType.PLAN) == 0
    saved = await desk.editor.click(res.response, custom_id="confirm")
    assert "Saved plan #1." in saved.response.content
    # Marking an expected plan in force ahead of its date asks too.
    await desk.editor.slash(desk.channel, "plan add", title="Treaty", kind="treaty",
                            status="expected", date="March 2026")
    res = await desk.editor.slash(desk.channel, "plan edit", plan="#2", status="in_force")
    assert res.ephemeral and "marked in force" in res.response.content
    await desk.editor.click(res.response, custom_id="cancel")
    [_, treaty] = await desk.bot.records.list_records(desk.guild.id, RecordType.PLAN)
    assert isinstance(treaty, Plan) and treaty.status.value == "expected"


async def test_a_visit_completed_in_the_future_asks_first(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", **{**VISIT, "status": "completed"})
    assert res.ephemeral and "marked completed, but it starts November 2025" in \
        res.response.content
    await desk.editor.click(res.response, custom_id="cancel")
    await desk.editor.slash(desk.channel, "visit add", **VISIT)
    res = await desk.editor.slash(desk.channel, "visit edit", visit="#1", status="completed")
    assert res.ephemeral and "still ahead" in res.response.content
    saved = await desk.editor.click(res.response, custom_id="confirm")
    assert "Updated visit #1." in saved.response.content
    # A past visit marked completed is what completed means: no question.
    res = await desk.editor.slash(desk.channel, "visit add", **{
        **VISIT, "date": "9 September 2025", "status": "completed"})
    assert not res.ephemeral, res.response.content
