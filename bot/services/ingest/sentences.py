"""Splitting a report into lines and sentences, keeping each sentence's place in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Typographic variants are folded so that every later pattern needs only one spelling.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "\u00a0": " ",
                       "\u2009": " ", "\u202f": " "})

# A full stop after these is not the end of a sentence ("Nov. 3", "Mr. Dar", "U.S. envoy").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "gen", "lt", "col", "capt", "maj",
    "sen", "rep", "gov", "amb", "jr", "sr", "vs", "etc", "approx", "dept", "est", "inc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "h.e", "u.s", "u.k", "u.n", "a.m", "p.m",
}
_BOUNDARY = re.compile(r"""[.!?]["')\]]*\s+(?=["'(\[]?[A-Z0-9À-Ý])""")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]$")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset of the sentence in the folded text
    index: int
    line: int
    # A line with no closing stop: a headline, crosshead or signature. Such lines describe
    # events too ("Kazakhstan DPM/FM arrives in Islamabad") but never give their dates.
    headline: bool


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
        headline = not re.search(r"""[.!?:]["')\]]*\s*$""", line.strip())
        start = 0
        for piece_end in _boundaries(line):
            _append(sentences, line, start, piece_end, offset + line_start, line_number, headline)
            start = piece_end
        _append(sentences, line, start, len(line), offset + line_start, line_number, headline)
    return sentences


def _boundaries(line: str) -> list[int]:
    ends = []
    for found in _BOUNDARY.finditer(line):
        before = _LAST_WORD.search(line[: found.start() + 1])
        word = before.group(1).lower().rstrip(".") if before else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            continue  # "Nov. 3" or an initial ("J. Smith")
        ends.append(found.end())
    return ends


def _append(
    out: list[Sentence], line: str, start: int, end: int, base: int, line_number: int,
    headline: bool,
) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    out.append(Sentence(stripped, base + start + lead, len(out), line_number, headline))
