"""Discord messages as terminal text, and command lines read the way Discord's client reads them."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.sandbox.messages import EPHEMERAL, LOADING, buttons, selects, text_inputs
from bot.sandbox.options import Invocation, OptionError
from bot.sandbox.world import World

_TIMESTAMP = re.compile(r"(?<!\\)<t:(-?\d+)(?::([tTdDfFR]))?>")
_USER = re.compile(r"<@!?(\d+)>")
_ROLE = re.compile(r"<@&(\d+)>")
_CHANNEL = re.compile(r"<#(\d+)>")
_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_COMMAND = re.compile(r"</([\w -]+):\d+>")
_ESCAPED = re.compile(r"\\([^A-Za-z0-9\s])")
WIDTH = 88


def when(moment: datetime, style: str, now: datetime) -> str:
    """A `<t:…:style>` timestamp as Discord shows it, in UTC (the sandbox's viewer zone)."""
    if style == "R":
        seconds = (moment - now).total_seconds()
        ahead = seconds >= 0
        seconds = abs(seconds)
        for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (86400, "day"),
                           (3600, "hour"), (60, "minute"), (1, "second")):
            if seconds >= size or unit == "second":
                count = int(seconds // size)
                text = f"{count} {unit}{'s' if count != 1 else ''}"
                return f"in {text}" if ahead else f"{text} ago"
    day = f"{moment.day} {moment:%B %Y}"
    return {
        "t": f"{moment:%H:%M} UTC",
        "T": f"{moment:%H:%M:%S} UTC",
        "d": f"{moment:%d/%m/%Y}",
        "D": day,
        "F": f"{moment:%A}, {day} {moment:%H:%M} UTC",
    }.get(style, f"{day} {moment:%H:%M} UTC")


class Renderer:
    """Turns message payloads into readable lines; mentions and timestamps become names and
    dates, as a Discord client would show them."""

    def __init__(self, world: World, now: Callable[[], datetime],
                 save: Callable[[dict[str, Any]], str | None] | None = None) -> None:
        self.world = world
        self.now = now
        # Writes an attachment the bot sent to a folder; returns where, or None.
        self.save = save

    def inline(self, text: str) -> str:
        def stamp(match: re.Match[str]) -> str:
            moment = datetime.fromtimestamp(int(match.group(1)), UTC)
            return when(moment, match.group(2) or "f", self.now())

        def user(match: re.Match[str]) -> str:
            try:
                return "@" + self.world.member(int(match.group(1))).name
            except KeyError:
                return "@unknown-user"

        def role(match: re.Match[str]) -> str:
            try:
                return "@" + self.world.role(int(match.group(1))).name
            except KeyError:
                return "@deleted-role"

        def channel(match: re.Match[str]) -> str:
            found = self.world.find_channel(int(match.group(1)))
            return "#" + found.name if found else "#unknown"

        text = _TIMESTAMP.sub(stamp, text)
        text = _ROLE.sub(role, _USER.sub(user, text))
        text = _CHANNEL.sub(channel, text)
        text = _COMMAND.sub(lambda m: "/" + m.group(1), text)
        text = _EMOJI.sub(lambda m: f":{m.group(1)}:", text)
        # Markdown escapes show as the character, as a Discord client shows them.
        return _ESCAPED.sub(r"\1", text)

    def wrap(self, text: str, prefix: str) -> list[str]:
        lines = []
        for raw in self.inline(text).splitlines() or [""]:
            lines += textwrap.wrap(raw, WIDTH - len(prefix), replace_whitespace=False,
                                   drop_whitespace=True) or [""]
        return [prefix + line if line else prefix.rstrip() for line in lines]

    def embed(self, embed: dict[str, Any]) -> list[str]:
        bar = "│ "
        lines = []
        author = (embed.get("author") or {}).get("name")
        if author:
            lines += self.wrap(author, bar)
        if embed.get("title"):
            lines += self.wrap(embed["title"], bar)
        if embed.get("description"):
            lines += self.wrap(embed["description"], bar)
        for item in embed.get("fields") or []:
            lines.append(bar.rstrip())
            lines += self.wrap(item.get("name") or "", bar)
            lines += self.wrap(item.get("value") or "", bar + "  ")
        footer = (embed.get("footer") or {}).get("text")
        stamp = embed.get("timestamp")
        if footer or stamp:
            bits = [footer] if footer else []
            if stamp:
                moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
                bits.append(when(moment, "f", self.now()))
            lines.append(bar.rstrip())
            lines += self.wrap(" · ".join(bits), bar + "— ")
        return ["╭" + "─" * 40, *lines, "╰" + "─" * 40]

    def text_file(self, attachment: dict[str, Any], most: int = 80) -> list[str]:
        """A text attachment (a Markdown brief, a calendar, JSON) shown in the terminal too,
        so the sandbox shows what the file holds, not only that it came."""
        name = str(attachment.get("filename", ""))
        if not name.endswith((".md", ".txt", ".json", ".ics", ".csv")):
            return []
        body = str(attachment.get("data") or "").splitlines()
        shown = ["  │ " + line for line in body[:most]]
        if len(body) > most:
            shown.append(f"  │ … {len(body) - most} more lines")
        return shown

    def message(self, message: dict[str, Any], heading: str) -> tuple[list[str],
                                                                      list[dict[str, Any]]]:
        """The lines for a message and its clickable buttons, numbered from 1."""
        lines = [heading]
        flags = int(message.get("flags") or 0)
        if flags & LOADING:
            lines.append("  Attaché is thinking…")
        if message.get("content"):
            lines += self.wrap(message["content"], "  ")
        for embed in message.get("embeds") or []:
            lines += ["  " + line for line in self.embed(embed)]
        for attachment in message.get("attachments") or []:
            line = f"  [file {attachment['filename']}, {attachment['size']} bytes]"
            saved = self.save(attachment) if self.save is not None else None
            lines.append(line + (f" saved as {saved}" if saved else ""))
            lines += self.text_file(attachment)
        clickable = buttons(message)
        if clickable:
            labels = []
            for number, button in enumerate(clickable, 1):
                label = button.get("label") or (button.get("emoji") or {}).get("name") or "?"
                state = " (disabled)" if button.get("disabled") else ""
                link = f" → {button.get('url')}" if button.get("url") else ""
                labels.append(f"[{number} {label}{state}{link}]")
            lines += self.wrap(" ".join(labels), "  ")
        for menu in selects(message):
            names = ", ".join(str(o.get("label")) for o in menu.get("options") or [])
            lines.append(f"  [menu {menu.get('custom_id')}: {names or menu.get('placeholder')}]")
        return lines, clickable

    def modal(self, modal: dict[str, Any]) -> list[str]:
        fields = text_inputs(modal.get("components") or [])
        lines = [f"  Form: {modal.get('title')}"]
        for field in fields:
            style = "paragraph" if field.get("style") == 2 else "one line"
            most = field.get("max_length") or 4000
            required = "required" if field.get("required", True) else "optional"
            lines.append(f"    {field.get('label')} ({style}, up to {most} characters, "
                         f"{required})")
            if field.get("value"):
                lines += self.wrap("now: " + str(field["value"]), "      ")
        if len(fields) == 1:
            lines.append("  Type: submit <text>")
        else:
            lines.append("  Type: submit Label: text | Other label: text")
        return lines


def is_ephemeral(message: dict[str, Any]) -> bool:
    return bool(int(message.get("flags") or 0) & EPHEMERAL)


def parse_options(invocation: Invocation, text: str) -> dict[str, str]:
    """`country:Kazakhstan since:March 2025` → {"country": "Kazakhstan", "since": "March 2025"}.

    As in Discord's client an option's value runs until the next `name:` of this command, so
    values may hold spaces and colons ("10:00", "https://…").
    """
    names = sorted((o["name"] for o in invocation.leaf_options), key=len, reverse=True)
    text = text.strip()
    if not text:
        return {}
    if not names:
        raise OptionError(f"/{invocation.name} takes no options")
    marker = re.compile(r"(?:^|(?<=\s))(" + "|".join(map(re.escape, names)) + r"):")
    found = list(marker.finditer(text))
    if not found or found[0].start() != 0:
        head = text[: found[0].start()] if found else text
        raise OptionError(f"I don't understand {head.strip()!r}: write options as name:value; "
                          f"/{invocation.name} has {', '.join(sorted(names))}")
    values: dict[str, str] = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        name = match.group(1)
        if name in values:
            raise OptionError(f"{name} is given twice")
        values[name] = text[match.end():end].strip()
    return values


def split_command(line: str, commands: list[dict[str, Any]]) -> tuple[str, str]:
    """`/visit show visit:#2` → ("visit show", "visit:#2"), using the synced command tree."""
    words = line.strip().lstrip("/").split(" ")
    path: list[str] = []
    node: dict[str, Any] | None = None
    pool = [c for c in commands if c.get("type", 1) == 1]
    for word in words:
        if not word:
            continue
        match = next((c for c in pool if c["name"] == word and c.get("type", 1) in (1, 2)),
                     None)
        if match is None or ":" in word:
            break
        path.append(word)
        node = match
        pool = [o for o in node.get("options") or [] if o.get("type") in (1, 2)]
        if not pool:
            break
    rest = line.strip().lstrip("/")
    for word in path:
        rest = rest.lstrip()[len(word):]
    if not path:
        return words[0] if words else "", " ".join(words[1:])
    return " ".join(path), rest.strip()
