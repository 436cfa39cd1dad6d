"""What follows a change, whatever the way in: imports, settings and edits all replan
reminders and sync Discord events, and one server's records never reach another's rows."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.records import RecordType, Visit
from bot.stores.settings import VisitEventStore
from tests.behaviour.conftest import Desk

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently


def _file(data: dict[str, Any]) -> tuple[str, bytes]:
    return ("desk.json", json.dumps(data).encode("utf-8"))


def _with_day(sample: dict[str, Any]) -> dict[str, Any]:
    """The sample, its expected visit given a day so it can be a Discord event."""
    data = copy.deepcopy(sample)
    for visit in data["visits"]:
        if visit["status"] == "planned":
            visit["date"] = {"value": "2025-11-24", "precision": "day"}
    return data


async def _planned(desk: Desk, number: int) -> dict[str, datetime]:
    rows = await desk.bot.services.deliveries.for_visit(desk.guild.id, number)
    return {r.lead: r.due for r in rows if r.status == "planned"}


async def _open_visit(desk: Desk) -> Visit:
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    [visit] = [v for v in visits if isinstance(v, Visit) and v.status.is_open]
    return visit


async def test_an_import_plans_reminders_and_creates_events(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.admin.slash(desk.channel, "settings events", switch="on")
    res = await desk.editor.slash(desk.channel, "import", file=_file(_with_day(sample_data)))
    assert "Imported" in res.response.content, res.response.content
    visit = await _open_visit(desk)
    assert visit.id is not None and await _planned(desk, visit.id)
    guild = desk.bot.get_guild(desk.guild.id)
    assert [e.start_time.isoformat() for e in guild.scheduled_events] == [
        "2025-11-24T09:00:00+00:00"]


async def test_a_new_time_zone_moves_reminders_and_events(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.admin.slash(desk.channel, "settings events", switch="on")
    await desk.editor.slash(desk.channel, "import", file=_file(_with_day(sample_data)))
    visit = await _open_visit(desk)
    assert visit.id is not None
    assert (await _planned(desk, visit.id))["1d"] == datetime(2025, 11, 23, 9, tzinfo=UTC)
    res = await desk.admin.slash(desk.channel, "settings timezone", zone="Asia/Karachi")
    assert "Asia/Karachi" in res.response.content
    # 09:00 in Karachi is 04:00 UTC: the planned reminder moved, and so did the event.
    assert (await _planned(desk, visit.id))["1d"] == datetime(2025, 11, 23, 4, tzinfo=UTC)
    [event] = desk.bot.get_guild(desk.guild.id).scheduled_events
    assert event.start_time == datetime(2025, 11, 24, 4, tzinfo=UTC)


async def test_two_servers_with_the_same_numbers_keep_their_own_events(
    desk: Desk, other_desk: Desk
) -> None:
    for server in (desk, other_desk):
        await server.admin.slash(server.channel, "settings events", switch="on")
        res = await server.editor.slash(server.channel, "visit add", from_country="Kazakhstan",
                                        to_country="Pakistan", date="2025-11-24",
                                        visitor_role="President")
        assert "#1" in res.response.content, res.response.content
    [mine] = desk.bot.get_guild(desk.guild.id).scheduled_events
    [theirs] = desk.bot.get_guild(other_desk.guild.id).scheduled_events
    links = VisitEventStore(desk.bot.db)
    # Each server's visit #1 is mirrored by its own event, never the other server's.
    assert await links.get(desk.guild.id, 1) == mine.id
    assert await links.get(other_desk.guild.id, 1) == theirs.id != mine.id
    await other_desk.admin.slash(other_desk.channel, "settings events", switch="off")
    assert await links.get(desk.guild.id, 1) == mine.id
    assert [e.id for e in desk.bot.get_guild(desk.guild.id).scheduled_events] == [mine.id]
