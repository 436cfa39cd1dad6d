"""`kill -9` of the bot between claiming a reminder and recording it: after a restart over the
same database each reminder is at the server exactly once.

The server makes the crash land in that window every time: it carries out the reminder post
(message stored, nonce and all) but holds back its answer, and the bot is killed while it
waits. The restarted bot finds the claimed rows and sends them again under the same nonce;
the server, like Discord, answers with the message it already has.
"""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.sandbox.server import Recorded, SandboxServer
from bot.sandbox.world import GUILD_ID
from bot.stores.database import Database
from bot.stores.deliveries import Delivery, DeliveryStore
from tests.e2e.conftest import START_WITHIN, BotProcess, Launch, bot_env

# Two leads that fall due a few seconds from now and four seconds apart: the first batch is
# the one caught by the kill, the second is still planned when the bot dies.
FIRST_DUE_IN = 5
SECOND_AFTER = 4
VISITORS = ("Prime Minister", "Foreign Minister")


async def deliveries(tmp_path: Path) -> list[Delivery]:
    """Every reminder row of the sandbox server, read beside the bot (WAL allows it)."""
    db = await Database.open(tmp_path / "attache.db", migrate=False)
    try:
        store = DeliveryStore(db, lambda: datetime.now(UTC))
        rows = await store.for_guild(
            GUILD_ID, ["planned", "claimed", "sent", "failed", "skipped", "superseded"],
            limit=100)
    finally:
        await db.close()
    return [row for row in rows if row.kind == "lead" and row.record_type == "visit"]


def reminder_posts(server: SandboxServer) -> list[Recorded]:
    return [r for r in server.requests if r.method == "POST" and r.path.endswith("/messages")]


def mentions(message: dict[str, Any], visitor: str) -> bool:
    return visitor in message["content"]


async def test_a_reminder_claimed_when_the_bot_is_killed_goes_out_once_after_restart(
    server: SandboxServer, bot: BotProcess, launch: Launch, tmp_path: Path
) -> None:
    await server.slash("reminders channel", {"channel": "#briefings"})
    now = datetime.now(UTC)
    start = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
    lead = int((start - now).total_seconds()) - FIRST_DUE_IN
    await server.slash("reminders leads", {"leads": f"{lead}s {lead - SECOND_AFTER}s"})
    hold = server.hold("POST", "/channels/*/messages")
    for role, (origin, destination) in zip(
            VISITORS, [("Pakistan", "Kazakhstan"), ("Kazakhstan", "Pakistan")], strict=True):
        added = await server.slash("visit add", {
            "from_country": origin, "to_country": destination, "visitor_role": role,
            "date": f"{start:%Y-%m-%d %H:%M}"})
        assert "Saved visit" in added.content

    # The first batch (both visits, one post) reaches the server; its answer is held.
    await server.wait_until(lambda: hold.held, within=FIRST_DUE_IN + 15,
                            what="the first reminder post")
    [first_post] = server.posts("briefings")
    assert all(mentions(first_post, v) for v in VISITORS), "a reminder in the configured channel"
    nonce = hold.held[0].json["nonce"]
    assert nonce.startswith("attache-r") and hold.held[0].json["enforce_nonce"] is True

    os.kill(bot.process.pid, signal.SIGKILL)
    assert await bot.wait(10) == -signal.SIGKILL
    hold.release()  # what the dead bot never heard
    caught = await deliveries(tmp_path)
    assert sorted(r.status for r in caught) == ["claimed", "claimed", "planned", "planned"], (
        "killed between claiming and recording")
    assert {r.message_id for r in caught} == {None}

    again = await launch(env=bot_env(server, tmp_path))
    server.watch(again.process)
    await server.wait_until(lambda: server.identifies == 2 and server.ready(),
                            within=START_WITHIN, what="the restarted bot's READY")

    def settled() -> bool:
        answered = [r for r in reminder_posts(server) if r.status == 200]
        return len(answered) == 3  # the held first try, the resend, the second batch
    await server.wait_until(settled, within=SECOND_AFTER + 20,
                            what="the resend and the second reminder post")
    first_try, resend, second = reminder_posts(server)
    assert first_try is hold.held[0]
    assert resend.json["nonce"] == nonce, "sent again under the same nonce"
    assert second.json["nonce"] != nonce

    # The server keeps one message per batch: the resend was answered with the first one.
    posts = server.posts("briefings")
    assert len(posts) == 2 and posts[0]["id"] == first_post["id"]
    for visitor in VISITORS:
        assert sum(mentions(m, visitor) for m in posts) == 2, f"{visitor}: one post per lead"

    # The restarted bot records every row as sent, with the message the server holds.
    # Recording follows the answer by a moment (longer on a loaded machine); asking the bot
    # is the wait, bounded in time rather than in tries.
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        status = (await server.slash("reminders status")).text()
        if "4 sent" in status or asyncio.get_running_loop().time() > deadline:
            break
    assert "4 sent" in status and "claimed" not in status, status
    rows = await deliveries(tmp_path)
    assert {r.status for r in rows} == {"sent"}
    by_message = {r.message_id: sorted(x.visit_id for x in rows if x.message_id == r.message_id)
                  for r in rows}
    assert set(by_message) == {int(m["id"]) for m in posts}
    assert all(len(visits) == 2 for visits in by_message.values())
