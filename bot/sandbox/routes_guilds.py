"""REST routes for reading a guild: the guild itself, its channels, roles and members."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import HTTPError
from bot.sandbox.rest import Context, guild_of
from bot.sandbox.state import SandboxState


class GuildRoutes:
    """/guilds/{guild}[/channels|/roles|/members/{user}]."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def get_guild(self, ctx: Context) -> tuple[int, Any]:
        data = guild_of(self.state, ctx).guild_payload(0)
        for key in ("members", "channels", "threads", "presences", "voice_states"):
            data.pop(key, None)
        return 200, data

    async def get_guild_channels(self, ctx: Context) -> tuple[int, Any]:
        world = guild_of(self.state, ctx)
        return 200, [c.payload(world.guild_id) for c in world.channels]

    async def get_roles(self, ctx: Context) -> tuple[int, Any]:
        return 200, [r.payload() for r in guild_of(self.state, ctx).roles]

    async def get_member(self, ctx: Context) -> tuple[int, Any]:
        world = guild_of(self.state, ctx)
        try:
            return 200, world.member(int(ctx.params["user"])).payload()
        except (KeyError, ValueError):
            raise HTTPError(404, 10007, "Unknown Member") from None
