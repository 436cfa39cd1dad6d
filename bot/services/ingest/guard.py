"""Refusing input that is not a report: empty, binary, oversized, noise, or about nothing."""

from __future__ import annotations

import re

from bot.domain.errors import UserError

MAX_BYTES = 200_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_WORD = re.compile(r"[^\W\d_]+")
# Words every English paragraph is full of; noise and binary junk almost never has them.
_FUNCTION_WORDS = set("""the of and to in a on for with by at from as was were is are has have
    that this their its his her will be said two after""".split())

EXAMPLE = ("e.g. 'The two foreign ministers signed a roadmap on Monday …', "
           "'the President will visit in November 2025'")


def check_text(text: str) -> None:
    """Raises UserError saying what is wrong with `text` and what is accepted."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("The text is empty. Paste a press release or news report in English, "
                        "or attach it as a .txt or .md file (up to 200 KB).")
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise UserError(f"The text is {size // 1000} KB; at most {MAX_BYTES // 1000} KB can be "
                        "read at once. Split it into separate reports.")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise UserError("This looks like a binary file, not text. Attach a plain .txt or .md "
                        "file, or paste the text of the report.")
    words = _WORD.findall(text.lower())
    common = sum(1 for w in words if w in _FUNCTION_WORDS)
    if len(words) >= 30 and common < len(words) * 0.08:
        raise UserError("This does not read as English prose, so there is nothing to propose. "
                        f"Paste a press release or news report, {EXAMPLE}.")


def nothing_found() -> UserError:
    return UserError("No meetings, agreements or visits between two countries were found in "
                     "this text. Ingest reads reports that say who met, signed or visited whom, "
                     f"{EXAMPLE}.")
