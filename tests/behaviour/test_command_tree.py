"""The command tree as Discord will see it: names, descriptions and limits."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands

from bot.bot import EXTENSIONS
from tests.behaviour.conftest import Desk

NAME = re.compile(r"^[-_\p{L}\p{N}]{1,32}$".replace(r"\p{L}\p{N}", "a-z0-9"))


def _walk(command: Any) -> list[Any]:
    if isinstance(command, app_commands.Group):
        out = [command]
        for child in command.commands:
            out += _walk(child)
        return out
    return [command]


def _characters(payload: dict[str, Any]) -> int:
    total = len(payload.get("name", "")) + len(payload.get("description", ""))
    total += sum(len(str(c["name"])) + len(str(c["value"])) for c in payload.get("choices", []))
    return total + sum(_characters(option) for option in payload.get("options", []))


def test_every_extension_loaded(desk: Desk) -> None:
    loaded = set(desk.bot.extensions)
    assert loaded == set(EXTENSIONS), f"failed to load: {set(EXTENSIONS) - loaded}"


def test_names_descriptions_and_limits(desk: Desk) -> None:
    roots = desk.bot.tree.get_commands()
    assert roots, "no commands registered"
    root_names = [c.name for c in roots]
    assert len(root_names) == len(set(root_names))
    for root in roots:
        # Discord caps the names, descriptions and choice values of one command at 8000.
        assert _characters(root.to_dict(desk.bot.tree)) <= 8000, root.name
        for command in _walk(root):
            assert NAME.match(command.name), command.qualified_name
            assert 1 <= len(command.description) <= 100, command.qualified_name
            if isinstance(command, app_commands.Group):
                names = [c.name for c in command.commands]
                assert len(names) == len(set(names)), command.qualified_name
                assert len(names) <= 25
                continue
            assert len(command.parameters) <= 25
            seen_optional = False
            for param in command.parameters:
                where = f"{command.qualified_name} {param.name}"
                assert NAME.match(param.name), where
                assert param.description and param.description != "…", where
                assert len(param.description) <= 100, where
                # Discord requires required options before optional ones.
                assert not (param.required and seen_optional), where
                seen_optional = seen_optional or not param.required
                for choice in param.choices:
                    assert 1 <= len(choice.name) <= 100, where
                if param.type is discord.AppCommandOptionType.string and not param.choices:
                    assert param.max_value is not None and param.max_value <= 6000, where


def test_every_command_is_guild_only(desk: Desk) -> None:
    for root in desk.bot.tree.get_commands():
        payload = root.to_dict(desk.bot.tree)
        assert payload.get("contexts") in (None, [0]) and payload["dm_permission"] is False, (
            root.name
        )
