"""REST routes for login and the application: bot user, application, gateway, commands."""

from __future__ import annotations

import contextlib
from typing import Any

from bot.sandbox.errors import HTTPError
from bot.sandbox.messages import FormError
from bot.sandbox.rest import Context
from bot.sandbox.state import SandboxState


class ApplicationRoutes:
    """/users, /applications and /gateway; commands are kept in `state.commands` by guild."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # Login and the application.

    async def get_me(self, ctx: Context) -> tuple[int, Any]:
        data = self.state.world.bot_user.payload()
        data.update(verified=True, mfa_enabled=False, email=None, locale="en-US",
                    premium_type=0)
        return 200, data

    async def get_user(self, ctx: Context) -> tuple[int, Any]:
        for world in self.state.worlds:
            with contextlib.suppress(KeyError, ValueError):
                return 200, world.member(int(ctx.params["user"])).user.payload()
        raise HTTPError(404, 10013, "Unknown User")

    async def get_application(self, ctx: Context) -> tuple[int, Any]:
        world = self.state.world
        owner = world.member(world.owner_id).user.payload()
        return 200, {
            "id": str(world.application_id), "name": world.bot_user.name, "icon": None,
            "description": "", "summary": "", "type": None, "cover_image": None,
            "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "flags": 0, "owner": owner, "team": None, "bot": world.bot_user.payload(),
            "rpc_origins": [], "terms_of_service_url": None, "privacy_policy_url": None,
            "interactions_endpoint_url": None, "redirect_uris": [], "tags": [],
            "install_params": None, "custom_install_url": None,
            "approximate_guild_count": len(self.state.worlds),
            "guild_id": None,
            "integration_types_config": {"0": {}},
        }

    async def get_gateway(self, ctx: Context) -> tuple[int, Any]:
        # Unauthenticated GET /gateway says only where; /gateway/bot adds how many shards.
        state = self.state
        if ctx.request.path.endswith("/gateway"):
            return 200, {"url": state.gateway_url}
        return 200, {"url": state.gateway_url, "shards": state.recommended_shards,
                     "session_start_limit": {"total": 1000, "remaining": 1000,
                                             "reset_after": 0,
                                             "max_concurrency": state.max_concurrency}}

    # Application commands.

    def _check_app(self, ctx: Context) -> int | None:
        if int(ctx.params["app"]) != self.state.world.application_id:
            raise HTTPError(403, 50001, "Missing Access")
        guild = ctx.params.get("guild")
        if guild is not None and self.state.find_guild(guild) is None:
            raise HTTPError(403, 50001, "Missing Access")
        return int(guild) if guild else None

    async def get_commands(self, ctx: Context) -> tuple[int, Any]:
        return 200, self.state.commands.get(self._check_app(ctx), [])

    async def put_commands(self, ctx: Context) -> tuple[int, Any]:
        guild = self._check_app(ctx)
        if not isinstance(ctx.json, list):
            raise FormError({"_": "a list of commands is expected"})
        if len(ctx.json) > 100:
            raise FormError({"_": "at most 100 commands"})
        previous = {c["name"]: c for c in self.state.commands.get(guild, [])}
        stored = []
        for command in ctx.json:
            if not isinstance(command, dict) or not command.get("name"):
                raise FormError({"name": "every command needs a name"})
            kept = previous.get(command["name"])
            saved = {
                "type": 1, "description": "", "options": [], "nsfw": False,
                "default_member_permissions": None, **command,
                "id": kept["id"] if kept else str(self.state.ids.next()),
                "application_id": str(self.state.world.application_id),
                "version": str(self.state.ids.next()),
            }
            if guild is not None:
                saved["guild_id"] = str(guild)
            stored.append(saved)
        self.state.commands[guild] = stored
        return 200, stored

    async def command_permissions(self, ctx: Context) -> tuple[int, Any]:
        self._check_app(ctx)
        return 200, []
