"""What Discord would make of a message: which characters are markup, which are escaped.

Shared by the unit and behaviour tests of escaping. It reads text the way Discord's markdown
does at the level that matters here: a backslash before a punctuation character makes it
literal. A hostile string is shown safely when every one of its markdown characters arrives
escaped (bare web addresses aside, which Discord shows as they are), and a message is free
of masked links when no unescaped `[` is left in it at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

# Stored text that would mislead if Discord read it as markup.
HOSTILE = [
    "[Official MFA statement](https://evil.example)",
    "[a [nested](https://x.example) link](https://evil.example/p)",
    "[x](<https://evil.example>)",
    "[Official **MFA** statement](https://evil.example)",
    "**bold** __underline__ ~~struck~~ *it* _it_",
    "`code` and ```block```",
    "# Heading",
    "## Second heading",
    "-# small print",
    "- a list item",
    "> a block quote",
    ">>> a long quote",
    "1. numbered",
    "||spoiler||",
    "*\u200b*hidden bold*\u200b*",
    "[Offi\u200bcial](https://evil.example)",
    "\u202e[evil](https://evil.example)",
    "<t:0:R> is when",
    "\\[already escaped](https://evil.example)",
    "tail \\",
    "see https://good.example/a_b_(c) and [y](https://evil.example)",
]

# Characters with a meaning wherever they are.
ACTIVE = set("\\*_~|`[]")
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\u00ad]")
URL = re.compile(r"https?://[^\s<\[\]]+")
# A heading, subtext, list item, quote or numbered item (Discord's need a space after).
LINE_START = re.compile(r"^\s*(#{1,3} |-# |[-*+] |>>> |> |\d+[.)] )")


def read(rendered: str) -> list[tuple[str, bool]]:
    """Each character Discord would show, with whether it arrived escaped."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(rendered):
        char = rendered[i]
        nxt = rendered[i + 1] if i + 1 < len(rendered) else ""
        if char == "\\" and nxt and not nxt.isalnum() and not nxt.isspace():
            out.append((nxt, True))
            i += 2
        else:
            out.append((char, False))
            i += 1
    return out


def visible_form(typed: str) -> str:
    """What a reader should see of `typed`: as written, without invisible characters."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", typed))
    return " ".join(text.split())


def problems(rendered: str, typed: str, *, own_lists: bool = False) -> list[str]:
    """How `rendered` fails to show `typed` inertly; empty when it is shown safely.

    `typed` must appear, as written (whitespace aside), at least once; wherever it appears
    every markdown character of it must be escaped, except inside a bare web address.
    `own_lists` is for a Markdown file, whose own lines are headings and list items.
    """
    found: list[str] = []
    if INVISIBLE.search(rendered):
        found.append("an invisible character was kept")
    found += masked_links(rendered)
    for line in rendered.splitlines():
        if own_lists:
            line = re.sub(r"^\s*(?:#+ |- )", "", line)
        if LINE_START.match(line):
            found.append(f"a line starts with markup: {line!r}")
    chars = _collapsed(read(rendered))
    flat = "".join(c for c, _ in chars)
    want = visible_form(typed)
    if want not in flat:
        return [*found, f"{want!r} is not shown as typed in {flat!r}"]
    exempt = {m.start() + k for m in URL.finditer(want) for k in range(len(m.group()))}
    for start in _occurrences(flat, want):
        for k, char in enumerate(want):
            active = char in ACTIVE or want.startswith("<t:", k)  # a timestamp shows a time
            if active and k not in exempt and not chars[start + k][1]:
                found.append(f"{char!r} at {k} of {want!r} is not escaped")
    return found


def _collapsed(chars: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for char, escaped in chars:
        if char.isspace():
            if out and out[-1][0] == " ":
                continue
            char = " "
        out.append((char, escaped))
    return out


def _occurrences(text: str, part: str) -> Iterator[int]:
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + 1)


def masked_links(rendered: str) -> list[str]:
    """A masked link needs an unescaped `[`: any at all is reported."""
    return [f"an unescaped [ in {rendered!r}"] if any(
        c == "[" and not escaped for c, escaped in read(rendered)) else []


def payload_texts(payload: Any) -> Iterator[str]:
    """The texts of a message or event payload that Discord renders as markdown.

    Footers, autocomplete choices, button labels and event names are plain text in Discord,
    so they are left out.
    """
    if isinstance(payload, list):
        for item in payload:
            yield from payload_texts(item)
        return
    if not isinstance(payload, dict):
        return
    for key in ("content", "title", "description"):
        value = payload.get(key)
        if isinstance(value, str):
            yield value
    for field in payload.get("fields") or []:
        yield field.get("name", "")
        yield field.get("value", "")
    for key in ("embeds", "data"):
        if key in payload:
            yield from payload_texts(payload[key])


# Long text (summaries, notes) may run over lines, where line starts matter.
MULTILINE = "first line\n# heading on line two\n> quoted\n-# small print\n[x](https://evil.example)"


def hostile_bundle(typed: str, *, long_text: str | None = None) -> dict[str, Any]:
    """One record of every type about Pakistan and Kazakhstan, every text field `typed`.

    Long-text fields get `long_text` (by default `typed` and MULTILINE on their own lines).
    The visit is planned for 24 November 2025, after the tests' clock (12 September 2025).
    """
    long = long_text if long_text is not None else f"{typed}\n{MULTILINE}"
    day = {"value": "2025-11-24", "precision": "day"}
    return {
        "schema_version": 1,
        "people": [{"uid": "p", "name": typed, "title": typed, "country": "Kazakhstan",
                    "notes": long, "source": "s"}],
        "sources": [{"uid": "s", "title": typed, "url": "https://example.org/report",
                     "published": {"value": "2025-09-10", "precision": "day"},
                     "summary": long, "text": ""}],
        "meetings": [{"uid": "m", "title": typed, "kind": "other",
                      "date": {"value": "2025-09-09", "precision": "day"}, "place": typed,
                      "countries": ["Pakistan", "Kazakhstan"],
                      "participants": [{"person": "p", "part": typed}], "topics": [typed],
                      "summary": long, "visit": "v", "source": "s"}],
        "plans": [{"uid": "pl", "title": typed, "kind": "mou", "status": "expected",
                   "date": {"value": "2025-11", "precision": "month"}, "place": typed,
                   "parties": ["Pakistan", "Kazakhstan"],
                   "signatories": [{"person": "p", "on_behalf_of": typed}], "fields": [typed],
                   "summary": long, "meeting": "m", "visit": "v", "source": "s"}],
        "visits": [{"uid": "v", "visitor": "p", "visitor_role": typed,
                    "from_country": "Kazakhstan", "to_country": "Pakistan", "date": day,
                    "end_date": None, "status": "planned", "place": typed, "purpose": long,
                    "notes": long, "source": "s"}],
    }


def raw_markup(rendered: str) -> list[str]:
    """Markdown characters that arrive unescaped, outside bare web addresses."""
    chars = read(rendered)
    text = "".join(c for c, _ in chars)
    exempt = {m.start() + k for m in URL.finditer(text) for k in range(len(m.group()))}
    return [f"{c!r} at {i} of {text!r}" for i, (c, escaped) in enumerate(chars)
            if c in ACTIVE and not escaped and i not in exempt]
