"""Benchmark-only helpers, loaded only when ATTACHE_BENCHMARK=1 (tests/benchmarks/wire_bench.py).

- /noop answers a fixed text. Its latency is the floor every other command is measured
  against: what discord.py, the gateway and the interaction callback cost on their own, with
  no store and no rendering.
- With ATTACHE_BENCH_LAG_FILE set, an event-loop lag probe: a task that asks to wake every
  10 ms and records how late it woke. Each wake is a line "<unix time> <ms late>" appended
  to that file (written out once a second, so a kill -9 loses at most the last second). The
  benchmark cuts the file into its phases by time. SIGUSR1 pauses the probe and SIGUSR2
  resumes it, so that the idle-CPU figure does not count the probe's own wakes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from typing import TYPE_CHECKING, TextIO

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.bot import AttacheBot

ANSWER = "noop"
LAG_FILE = "ATTACHE_BENCH_LAG_FILE"
INTERVAL = 0.010
FLUSH_EVERY = 1.0


class LagProbe:
    """Wakes every INTERVAL seconds and writes how late each wake came."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._running = asyncio.Event()  # cleared while paused: the probe then sleeps on it
        self._running.set()
        self._out: TextIO | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._out = open(self.path, "a", encoding="ascii")  # closed in stop()
        self._task = loop.create_task(self._run(), name="bench-lag-probe")
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGUSR1, self._pause, True)
            loop.add_signal_handler(signal.SIGUSR2, self._pause, False)

    def _pause(self, paused: bool) -> None:
        if paused:
            self._running.clear()
        else:
            self._running.set()
        if self._out is not None:
            self._out.write(f"# {'paused' if paused else 'resumed'} {time.time():.4f}\n")
            self._out.flush()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        out = self._out
        assert out is not None
        lines: list[str] = []
        flushed = loop.time()
        expected = loop.time() + INTERVAL
        try:
            while True:
                await asyncio.sleep(max(0.0, expected - loop.time()))
                woke = loop.time()
                lines.append(f"{time.time():.4f} {(woke - expected) * 1000:.3f}\n")
                if woke - flushed >= FLUSH_EVERY or not self._running.is_set():
                    out.write("".join(lines))
                    out.flush()
                    lines.clear()
                    flushed = woke
                if not self._running.is_set():
                    # Paused: no wakes at all (they would count in the idle CPU figure).
                    await self._running.wait()
                    woke = loop.time()
                # The next wake is asked for from now: one long stall is one late wake.
                expected = woke + INTERVAL
        finally:
            out.write("".join(lines))
            out.flush()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        loop = asyncio.get_running_loop()
        for number in (signal.SIGUSR1, signal.SIGUSR2):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(number)
        if self._out is not None:
            self._out.close()
            self._out = None


class BenchCog(commands.Cog):
    def __init__(self) -> None:
        path = os.environ.get(LAG_FILE)
        self.probe = LagProbe(path) if path else None

    async def cog_load(self) -> None:
        if self.probe is not None:
            self.probe.start()

    async def cog_unload(self) -> None:
        if self.probe is not None:
            await self.probe.stop()

    @app_commands.command(name="noop", description="Benchmark floor: answers a fixed text")
    async def noop(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(ANSWER, ephemeral=True)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(BenchCog())
