"""#15's leftovers: `/reminders preview` covers follow-ups' owner reminders as well as
visits, and `/history followup` works like every other type's history."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.domain.records import FollowUp, RecordType
from tests.behaviour.conftest import Desk


async def _followup(desk: Desk, what: str) -> FollowUp:
    found = await desk.bot.records.list_records(desk.guild.id, RecordType.FOLLOWUP)
    [followup] = [f for f in found if isinstance(f, FollowUp) and f.what == what]
    return followup


def _stamps(text: str) -> list[int]:
    return [int(s) for s in re.findall(r"<t:(\d+):f>", text)]


async def _prepared(desk: Desk, sample_data: dict[str, Any]) -> FollowUp:
    """The sample, reminders on (7 and 1 days), and a follow-up of visit #2 due on a day."""
    await desk.load_sample(sample_data)
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    await desk.admin.slash(desk.channel, "reminders leads", leads="7d 1d")
    await desk.editor.slash(desk.channel, "followup add", what="Confirm the guest list",
                            due="25 September 2025", visit="#2")
    return await _followup(desk, "Confirm the guest list")


async def test_a_visits_preview_shows_its_follow_ups_owner_reminders(
    desk: Desk, sample_data: dict[str, Any],
) -> None:
    followup = await _prepared(desk, sample_data)
    res = await desk.reader.slash(desk.channel, "reminders preview", visit="#2")
    assert res.ephemeral
    visit_part, _, followup_part = res.response.content.partition("\n\n")
    assert visit_part.startswith("Reminders for visit #2 (November 2025):")
    visit_rows = await desk.bot.reminders.preview(
        desk.guild.id, await desk.bot.records.require(desk.guild.id, RecordType.VISIT, 2))
    assert _stamps(visit_part) == [int(r.due.timestamp()) for r in visit_rows]
    # Both open follow-ups of the visit (the sample's and the new one), each with its rows.
    assert followup_part.startswith("Its follow-ups (2 open), and their owners' reminders:")
    assert "Finalise the MoUs for the President's visit" in followup_part
    ours = followup_part[followup_part.index("Confirm the guest list"):].splitlines()[1:]
    rows = ours[:next((i for i, ln in enumerate(ours) if not ln.startswith("  ")), len(ours))]
    # 7 and 1 days before 25 September 2025, midnight UTC being the server's zone's.
    assert [(f"follow-up #{followup.id}" in r, r.endswith("(planned)")) for r in rows] == [
        (True, True), (True, True)]
    assert _stamps("\n".join(rows))[1] - _stamps("\n".join(rows))[0] == 6 * 86400


async def test_a_follow_ups_own_preview(desk: Desk, sample_data: dict[str, Any]) -> None:
    followup = await _prepared(desk, sample_data)
    res = await desk.reader.slash(desk.channel, "reminders preview",
                                  followup=f"#{followup.id}")
    lines = res.response.content.splitlines()
    assert lines[0] == f"Reminders to the owner of follow-up #{followup.id}:"
    assert "**Confirm the guest list**" in lines[1] and "25 September 2025" in lines[1]
    assert len(lines[2:]) == 2 and all(f"follow-up #{followup.id}" in ln for ln in lines[2:])
    # Done, it has nothing left to send, and each row says why.
    await desk.editor.slash(desk.channel, "followup done", followup=f"#{followup.id}")
    res = await desk.reader.slash(desk.channel, "reminders preview",
                                  followup=f"#{followup.id}")
    after = res.response.content.splitlines()[2:]
    assert len(after) == 2
    assert all(ln.endswith("(superseded: the follow-up is done)") for ln in after), after


@pytest.mark.parametrize("options", [{}, {"visit": "#2", "followup": "#1"}])
async def test_a_preview_names_one_visit_or_one_follow_up(
    desk: Desk, sample_data: dict[str, Any], options: dict[str, str],
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "reminders preview", **options)
    assert res.ephemeral and "Name one visit or one follow-up" in res.response.content
    assert "/help topic:reminders" in res.response.content
    assert desk.user_errors()


async def test_history_followup_is_the_same_log_as_followup_history(
    desk: Desk, sample_data: dict[str, Any],
) -> None:
    await desk.load_sample(sample_data)
    await desk.editor.slash(desk.channel, "followup edit", followup="#1",
                            due="15 October 2025")
    choices = await desk.reader.autocomplete(desk.channel, "history followup", "record", "MoU")
    assert [c["value"] for c in choices] == ["1"]
    by_history = await desk.reader.slash(desk.channel, "history followup", record="#1")
    by_followup = await desk.reader.slash(desk.channel, "followup history", followup="#1")
    a, b = by_history.response.embeds[0], by_followup.response.embeds[0]
    assert a.title == "History of follow-up #1: Finalise the MoUs for the President's visit"
    assert (a.title, a.description, a.footer.text, a.colour) == (
        b.title, b.description, b.footer.text, b.colour)
    assert [line.split("**")[1] for line in (a.description or "").splitlines()] == [
        "import", "update"]
    # Deleted, it is still there by number, as every other type's history is.
    res = await desk.editor.slash(desk.channel, "followup delete", followup="#1")
    await desk.editor.click(res.response, custom_id="confirm")
    choices = await desk.reader.autocomplete(desk.channel, "history followup", "record", "#1")
    assert choices[0] == {"name": "#1 (by number; deleted records too)", "value": "1"}
    res = await desk.reader.slash(desk.channel, "history followup", record="#1")
    assert res.response.embeds[0].title.endswith("(deleted)")
