"""Two bot processes, shards 0 and 1 of 2, on one PostgreSQL database against the local
server: each serves and posts for its own servers, every reminder goes out exactly once, and
when one is killed holding claims the other takes them over after the lease.

Each trial makes the kill land between claiming and recording: the server carries out shard
1's reminder post (message stored, nonce and all) but holds back its answer, and shard 1's
process is killed while it waits. Shard 0's process then finds the lapsed claim and sends it
again under the same nonce; the server, like Discord, answers with the message it has.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.server import SandboxServer
from bot.sandbox.world import GUILD_ID, SECOND_GUILD_ID, World
from bot.stores.database import Database
from bot.stores.deliveries import DeliveryStore
from tests.e2e.conftest import SECRET, START_WITHIN, BotProcess, Launch, bot_env

# One trial in the default run (each starts and kills shard processes, about 15 s);
# ATTACHE_SHARD_TRIALS=10 (or more) for the full figure.
TRIALS = int(os.environ.get("ATTACHE_SHARD_TRIALS", "1"))
LEASE_S = 5
DUE_IN = 5  # seconds from adding a visit to its reminder falling due
SHARDS = 2

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    """The local server with a second desk, on shard 1 of 2 where the first is on 0."""
    second = World(guild_id=SECOND_GUILD_ID, guild_name="Second desk")
    async with SandboxServer(SECRET, guilds=[second], recommended_shards=SHARDS) as running:
        yield running


def _env(server: SandboxServer, tmp_path: Path, url: str, shard: int) -> dict[str, str]:
    return bot_env(server, tmp_path, DATABASE_URL=url, SHARD_COUNT=str(SHARDS),
                   SHARD_IDS=str(shard), CLAIM_LEASE_SECONDS=str(LEASE_S))


async def _start(launch: Launch, server: SandboxServer, tmp_path: Path, url: str,
                 shard: int) -> BotProcess:
    before = len(server.sessions_of(shard))
    process = await launch(env=_env(server, tmp_path, url, shard))
    await server.wait_until(lambda: len(server.sessions_of(shard)) > before
                            and server.ready(shard), within=START_WITHIN,
                            what=f"shard {shard}'s READY")
    return process


def _briefings(server: SandboxServer, guild: int) -> Any:
    return server.guild(guild).channel("briefings")


def _posts_naming(server: SandboxServer, guild: int, text: str) -> list[dict[str, Any]]:
    return [m for m in server.posts(_briefings(server, guild)) if text in m["content"]]


async def _rows(url: str, guild: int) -> list[Any]:
    db = await Database.open(url, migrate=False)
    try:
        store = DeliveryStore(db, lambda: datetime.now(UTC))
        return await store.for_guild(
            guild, ["planned", "claimed", "sent", "failed", "skipped", "superseded"],
            limit=1000)
    finally:
        await db.close()


async def _visit_due_soon(server: SandboxServer, guild: int, role: str) -> None:
    """A visit whose one reminder falls due DUE_IN seconds from now."""
    now = datetime.now(UTC)
    start = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
    lead = int((start - now).total_seconds()) - DUE_IN
    leads = await server.slash("reminders leads", {"leads": f"{lead}s"}, guild=guild)
    assert "lead" in leads.text().lower(), leads.text()
    added = await server.slash("visit add", {
        "from_country": "Pakistan", "to_country": "Kazakhstan", "visitor_role": role,
        "date": f"{start:%Y-%m-%d %H:%M}"}, guild=guild)
    assert "Saved visit" in added.content, added.text()


async def _cancel(server: SandboxServer, guild: int, number: int, role: str) -> None:
    """Done with the visit: a later change of lead times must not plan for it again. Its
    cancellation notice is waited for, so the next post held is the next reminder."""
    await server.slash("visit cancel", {"visit": f"#{number}"}, guild=guild)
    await server.wait_until(
        lambda: any("cancelled" in m["content"] for m in _posts_naming(server, guild, role)),
        within=30, what=f"the cancellation notice of {role}")


async def test_two_shards_post_once_each_and_take_over_a_killed_ones_claims(
    server: SandboxServer, launch: Launch, tmp_path: Path, database_target: str
) -> None:
    url = database_target
    first = await _start(launch, server, tmp_path, url, 0)
    server.watch(first.process)  # shard 0's process must stay up throughout
    await server.wait_until(lambda: len(server.commands.get(GUILD_ID, [])) > 1,
                            within=START_WITHIN, what="commands synced by shard 0's process")
    # One sync, by shard 0's process; the second guild is given the same commands, as a
    # global sync would.
    server.commands[SECOND_GUILD_ID] = [dict(c, guild_id=str(SECOND_GUILD_ID))
                                        for c in server.commands[GUILD_ID]]
    second = await _start(launch, server, tmp_path, url, 1)
    for guild in (GUILD_ID, SECOND_GUILD_ID):
        done = await server.slash("reminders channel", {"channel": "#briefings"}, guild=guild)
        assert f"<#{_briefings(server, guild).id}>" in done.text(), done.text()

    # Each process posts for its own server, once.
    await _visit_due_soon(server, GUILD_ID, "Envoy of shard zero")
    await _visit_due_soon(server, SECOND_GUILD_ID, "Envoy of shard one")
    for guild, role in ((GUILD_ID, "Envoy of shard zero"), (SECOND_GUILD_ID,
                                                            "Envoy of shard one")):
        await server.wait_until(lambda g=guild, r=role: _posts_naming(server, g, r),
                                within=DUE_IN + 20, what=f"the reminder in {guild}")
    await _cancel(server, GUILD_ID, 1, "Envoy of shard zero")
    await _cancel(server, SECOND_GUILD_ID, 1, "Envoy of shard one")

    channel = _briefings(server, SECOND_GUILD_ID)
    for trial in range(1, TRIALS + 1):
        role = f"Trial {trial} envoy"  # no trial's name inside another's
        hold = server.hold("POST", f"/channels/{channel.id}/messages")
        await _visit_due_soon(server, SECOND_GUILD_ID, role)
        await server.wait_until(lambda h=hold: h.held, within=DUE_IN + 20,
                                what=f"trial {trial}: shard 1's reminder post")
        nonce = hold.held[0].json["nonce"]
        os.kill(second.process.pid, signal.SIGKILL)
        assert await second.wait(10) == -signal.SIGKILL
        hold.release()  # what the dead process never heard
        claimed = [r for r in await _rows(url, SECOND_GUILD_ID) if r.status == "claimed"]
        assert claimed and {r.batch for r in claimed} == {claimed[0].batch}, (
            f"trial {trial}: killed between claiming and recording")

        # Shard 0's process takes the lapsed claim over and re-sends it: same nonce, so
        # the server answers with the message it already holds.
        def resent(n: str = nonce) -> bool:
            return sum(1 for r in server.requests if r.method == "POST"
                       and r.path == f"/channels/{channel.id}/messages"
                       and (r.json or {}).get("nonce") == n and r.status == 200) >= 2
        await server.wait_until(resent, within=LEASE_S + 30,
                                what=f"trial {trial}: the take-over's re-send")

        async def recorded(batch: int | None = claimed[0].batch) -> bool:
            rows = [r for r in await _rows(url, SECOND_GUILD_ID) if r.batch == batch]
            return bool(rows) and {r.status for r in rows} == {"sent"}
        for _ in range(50):  # recording follows the answer by a moment; bounded in tries
            if await recorded():
                break
            await server.slash("help", guild=GUILD_ID)  # a round trip as the wait
        assert await recorded(), f"trial {trial}: the take-over recorded the send"
        assert len(_posts_naming(server, SECOND_GUILD_ID, role)) == 1, (
            f"trial {trial}: exactly one reminder post")

        second = await _start(launch, server, tmp_path, url, 1)
        visits = [r.record_id for r in await _rows(url, SECOND_GUILD_ID)]
        await _cancel(server, SECOND_GUILD_ID, max(visits), role)

    # Over every trial: nothing lost, nothing doubled, in either server.
    for guild in (GUILD_ID, SECOND_GUILD_ID):
        rows = await _rows(url, guild)
        assert {r.status for r in rows if r.kind == "lead"} <= {"sent", "superseded"}
    # Per visit: its reminder once, and its cancellation notice once.
    roles = ["Envoy of shard one"] + [f"Trial {t} envoy" for t in range(1, TRIALS + 1)]
    assert [len(_posts_naming(server, SECOND_GUILD_ID, r)) for r in roles] == [2] * len(roles)
    assert len(_posts_naming(server, GUILD_ID, "Envoy of shard zero")) == 2
