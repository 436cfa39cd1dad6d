"""Pointing the bot elsewhere: the two settings, their checks, and the one wire-up function."""

from __future__ import annotations

import discord.gateway
import discord.http
import pytest
import yarl

from bot.config import ConfigError, load_settings
from bot.wire import DISCORD_API, DISCORD_GATEWAY, point_discord_at


def settings(**values: str):  # type: ignore[no-untyped-def]
    return load_settings(values, env_file=None)


def test_unset_means_discord_and_both_are_shown_without_secrets() -> None:
    plain = settings(DISCORD_TOKEN="secret-token-value")
    assert plain.discord_api_base is None and plain.discord_gateway_url is None
    local = settings(DISCORD_TOKEN="secret-token-value", DISCORD_API_BASE="http://127.0.0.1:8080/",
                     DISCORD_GATEWAY_URL="ws://127.0.0.1:8080/gateway")
    assert local.discord_api_base == "http://127.0.0.1:8080"
    assert "discord_api_base='http://127.0.0.1:8080'" in repr(local)
    assert "ws://127.0.0.1:8080/gateway" in repr(local)
    assert "secret-token-value" not in repr(local)


@pytest.mark.parametrize(("values", "says"), [
    ({"DISCORD_API_BASE": "http://127.0.0.1:1"}, "both"),
    ({"DISCORD_GATEWAY_URL": "ws://127.0.0.1:1"}, "both"),
    ({"DISCORD_API_BASE": "ftp://x", "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1"}, "address"),
    ({"DISCORD_API_BASE": "http://127.0.0.1:1", "DISCORD_GATEWAY_URL": "http://127.0.0.1:1"},
     "DISCORD_GATEWAY_URL"),
    ({"DISCORD_API_BASE": "http://fake.example:1", "DISCORD_GATEWAY_URL": "wss://x.example"},
     "unencrypted"),
    ({"DISCORD_API_BASE": "https://x.example", "DISCORD_GATEWAY_URL": "ws://x.example"},
     "unencrypted"),
    ({"DISCORD_API_BASE": "https://user:pw@x.example", "DISCORD_GATEWAY_URL": "wss://x.example"},
     "password"),
    ({"DISCORD_API_BASE": "https://x.example/api/v10", "DISCORD_GATEWAY_URL": "wss://x.example"},
     "without /api/v10"),
    ({"DISCORD_API_BASE": "http://127.0.0.1:99999", "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1"},
     "address"),
])
def test_bad_addresses_are_refused_with_the_reason(values: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says) as refused:
        settings(**values)
    assert "pw" not in str(refused.value)


def test_point_discord_at_sets_both_addresses_and_unset_means_discord(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # monkeypatch restores the class attributes for the rest of the test run.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    local = point_discord_at("http://127.0.0.1:8080", "ws://127.0.0.1:8080/gateway")
    assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:8080/api/v10/users/@me"
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == yarl.URL(
        "ws://127.0.0.1:8080/gateway")
    assert not local.is_discord
    real = point_discord_at(None, None)
    assert real.is_discord and discord.http.Route.BASE == DISCORD_API
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == DISCORD_GATEWAY
