"""Claims of due sends when several processes share one database: each claims only its
shards' servers, two claimers never take the same row, and a dead claimer's rows are taken
over once its lease lapses, while a restarted one takes its own back at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.stores.database import Database
from bot.stores.deliveries import LEASE, PLANS_CHANGED, DeliveryStore, NewDelivery
from bot.stores.scope import Scope
from tests.conftest import FixedClock

NOW = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
SHARDS = 2


def _guild_on(shard: int, n: int) -> int:
    """A server id that Discord assigns to `shard` of SHARDS (its id's timestamp bits)."""
    return ((1_000_000 + n * SHARDS + shard) << 22) | 7


async def _server(db: Database, guild_id: int, visits: int) -> None:
    """A server posting reminders with `visits` visits, each with one send due now."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO guild_settings (guild_id, reminder_channel_id) VALUES (?, ?)",
            (guild_id, 99))
    store = DeliveryStore(db, FixedClock(NOW))
    for visit in range(1, visits + 1):
        send = NewDelivery("lead", "1d", "2025-11-21", NOW - timedelta(minutes=1), "due")
        await store.plan(guild_id, visit, [send], {send.key})


async def test_each_shard_claims_only_its_own_servers(db: Database) -> None:
    servers = {shard: [_guild_on(shard, n) for n in range(3)] for shard in range(SHARDS)}
    for guilds in servers.values():
        for guild_id in guilds:
            await _server(db, guild_id, visits=2)
    for shard, guilds in servers.items():
        scope = Scope((shard,), SHARDS)
        assert all(scope.owns(g) for g in guilds)
        store = DeliveryStore(db, FixedClock(NOW), scope)
        claimed = await store.claim_due(NOW)
        assert {row.guild_id for row in claimed} == set(guilds)
        assert len(claimed) == 2 * len(guilds)
    # Everything was claimed exactly once between the two.
    assert await DeliveryStore(db, FixedClock(NOW)).claim_due(NOW) == []


async def test_two_processes_claiming_at_once_never_take_the_same_send(
    db: Database, database_target: str
) -> None:
    guilds = [_guild_on(0, n) for n in range(4)]
    for guild_id in guilds:
        await _server(db, guild_id, visits=25)
    # A second connection set, as a second process would have.
    other = await Database.open(database_target)
    try:
        first = DeliveryStore(db, FixedClock(NOW))
        second = DeliveryStore(other, FixedClock(NOW))
        for _ in range(3):
            a, b = await asyncio.gather(first.claim_due(NOW), second.claim_due(NOW))
            assert not {r.id for r in a} & {r.id for r in b}
        for guild_id in guilds:
            # Every send claimed, and each by one claimer only (the assertion above).
            assert len(await first.for_guild(guild_id, ["claimed"], limit=1000)) == 25
            assert await first.for_guild(guild_id, ["planned"], limit=1000) == []
    finally:
        await other.close()


async def test_a_dead_claimers_sends_are_taken_over_after_the_lease(db: Database) -> None:
    guild_id = _guild_on(1, 0)
    await _server(db, guild_id, visits=3)
    clock = FixedClock(NOW)
    dead = DeliveryStore(db, clock, Scope((1,), SHARDS))
    taken = await dead.claim_due(NOW)
    assert len(taken) == 3

    # Another process (here serving the other shard: posts reach any server) must not post
    # them while the lease holds: the first may still be sending.
    replacement = DeliveryStore(db, clock, Scope((0,), SHARDS))
    assert await replacement.claimed() == []
    assert await replacement.lapsed() == []
    # The replacement's poster wakes when the lease lapses, not at the next due send.
    assert await replacement.next_due() == NOW + LEASE
    clock.current = NOW + LEASE + timedelta(seconds=1)
    recovered = await replacement.lapsed()
    assert sorted(r.id for r in recovered) == sorted(r.id for r in taken)
    assert {r.batch for r in recovered} == {r.batch for r in taken}  # the same nonces
    # Taken over under a fresh lease: the dead process, were it back, waits its turn, and
    # so does any third process.
    assert await dead.claimed() == []
    assert await DeliveryStore(db, clock, Scope((1,), SHARDS + 1)).lapsed() == []
    # Sent by the replacement: nothing is left for anyone to take, ever.
    await replacement.mark_sent([r.id for r in recovered], 99, 1234)
    clock.current = NOW + 10 * LEASE
    for scope in (Scope((0,), SHARDS), Scope((1,), SHARDS), Scope()):
        assert await DeliveryStore(db, clock, scope).lapsed() == []
        assert await DeliveryStore(db, clock, scope).claimed() == []


async def test_a_restarted_process_takes_its_own_claims_back_at_once(db: Database) -> None:
    guild_id = _guild_on(0, 5)
    await _server(db, guild_id, visits=2)
    clock = FixedClock(NOW)
    before = DeliveryStore(db, clock)
    taken = await before.claim_due(NOW)
    # While it runs, its own claims (still being posted) are never "lapsed" to itself.
    clock.current = NOW + 3 * LEASE
    assert await before.lapsed() == []
    after_restart = DeliveryStore(db, clock)  # same owner ('main'), new process
    assert sorted(r.id for r in await after_restart.claimed()) == sorted(r.id for r in taken)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_plans_written_by_another_process_wake_the_poster_of_their_shard(
    db: Database, database_target: str
) -> None:
    ours, theirs = _guild_on(1, 0), _guild_on(0, 0)
    wakes: list[int] = []
    listener = DeliveryStore(db, FixedClock(NOW), Scope((1,), SHARDS))
    assert await listener.on_plans_changed(lambda: wakes.append(1))
    # Every notification as heard. Each one's callbacks all run before the next one's, so
    # once the last is heard, the poster's callback has run for every earlier one.
    heard: list[str] = []
    last = asyncio.Event()
    other_again = _guild_on(0, 1)

    def hear(payload: str) -> None:
        heard.append(payload)
        if payload == str(other_again):
            last.set()

    await db.listen(PLANS_CHANGED, hear)
    other = await Database.open(database_target)  # the process that writes
    try:
        await _server(other, theirs, visits=1)  # another shard's server: no wake
        await _server(other, ours, visits=1)
        await _server(other, other_again, visits=1)
        await asyncio.wait_for(last.wait(), timeout=10)
        assert heard == [str(theirs), str(ours), str(other_again)]
        assert wakes == [1]
    finally:
        await other.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_sqlite_has_no_other_process_to_hear(db: Database) -> None:
    assert not await DeliveryStore(db, FixedClock(NOW)).on_plans_changed(lambda: None)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_listening_survives_the_server_dropping_the_connection(
    db: Database, database_target: str
) -> None:
    """A PostgreSQL restart or a dropped connection: the bot listens again by itself, and
    wakes once on the way back (it cannot know what was notified meanwhile)."""
    heard: asyncio.Queue[str] = asyncio.Queue()
    assert await db.listen(PLANS_CHANGED, heard.put_nowait)
    other = await Database.open(database_target)
    try:
        async with other.transaction() as conn:
            # Every connection of this database but this one: the listener's among them.
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND query NOT ILIKE '%pg_stat_activity%'")
        assert await asyncio.wait_for(heard.get(), timeout=20) == ""  # back, and woken once
        await _server(other, _guild_on(0, 9), visits=1)
        assert await asyncio.wait_for(heard.get(), timeout=20) == str(_guild_on(0, 9))
    finally:
        await other.close()
