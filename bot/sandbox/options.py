"""Slash-command options as Discord's client checks them and sends them in an interaction."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sandbox.world import Channel, Member, Role, World

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
TYPE_NAMES = {
    STRING: "text", INTEGER: "a whole number", BOOLEAN: "true or false", USER: "a member",
    CHANNEL: "a channel", ROLE: "a role", MENTIONABLE: "a member or role", NUMBER: "a number",
    ATTACHMENT: "a file",
}


class OptionError(ValueError):
    """What Discord's client would refuse before sending: the text says why."""


@dataclass
class Invocation:
    """A command found by its path (`visit show`), with its leaf's option definitions."""

    command: dict[str, Any]
    path: list[str]
    leaf_options: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return " ".join(self.path)

    def wrap(self, leaf: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Nests leaf options inside the sub-command (and group) they belong to."""
        if len(self.path) == 3:
            sub = {"name": self.path[2], "type": SUB_COMMAND, "options": leaf}
            return [{"name": self.path[1], "type": SUB_COMMAND_GROUP, "options": [sub]}]
        if len(self.path) == 2:
            return [{"name": self.path[1], "type": SUB_COMMAND, "options": leaf}]
        return leaf


def find_command(commands: list[dict[str, Any]], text: str) -> Invocation:
    words = text.strip().lstrip("/").split()
    if not words:
        raise OptionError("Type a command, e.g. /briefing country:Kazakhstan")
    root = next((c for c in commands if c["name"] == words[0] and c.get("type", 1) == 1), None)
    if root is None:
        names = ", ".join(sorted("/" + c["name"] for c in commands if c.get("type", 1) == 1))
        raise OptionError(f"There is no /{words[0]} command. Commands: {names or 'none synced'}")
    path, node = [root["name"]], root
    for word in words[1:]:
        subs = [o for o in node.get("options") or []
                if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not subs:
            raise OptionError(f"/{' '.join(path)} takes options written name:value, "
                              f"not {word!r}")
        match = next((o for o in subs if o["name"] == word), None)
        if match is None:
            raise OptionError(f"/{' '.join(path)} has no {word!r}; choose one of: "
                              f"{', '.join(o['name'] for o in subs)}")
        path.append(word)
        node = match
    subs = [o for o in node.get("options") or [] if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if subs:
        raise OptionError(f"/{' '.join(path)} needs one of: {', '.join(o['name'] for o in subs)}")
    return Invocation(root, path, list(node.get("options") or []))


Upload = Callable[[str, bytes, str | None], dict[str, Any]]
# What Discord lets a bot's user attach (the sandbox reads the file from this machine).
UPLOAD_MAX = 10 * 1024 * 1024


class OptionBuilder:
    """Turns python values (or names, for members, channels and roles, and paths for files)
    into option payloads."""

    def __init__(self, world: World, member: Member, channel: Channel,
                 upload: Upload | None = None) -> None:
        self.world = world
        self.member = member
        self.channel = channel
        self.upload = upload
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(self, invocation: Invocation, values: dict[str, Any],
              focused: str | None = None) -> list[dict[str, Any]]:
        known = {o["name"]: o for o in invocation.leaf_options}
        for name in values:
            if name not in known:
                raise OptionError(f"/{invocation.name} has no option {name!r}; options: "
                                  f"{', '.join(known) or 'none'}")
        if focused is not None and focused not in values:
            raise OptionError(f"{focused!r} must be given to complete it")
        out = []
        for definition in invocation.leaf_options:
            name = definition["name"]
            if name not in values:
                if definition.get("required") and focused is None:
                    raise OptionError(f"/{invocation.name} needs {name}: "
                                      f"{definition.get('description', '')}")
                continue
            if name == focused:
                # While typing, Discord sends the raw text, whatever the option's type.
                out.append({"name": name, "type": definition["type"],
                            "value": str(values[name]), "focused": True})
                continue
            out.append({"name": name, "type": definition["type"],
                        "value": self._value(definition, values[name])})
        return invocation.wrap(out)

    def _value(self, definition: dict[str, Any], value: Any) -> Any:
        name, kind = definition["name"], definition["type"]
        choices = definition.get("choices") or []
        if choices:
            return _choice(name, choices, value)
        try:
            if kind == STRING:
                text = str(value)
                least, most = definition.get("min_length", 0), definition.get("max_length", 6000)
                if not least <= len(text) <= most:
                    raise OptionError(f"{name} must be {least} to {most} characters long")
                return text
            if kind in (INTEGER, NUMBER):
                if isinstance(value, bool):
                    raise ValueError(value)
                if kind == INTEGER and not isinstance(value, int) \
                        and not re.fullmatch(r"-?\d+", str(value).strip()):
                    raise ValueError(value)
                number = int(value) if kind == INTEGER else float(value)
                low, high = definition.get("min_value"), definition.get("max_value")
                if (low is not None and number < low) or (high is not None and number > high):
                    raise OptionError(f"{name} must be between {low} and {high}")
                return number
            if kind == BOOLEAN:
                if isinstance(value, bool):
                    return value
                text = str(value).lower()
                if text not in ("true", "false", "yes", "no"):
                    raise ValueError(value)
                return text in ("true", "yes")
            if kind == USER:
                return self._member(value)
            if kind == ROLE:
                return self._role(value)
            if kind == CHANNEL:
                return self._channel(value, definition.get("channel_types"))
            if kind == MENTIONABLE:
                try:
                    return self._member(value)
                except KeyError:
                    return self._role(value)
            if kind == ATTACHMENT:
                return self._attachment(name, value)
        except (ValueError, KeyError) as exc:
            if isinstance(exc, OptionError):
                raise
            detail = f" ({exc.args[0]})" if isinstance(exc, KeyError) else ""
            raise OptionError(f"{name} must be {TYPE_NAMES.get(kind, 'valid')}{detail}") from None
        raise OptionError(f"{name}: options of type {kind} are not supported by the sandbox")

    def _attachment(self, name: str, value: Any) -> str:
        """A file on this machine, attached as a member attaches one in Discord's client."""
        if self.upload is None:
            raise OptionError(f"{name}: files cannot be attached here")
        path = Path(str(value).strip()).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OptionError(f"{name}: cannot read {path}: {exc.strerror}") from None
        if len(data) > UPLOAD_MAX:
            raise OptionError(f"{name}: {path.name} is larger than Discord's 10 MB")
        kind = mimetypes.guess_type(path.name)[0]
        attachment = self.upload(path.name, data, kind)
        self.resolved.setdefault("attachments", {})[attachment["id"]] = attachment
        return str(attachment["id"])

    def _member(self, value: Any) -> str:
        member: Member = self.world.member(value)
        payload = member.payload()
        user = payload.pop("user")
        payload["permissions"] = str(self.world.permissions(member, self.channel))
        self.resolved.setdefault("users", {})[str(member.id)] = user
        self.resolved.setdefault("members", {})[str(member.id)] = payload
        return str(member.id)

    def _role(self, value: Any) -> str:
        role: Role = self.world.role(value)
        self.resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)

    def _channel(self, value: Any, types: list[int] | None) -> str:
        channel = self.world.channel(value)
        if types and channel.type not in types:
            raise OptionError(f"#{channel.name} is not a kind of channel this option accepts")
        payload = channel.payload(self.world.guild_id)
        payload["permissions"] = str(self.world.permissions(self.member, channel))
        self.resolved.setdefault("channels", {})[str(channel.id)] = payload
        return str(channel.id)


def _choice(name: str, choices: list[dict[str, Any]], value: Any) -> Any:
    """A choice by its value, its name as users see it, or the start of that name
    ("Calendar (.ics)" for "Calendar (.ics): the visits, with reminders"), in any case."""
    typed = str(value).strip().casefold()
    for choice in choices:
        if value == choice["value"] or typed in (str(choice["name"]).casefold(),
                                                 str(choice["value"]).casefold()):
            return choice["value"]
    starts = [c for c in choices if str(c["name"]).casefold().startswith(typed)] if typed else []
    if len(starts) == 1:
        return starts[0]["value"]
    raise OptionError(f"{name} must be one of: {'; '.join(str(c['name']) for c in choices)}")
