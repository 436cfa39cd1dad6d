"""Where discord.py connects: Discord itself, or a Discord-compatible server the settings name."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord.gateway
import discord.http
import yarl

log = logging.getLogger(__name__)

API_VERSION = 10
DISCORD_API = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


@dataclass(frozen=True)
class Endpoints:
    """The REST root (with /api/v10) and the gateway address the bot will use."""

    api: str
    gateway: str

    @property
    def is_discord(self) -> bool:
        return self.api == DISCORD_API and self.gateway == DISCORD_GATEWAY


def point_discord_at(api_base: str | None, gateway_url: str | None) -> Endpoints:
    """Sets discord.py's two class-level addresses; unset values mean Discord itself.

    discord.py reads both at the moment it connects, so this runs once at start-up, before
    the client logs in. A non-sharded client never asks /gateway/bot: it opens
    DEFAULT_GATEWAY, then follows the `resume_gateway_url` that READY hands it.
    """
    api = f"{api_base.rstrip('/')}/api/v{API_VERSION}" if api_base else DISCORD_API
    gateway = gateway_url or DISCORD_GATEWAY
    discord.http.Route.BASE = api
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    endpoints = Endpoints(api=api, gateway=gateway)
    if endpoints.is_discord:
        log.info("connecting to Discord (%s, gateway %s)", api, gateway)
    else:
        log.info("connecting to a Discord-compatible server at %s (gateway %s)", api, gateway)
    return endpoints


def current() -> Endpoints:
    """The addresses discord.py would use now."""
    return Endpoints(
        api=discord.http.Route.BASE, gateway=str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    )
