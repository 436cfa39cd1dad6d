"""One error path: user mistakes go back to the user; crashes get a code and the bot goes on."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from bot.domain.records import RecordType
from tests.behaviour.conftest import Desk


async def test_a_crash_gets_an_error_code_and_the_bot_carries_on(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(desk.bot.desk, "line_page", broken)
    with caplog.at_level(logging.ERROR, logger="bot.ui.errors"):
        res = await desk.reader.slash(desk.channel, "meeting list")
    assert res.ephemeral
    match = re.search(r"error code `([0-9a-f]{6})`", res.response.content)
    assert match, res.response.content
    assert "disk on fire" not in res.response.content and "Traceback" not in res.response.content
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    [error] = desk.env.errors
    assert "disk on fire" in repr(error.__cause__ or error)
    monkeypatch.undo()
    res = await desk.reader.slash(desk.channel, "meeting list")
    assert not res.ephemeral and res.response.embeds[0].title == "Meetings"


async def test_commands_are_not_offered_in_direct_messages(desk: Desk) -> None:
    for command in desk.bot.tree.get_commands():
        assert command.to_dict(desk.bot.tree)["contexts"] == [0], command.name


async def test_a_user_error_names_what_to_do_and_writes_nothing(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "plan add", title="Roadmap", kind="roadmap",
                                  status="signed", signatories="Nobody Known (Ministry)")
    assert res.ephemeral and "Nobody Known" in res.response.content
    assert "/person add" in res.response.content
    assert await desk.bot.records.count(desk.guild.id, RecordType.PLAN) == 0
    assert len(desk.user_errors()) == 1
