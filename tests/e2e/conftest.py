"""The bot as its own process (`python -m bot`) against the sandbox server on 127.0.0.1.

Every wait has a deadline, the server's waits fail at once when the bot process exits, and
the process is killed in teardown whatever happened; its output is checked for the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.sandbox.server import SandboxServer
from bot.sandbox.world import GUILD_ID
from tests.conftest import ROOT, SAMPLE

# Shaped like a real token, so a leak would be caught by what it looks like, too.
SECRET = "MTMwMDAwMDAwMDAwMDAwMDEwMA.Gx7kQe.e2e-secret-never-printed-Zq9"
START_WITHIN = 20.0


def child_env(tmp_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD", "LOG_LEVEL"))}
    # TMPDIR: a sandbox killed mid-test cannot remove its temporary folder; under the test's
    # own folder, pytest does.
    env.update(PYTHONPATH=str(ROOT), DATABASE_PATH=str(tmp_path / "attache.db"),
               PYTHONUNBUFFERED="1", TMPDIR=str(tmp_path))
    env.update(extra or {})
    return env


def sample_ahead(tmp_path: Path) -> Path:
    """The sample, with the presidential visit moved to next year's November.

    The bot process runs on the real clock, on which the sample's November 2025 visit may
    be past; moved, it is always ahead and `/visit upcoming` has something to show.
    """
    data = json.loads(SAMPLE.read_text("utf-8"))
    year = datetime.now(UTC).year + 1
    for visit in data["visits"]:
        if visit["uid"] == "president-visit-2025-11":
            visit["date"] = {"value": f"{year}-11", "precision": "month"}
    path = tmp_path / "sample-ahead.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


class BotProcess:
    """`python -m bot ARGS` with its output collected; always killed at teardown."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.stdout = bytearray()
        self.stderr = bytearray()
        assert process.stdout is not None and process.stderr is not None
        self._readers = [
            asyncio.create_task(self._pump(process.stdout, self.stdout)),
            asyncio.create_task(self._pump(process.stderr, self.stderr)),
        ]

    @staticmethod
    async def _pump(stream: asyncio.StreamReader, into: bytearray) -> None:
        while chunk := await stream.read(65536):
            into += chunk

    @property
    def output(self) -> str:
        return (self.stdout + self.stderr).decode("utf-8", "replace")

    async def wait(self, within: float = 20.0) -> int:
        code = await asyncio.wait_for(self.process.wait(), within)
        await asyncio.wait_for(asyncio.gather(*self._readers), within)
        return code

    async def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        with contextlib.suppress(TimeoutError):
            await self.wait(10.0)
        for reader in self._readers:
            reader.cancel()


Launch = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(SECRET) as running:
        yield running


@pytest.fixture
async def launch(tmp_path: Path) -> AsyncIterator[Launch]:
    """Starts `python -m bot` subprocesses; each is killed and its output checked after."""
    started: list[BotProcess] = []

    async def start(*args: str, env: dict[str, str] | None = None) -> BotProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env or child_env(tmp_path),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        started.append(BotProcess(process))
        return started[-1]

    yield start
    for process in started:
        await process.kill()
    for process in started:
        assert SECRET not in process.output, "the token was printed"


async def run_to_end(launch: Launch, *args: str, env: dict[str, str] | None = None,
                     within: float = 30.0) -> tuple[int, BotProcess]:
    process = await launch(*args, env=env)
    return await process.wait(within), process


@pytest.fixture
async def bot(server: SandboxServer, launch: Launch, tmp_path: Path) -> BotProcess:
    """The bot process, with the (shifted) sample imported, connected and commands synced."""
    code, imported = await run_to_end(launch, "import", str(sample_ahead(tmp_path)),
                                      "--guild", str(GUILD_ID))
    assert code == 0, imported.output
    process = await launch(env=bot_env(server, tmp_path))
    server.watch(process.process)
    await server.wait_until_ready(within=START_WITHIN)
    return process


def bot_env(server: SandboxServer, tmp_path: Path, **extra: str) -> dict[str, str]:
    return child_env(tmp_path, {
        "DISCORD_TOKEN": SECRET, "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url, "DEV_GUILD_ID": str(GUILD_ID),
        # The most verbose the bot gets: the token check then covers every line it can log.
        "LOG_LEVEL": "DEBUG", **extra,
    })
