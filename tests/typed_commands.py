"""Command lines as people type them ("/visit add from_country:Kazakhstan date:late November
2025"), read against the bot's own command tree into what simcord sends: the command path and
its options, with choices named as users see them, #channels and @roles resolved."""

from __future__ import annotations

import re
from typing import Any

from discord import app_commands

# Backticked text that starts with a slash: an example meant to be typed.
EXAMPLE = re.compile(r"`(/[a-z][^`]*)`")


def examples(text: str) -> list[str]:
    return [m.group(1) for m in EXAMPLE.finditer(text)]


def command_of(tree: app_commands.CommandTree, words: list[str]) -> tuple[str, Any, int]:
    """(path, command, words used) for the longest command path the words start with."""
    found = tree.get_command(words[0])
    path = [words[0]]
    while isinstance(found, app_commands.Group) and len(words) > len(path):
        child = found.get_command(words[len(path)])
        if child is None:
            break
        found = child
        path.append(words[len(path)])
    if not isinstance(found, app_commands.Command):
        raise ValueError(f"no command /{' '.join(words[:len(path)])}")
    return " ".join(path), found, len(path)


def _choice(param: Any, typed: str) -> str:
    choices = list(param.choices or [])
    if not choices:
        return typed
    for choice in choices:
        if typed == str(choice.value):
            return str(choice.value)
    folded = typed.casefold()
    exact = [c for c in choices if c.name.casefold() == folded]
    starts = [c for c in choices if c.name.casefold().startswith(folded)]
    picked = exact or starts
    if len(picked) != 1:
        raise ValueError(f"{typed!r} is not one choice of {param.name}: "
                         f"{[c.name for c in choices]}")
    return str(picked[0].value)


def parse(tree: app_commands.CommandTree, line: str, guild: Any) -> tuple[str, dict[str, Any]]:
    """What simcord's slash() takes for a typed line."""
    head = line.strip().lstrip("/")
    words = head.split(":", 1)[0].split()
    path, command, used = command_of(tree, words)
    rest = head.split(None, used)[used] if len(head.split(None, used)) > used else ""
    params = {p.display_name: p for p in command.parameters}
    names = "|".join(re.escape(n) for n in sorted(params, key=len, reverse=True))
    parts = re.split(rf"(?:^|\s)({names}):", rest) if rest else [""]
    if parts[0].strip():
        raise ValueError(f"{parts[0].strip()!r} is not an option of /{path}")
    options: dict[str, Any] = {}
    for name, value in zip(parts[1::2], parts[2::2], strict=True):
        value = value.strip()
        param = params[name]
        if value.startswith("#") and param.type.name == "channel":
            options[name] = guild.channels[value[1:]]
        elif value.startswith("@") and param.type.name == "role":
            options[name] = guild.roles[value[1:]]
        elif param.type.name == "integer":
            options[name] = int(value)
        else:
            options[name] = _choice(param, value)
    return path, options
