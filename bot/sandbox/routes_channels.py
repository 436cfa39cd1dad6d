"""REST routes for channels and their messages, with Discord's nonce de-duplication.

What the bot may do in a channel follows its permissions there.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.sandbox.errors import HTTPError
from bot.sandbox.exchange import Event
from bot.sandbox.message_store import MessageStore
from bot.sandbox.messages import EPHEMERAL, check_message
from bot.sandbox.rest import Context, body_of
from bot.sandbox.state import SandboxState
from bot.sandbox.world import SEND_MESSAGES, VIEW_CHANNEL, Channel

NONCE_WINDOW = 5 * 60.0


class ChannelRoutes:
    """/channels/{channel}[/messages[/{message}]|/typing]."""

    def __init__(self, state: SandboxState, store: MessageStore) -> None:
        self.state = state
        self.store = store
        # (author, nonce) -> (when, message id), for sends with enforce_nonce.
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}

    def _channel(self, ctx: Context) -> Channel:
        raw = ctx.params["channel"]
        channel = self.state.find_channel(int(raw)) if raw.isdigit() else None
        if channel is None:
            raise HTTPError(404, 10003, "Unknown Channel")
        return channel

    def _require(self, channel: Channel, needed: int) -> None:
        world = self.state.home(channel)
        granted = world.permissions(world.bot_member, channel)
        if not granted & VIEW_CHANNEL:
            raise HTTPError(403, 50001, "Missing Access")
        if granted & needed != needed:
            raise HTTPError(403, 50013, "Missing Permissions")

    def _channel_message(self, ctx: Context, channel: Channel) -> dict[str, Any]:
        raw = ctx.params["message"]
        message = self.state.messages.get(int(raw)) if raw.isdigit() else None
        if message is None or message["channel_id"] != str(channel.id):
            raise HTTPError(404, 10008, "Unknown Message")
        return message

    async def get_channel(self, ctx: Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, VIEW_CHANNEL)
        return 200, channel.payload(self.state.home(channel).guild_id)

    async def list_messages(self, ctx: Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, VIEW_CHANNEL)
        limit = min(int(ctx.query.get("limit", "50")), 100)
        visible = [m for m in self.state.messages.values()
                   if m["channel_id"] == str(channel.id)
                   and not int(m.get("flags") or 0) & EPHEMERAL]
        visible.sort(key=lambda m: int(m["id"]), reverse=True)
        return 200, visible[:limit]

    async def post_message(self, ctx: Context) -> tuple[int, Any]:
        state = self.state
        channel = self._channel(ctx)
        self._require(channel, SEND_MESSAGES)
        body = body_of(ctx)
        check_message(body, files=len(ctx.files))
        nonce = body.get("nonce")
        now = asyncio.get_running_loop().time()
        key = (state.world.bot_user.id, str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(key)
            if seen and now - seen[0] < NONCE_WINDOW and seen[1] in state.messages:
                # Discord returns the message already made with this nonce, not a new one.
                return 200, state.messages[seen[1]]
        message = self.store.create(channel, body, files=ctx.files)
        if nonce is not None:
            self._nonces[key] = (now, int(message["id"]))
        state.channel_posts[channel.id].append(int(message["id"]))
        state.emit(Event("post", message, None, channel.id))
        return 200, message

    async def get_message(self, ctx: Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        self._require(channel, VIEW_CHANNEL)
        return 200, self._channel_message(ctx, channel)

    async def edit_message(self, ctx: Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        message = self._channel_message(ctx, channel)
        if message["author"]["id"] != str(self.state.world.bot_user.id):
            raise HTTPError(403, 50005, "Cannot edit a message authored by another user")
        body = body_of(ctx)
        check_message(body, files=len(ctx.files), editing=True)
        edited = self.store.edit(int(message["id"]), body, ctx.files)
        self.state.emit(Event("update", edited, None, channel.id))
        return 200, edited

    async def delete_message(self, ctx: Context) -> tuple[int, Any]:
        channel = self._channel(ctx)
        message = self._channel_message(ctx, channel)
        del self.state.messages[int(message["id"])]
        self.state.emit(Event("delete", message, None, channel.id))
        return 204, None

    async def typing(self, ctx: Context) -> tuple[int, Any]:
        self._require(self._channel(ctx), SEND_MESSAGES)
        return 204, None
