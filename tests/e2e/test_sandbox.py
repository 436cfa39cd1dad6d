"""The sandbox as a user runs it (`python -m bot sandbox`): every README example as typed,
files in and out, a clock that moves, and a line being typed left whole by posts."""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bot import create_bot
from bot.config import Settings
from tests.conftest import ROOT
from tests.e2e.conftest import child_env
from tests.typed_commands import command_of

# Things in the README that look like commands but are not the bot's: the REST prefix, and
# the benchmark's command that exists only while a benchmark runs.
NOT_COMMANDS = {"/api/v10", "/noop"}
_EXAMPLE = re.compile(r"`(/[a-z][^`\n]*)`")


async def readme_examples(tmp_path: Path) -> list[str]:
    """Every backticked command line in the README that is complete enough to type: a
    command of the bot, every option written name:value, its required options given.
    Mentions of a command ("/visit add") and syntax lines ("[country]", "on|off") are not."""
    bot = create_bot(Settings(token=None, database_path=str(tmp_path / "probe.db")),
                     sync_on_start=False)
    try:
        await bot.setup_hook()
        tree = bot.tree
        found = []
        for line in _EXAMPLE.findall((ROOT / "README.md").read_text("utf-8")):
            if line in NOT_COMMANDS or "[" in line or "\\|" in line:
                continue
            words = line.lstrip("/").split(":", 1)[0].split()
            assert tree.get_command(words[0]) is not None, f"{line}: no such command"
            try:
                _, command, used = command_of(tree, words)
            except ValueError:
                continue  # "/history": a group named, not a command to type
            rest = line.lstrip("/").split(None, used)[used:] or [""]
            names = {p.display_name for p in command.parameters}
            given = re.findall(r"(?:^|\s)([a-z_]+):", rest[0])
            if rest[0] and (not given or not rest[0].startswith(given[0] + ":")):
                continue  # "/visit show visit": the syntax, not an example
            assert set(given) <= names, (line, given)
            required = {p.display_name for p in command.parameters if p.required}
            if not required <= set(given):
                continue  # a mention of the command, not something to type
            found.append(line)
        return found
    finally:
        await bot.close()


def sandbox(tmp_path: Path, lines: list[str], *args: str, timeout: float = 240
            ) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.txt"
    script.write_text("\n".join(lines) + "\n", "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", "--script", str(script),
         "--files", str(tmp_path / "files"), *args],
        cwd=ROOT, env=child_env(tmp_path), capture_output=True, text=True, timeout=timeout,
        check=False)


async def test_every_readme_example_works_as_typed(tmp_path: Path) -> None:
    lines = await readme_examples(tmp_path)
    assert len(lines) >= 40
    result = await asyncio.to_thread(sandbox, tmp_path, lines)
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-2000:]
    assert "✗" not in out, [line for line in out.splitlines() if "✗" in line]
    # No example slips into a warning (a duplicate, a date still ahead).
    assert "⚠" not in out, [line for line in out.splitlines() if "⚠" in line]
    assert "refused by Attaché" not in out, out[out.find("refused by Attaché") - 2000:]
    assert "Something went wrong" not in out and "Traceback" not in result.stderr
    for line in lines:
        assert f"> {line}" in out


REPORT = ("ASTANA, 3 March 2026 — Kazakhstan and Uzbekistan on Monday signed a memorandum of "
          "understanding on water management after delegation-level talks.\n")


async def test_files_go_in_and_out_and_the_clock_moves(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, "utf-8")
    lines = [
        "/timeline country:Kazakhstan",
        f"/import file:{ROOT / 'data' / 'sample' / 'pakistan-kazakhstan-2025-09-10.json'}",
        f"/ingest file:{report}",
        "/export format:Calendar (.ics) country:Kazakhstan",
        "/settings editor-role role:@Desk editors",
        # The bot's clock reads 12 September 2025 09:00 UTC: a visit two days on gets its
        # 1-day and 2-hour reminders during `wait 2d`, each at its own time, neither late.
        "/visit add from_country:Kazakhstan to_country:Pakistan date:14 September 2025 10:00 "
        "visitor_role:Trade Minister",
        "wait 2d",
        "advance 1h",
    ]
    result = await asyncio.to_thread(sandbox, tmp_path, lines)
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-2000:]
    files = tmp_path / "files"
    png = files / "timeline-kazakhstan.png"
    assert f"saved as {png}" in out and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Imported 17 records" in out or "Imported" in out
    assert "Proposed from this report" in out
    [ics] = files.glob("*.ics")
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "Editor role set to @Desk editors" in out
    posts = out.split("── Attaché posted in #briefings")[1:]
    reminders = [p for p in posts if "Trade Minister" in p]
    assert len(reminders) == 2, posts
    assert all("late" not in p.split("\n", 3)[1] for p in reminders)
    assert "The bot's clock now reads 14 September 2025 09:00 UTC." in out
    assert "The bot's clock now reads 14 September 2025 10:00 UTC." in out


def test_a_bot_that_cannot_reach_discord_says_so_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = child_env(tmp_path, {"DISCORD_TOKEN": "sandbox.not-a-discord-token.0000",
                               "DISCORD_API_BASE": f"http://127.0.0.1:{port}",
                               "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/gateway"})
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    # Besides the start-up log (timestamped, at LOG_LEVEL), one line says what is wrong.
    log = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO|WARNING) ")
    lines = [line for line in result.stderr.splitlines() if line.strip() and not log.match(line)]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("Attaché cannot start: it could not reach http://127.0.0.1:")
    assert "PyNaCl" not in result.stderr + result.stdout
    assert "davey" not in result.stderr + result.stdout


def test_a_post_arriving_while_a_line_is_typed_leaves_the_line_whole(tmp_path: Path) -> None:
    """At a terminal (a pseudo-terminal here), readline edits the line; a reminder posted
    while half a command is typed prints above the prompt, the half line comes back, and
    finishing it runs the whole command."""
    import os
    import pty
    import select
    import time
    from datetime import UTC, datetime, timedelta

    # The sample's November visit gets its "expected next month" nudge on 1 October 09:00.
    due = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
    start = due - timedelta(seconds=10)  # the sandbox is at its prompt within a few
    env = child_env(tmp_path, {"HOME": str(tmp_path), "TERM": "xterm"})
    pid, fd = pty.fork()
    if pid == 0:  # the child: the sandbox at a terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "sandbox", "--clock",
                                   start.isoformat(), "--files", str(tmp_path / "files")], env)
    seen = b""

    def read_until(needle: bytes, within: float) -> bytes:
        nonlocal seen
        deadline = time.monotonic() + within
        while needle not in seen:
            left = deadline - time.monotonic()
            assert left > 0, f"{needle!r} never came; the terminal showed:\n{seen.decode()}"
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
        return seen

    try:
        read_until(b"admin in #briefings> ", 60)
        assert b"expected next month" not in seen, "the bot took too long to start"
        os.write(fd, b"/visit up")
        read_until(b"expected next month", 30)
        # The half-typed line is drawn again under the post, after the prompt.
        deadline = time.monotonic() + 10
        while b"admin in #briefings> /visit up" not in seen[seen.index(b"expected next"):]:
            assert time.monotonic() < deadline, seen.decode()
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                seen += os.read(fd, 65536)
        os.write(fd, b"coming\r")
        read_until(b"Upcoming visits", 30)
        os.write(fd, b"quit\r")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                assert os.waitstatus_to_exitcode(status) == 0, seen.decode()
                break
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                with contextlib.suppress(OSError):
                    seen += os.read(fd, 65536)
        else:
            pytest.fail("the sandbox did not stop on quit")
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    # The line typed went into the history for the next session.
    history = (tmp_path / ".cache" / "attache" / "sandbox-history").read_text("utf-8")
    assert "/visit upcoming" in history
