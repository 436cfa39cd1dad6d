"""A pasted or attached report as plain text: Markdown and Discord markup spelled out, never kept.

A report may come from a web page or a .md file. Its masked links ("[Official statement](url)")
would be stored, then shown as a clickable label hiding where it leads; its headings, bold and
quotes would change how stored text looks wherever it is shown. Everything ingest stores is
derived from the text this returns.
"""

from __future__ import annotations

import re

# [label](url), [label](<url>), [label](url "title"): the label, then the address in brackets.
_MASKED = re.compile(r"\[([^\[\]\n]{0,500})\]\(\s*<?([^()\s<>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+)>")
_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::[tTdDfFR])?>")
_COMMAND = re.compile(r"</([\w -]+):\d+>")
_PAIRED = re.compile(r"(\*\*\*|\*\*|__|~~|\|\|)(?=\S)(.+?)(?<=\S)\1")
_STARRED = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`+([^`\n]*)`+")
_LINE_MARK = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|-#[ \t]+|>>>[ \t]?|>[ \t]?)")
_FENCE = re.compile(r"(?m)^[ \t]*```[^\n]*$\n?")


def plain_text(text: str) -> str:
    """`text` with markup spelled out as plain words: "[Official statement](https://x.example)"
    becomes "Official statement (https://x.example)"; bold, quotes and headings lose their
    marks; Discord mentions and emoji become their names. Line breaks are kept."""
    for _ in range(3):  # a label may itself hold a masked link
        text, found = _MASKED.subn(_unmask, text)
        if not found:
            break
    # Whatever bracket pair is left can no longer join into a link.
    text = text.replace("](", "] (")
    text = _AUTOLINK.sub(r"\1", text)
    text = _MENTION.sub(r"\1\2", text)
    text = _EMOJI.sub(r":\1:", text)
    text = _TIMESTAMP.sub(r"\1", text)
    text = _COMMAND.sub(r"/\1", text)
    text = _FENCE.sub("", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # ***both*** and nested marks
        text, found = _PAIRED.subn(r"\2", text)
        if not found:
            break
    text = _STARRED.sub(r"\1", text)
    return _LINE_MARK.sub("", text)


def _unmask(found: re.Match[str]) -> str:
    label, address = found.group(1).strip(), found.group(2).strip()
    if not address or address == label:
        return label or address
    return f"{label} ({address})" if label else address
