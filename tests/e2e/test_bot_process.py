"""`python -m bot` as its own process against the sandbox server: start-up, sync, answers,
reconnection, faults on the wire, and the token kept out of everything it prints."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.bot import create_bot
from bot.config import Settings
from bot.sandbox.server import BotStopped, SandboxServer
from bot.sandbox.world import GUILD_ID
from tests.e2e.conftest import SECRET, BotProcess, Launch, bot_env, run_to_end

# Keys the server adds to a stored command; everything else must be what the bot sent.
SERVER_KEYS = {"id", "application_id", "version", "guild_id"}


async def tree_payload(tmp_path: Path) -> list[dict[str, Any]]:
    """The command tree as this checkout's bot builds it, in-process and offline."""
    bot = create_bot(Settings(token=None, database_path=str(tmp_path / "tree.db")),
                     sync_on_start=False)
    try:
        await bot.setup_hook()
        return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    finally:
        await bot.close()


def _names(commands: list[dict[str, Any]]) -> set[str]:
    """Every command path, down to sub-commands: `visit show`, `reminders leads`…"""
    found = set()

    def walk(prefix: str, options: list[dict[str, Any]]) -> None:
        subs = [o for o in options if o.get("type") in (1, 2)]
        if not subs:
            found.add(prefix)
        for sub in subs:
            walk(f"{prefix} {sub['name']}", sub.get("options") or [])

    for command in commands:
        walk(command["name"], command.get("options") or [])
    return found


async def test_start_up_syncs_the_whole_tree_and_says_where_it_connects(
    server: SandboxServer, bot: BotProcess, tmp_path: Path
) -> None:
    expected = await tree_payload(tmp_path)
    synced = server.commands[GUILD_ID]
    assert _names(synced) == _names(expected)
    assert len(_names(expected)) > 40
    stripped = [{k: v for k, v in c.items() if k not in SERVER_KEYS} for c in synced]
    assert sorted(stripped, key=lambda c: c["name"]) == sorted(expected, key=lambda c: c["name"])
    assert server.commands.get(None) is None, "nothing is synced globally at start"
    # Logged in with the token, identified once, and nothing asked for that is not served.
    assert [r.path for r in server.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert server.identifies == 1 and server.unhandled == []
    await server.wait_until(lambda: "connecting to a Discord-compatible server" in bot.output,
                            within=5, what="the start-up log line")
    assert f"at {server.api_base}/api/v10 (gateway {server.gateway_url})" in bot.output


async def test_visit_upcoming_is_answered_with_the_sample_visit_in_time(
    server: SandboxServer, bot: BotProcess
) -> None:
    answer = await server.slash("visit upcoming", member="reader")
    assert answer.latency is not None and answer.latency < 3.0
    assert not answer.ephemeral
    [embed] = answer.embeds
    assert embed["title"] == "Upcoming visits"
    assert "Kassym-Jomart Tokayev: Kazakhstan → Pakistan" in embed["description"]
    assert f"November {datetime.now(UTC).year + 1}" in embed["description"]
    assert "2003" not in embed["description"], "a past visit is not upcoming"
    [callback] = [r for r in server.requests if r.path.endswith("/callback")]
    assert callback.query == {"with_response": "1"} and callback.status == 200


async def test_buttons_forms_and_autocomplete_work_over_the_wire(
    server: SandboxServer, bot: BotProcess
) -> None:
    named = await server.slash("settings editor-role", {"role": "@Desk editors"})
    assert named.content == f"Editor role set to <@&{server.world.editors.id}>."
    choices = await server.autocomplete("visit show", "visit", "tokayev")
    assert choices and choices[0]["name"].startswith("#2 Kassym-Jomart Tokayev")
    shown = await server.slash("visit show", {"visit": str(choices[0]["value"])},
                               member="editor")
    refused = await server.click(shown, label="Edit notes", member="reader")
    assert refused.ephemeral and "Only the person who ran the command" in refused.content
    form = await server.click(shown, label="Edit notes")
    assert form.modal is not None
    saved = await server.submit_modal(form, {"Notes": "Day to be fixed by both offices."},
                                      member="editor")
    assert "Day to be fixed by both offices." in saved.text()
    assert "Day to be fixed by both offices." in shown.text(), "the card itself was updated"


@pytest.mark.parametrize("clean", [False, True], ids=["cut", "closed"])
async def test_after_the_websocket_drops_it_resumes_and_answers(
    server: SandboxServer, bot: BotProcess, clean: bool
) -> None:
    await server.drop_gateway(clean=clean)
    # Sent while the bot is away: Discord keeps it and replays it after RESUME.
    answer = await server.slash("visit upcoming")
    assert "Kassym-Jomart Tokayev" in answer.text()
    assert server.resumes == 1 and server.identifies == 1
    opened = [entry[2] for entry in server.gateway_log if entry[:2] == ("server", "open")]
    assert opened == ["/gateway", "/gateway-resume"], "resumed at READY's resume_gateway_url"
    assert (await server.slash("briefing", {"country": "KZ"})).embeds


async def test_a_500_then_a_429_on_the_interaction_callback_are_survived(
    server: SandboxServer, bot: BotProcess
) -> None:
    server.inject("POST", "/interactions/*/callback", 500)
    server.inject("POST", "/interactions/*/callback", 429, retry_after=0.2)
    answer = await server.slash("visit upcoming")
    assert "Kassym-Jomart Tokayev" in answer.text()
    assert answer.latency is not None and answer.latency < 3.0
    statuses = [r.status for r in server.requests if r.path.endswith("/callback")]
    assert statuses == [500, 429, 200]


async def test_faults_on_channel_posts_are_survived_and_a_reminder_goes_out_once(
    server: SandboxServer, bot: BotProcess
) -> None:
    await server.slash("reminders channel", {"channel": "#briefings"})
    # /reminders test posts with a plain retry: a 500 and a 429 cost it about 1.2 s.
    server.inject("POST", "/channels/*/messages", 500)
    server.inject("POST", "/channels/*/messages", 429, retry_after=0.2)
    tested = await server.slash("reminders test")
    assert tested.content == "Test message posted."
    assert [p["content"] for p in server.posts("briefings")] == [
        "Attaché test: reminders will appear here."]
    # A reminder due in a few seconds; its first post is carried out but the answer is lost,
    # so the retry must not post it twice (the poster sends a nonce, Discord de-duplicates).
    now = datetime.now(UTC)
    start = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
    lead = int((start - now).total_seconds()) - 2
    await server.slash("reminders leads", {"leads": f"{lead}s"})
    server.inject("POST", "/channels/*/messages", 500, after=True)
    added = await server.slash("visit add", {
        "from_country": "Pakistan", "to_country": "Kazakhstan", "visitor_role": "Prime Minister",
        "date": f"{start:%Y-%m-%d %H:%M}",
    })
    assert "Saved visit" in added.content
    reminder = await server.wait_for_post("briefings", lambda m: "Prime Minister" in str(m),
                                          within=15)

    def attempts() -> list[Any]:
        return [r for r in server.requests if r.method == "POST" and r.path.endswith("/messages")
                and "Reminder" in (r.json or {}).get("content", "")]

    await server.wait_until(lambda: [r.status for r in attempts()] == [500, 200], within=10,
                            what="the reminder post retried after the lost answer")
    first, again = attempts()
    assert first.json["nonce"] == again.json["nonce"] and again.json["enforce_nonce"] is True
    assert [m["id"] for m in server.posts("briefings")][-1] == reminder["id"]
    assert len(server.posts("briefings")) == 2, "the test post and one reminder"


async def test_visits_with_a_day_become_scheduled_events_and_follow_changes(
    server: SandboxServer, bot: BotProcess
) -> None:
    switched = await server.slash("settings events", {"switch": "on"})
    assert switched.response_type == 5 and "appear in this server's Events" in switched.content
    year = datetime.now(UTC).year + 1
    await server.slash("visit add", {
        "from_country": "Kazakhstan", "to_country": "Pakistan", "visitor_role": "President",
        "date": f"20 November {year}", "place": "Islamabad"})
    [event] = server.events.values()
    assert event["name"] == "President: Kazakhstan → Pakistan"
    assert event["entity_metadata"] == {"location": "Islamabad"}
    assert event["scheduled_start_time"].startswith(f"{year}-11-20")
    await server.slash("visit edit", {"visit": "#4", "date": f"21 November {year}"})
    assert event["scheduled_start_time"].startswith(f"{year}-11-21")
    await server.slash("visit cancel", {"visit": "#4"})
    assert event["status"] == 4, "cancelled, not deleted, so members see it was called off"


async def test_a_refused_token_ends_the_bot_with_status_2_and_never_prints_it(
    launch: Launch, tmp_path: Path
) -> None:
    async with SandboxServer("a-different-token") as other:
        code, process = await run_to_end(launch, env=bot_env(other, tmp_path))
    assert code == 2
    assert "Discord refused the token" in process.output
    assert SECRET not in process.output
    assert "Traceback" not in process.output


async def test_a_payload_the_bot_cannot_parse_fails_the_wait_at_once(
    server: SandboxServer, launch: Launch, tmp_path: Path
) -> None:
    # READY without `user` kills discord.py's start(); the wait must end then, not time out.
    server.rewrite_dispatch = lambda event, data: (
        {k: v for k, v in data.items() if k != "user"} if event == "READY" else data)
    process = await launch(env=bot_env(server, tmp_path))
    server.watch(process.process)
    loop = asyncio.get_running_loop()
    began = loop.time()
    with pytest.raises(BotStopped, match="exited with status"):
        await server.wait_until(lambda: False, within=60, what="anything")
    assert loop.time() - began < 30
    assert "KeyError: 'user'" in process.output


async def test_the_sandbox_script_prints_a_transcript_with_the_briefing(
    launch: Launch, tmp_path: Path
) -> None:
    script = tmp_path / "try.txt"
    script.write_text("/briefing country:Kazakhstan\n/visit upcoming\n/visit show visit:#2\n"
                      "click 1\nsubmit Date still to be announced.\n", "utf-8")
    code, process = await run_to_end(launch, "sandbox", "--script", str(script))
    out = process.stdout.decode()
    assert code == 0, process.output
    assert "admin in #briefings> /briefing country:Kazakhstan" in out
    assert "Briefing: Kazakhstan" in out
    assert "Kassym-Jomart Tokayev" in out and "November 2025" in out
    assert "[1 Edit notes]" in out
    assert "Date still to be announced." in out
    assert "Traceback" not in process.output


async def test_sigterm_closes_the_bot_cleanly_and_the_database_with_it(
    server: SandboxServer, bot: BotProcess, tmp_path: Path
) -> None:
    """What `systemctl stop` or `docker stop` sends: the bot closes as on Ctrl-C (running
    interactions finish, then the database closes) and exits 0, never mid-write."""
    answered = await server.slash("visit upcoming")
    assert answered.embeds or answered.content
    bot.process.send_signal(signal.SIGTERM)
    assert await bot.wait(30) == 0, bot.output[-3000:]
    assert "Traceback" not in bot.output
    assert "closed database" not in bot.output.lower()
    # Closed cleanly: SQLite folded its write-ahead log back into the file.
    assert not (tmp_path / "attache.db-wal").exists() or (
        tmp_path / "attache.db-wal").stat().st_size == 0
