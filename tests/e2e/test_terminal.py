"""The sandbox's terminal: command lines read as Discord's client reads them, replies shown
readably."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.sandbox.options import OptionError, find_command
from bot.sandbox.terminal import Renderer, parse_options, split_command, when
from bot.sandbox.world import World

COMMANDS: list[dict[str, Any]] = [
    {"name": "briefing", "type": 1, "options": [
        {"name": "country", "type": 3, "required": True},
        {"name": "since", "type": 3}]},
    {"name": "visit", "type": 1, "options": [
        {"name": "show", "type": 1, "options": [{"name": "visit", "type": 3}]},
        {"name": "upcoming", "type": 1, "options": [{"name": "days", "type": 4}]}]},
]
NOW = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("line", "path", "options"), [
    ("/briefing country:Kazakhstan", "briefing", {"country": "Kazakhstan"}),
    ("/briefing country: Kazakh  since:March 2025", "briefing",
     {"country": "Kazakh", "since": "March 2025"}),
    ("/visit show visit:#2", "visit show", {"visit": "#2"}),
    ("/visit upcoming", "visit upcoming", {}),
    ("/briefing country:a:b country", "briefing", {"country": "a:b country"}),
])
def test_command_lines_split_into_path_and_options(line: str, path: str,
                                                   options: dict[str, str]) -> None:
    found, rest = split_command(line, COMMANDS)
    assert found == path
    assert parse_options(find_command(COMMANDS, found), rest) == options


@pytest.mark.parametrize(("line", "says"), [
    ("/nope", "no /nope command"),
    ("/visit", "needs one of: show, upcoming"),
    ("/briefing Kazakhstan", "write options as name:value"),
    ("/briefing country:a country:b", "given twice"),
])
def test_bad_command_lines_say_what_is_wrong(line: str, says: str) -> None:
    with pytest.raises(OptionError, match=says):
        path, rest = split_command(line, COMMANDS)
        parse_options(find_command(COMMANDS, path), rest)


def test_timestamps_mentions_embeds_and_buttons_are_rendered() -> None:
    world = World()
    renderer = Renderer(world, lambda: NOW)
    stamp = int(datetime(2025, 11, 1, tzinfo=UTC).timestamp())
    message = {
        "id": "1", "channel_id": str(world.channel("briefings").id), "flags": 0,
        "content": f"<@{world.member('editor').id}> in <#{world.channel('general').id}> "
                   f"for <@&{world.editors.id}> on <t:{stamp}:D> (<t:{stamp}:R>)",
        "embeds": [{"title": "Upcoming visits", "description": "`#2` November 2025",
                    "fields": [{"name": "When", "value": "soon"}],
                    "footer": {"text": "Page 1 of 1"}}],
        "components": [{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "Previous", "custom_id": "p", "disabled": True},
            {"type": 2, "style": 2, "label": "Next", "custom_id": "n"}]}],
    }
    lines, clickable = renderer.message(message, "── heading")
    text = "\n".join(lines)
    assert "@editor in #general for @Desk editors on 1 November 2025 (in 1 month)" in text
    assert "│ Upcoming visits" in text and "│   soon" in text and "│ — Page 1 of 1" in text
    assert "[1 Previous (disabled)] [2 Next]" in text
    assert [b["custom_id"] for b in clickable] == ["p", "n"]


@pytest.mark.parametrize(("style", "shown"), [
    ("t", "14:30 UTC"), ("d", "03/10/2025"), ("D", "3 October 2025"),
    ("f", "3 October 2025 14:30 UTC"), ("F", "Friday, 3 October 2025 14:30 UTC"),
    ("R", "in 21 days"),
])
def test_timestamp_styles(style: str, shown: str) -> None:
    assert when(datetime(2025, 10, 3, 14, 30, tzinfo=UTC), style, NOW) == shown


def test_text_attachments_are_shown_and_others_only_named() -> None:
    renderer = Renderer(World(), lambda: NOW)
    brief = "# Briefing: Kazakhstan\n" + "\n".join(f"line {n}" for n in range(100))
    message = {"id": "1", "channel_id": "1", "flags": 0, "attachments": [
        {"filename": "briefing-kazakhstan.md", "size": len(brief), "data": brief},
        {"filename": "timeline-kazakhstan.png", "size": 9, "data": "\ufffdPNG"},
    ]}
    lines, _ = renderer.message(message, "── heading")
    assert "  │ # Briefing: Kazakhstan" in lines
    assert "  │ … 21 more lines" in lines
    assert "  [file timeline-kazakhstan.png, 9 bytes]" in lines
    assert not any("PNG" in line for line in lines if line.startswith("  │"))


CHOICES = [{"name": "Calendar (.ics): the visits, with reminders", "value": "ics"},
           {"name": "CSV: one table per record type, zipped", "value": "csv"}]


@pytest.mark.parametrize(("typed", "value"), [
    ("ics", "ics"), ("Calendar (.ics)", "ics"), ("calendar (.ics): the visits, with reminders",
                                                 "ics"), ("CSV", "csv"),
])
def test_choices_go_by_the_name_users_see_or_its_start(typed: str, value: str) -> None:
    from bot.sandbox.options import _choice

    assert _choice("format", CHOICES, typed) == value


def test_a_start_shared_by_two_choices_is_refused_naming_them() -> None:
    from bot.sandbox.options import _choice

    with pytest.raises(OptionError, match=r"Calendar \(\.ics\): the visits"):
        _choice("format", CHOICES, "C")


@pytest.mark.parametrize(("typed", "seconds"), [
    ("2h", 7200), ("3d", 259200), ("1d12h", 129600), ("90m", 5400), ("1w", 604800),
    ("10", None), ("soon", None),
])
def test_wait_reads_durations(typed: str, seconds: float | None) -> None:
    from bot.sandbox.console import duration

    assert duration(typed) == seconds


def test_a_post_while_typing_is_printed_above_the_prompt() -> None:
    from bot.sandbox.console import PromptLine

    line = PromptLine()
    assert line.around("── Attaché posted") == "── Attaché posted\n"
    line.prompt = "admin in #briefings> "
    shown = line.around("── Attaché posted")
    # The prompt line is cleared, the post printed, the prompt (and what was typed) redrawn.
    assert shown.startswith("\r\x1b[2K── Attaché posted\nadmin in #briefings> ")
