"""Closing the bot: running interactions finish before the database closes, new ones are
told the bot is restarting, and one that never ends is cancelled after a bounded wait."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import bot.bot
from bot.bot import CLOSING
from tests.behaviour.conftest import Desk

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently


class Seen(list[str]):
    """What the slowed page did, and an event set when it started."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()


def _slow_pages(desk: Desk, monkeypatch: Any, seconds: float) -> Seen:
    """Every list page takes `seconds` of the bot's (virtual) time; returns what happened."""
    service = desk.bot.services.desk
    original = service.line_page
    seen = Seen()

    async def page(*args: Any, **kwargs: Any) -> Any:
        seen.append("started")
        seen.started.set()
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise
        found = await original(*args, **kwargs)
        seen.append("read")
        return found

    monkeypatch.setattr(service, "line_page", page)
    return seen


async def _page_started(seen: Seen, command: asyncio.Future[Any]) -> None:
    """Waits until the slowed page has started; fails at once, instead of waiting forever,
    when the command ends without reading its page through the slowed call."""
    started = asyncio.ensure_future(seen.started.wait())
    await asyncio.wait({started, command}, return_when=asyncio.FIRST_COMPLETED)
    if not started.done():
        started.cancel()
        pytest.fail("/meeting list answered without reading a page through "
                    "DeskService.line_page: the slowed call no longer stands in its way")


async def test_a_command_running_when_the_bot_closes_finishes_and_answers(
    desk: Desk, monkeypatch: Any
) -> None:
    seen = _slow_pages(desk, monkeypatch, 1.0)
    command = asyncio.ensure_future(desk.reader.slash(desk.channel, "meeting list"))
    await _page_started(seen, command)
    closing = asyncio.ensure_future(desk.bot.close())
    res = await command
    await closing
    # The list was read after close() began, on a database still open, and answered.
    assert seen == ["started", "read"]
    assert not res.ephemeral
    assert res.response.embeds, res.response.content
    assert desk.env.errors == []


async def test_what_arrives_while_closing_is_told_the_bot_is_restarting(desk: Desk) -> None:
    await desk.bot.stop_interactions()
    late = await desk.editor.slash(desk.channel, "visit upcoming")
    assert late.ephemeral
    assert late.response.content == CLOSING
    choices = await desk.editor.autocomplete(desk.channel, "visit show", "visit", "kaz")
    assert choices == []


async def test_an_interaction_that_never_ends_is_cancelled_after_the_wait(
    desk: Desk, monkeypatch: Any
) -> None:
    # The wait is shortened: simcord lets the bot's own timer run in real time while the
    # slash call settles, and the rule under test is the same for 1 s as for 10.
    wait = 1.0
    monkeypatch.setattr(bot.bot, "CLOSE_WAIT_S", wait)
    seen = _slow_pages(desk, monkeypatch, 3600.0)
    closing: list[asyncio.Task[None]] = []
    closed_at: list[float] = []
    service = desk.bot.services.desk
    stuck = service.line_page
    started = desk.env.now()

    def done(_: object) -> None:
        closed_at.append((desk.env.now() - started).total_seconds())

    async def page(*args: Any, **kwargs: Any) -> Any:
        # Asked to close from inside the bot (as a signal handler would), while stuck here.
        task = asyncio.create_task(desk.bot.close())
        task.add_done_callback(done)
        closing.append(task)
        return await stuck(*args, **kwargs)

    monkeypatch.setattr(service, "line_page", page)
    await desk.reader.slash(desk.channel, "meeting list")
    # simcord may run the bot's timers up to its settle timeout within the call itself.
    await desk.env.advance_time(wait + 1)
    assert closing[0].done()
    closing[0].result()
    [waited] = closed_at
    assert wait <= waited < wait + 1
    assert seen == ["started", "cancelled"]
