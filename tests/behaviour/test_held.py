"""'Was it held?': a past visit still marked open is asked about once, and editors answer it."""

from __future__ import annotations

from typing import Any

import pytest
from simcord import SetupError

from bot.bot import create_bot
from bot.domain.records import RecordType, Visit, VisitStatus
from tests.behaviour.conftest import Desk

DAY = 86400


async def _visit(desk: Desk, date: str, role: str = "President") -> Visit:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date=date, visitor_role=role)
    assert not res.ephemeral, res.response.content
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    return next(v for v in visits if isinstance(v, Visit) and v.visitor_role == role)


async def _stored(desk: Desk, visit: Visit) -> Visit:
    assert visit.id is not None
    found = await desk.bot.records.get(desk.guild.id, RecordType.VISIT, visit.id)
    assert isinstance(found, Visit)
    return found


def _buttons(message: Any) -> list[dict[str, Any]]:
    return [c for row in message.components for c in row.get("components", [])]


def _question(res: Any) -> Any:
    """The 'Was it held?' message that followed /visit upcoming."""
    [followup] = res.followups
    assert followup.content.startswith("**Was it held?**"), followup.content
    return followup


def _posts(desk: Desk) -> list[Any]:
    return [m for m in desk.channel.history() if m.author.bot and m.interaction_metadata is None]


async def test_upcoming_asks_an_editor_once_and_an_editor_answers(desk: Desk) -> None:
    past = await _visit(desk, "2025-09-01")  # the bot's today is 12 September 2025
    ahead = await _visit(desk, "2025-10-20", role="Foreign Minister")
    line = (f"`#{past.id}` 1 September 2025 (<t:1756684800:R>) · "
            "**President: Kazakhstan → Pakistan** · planned")

    # A reader sees the question's line, without buttons, and is not the one asked.
    res = await desk.reader.slash(desk.channel, "visit upcoming")
    assert f"`#{ahead.id}`" in res.response.embeds[0].description
    assert f"`#{past.id}`" not in res.response.embeds[0].description
    shown = _question(res)
    assert line in shown.content and _buttons(shown) == []

    # The first editor to look is asked, with one row of buttons for the visit.
    res = await desk.editor.slash(desk.channel, "visit upcoming")
    asked = _question(res)
    assert line in asked.content
    assert [b["label"] for b in _buttons(asked)] == [
        f"#{past.id}: held", f"#{past.id}: postponed", f"#{past.id}: cancelled"]

    # Asked once: the next time it is listed, not asked again.
    res = await desk.admin.slash(desk.channel, "visit upcoming")
    again = _question(res)
    assert line in again.content and _buttons(again) == []
    assert "/visit edit visit:#N status:completed" in again.content

    # Only editors may answer; a reader is told so, privately, and nothing changes.
    refused = await desk.reader.click(asked, label=f"#{past.id}: held")
    assert refused.ephemeral and "Manage Server" in refused.response.content
    assert (await _stored(desk, past)).status is VisitStatus.PLANNED

    await desk.editor.click(asked, label=f"#{past.id}: held")
    assert (await _stored(desk, past)).status is VisitStatus.COMPLETED
    [entry, *_] = reversed(await desk.bot.desk.history(desk.guild.id, RecordType.VISIT,
                                                       past.id or 0))
    assert entry.actor_id == desk.editor.id
    assert entry.before is not None and entry.before["status"] == "planned"
    assert entry.after is not None and entry.after["status"] == "completed"
    [answered] = [m for m in desk.channel.history() if m.id == asked.id]
    assert all(button.disabled for row in answered.components for button in row.children)
    assert f"#{past.id} marked **completed** by <@{desk.editor.id}>." in answered.content
    with pytest.raises(SetupError):
        await desk.editor.click(answered, label=f"#{past.id}: cancelled")

    # Held now: no longer asked about anywhere.
    res = await desk.editor.slash(desk.channel, "visit upcoming")
    assert res.followups == []


async def test_a_reader_running_upcoming_leaves_the_question_for_an_editor(
    desk: Desk,
) -> None:
    past = await _visit(desk, "2025-09-01")
    await desk.reader.slash(desk.channel, "visit upcoming")
    await desk.reader.slash(desk.channel, "visit upcoming")
    res = await desk.editor.slash(desk.channel, "visit upcoming")
    assert len(_buttons(_question(res))) == 3
    await desk.editor.click(_question(res), label=f"#{past.id}: cancelled")
    assert (await _stored(desk, past)).status is VisitStatus.CANCELLED


async def test_the_reminder_channel_is_asked_once_the_morning_after(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    assert not res.ephemeral, res.response.content
    await desk.admin.slash(desk.channel, "reminders leads", leads="1d")
    visit = await _visit(desk, "2025-09-15")
    # 15 September 09:00: the reminder; 16 September 09:00: its day has passed.
    await desk.env.advance_time(3 * DAY + 60)
    assert [p.content.split(" — ")[-1] for p in _posts(desk)] == ["tomorrow"]
    await desk.env.advance_time(DAY)
    [_, asked] = _posts(desk)
    assert asked.content.startswith("**Was it held?**")
    title = "**President: Kazakhstan → Pakistan**"
    assert f"`#{visit.id}` 15 September 2025 (<t:1757894400:R>) · {title}" in asked.content
    assert [b.label for row in asked.components for b in row.children] == [
        f"#{visit.id}: held", f"#{visit.id}: postponed", f"#{visit.id}: cancelled"]
    # Asked once: not the next morning, nor under /visit upcoming.
    await desk.env.advance_time(3 * DAY)
    assert len(_posts(desk)) == 2
    res = await desk.editor.slash(desk.channel, "visit upcoming")
    assert _buttons(_question(res)) == []
    # Postponed from the question: the usual notice follows, and no more reminders.
    await desk.editor.click(asked, label=f"#{visit.id}: postponed")
    assert (await _stored(desk, visit)).status is VisitStatus.POSTPONED
    await desk.env.advance_time(60)
    assert "postponed (was expected 15 September 2025)" in _posts(desk)[-1].content


async def test_buttons_still_answer_after_a_restart(desk: Desk, sim_clock: Any) -> None:
    past = await _visit(desk, "2025-09-01")
    res = await desk.editor.slash(desk.channel, "visit upcoming")
    asked = _question(res)
    old = desk.bot
    fresh = create_bot(old.settings, clock=sim_clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    await desk.editor.click(asked, label=f"#{past.id}: held")
    found = await fresh.records.get(desk.guild.id, RecordType.VISIT, past.id or 0)
    assert isinstance(found, Visit) and found.status is VisitStatus.COMPLETED
    await fresh.close()


async def test_the_brief_asks_instead_of_hiding_the_last_visit_held(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    # From 12 September 2025 to 1 December 2026.
    await desk.env.advance_time(445 * DAY)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    assert "Kazakhstan → Pakistan: Last presidential visit: 2003\n" in (
        fields["Last visit at each level"] + "\n")
    assert "November 2025" not in fields["Last visit at each level"]
    assert "November 2025 presidential visit is still marked planned — was it held?" in (
        fields["Was it held?"])
