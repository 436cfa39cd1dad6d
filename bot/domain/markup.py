"""Stored text made inert for Discord markdown: what a user typed or imported shows as typed.

One function, `escape`, is used wherever such text is shown: list lines, cards, search
snippets, history, briefings, reminders and Discord event descriptions. It escapes every
character Discord's markdown gives a meaning to, one character at a time rather than by
patterns, so a pattern split across a highlight, nested brackets or a zero-width character
cannot survive it:

- `\\ * _ ~ | `` ` `` [ ]` everywhere (bold, italics, underline, strikethrough, spoilers,
  code, masked links `[text](https://…)`, nested or not);
- at the start of a line, when a space follows: `#` (headings), `-` (lists and
  `-# subtext`), `+`, `>` (block quotes) and the dot of `1.` (numbered lists);
- `<t:…>` timestamps, which would show a time the bot never said;
- invisible characters that could hide markup or turn text around: zero-width spaces,
  word joiners, byte-order marks, soft hyphens, bidirectional overrides and isolates,
  tag characters; zero-width (non-)joiners stay only between letters, where scripts such
  as Urdu and Persian and emoji sequences need them.

Plain web addresses stay as written (Discord shows them as they are, so they cannot mislead,
and a backslash inside one would break it). Mentions (`<@…>`, `<#…>`) stay as today: what
they may ping is decided by each message's allowed mentions, and nothing pings but the
configured reminder role.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters with a meaning anywhere in a line.
_ANYWHERE = frozenset("\\*_~|`[]")
# Invisible characters dropped wherever they are.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b\u2060-\u2064\u206a-\u206f"
    "\u202a-\u202e\u2066-\u2069\u3164\ufe00-\ufe0e\ufeff\uffa0\U000e0000-\U000e007f]"
)
# Joiners that scripts and emoji need, when they sit between two such characters.
_JOINERS = "\u200c\u200d"
# Discord's own rule for a bare web address (its end excludes trailing punctuation).
# A bracket ends one here, so no part of a masked link can hide inside an address.
_URL = re.compile(r"https?://[^\s<\[\]]+[^<.,:;\"')\[\]\s]", re.IGNORECASE)
# What makes a line a heading, list item, quote or numbered item.
# (Each needs a space after it: "#1 Talks" and "-5 degrees" are plain text already.)
_LINE_START = re.compile(
    r"^([ \t]*)(#(?=#*[ \t])|-(?=#*[ \t])|\+(?=[ \t])|>(?=(?:>>)?[ \t])|\d{1,9}(?=[.)][ \t]))",
    re.MULTILINE,
)
_TIMESTAMP = re.compile(r"<(?=t:)", re.IGNORECASE)


def _keeps_joiner(before: str, after: str) -> bool:
    """A joiner between two letters, marks or symbols (not markup or spaces) is real text."""
    def wordlike(char: str) -> bool:
        return bool(char) and not char.isspace() and (char.isalnum() or ord(char) > 0x7F)
    return wordlike(before) and wordlike(after)


def _visible(text: str) -> str:
    """The text without invisible characters, joiners kept only where a script needs them."""
    text = _INVISIBLE.sub("", text)
    if not any(j in text for j in _JOINERS):
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        if char in _JOINERS:
            after = next((c for c in text[index + 1:] if c not in _JOINERS), "")
            before = next((c for c in reversed(out) if c not in _JOINERS), "")
            if not _keeps_joiner(before, after):
                continue
        out.append(char)
    return "".join(out)


def _escape_run(text: str) -> str:
    """Escapes characters that mean something anywhere, and line starts, in text with no URL."""
    out = "".join("\\" + c if c in _ANYWHERE else c for c in text)
    return _TIMESTAMP.sub(r"\\<", out)


def escape(text: str | None) -> str:
    """`text` as Discord shows it literally: every markdown character escaped (see above)."""
    if not text:
        return ""
    text = _visible(unicodedata.normalize("NFC", str(text)))
    parts: list[str] = []
    last = 0
    for found in _URL.finditer(text):
        parts.append(_escape_run(text[last:found.start()]))
        parts.append(found.group())
        last = found.end()
    parts.append(_escape_run(text[last:]))
    joined = "".join(parts)
    return _LINE_START.sub(_line_start, joined)


def _line_start(found: re.Match[str]) -> str:
    indent, marker = found.group(1), found.group(2)
    if marker[0].isdigit():
        return indent + marker + "\\"  # the backslash lands before the "." or ")"
    return indent + "\\" + marker


def escape_line(text: str | None) -> str:
    """Escaped, with line breaks and runs of spaces made one space: for one line of a list."""
    return escape(" ".join(str(text or "").split()))


def highlight(snippet: str, words: Iterable[str]) -> str:
    """A search snippet escaped, keeping only the index's own `**` marks around its words.

    The index wraps each matching word in `**`; the text may hold `**` of its own. A pair of
    marks is the index's only when it encloses exactly one word of the query (compared as
    the index compares: case and accents aside); every other asterisk is escaped with the
    rest. A snippet cut inside a mark pair is closed, so the next line does not turn bold.
    """
    wanted = {folded(w) for w in words if w}
    text = " ".join(snippet.split())
    out: list[str] = []
    last = 0
    for found in re.finditer(r"\*\*(\w+)\*\*", text):
        if folded(found.group(1)) not in wanted:
            continue
        out.append(escape(text[last:found.start()]))
        out.append(f"**{escape(found.group(1))}**")
        last = found.end()
    out.append(escape(text[last:]))
    return "".join(out)


class _CombiningMarks(dict[int, int | None]):
    """str.translate's table: combining marks map to None (dropped), anything else to
    itself; filled as characters are first met, so later lookups stay in C."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _CombiningMarks()


def folded(word: str) -> str:
    """A text with case and accents aside, as name_words and highlight compare words."""
    if word.isascii():
        return word.lower()  # nothing to decompose: the common case, at a tenth of the cost
    return unicodedata.normalize("NFKD", word.casefold()).translate(_MARKS)


def query_words(text: str) -> list[str]:
    """The words the search index matched on, as the store splits a query."""
    return re.findall(r"\w+", text)


def name_words(text: str) -> list[str]:
    """The words of a text as autocomplete and pickers compare them: letters and digits,
    case and accents aside, split at anything else (underscores too, as the index splits)."""
    return re.findall(r"[^\W_]+", folded(text))

