"""REST routes for a guild's scheduled events, checked as Discord checks them.

External events only: a place, a start and an end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.sandbox.errors import HTTPError
from bot.sandbox.messages import FormError
from bot.sandbox.rest import Context, body_of, guild_of
from bot.sandbox.state import SandboxState
from bot.sandbox.world import MANAGE_EVENTS


class EventRoutes:
    """/guilds/{guild}/scheduled-events[/{event}]; events are kept in `state.events` by id."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def _event(self, ctx: Context) -> dict[str, Any]:
        world = guild_of(self.state, ctx)
        raw = ctx.params["event"]
        event = self.state.events.get(int(raw)) if raw.isdigit() else None
        if event is None or event["guild_id"] != str(world.guild_id):
            raise HTTPError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _check_event(self, event: dict[str, Any], *, creating: bool) -> None:
        problems: dict[str, str] = {}
        if not 1 <= len(event.get("name") or "") <= 100:
            problems["name"] = "must be 1 to 100 characters long"
        if len(event.get("description") or "") > 1000:
            problems["description"] = "at most 1000 characters"
        if event.get("entity_type") == 3:
            location = (event.get("entity_metadata") or {}).get("location") or ""
            if not 1 <= len(location) <= 100:
                problems["entity_metadata.location"] = "an external event needs a place (1-100)"
            if not event.get("scheduled_end_time"):
                problems["scheduled_end_time"] = "an external event needs an end time"
        try:
            start = datetime.fromisoformat(event["scheduled_start_time"])
            end = event.get("scheduled_end_time")
            if creating and start < self.state.clock():
                problems["scheduled_start_time"] = "Cannot schedule event in the past."
            if end and datetime.fromisoformat(end) <= start:
                problems["scheduled_end_time"] = "must be after the start time"
        except (KeyError, TypeError, ValueError):
            problems["scheduled_start_time"] = "an ISO 8601 time is required"
        if problems:
            raise FormError(problems)

    async def list_events(self, ctx: Context) -> tuple[int, Any]:
        return 200, self.state.guild_events(guild_of(self.state, ctx))

    async def get_event(self, ctx: Context) -> tuple[int, Any]:
        return 200, self._event(ctx)

    async def create_event(self, ctx: Context) -> tuple[int, Any]:
        state = self.state
        world = guild_of(state, ctx)
        if not world.permissions(world.bot_member) & MANAGE_EVENTS:
            raise HTTPError(403, 50013, "Missing Permissions")
        body = body_of(ctx)
        event_id = state.ids.next()
        event = {
            "id": str(event_id), "guild_id": str(world.guild_id), "channel_id": None,
            "creator_id": str(state.world.bot_user.id), "creator": state.world.bot_user.payload(),
            "name": body.get("name"), "description": body.get("description"),
            "scheduled_start_time": body.get("scheduled_start_time"),
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body.get("privacy_level", 2), "status": 1,
            "entity_type": body.get("entity_type"), "entity_id": None,
            "entity_metadata": body.get("entity_metadata"), "user_count": 0, "image": None,
            "recurrence_rule": None,
        }
        self._check_event(event, creating=True)
        state.events[event_id] = event
        state.notify()
        return 200, event

    async def edit_event(self, ctx: Context) -> tuple[int, Any]:
        event = self._event(ctx)
        body = body_of(ctx)
        changed = {**event, **{k: v for k, v in body.items() if k in (
            "name", "description", "scheduled_start_time", "scheduled_end_time", "status",
            "entity_type", "entity_metadata", "privacy_level", "channel_id")}}
        if changed["status"] != event["status"] and (event["status"] != 1 or changed["status"]
                                                     not in (2, 4)):
            raise FormError({"status": "only a scheduled event can start or be cancelled"})
        self._check_event(changed, creating=False)
        event.update(changed)
        self.state.notify()
        return 200, event

    async def delete_event(self, ctx: Context) -> tuple[int, Any]:
        event = self._event(ctx)
        del self.state.events[int(event["id"])]
        self.state.notify()
        return 204, None
