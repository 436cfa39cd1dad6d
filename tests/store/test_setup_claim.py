"""guild_settings.setup_posted_at: claimed once however many ask at once, given back only by
the claim that took it, and never touched by a settings save."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

from bot.stores.database import Database
from bot.stores.settings import GuildSettingsStore

AT = datetime(2025, 9, 12, 9, 0, 0, 123456, tzinfo=UTC)
GUILD = 41


async def test_one_claim_wins_among_many_at_once(db: Database) -> None:
    store = GuildSettingsStore(db, "Asia/Karachi")
    won = await asyncio.gather(*(store.claim_setup(GUILD, AT + timedelta(seconds=n))
                                 for n in range(5)))
    assert sorted(won) == [False] * 4 + [True]
    settings = await store.get(GUILD)
    assert settings.setup_posted_at in {AT + timedelta(seconds=n) for n in range(5)}
    # The row the claim made keeps the bot's default zone, as a server without one reads.
    assert settings.timezone == "Asia/Karachi"


async def test_a_claim_is_read_back_as_the_same_utc_instant(db: Database) -> None:
    store = GuildSettingsStore(db)
    karachi = AT.astimezone(timezone(timedelta(hours=5)))
    assert await store.claim_setup(GUILD, karachi)
    posted = (await store.get(GUILD)).setup_posted_at
    assert posted == AT and posted is not None and posted.utcoffset() == timedelta(0)


async def test_only_the_claim_that_took_it_gives_it_back(db: Database) -> None:
    store = GuildSettingsStore(db)
    assert await store.claim_setup(GUILD, AT)
    await store.release_setup(GUILD, AT + timedelta(seconds=1))  # someone else's instant
    assert (await store.get(GUILD)).setup_posted_at == AT
    await store.release_setup(GUILD, AT)
    assert (await store.get(GUILD)).setup_posted_at is None
    assert await store.claim_setup(GUILD, AT + timedelta(hours=1))


async def test_a_save_neither_clears_nor_sets_it(db: Database) -> None:
    store = GuildSettingsStore(db)
    stale = await store.get(GUILD)  # read before the checklist went out
    assert stale.setup_posted_at is None
    assert await store.claim_setup(GUILD, AT)
    stale.day_first = False
    await store.save(stale)
    saved = await store.get(GUILD)
    assert (saved.day_first, saved.setup_posted_at) == (False, AT)
    # Nor does a save carrying an instant of its own mark another server as greeted.
    other = await store.get(GUILD + 1)
    other.setup_posted_at = AT
    await store.save(other)
    assert (await store.get(GUILD + 1)).setup_posted_at is None


async def test_many_servers_are_read_at_once_with_defaults_for_the_unknown(
    db: Database,
) -> None:
    store = GuildSettingsStore(db, "Asia/Karachi")
    assert await store.claim_setup(GUILD, AT)
    ids = [GUILD, *range(1000, 2200)]  # past one query's 500 ids
    settings = await store.get_many(ids)
    assert list(settings) == ids
    assert settings[GUILD].setup_posted_at == AT
    assert {s.timezone for g, s in settings.items() if g != GUILD} == {"Asia/Karachi"}
    assert all(s.setup_posted_at is None for g, s in settings.items() if g != GUILD)
