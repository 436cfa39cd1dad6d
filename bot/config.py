"""Settings from the environment and `.env`, read in this one place."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.domain.fuzzydate import zone_info

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing or malformed; the text says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    database_path: str = "data/attache.db"
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    default_timezone: str = "UTC"

    def __repr__(self) -> str:
        # The token must never reach a log line or a traceback through a repr.
        shown = "set" if self.token else "unset"
        return (
            f"Settings(token=<{shown}>, database_path={self.database_path!r}, "
            f"dev_guild_id={self.dev_guild_id!r}, log_level={self.log_level!r}, "
            f"default_timezone={self.default_timezone!r})"
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
    return Settings(
        token=get("DISCORD_TOKEN"),
        database_path=get("DATABASE_PATH") or "data/attache.db",
        dev_guild_id=int(dev_guild) if dev_guild else None,
        log_level=level,
        default_timezone=zone,
    )
