"""Splitting a report into lines and sentences, keeping each sentence's place in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.services.ingest.memo import cached

# Typographic variants are folded so that every later pattern needs only one spelling.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "\u00a0": " ",
                       "\u2009": " ", "\u202f": " "})

# A full stop after these is not the end of a sentence ("Nov. 3", "Mr. Dar", "U.S. envoy").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "gen", "lt", "col", "capt", "maj",
    "sen", "rep", "gov", "amb", "jr", "sr", "vs", "etc", "approx", "dept", "est", "inc",
    "hon", "rt",  # "the Hon. Sitiveni Naulu", "the Rt. Hon. …"
    "brig", "adm", "cdr", "engr", "rev", "msgr", "mme", "mlle", "smt",  # ranks and styles
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "h.e", "u.s", "u.k", "u.n", "a.m", "p.m",
}
_BOUNDARY = re.compile(r"""[.!?]["')\]]*\s+(?=["'(\[]?[A-Z0-9À-Ý])""")
_LINE_END = re.compile(r"""[.!?:]["')\]]*\s*$""")
# The word before a full stop is looked for this far back: abbreviations are short, and a
# bounded look keeps splitting linear in the length of a line.
_WORD_REACH = 40
# No sentence of a report runs this long; a longer run (a pasted table, a list without stops,
# crafted input) is cut at its last clause break, so that reading a sentence costs at most a
# fixed amount and a whole text is read in time linear in its length.
MAX_SENTENCE = 800
_BREAK = re.compile(r"[;,]\s|\s[—–-]\s|\s")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset of the sentence in the folded text
    index: int
    line: int
    # A line with no closing stop: a headline, crosshead or signature. Such lines describe
    # events too ("Kazakhstan DPM/FM arrives in Islamabad") but never give their dates.
    headline: bool


def matches(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], ...]:
    """Every match of `pattern` in a sentence. Several readers look for the same words in the
    same sentence (meeting, plan and visit cues, statuses, offices); each search runs once."""
    key = id(pattern)  # a pattern hashes its whole source each time; its id is free
    _PATTERNS.setdefault(key, pattern)  # kept alive, so the id stays its own
    need = _NEEDS.get(key)
    if need is not None and need.search(text) is None:
        return ()
    return _matches(key, text)


_PATTERNS: dict[int, re.Pattern[str]] = {}
_NEEDS: dict[int, re.Pattern[str]] = {}


def needs(pattern: re.Pattern[str], words: re.Pattern[str]) -> re.Pattern[str]:
    """Mark that every match of `pattern` contains a match of `words`, a cheap search: a
    sentence without them is not searched with the costly pattern at all."""
    _PATTERNS[id(pattern)] = pattern
    _NEEDS[id(pattern)] = words
    return pattern


@cached(1 << 16)
def _matches(key: int, text: str) -> tuple[re.Match[str], ...]:
    return tuple(_PATTERNS[key].finditer(text))


_Trie = dict[str, "_Trie"]


def trie(words: list[str]) -> str:
    """An alternation of `words` with their common beginnings written once ("Minister(?: of
    State)?"): the same strings, the longest first as a sorted alternation, but the regex
    engine no longer tries each word in turn at every position."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(char) + emit(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{emit(tree)})"


def fold(text: str) -> str:
    """One spelling for quotes and spaces; line ends become \\n. Lengths may change."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_FOLD)


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """The sentences of `text` (already folded), in order; `offset` is added to positions."""
    sentences: list[Sentence] = []
    position = 0
    for line_number, line in enumerate(text.split("\n")):
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        headline = not _LINE_END.search(line.strip())
        start = 0
        for piece_end in _boundaries(line):
            _append(sentences, line, start, piece_end, offset + line_start, line_number, headline)
            start = piece_end
        _append(sentences, line, start, len(line), offset + line_start, line_number, headline)
    return sentences


def _boundaries(line: str) -> list[int]:
    ends = []
    for found in _BOUNDARY.finditer(line):
        word = _word_before(line, found.start()).lower().rstrip(".")
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            continue  # "Nov. 3" or an initial ("J. Smith")
        ends.append(found.end())
    return ends


def _append(
    out: list[Sentence], line: str, start: int, end: int, base: int, line_number: int,
    headline: bool,
) -> None:
    while end - start > MAX_SENTENCE:
        cut = _cut(line, start, start + MAX_SENTENCE)
        _append_one(out, line, start, cut, base, line_number, headline)
        start = cut
    _append_one(out, line, start, end, base, line_number, headline)


def _word_before(line: str, stop: int) -> str:
    """The run of letters, digits and dots just before the stop at `stop` ("Nov", "U.S")."""
    start = stop
    floor = max(0, stop - _WORD_REACH)
    while start > floor and (line[start - 1].isalnum() or line[start - 1] in "._"):
        start -= 1
    return line[start:stop]


def _cut(line: str, start: int, limit: int) -> int:
    """Where to end an over-long piece: after its last clause break, else its last space."""
    floor = start + MAX_SENTENCE // 2
    last_clause = last_space = -1
    for found in _BREAK.finditer(line, floor, limit):
        if found.group()[0] in ";,—–-" or found.group().strip():
            last_clause = found.end()
        else:
            last_space = found.end()
    for position in (last_clause, last_space):
        if position > start:
            return position
    return limit


def _append_one(
    out: list[Sentence], line: str, start: int, end: int, base: int, line_number: int,
    headline: bool,
) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    out.append(Sentence(stripped, base + start + lead, len(out), line_number, headline))
