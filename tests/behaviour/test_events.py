"""/settings events: visits mirrored in the server's Events, kept in step, refusals once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import discord

from bot.domain.records import RecordType, Visit
from bot.stores.settings import GuildSettingsStore
from tests.behaviour.conftest import Desk


def _event_calls(desk: Desk) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in desk.env.http_requests if "scheduled-events" in r.path]


async def _visit(desk: Desk, date: str) -> Visit:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date=date, visitor_role="President",
                                  place="Islamabad")
    assert not res.ephemeral, res.response.content
    [visit] = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    assert isinstance(visit, Visit)
    return visit


async def test_events_follow_a_visit_through_edit_and_cancel(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "settings events", switch="on")
    assert "appear in this server's Events (0 so far)" in res.response.content
    visit = await _visit(desk, "2025-11-24")
    guild = desk.bot.get_guild(desk.guild.id)
    [event] = guild.scheduled_events
    assert event.name == "President: Kazakhstan → Pakistan" and event.location == "Islamabad"
    assert event.start_time.isoformat() == "2025-11-24T09:00:00+00:00"
    await desk.editor.slash(desk.channel, "visit edit", visit=str(visit.id), date="2025-11-26")
    [event] = guild.scheduled_events
    assert event.start_time.day == 26
    await desk.editor.slash(desk.channel, "visit cancel", visit=str(visit.id))
    assert [m for m, _ in _event_calls(desk)] == ["POST", "PATCH", "PATCH"]
    assert guild.scheduled_events[0].status is discord.EventStatus.cancelled


async def test_month_precision_gets_no_event_until_a_day_is_set(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.admin.slash(desk.channel, "settings events", switch="on")
    visit = await _visit(desk, "November 2025")
    assert _event_calls(desk) == []
    await desk.editor.slash(desk.channel, "visit edit", visit=str(visit.id), date="24 Nov 2025")
    assert [m for m, _ in _event_calls(desk)] == ["POST"]
    await desk.editor.slash(desk.channel, "visit postpone", visit=str(visit.id))
    assert [m for m, _ in _event_calls(desk)] == ["POST", "DELETE"]
    res = await desk.admin.slash(desk.channel, "settings events", switch="off")
    assert "0 event(s) created by Attaché were removed" in res.response.content


async def test_a_refusal_is_recorded_once_and_not_retried(desk: Desk) -> None:
    await desk.admin.slash(desk.channel, "settings events", switch="on")
    desk.env.inject_error("POST", f"/guilds/{desk.guild.id}/scheduled-events", status=403,
                          code=50013, message="Missing Permissions", times=None)
    await _visit(desk, "2025-11-24")
    settings = await desk.bot.desk.settings(desk.guild.id)
    assert settings.events_problem and "Manage Events" in settings.events_problem
    await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                            to_country="Pakistan", date="2025-12-01", visitor_role="Envoy")
    assert len(_event_calls(desk)) == 1  # the second visit did not try again
    shown = await desk.reader.slash(desk.channel, "settings show")
    fields = {f.name: f.value for f in shown.response.embeds[0].fields}
    assert fields["Visits in Events"].startswith("stopped: Discord refused")
    res = await desk.reader.slash(desk.channel, "settings events", switch="on")
    assert res.ephemeral and "Manage Server" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_a_refusal_keeps_what_another_process_wrote_to_the_settings(desk: Desk) -> None:
    # Commands read a kept copy of the settings; the refusal must be written over a fresh
    # read, or it would put back what another process (a shard) changed since that copy.
    await desk.admin.slash(desk.channel, "settings events", switch="on")
    await desk.bot.desk.settings(desk.guild.id)  # the copy commands now keep
    other = GuildSettingsStore(desk.bot.db)
    seen = await other.get(desk.guild.id)
    await other.save(replace(seen, reminder_problem="channel gone (from another shard)"))
    desk.env.inject_error("POST", f"/guilds/{desk.guild.id}/scheduled-events", status=403,
                          code=50013, message="Missing Permissions", times=None)
    await _visit(desk, "2025-11-24")
    stored = await other.get(desk.guild.id)
    assert stored.events_problem and "Manage Events" in stored.events_problem
    assert stored.reminder_problem == "channel gone (from another shard)"
