"""What commands read of a server's settings is kept in the process: this process's changes
are seen at once, another process's within the bound (CACHE_S), and a read that a write
overtook is never kept."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from bot.stores.database import Database
from bot.stores.settings import CACHE_S, GuildSettingsStore
from tests.conftest import GUILD, OTHER_GUILD


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_this_process_sees_its_own_change_at_once(db: Database) -> None:
    store = GuildSettingsStore(db, monotonic=Ticks())
    assert (await store.cached(GUILD)).timezone == "UTC"
    for zone in ("Asia/Karachi", "Europe/Paris", "UTC"):
        await store.save(replace(await store.get(GUILD), timezone=zone))
        assert (await store.cached(GUILD)).timezone == zone
    assert (await store.cached(GUILD)).setup_posted_at is None
    at = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
    assert await store.claim_setup(GUILD, at)
    assert (await store.cached(GUILD)).setup_posted_at == at
    await store.release_setup(GUILD, at)
    assert (await store.cached(GUILD)).setup_posted_at is None


async def test_another_process_change_is_seen_within_the_bound(db: Database) -> None:
    ticks = Ticks()
    bot = GuildSettingsStore(db, monotonic=ticks)  # the process serving the server
    other = GuildSettingsStore(db, monotonic=Ticks())  # another process, same database
    assert (await bot.cached(GUILD)).reminder_problem is None
    await other.save(replace(await other.get(GUILD), reminder_problem="Missing Access"))
    ticks.now += CACHE_S  # the bound: never older than this
    assert (await bot.cached(GUILD)).reminder_problem == "Missing Access"
    # A fresh read never waits for the bound.
    await other.save(replace(await other.get(GUILD), reminder_problem=None))
    assert (await bot.get(GUILD)).reminder_problem is None


async def test_a_read_overtaken_by_a_write_is_not_kept(db: Database) -> None:
    store = GuildSettingsStore(db, monotonic=Ticks())
    reading = asyncio.Event()
    going_on = asyncio.Event()
    real_get = store.get

    async def slow_get(guild_id: int) -> object:
        found = await real_get(guild_id)  # the old zone, read before the write
        reading.set()
        await going_on.wait()
        return found

    store.get = slow_get  # type: ignore[method-assign, assignment]
    stale = asyncio.create_task(store.cached(GUILD))
    await reading.wait()
    store.get = real_get  # type: ignore[method-assign]
    await store.save(replace(await store.get(GUILD), timezone="Asia/Tokyo"))
    going_on.set()
    assert (await stale).timezone == "UTC"  # what it read, handed to its caller only
    assert (await store.cached(GUILD)).timezone == "Asia/Tokyo"


async def test_a_callers_change_never_reaches_the_cache_or_another_server(
    db: Database,
) -> None:
    store = GuildSettingsStore(db, monotonic=Ticks())
    await store.save(replace(await store.get(GUILD), timezone="Asia/Almaty"))
    mine = await store.cached(GUILD)
    mine.timezone = "Pacific/Auckland"
    assert (await store.cached(GUILD)).timezone == "Asia/Almaty"
    assert (await store.cached(OTHER_GUILD)).timezone == "UTC"
    assert (await store.cached(OTHER_GUILD)).guild_id == OTHER_GUILD
