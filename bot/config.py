"""Settings from the environment and `.env`, read in this one place."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.domain.fuzzydate import zone_info

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# A lease must outlast posting one batch (Discord's rate limits included) and should not
# keep a dead process's reminders waiting for long.
MIN_LEASE_S, MAX_LEASE_S = 5, 3600


class ConfigError(Exception):
    """A setting is missing or malformed; the text says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    database_path: str = "data/attache.db"
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    default_timezone: str = "UTC"
    # Unset: Discord itself. Set (both): a Discord-compatible server, e.g. the sandbox.
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    # Set: PostgreSQL at this postgresql:// URL instead of the SQLite file.
    database_url: str | None = None
    # Discord shards: how many the bot runs as in all, and which this process serves.
    shard_count: int = 1
    shard_ids: tuple[int, ...] = (0,)
    # How long another process waits before it takes over a reminder claimed by one that
    # stopped answering (died or hung) before recording it as sent.
    claim_lease_s: int = 120

    @property
    def database_target(self) -> str:
        """What Database.open is given: the PostgreSQL URL when set, else the file."""
        return self.database_url or self.database_path

    @property
    def database_shown(self) -> str:
        """The database as messages and logs may name it: never a password."""
        if self.database_url is None:
            return self.database_path
        return without_password(self.database_url)

    @property
    def secrets(self) -> list[str]:
        """What logs must never show: the token, and the database password if any."""
        found = [self.token or ""]
        if self.database_url:
            try:
                found.append(urlsplit(self.database_url).password or "")
            except ValueError:
                pass
        return [secret for secret in found if secret]

    def __repr__(self) -> str:
        # The token must never reach a log line or a traceback through a repr.
        shown = "set" if self.token else "unset"
        return (
            f"Settings(token=<{shown}>, database_path={self.database_path!r}, "
            f"database_url={without_password(self.database_url or '') or None!r}, "
            f"dev_guild_id={self.dev_guild_id!r}, log_level={self.log_level!r}, "
            f"default_timezone={self.default_timezone!r}, "
            f"shard_count={self.shard_count!r}, shard_ids={self.shard_ids!r}, "
            f"discord_api_base={self.discord_api_base!r}, "
            f"discord_gateway_url={self.discord_gateway_url!r})"
        )

    __str__ = __repr__

    @property
    def log_level_number(self) -> int:
        return int(getattr(logging, self.log_level))


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> Settings:
    """Environment variables win over `.env`; `.env` wins over the defaults."""
    values: dict[str, str | None] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update(dotenv_values(env_file))
    # An empty variable in the environment does not hide a value written in `.env`.
    values.update({k: v for k, v in (os.environ if environ is None else environ).items() if v})

    def get(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    dev_guild = get("DEV_GUILD_ID")
    if dev_guild is not None and not dev_guild.isdigit():
        raise ConfigError(f"DEV_GUILD_ID must be a server id (digits only), not {dev_guild!r}.")
    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}.")
    zone = get("DEFAULT_TIMEZONE") or "UTC"
    try:
        zone_info(zone)
    except ValueError as exc:
        raise ConfigError(f"DEFAULT_TIMEZONE: {exc}.") from None
    api_base = _address("DISCORD_API_BASE", get("DISCORD_API_BASE"), ("https", "http"))
    gateway = _address("DISCORD_GATEWAY_URL", get("DISCORD_GATEWAY_URL"), ("wss", "ws"))
    if (api_base is None) != (gateway is None):
        raise ConfigError(
            "Set both DISCORD_API_BASE and DISCORD_GATEWAY_URL (to use another server than "
            "Discord), or neither (to use Discord)."
        )
    database_url = get("DATABASE_URL")
    if database_url is not None:
        parts = urlsplit(database_url)
        # A host, or a socket folder given as ?host=…
        has_host = bool(parts.hostname) or "host=" in parts.query
        if parts.scheme not in ("postgresql", "postgres") or not has_host:
            raise ConfigError(
                "DATABASE_URL must be a PostgreSQL address such as "
                "postgresql://attache@127.0.0.1:5432/attache (leave it unset for the SQLite "
                f"file at DATABASE_PATH), not {without_password(database_url)!r}.")
    shard_count, shard_ids = _shards(get("SHARD_COUNT"), get("SHARD_IDS"))
    lease = get("CLAIM_LEASE_SECONDS") or "120"
    if not lease.isdigit() or not MIN_LEASE_S <= int(lease) <= MAX_LEASE_S:
        raise ConfigError(f"CLAIM_LEASE_SECONDS must be a whole number of seconds from "
                          f"{MIN_LEASE_S} to {MAX_LEASE_S}, not {lease!r}.")
    if len(shard_ids) < shard_count and database_url is None:
        raise ConfigError(
            f"SHARD_IDS={','.join(map(str, shard_ids))} of SHARD_COUNT={shard_count} means "
            "other processes serve the other shards, and processes cannot share one SQLite "
            "file: set DATABASE_URL to a PostgreSQL database (or serve every shard here).")
    return Settings(
        token=get("DISCORD_TOKEN"),
        database_url=database_url,
        shard_count=shard_count,
        shard_ids=shard_ids,
        claim_lease_s=int(lease),
        database_path=get("DATABASE_PATH") or "data/attache.db",
        dev_guild_id=int(dev_guild) if dev_guild else None,
        log_level=level,
        default_timezone=zone,
        discord_api_base=api_base,
        discord_gateway_url=gateway,
    )


LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _shards(count_text: str | None, ids_text: str | None) -> tuple[int, tuple[int, ...]]:
    """SHARD_COUNT (default 1) and SHARD_IDS (default: every shard), e.g. 4 and "0,1"."""
    if count_text is None:
        if ids_text is not None:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT (how many shards there are in all).")
        return 1, (0,)
    if not count_text.isdigit() or int(count_text) < 1:
        raise ConfigError(f"SHARD_COUNT must be a whole number from 1, not {count_text!r}.")
    count = int(count_text)
    if ids_text is None:
        return count, tuple(range(count))
    parts = [part.strip() for part in ids_text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise ConfigError(f"SHARD_IDS must be shard numbers separated by commas, such as "
                          f"0,1, not {ids_text!r}.")
    ids = tuple(sorted({int(part) for part in parts}))
    if ids[-1] >= count:
        raise ConfigError(f"SHARD_IDS names shard {ids[-1]}, but with SHARD_COUNT={count} the "
                          f"shards are 0 to {count - 1}.")
    return count, ids


def without_password(url: str) -> str:
    """A database URL as it may be shown: the password, if any, replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unreadable address>"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{netloc}").geturl()


def _address(name: str, value: str | None, schemes: tuple[str, str]) -> str | None:
    """A server address for the bot: secure scheme, or the plain one for this machine only.

    The bot sends its token to this address, so a plain-text scheme is refused for any host
    but this machine, and an address carrying a password or query is refused outright (it
    would also show in logs and in the settings' repr).
    """
    if value is None:
        return None
    secure, plain = schemes
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port
    except ValueError:
        parts, host = None, None
    if parts is not None and (parts.username or parts.password or parts.query or parts.fragment):
        raise ConfigError(f"{name} must not carry a user name, password, query or fragment.")
    if parts is None or parts.scheme not in schemes or not host:
        raise ConfigError(
            f"{name} must be an address such as {secure}://discord.example.org or "
            f"{plain}://127.0.0.1:8080, not {value!r}."
        )
    if parts.scheme == plain and not (host in LOOPBACK or host.startswith("127.")):
        raise ConfigError(
            f"{name} uses {plain}:// to another machine ({host}); the bot token would travel "
            f"unencrypted. Use {secure}://, or {plain}:// only for this machine (127.0.0.1)."
        )
    if name == "DISCORD_API_BASE":
        path = parts.path.rstrip("/")
        if path.endswith("/api") or "/api/v" in path:
            raise ConfigError(
                f"{name} is the server's address without /api/v10 (the bot adds it), "
                f"e.g. {value.split('/api')[0]!r}."
            )
        return value.rstrip("/")
    return value
