"""Reminders end to end inside discord.py: planning, posting, notices, failures, downtime."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.bot import create_bot
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType, Visit, VisitStatus
from tests.behaviour.conftest import BOT_START, Desk

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently

DAY = 86400


async def _setup(desk: Desk, leads: str | None = None) -> None:
    res = await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    assert not res.ephemeral, res.response.content
    if leads:
        await desk.admin.slash(desk.channel, "reminders leads", leads=leads)


async def _add_visit(desk: Desk, date: str, role: str = "Foreign Minister") -> Visit:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date=date, visitor_role=role)
    assert not res.ephemeral, res.response.content
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    return next(v for v in visits if isinstance(v, Visit) and v.visitor_role == role)


def _posts(desk: Desk) -> list[Any]:
    """What the bot posted in the channel itself (not interaction replies)."""
    return [m for m in desk.channel.history() if m.author.bot and m.interaction_metadata is None]


def _rows(desk: Desk, visit: Visit) -> Any:
    return desk.bot.reminders.preview(desk.guild.id, visit)


async def test_a_month_precision_visit_gets_two_nudges(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await _setup(desk)
    await desk.load_sample(sample_data)
    await desk.bot.reminders.reconcile()
    president = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.VISIT,
                                                  "president-visit-2025-11")
    rows = await _rows(desk, president)
    assert [(r.lead, r.due.isoformat()) for r in rows] == [
        ("month-before", "2025-10-01T09:00:00+00:00"),
        ("month-of", "2025-11-01T09:00:00+00:00"),
    ]
    # From 12 September to 1 October 09:00 is 18 days and 24 hours.
    await desk.env.advance_time(19 * DAY)
    [post] = _posts(desk)
    assert "Kassym-Jomart Tokayev: Kazakhstan → Pakistan" in post.content
    assert "expected next month — date still unconfirmed" in post.content
    assert post.embeds[0].fields[0].value == "November 2025 — day not yet set"
    assert "Agreements and MoUs" in {f.name: f.value for f in post.embeds[0].fields}[
        "Plans expected"]
    assert [r.status for r in await _rows(desk, president)] == ["sent", "planned"]
    await desk.env.advance_time(31 * DAY)
    assert "expected this month" in _posts(desk)[-1].content
    assert len([p for p in _posts(desk) if p.content.startswith("⏰")]) == 2
    # The sample's follow-up, due "early November 2025 — before the visit", is reminded of
    # in its own posts, counting back from 1 November.
    assert [p.content.splitlines()[1].split(" — ", 2)[2] for p in _posts(desk)
            if p.content.startswith("📌")] == [
        "due in 7 days (date still unconfirmed) · early November 2025 — before the visit",
        "due tomorrow (date still unconfirmed) · early November 2025 — before the visit"]


async def test_a_timed_visit_gets_each_lead_once(desk: Desk) -> None:
    await _setup(desk, leads="1h 10m")
    start = BOT_START + timedelta(hours=3)
    visit = await _add_visit(desk, f"{start:%Y-%m-%d %H:%M} UTC")
    rows = await _rows(desk, visit)
    assert [r.lead for r in rows] == ["1h", "10m"]
    await desk.env.advance_time(2 * 3600 + 60)
    assert len(_posts(desk)) == 1 and "in 1 hour" in _posts(desk)[0].content
    await desk.env.advance_time(3600)
    assert len(_posts(desk)) == 2 and "in 10 minutes" in _posts(desk)[1].content
    sends = [r for r in desk.env.http_requests
             if r.method == "POST" and r.path.endswith("/messages")]
    assert [r.json["enforce_nonce"] for r in sends] == [True, True]
    assert len({r.json["nonce"] for r in sends}) == 2
    assert all(r.json["allowed_mentions"] == {"parse": []} for r in sends)
    await desk.env.advance_time(10 * DAY)
    # Nothing is ever sent twice; the one post since asks, once, whether the visit was held.
    assert [p.content.startswith("**Was it held?**") for p in _posts(desk)] == [
        False, False, True]


async def test_reschedule_and_cancel_post_one_notice_each(desk: Desk) -> None:
    await _setup(desk)
    visit = await _add_visit(desk, "2025-12-01")
    await desk.editor.slash(desk.channel, "visit edit", visit=str(visit.id), date="2025-12-08")
    await desk.env.advance_time(60)
    [notice] = _posts(desk)
    assert "rescheduled: was 1 December 2025, now 8 December 2025" in notice.content
    rows = await _rows(desk, visit)
    assert {r.status for r in rows if r.computed_for == "2025-12-01"} == {"superseded"}
    assert {r.status for r in rows if r.computed_for == "2025-12-08"} == {"planned"}
    await desk.editor.slash(desk.channel, "visit cancel", visit=str(visit.id))
    await desk.env.advance_time(60)
    assert "cancelled (was expected 8 December 2025)" in _posts(desk)[-1].content
    assert {r.status for r in await _rows(desk, visit) if r.kind != "notice"} == {"superseded"}
    await desk.env.advance_time(90 * DAY)
    assert len(_posts(desk)) == 2


async def test_reminders_due_together_make_one_digest(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    await _add_visit(desk, "2025-09-20", role="Foreign Minister")
    await _add_visit(desk, "2025-09-20", role="Trade Minister")
    await desk.env.advance_time(8 * DAY)
    [digest] = _posts(desk)
    assert digest.content.startswith("⏰ 2 reminders:")
    assert len(digest.embeds) == 2


async def test_the_reminder_role_is_the_only_ping(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    role = desk.guild.create_role("Desk officers")
    await desk.admin.slash(desk.channel, "reminders role", role=role)
    await _add_visit(desk, "2025-09-20")
    await desk.env.advance_time(8 * DAY)
    [post] = _posts(desk)
    assert post.content.startswith(f"<@&{role.id}>")
    send = [r for r in desk.env.http_requests if r.path.endswith("/messages")][-1]
    assert send.json["allowed_mentions"] == {"parse": [], "roles": [role.id]}


async def test_downtime_sends_late_or_skips_stale(desk: Desk) -> None:
    await _setup(desk, leads="7d 1d")
    visit = await _add_visit(desk, "2025-09-25")
    await desk.admin.slash(desk.channel, "reminders pause")
    # Paused past the 7-day reminder (18 Sept) but not past the visit: it goes out late.
    await desk.env.advance_time(7 * DAY)
    assert _posts(desk) == []
    await desk.admin.slash(desk.channel, "reminders resume")
    await desk.env.advance_time(60)
    [late] = _posts(desk)
    assert "in 7 days (late — the bot was offline)" in late.content
    # Paused again past the visit's start: the 1-day reminder is recorded as skipped.
    await desk.admin.slash(desk.channel, "reminders pause")
    await desk.env.advance_time(10 * DAY)
    await desk.admin.slash(desk.channel, "reminders resume")
    await desk.env.advance_time(60)
    assert len(_posts(desk)) == 1
    rows = {r.lead: r for r in await _rows(desk, visit)}
    assert rows["7d"].status == "sent" and rows["7d"].late
    assert rows["1d"].status == "skipped" and "already started" in rows["1d"].reason
    res = await desk.admin.slash(desk.channel, "reminders status")
    assert "already started" in res.response.embeds[0].fields[-1].value


async def test_a_missing_permission_fails_once_and_resumes_when_fixed(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    visit = await _add_visit(desk, "2025-09-20")
    desk.env.inject_error("POST", f"/channels/{desk.channel.id}/messages", status=403,
                          code=50013, message="Missing Permissions", times=None)
    # 19 September 09:00, the day before the visit.
    await desk.env.advance_time(7 * DAY + 60)
    [row] = await _rows(desk, visit)
    assert row.status == "failed" and "lacks permission" in row.last_error
    res = await desk.admin.slash(desk.channel, "reminders status")
    assert "Problem: the bot lacks permission" in res.response.embeds[0].description
    desk.env.backend.faults.clear()
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    await desk.env.advance_time(60)
    [post] = _posts(desk)
    assert "tomorrow" in post.content
    assert [r.status for r in await _rows(desk, visit)] == ["sent"]


async def test_server_errors_are_retried_with_back_off(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    visit = await _add_visit(desk, "2025-09-20")
    desk.env.inject_error("POST", f"/channels/{desk.channel.id}/messages", status=500,
                          times=None)
    await desk.env.advance_time(8 * DAY)
    [row] = await _rows(desk, visit)
    assert row.status == "planned" and row.attempts >= 3 and "500" in row.last_error
    assert _posts(desk) == []
    desk.env.backend.faults.clear()
    await desk.env.advance_time(3600)
    assert len(_posts(desk)) == 1
    assert [r.status for r in await _rows(desk, visit)] == ["sent"]


async def test_a_claimed_batch_is_resent_under_the_same_nonce(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    visit = await _add_visit(desk, "2025-09-20")
    service = desk.bot.reminders
    await desk.bot.remove_cog("RemindersCog")  # no poster: this test plays its part
    await desk.env.advance_time(7 * DAY + 60)
    # Claimed, then the bot "dies" before sending: the row stays claimed, never re-planned.
    [batch] = await service.claim_due()
    assert await service.claim_due() == []
    [again] = await service.recover()
    assert again.ids == batch.ids and again.nonce == batch.nonce
    assert [r.status for r in await _rows(desk, visit)] == ["claimed"]


async def test_settings_need_manage_server_and_explain_leads(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "reminders leads", leads="7d")
    assert res.ephemeral and "Manage Server" in res.response.content
    res = await desk.admin.slash(desk.channel, "reminders leads", leads="7x")
    assert res.ephemeral and "30d 7d 1d 2h" in res.response.content
    assert len(desk.user_errors()) == 2
    settings = await desk.bot.reminders.settings(desk.guild.id)
    assert settings.reminder_leads == "7d 1d 2h"


async def test_preview_and_test_post(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "reminders test")
    assert res.ephemeral and "No reminder channel yet" in res.response.content
    assert len(desk.user_errors()) == 1
    await _setup(desk, leads="7d 1d")
    visit = await _add_visit(desk, "2025-10-15")
    res = await desk.reader.slash(desk.channel, "reminders preview", visit=str(visit.id))
    assert "in 7 days (planned)" in res.response.content
    assert "tomorrow (planned)" in res.response.content
    res = await desk.admin.slash(desk.channel, "reminders test")
    assert res.response.content == "Test message posted."
    assert _posts(desk)[-1].content.startswith("Attaché test")
    assert visit.status is VisitStatus.PLANNED and visit.date == FuzzyDate.day(2025, 10, 15)


async def test_postpone_posts_one_notice_and_stops_reminders(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    visit = await _add_visit(desk, "2025-09-20")
    await desk.editor.slash(desk.channel, "visit postpone", visit=str(visit.id))
    await desk.env.advance_time(30 * DAY)
    [notice] = _posts(desk)
    assert "postponed (was expected 20 September 2025); no new date yet" in notice.content
    assert {r.status for r in await _rows(desk, visit) if r.kind != "notice"} == {"superseded"}


async def test_a_restart_midway_sends_nothing_twice_and_loses_nothing(
    desk: Desk, tmp_path: Any, sim_clock: Any
) -> None:
    await _setup(desk, leads="7d 1d")
    visit = await _add_visit(desk, "2025-09-25")
    await desk.env.advance_time(6 * DAY + 60)  # 18 September 09:01: the 7-day one is out
    assert len(_posts(desk)) == 1
    old = desk.bot
    fresh = create_bot(old.settings, clock=sim_clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    assert fresh is not old and desk.env.bot is fresh
    await desk.env.advance_time(7 * DAY)  # past the 1-day reminder on 24 September
    posts = _posts(desk)
    assert [p.content.split("— ")[1] for p in posts] == ["in 7 days", "tomorrow"]
    rows = await fresh.reminders.preview(desk.guild.id, visit)
    assert [(r.lead, r.status) for r in rows] == [("7d", "sent"), ("1d", "sent")]
    await fresh.close()


async def test_a_write_its_reminders_missed_is_planned_at_the_next_start(
    desk: Desk, sim_clock: Any
) -> None:
    await _setup(desk, leads="1d")
    visit = await _add_visit(desk, "2025-09-25")
    old = desk.bot
    # The process dies between the write's commit and its re-plan: the reminders never hear.
    old.services.changes.unsubscribe(old.reminders)
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{visit.id}",
                                  date="20 September 2025")
    assert not res.ephemeral, res.response.content
    fresh = create_bot(old.settings, clock=sim_clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    await desk.env.advance_time(8 * DAY)  # past 19 September 09:00, short of 24 September
    [post] = _posts(desk)
    assert "tomorrow" in post.content
    rows = await fresh.reminders.preview(desk.guild.id, visit)
    assert {(r.computed_for, r.status) for r in rows if r.kind != "notice"} == {
        ("2025-09-25", "superseded"), ("2025-09-20", "sent")}
    await fresh.close()


async def test_a_deleted_channel_and_rate_limits(desk: Desk) -> None:
    await _setup(desk, leads="1d")
    visit = await _add_visit(desk, "2025-09-20")
    desk.env.inject_error("POST", f"/channels/{desk.channel.id}/messages", status=404,
                          code=10003, message="Unknown Channel", times=1)
    await desk.env.advance_time(7 * DAY + 60)
    [row] = await _rows(desk, visit)
    assert row.status == "failed" and "no longer exists" in row.last_error
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    desk.env.inject_error("POST", f"/channels/{desk.channel.id}/messages", status=429,
                          times=2)
    await desk.env.advance_time(3600)
    assert len(_posts(desk)) == 1
    assert [r.status for r in await _rows(desk, visit)] == ["sent"]
