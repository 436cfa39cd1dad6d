"""simcord fixtures: the real bot, a real SQLite file, a server with an admin, an editor
and a reader, and the bot's clock tied to simcord's virtual time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.bot import AttacheBot, create_bot
from bot.config import Settings
from bot.domain.errors import UserError
from bot.services.interchange import import_data
from bot.ui.errors import user_error_of
from tests.conftest import GUILD, OTHER_GUILD


@dataclass
class Desk:
    """A server as the tests see it."""

    env: Any
    bot: AttacheBot
    guild: Any
    channel: Any
    admin: Any
    editor: Any
    reader: Any
    editor_role: Any

    def user_errors(self) -> list[UserError]:
        """Acknowledges the errors the bot met so far; each must be the user's mistake.

        simcord fails a test at teardown for any error left unread, so a test that expects a
        refusal reads it here, and an unexpected crash still fails the test.
        """
        found = []
        for error in self.env.errors:
            user_error = user_error_of(error)
            assert user_error is not None, f"unexpected error: {error!r}"
            found.append(user_error)
        return found

    async def load_sample(self, data: dict[str, Any]) -> None:
        await import_data(self.bot.services.changes, self.guild.id, data, actor_id=None)


# simcord's virtual time starts on 1 January 2026; the bot's clock runs with it but starts
# two days after the reference article's dateline, when the November visit is still ahead.
BOT_START = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
SIM_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class SimClock:
    """The bot's clock: simcord's virtual time (its discord.utils.utcnow), shifted to `start`."""

    start: datetime = BOT_START

    def __call__(self) -> datetime:
        return self.start + (discord.utils.utcnow() - SIM_EPOCH)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Conversations run on SQLite unless the module is marked `every_backend`.

    A behaviour test drives the bot through Discord; the store under it is reached through
    the same interface on either backend, and tests/store and tests/unit run every query on
    both. Running all of these twice doubled the suite's time for little: modules whose
    behaviour rests on what the backends do differently (search, planning and claiming
    reminders, imports) are marked and still run on both.
    """
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("every_backend") is not None:
        return
    if any("backend" in m.args[0] for m in metafunc.definition.iter_markers("parametrize")
           if m.args and isinstance(m.args[0], str)):
        return  # the test names its backend itself
    # As a marker, so the fixture's own parameters give way as they do to a written one.
    metafunc.definition.add_marker(pytest.mark.parametrize("backend", ["sqlite"], indirect=True))


@pytest.fixture
def sim_clock() -> SimClock:
    return SimClock()


@pytest.fixture
async def simcord_bot(
    tmp_path: Path, sim_clock: SimClock, database_target: str
) -> AsyncIterator[AttacheBot]:
    # Every behaviour test runs on each backend (see `database_target`).
    if database_target.startswith("postgresql://"):
        settings = Settings(token=None, database_url=database_target)
    else:
        settings = Settings(token=None, database_path=database_target)
    bot = create_bot(settings, clock=sim_clock)
    yield bot
    # simcord detaches the bot without closing it; closing releases the SQLite thread.
    await bot.close()


SETTLE_TIMEOUT_S = 30.0


@pytest.fixture
def env(simcord_env: Any) -> Any:
    # simcord's own fixture starts and stops the environment in the test's context.
    # Its settle timeout is real time for a whole advance: a 90-day advance is a few hundred
    # database round trips (a server's), which on a loaded two-core machine can take more
    # than simcord's default 5 s. The timeout catches hangs; it does not slow a passing test.
    simcord_env.settle_timeout = SETTLE_TIMEOUT_S
    return simcord_env


async def _server(env: Any, guild_id: int) -> Desk:
    bot = env.bot
    guild = env.create_guild(id=guild_id, name=f"Desk {guild_id}")
    channel = guild.create_text_channel("briefings")
    editor_role = guild.create_role("Desk editors")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user(f"admin{guild_id % 1000}"), roles=[admins])
    editor = guild.add_member(env.create_user(f"editor{guild_id % 1000}"), roles=[editor_role])
    reader = guild.add_member(env.create_user(f"reader{guild_id % 1000}"))
    settings = await bot.guild_settings.get(guild_id)
    settings.editor_role_id = editor_role.id
    await bot.guild_settings.save(settings)
    bot.tree.copy_global_to(guild=discord.Object(guild_id))
    await bot.tree.sync(guild=discord.Object(guild_id))
    return Desk(env, bot, guild, channel, admin, editor, reader, editor_role)


@pytest.fixture
async def desk(env: Any) -> Desk:
    return await _server(env, GUILD)


@pytest.fixture
async def other_desk(env: Any, desk: Desk) -> Desk:
    return await _server(env, OTHER_GUILD)


def form_field_id(shown: Any) -> str:
    """The custom_id of the one text field in the form a button opened."""
    assert shown.modal is not None, "no form was opened"
    [row] = shown.modal["components"]
    [text_field] = row["components"]
    return str(text_field["custom_id"])
