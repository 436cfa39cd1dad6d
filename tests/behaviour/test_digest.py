"""/digest through the real discord.py client: the commands, the week ahead posted on its
wall-clock time across a clock change, late after downtime, skipped when stale, empty weeks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.bot import create_bot
from tests.behaviour.conftest import BOT_START, SIM_EPOCH, Desk

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently

DAY = 86400
LONDON = ZoneInfo("Europe/London")


def _posts(desk: Desk) -> list[Any]:
    return [m for m in desk.channel.history() if m.author.bot and m.interaction_metadata is None]


def _digests(desk: Desk) -> list[Any]:
    return [m for m in _posts(desk) if m.content.startswith("📅")]


def _bot_time(message: Any) -> datetime:
    """When the bot posted a message, on the bot's own clock."""
    return BOT_START + (message.created_at - SIM_EPOCH)


async def _rows(desk: Desk) -> list[Any]:
    return await desk.bot.services.deliveries.for_record(desk.guild.id, "digest", 0)


async def _schedule(desk: Desk, zone: str | None = None, **options: Any) -> Any:
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    if zone:
        await desk.admin.slash(desk.channel, "settings timezone", zone=zone)
    res = await desk.admin.slash(desk.channel, "digest schedule", **options)
    assert not res.ephemeral, res.response.content
    return res


async def _down_for(desk: Desk, seconds: int, sim_clock: Any) -> Any:
    """The bot stopped for a while (no poster running), then started again."""
    old = desk.bot
    await old.remove_cog("RemindersCog")
    await desk.env.advance_time(seconds)
    fresh = create_bot(old.settings, clock=sim_clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    await desk.env.advance_time(60)
    return fresh


async def test_digest_settings_are_for_admins_and_need_a_channel(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "digest schedule")
    assert res.ephemeral and "Manage Server" in res.response.content
    res = await desk.admin.slash(desk.channel, "digest schedule")
    assert res.ephemeral and "choose one with /reminders channel first" in res.response.content
    res = await _schedule(desk)
    stamp = int(datetime(2025, 9, 15, 8, 0, tzinfo=ZoneInfo("UTC")).timestamp())
    assert res.response.content == (
        "Digest on. The week ahead is posted every Monday at 08:00 (UTC) in the reminder "
        f"channel. Next: <t:{stamp}:F>.")
    res = await desk.admin.slash(desk.channel, "digest schedule", day="Friday", time="17:30")
    assert "every Friday at 17:30 (UTC)" in res.response.content
    assert [(r.due.isoformat(), r.status) for r in await _rows(desk)] == [
        ("2025-09-12T17:30:00+00:00", "planned"), ("2025-09-15T08:00:00+00:00", "superseded")]
    res = await desk.admin.slash(desk.channel, "digest schedule", time="25:00")
    assert res.ephemeral and "24-hour clock" in res.response.content
    res = await desk.admin.slash(desk.channel, "digest skip-empty", setting="on")
    assert res.response.content.startswith("Empty weeks will post nothing.")
    res = await desk.reader.slash(desk.channel, "digest preview")
    assert res.ephemeral and res.response.content.startswith("📅 **The week ahead** — 12 Sep")
    assert "Empty weeks are skipped." in res.response.content
    res = await desk.editor.slash(desk.channel, "digest off")
    assert res.ephemeral
    res = await desk.admin.slash(desk.channel, "digest off")
    assert res.response.content.startswith("The weekly digest is off.")
    assert {r.status for r in await _rows(desk)} == {"superseded"}
    await desk.env.advance_time(14 * DAY)
    assert _digests(desk) == []
    assert len(desk.user_errors()) == 4


async def test_the_digest_keeps_its_time_across_a_clock_change(desk: Desk) -> None:
    await _schedule(desk, zone="Europe/London")
    # From Friday 12 September to Monday 3 November: eight Mondays, summer time ending on
    # 26 October in between.
    await desk.env.advance_time(52 * DAY)
    digests = _digests(desk)
    posted = [_bot_time(m).astimezone(LONDON) for m in digests]
    assert [p.date().isoformat() for p in posted] == [
        "2025-09-15", "2025-09-22", "2025-09-29", "2025-10-06", "2025-10-13", "2025-10-20",
        "2025-10-27", "2025-11-03"]
    assert {(p.hour, p.minute) for p in posted} == {(8, 0)}
    assert [_bot_time(m).hour for m in digests][-3:] == [7, 8, 8]  # UTC: the clock changed
    # Nothing recorded: each week is one line, not nothing.
    assert digests[0].content == (
        "📅 **The week ahead** — 15 September 2025\nNothing for the week ahead: no visits, "
        "signings or follow-ups due in the next 30 days, and nothing waiting for an answer.")
    assert digests[0].embeds == []
    sends = [r for r in desk.env.http_requests
             if r.method == "POST" and r.path.endswith("/messages")]
    assert len({r.json["nonce"] for r in sends}) == len(sends) == 8
    rows = await _rows(desk)
    assert [r.status for r in rows] == ["sent"] * 8 + ["planned"]


async def test_a_digest_missed_while_down_goes_out_once_marked_late(
    desk: Desk, sim_clock: Any
) -> None:
    await _schedule(desk)
    # Down from Friday until Tuesday 16 September: Monday's digest is still worth posting.
    fresh = await _down_for(desk, 4 * DAY, sim_clock)
    [late] = _digests(desk)
    assert late.content.startswith(
        "📅 **The week ahead** — 16 September 2025 (late — the bot was offline)")
    rows = await fresh.services.deliveries.for_record(desk.guild.id, "digest", 0)
    assert [(r.computed_for, r.status, r.late) for r in rows] == [
        ("2025-W38", "sent", True), ("2025-W39", "planned", False)]
    await desk.env.advance_time(6 * DAY)  # Monday 22 September
    assert len(_digests(desk)) == 2
    await fresh.close()


async def test_a_digest_whose_week_is_over_is_skipped_with_its_reason(
    desk: Desk, sim_clock: Any
) -> None:
    await _schedule(desk)
    # Down until Tuesday 23 September: the week of the 15th is over.
    fresh = await _down_for(desk, 11 * DAY, sim_clock)
    assert _digests(desk) == []
    rows = await fresh.services.deliveries.for_record(desk.guild.id, "digest", 0)
    assert [(r.computed_for, r.status) for r in rows] == [
        ("2025-W38", "skipped"), ("2025-W40", "planned")]
    assert rows[0].reason == "the week it covered was over when the bot could post"
    res = await desk.admin.slash(desk.channel, "reminders status")
    shown = {f.name: f.value for f in res.response.embeds[0].fields}
    assert "weekly digest · the week ahead (skipped) — the week it covered was over" \
        in shown["Not sent"]
    await fresh.close()


async def test_an_empty_week_is_skipped_when_asked(desk: Desk) -> None:
    await _schedule(desk)
    await desk.admin.slash(desk.channel, "digest skip-empty", setting="on")
    await desk.env.advance_time(4 * DAY)
    assert _digests(desk) == []
    rows = await _rows(desk)
    assert [(r.status, r.reason) for r in rows] == [
        ("skipped", "nothing this week (skip-empty is on)"), ("planned", None)]
    # Something due this week: the digest goes out again.
    await desk.editor.slash(desk.channel, "followup add", what="Send the invitations",
                            owner=desk.editor_role, due="25 September 2025")
    await desk.env.advance_time(7 * DAY)
    [digest] = _digests(desk)
    fields = {f.name: f.value for f in digest.embeds[0].fields}
    assert "**Send the invitations** · @Desk editors · 25 September 2025 · due in 3 days" \
        in fields["Follow-ups due or overdue"]


async def test_the_week_ahead_holds_what_the_desk_must_act_on(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    # An Uzbek meeting of 2023 (long ago, so Uzbekistan is quiet), a visit still marked
    # planned although its day has passed, and visits this week and this month.
    await desk.editor.slash(desk.channel, "meeting add", title="Dar–Saidov talks",
                            kind="bilateral_talks", date="10 May 2023",
                            countries="Pakistan, Uzbekistan", participants="Dar (host)")
    await desk.editor.slash(desk.channel, "visit add", from_country="Pakistan",
                            to_country="Kazakhstan", date="20 October 2025",
                            visitor_role="Commerce Minister")
    await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                            to_country="Pakistan", date="30 October 2025",
                            visitor_role="Transport Minister")
    await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                            to_country="Pakistan", date="14 November 2025",
                            visitor_role="Trade Minister")
    await desk.editor.slash(desk.channel, "followup add", what="Send the invitations",
                            owner=desk.editor, due="20 October 2025")
    await desk.env.advance_time(45 * DAY)  # Monday 27 October 2025
    res = await desk.reader.slash(desk.channel, "digest preview")
    assert res.response.content.startswith("📅 **The week ahead** — 27 October 2025")
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    assert list(fields) == [
        "Visits in the next 7 days", "Visits in the next 30 days", "Month known, day not yet",
        "Plans expected to be signed", "Follow-ups due or overdue", "Was it held?", "Quiet"]
    assert fields["Visits in the next 7 days"] == (
        "`#5` **Transport Minister** · Kazakhstan → Pakistan · 30 October 2025 (in 3 days)"
        " · planned")
    assert "14 November 2025 (in 18 days)" in fields["Visits in the next 30 days"]
    assert fields["Month known, day not yet"] == (
        "`#2` **Kassym-Jomart Tokayev (President of Kazakhstan)** · Kazakhstan → Pakistan · "
        "November 2025 — 5 days away, day still unconfirmed")
    assert "**Agreements and MoUs for the Kazakh President's visit** · expected November 2025" \
        in fields["Plans expected to be signed"]
    follow = fields["Follow-ups due or overdue"].splitlines()
    assert follow[0].startswith("⚠️ `#2` **Send the invitations** · @editor")
    assert follow[0].endswith("20 October 2025 · overdue by 7 days")
    assert follow[1] == ("`#1` **Finalise the MoUs for the President's visit** · @Desk editors"
                         " · early November 2025 — before the visit · day still unconfirmed")
    assert fields["Was it held?"].startswith("`#4` **Commerce Minister** · Pakistan → "
                                             "Kazakhstan · 20 October 2025 — still marked")
    assert fields["Quiet"] == ("No contact at ministerial level or above recorded in 12 months "
                               "with Uzbekistan.")
    assert isinstance(res.response.embeds[0], discord.Embed)
    assert timedelta(0) <= desk.bot.clock() - datetime(2025, 10, 27, 9, 0, tzinfo=LONDON)
