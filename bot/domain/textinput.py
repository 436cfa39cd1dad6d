"""Checks on what people type, before it is used: record numbers in range, text storable.

Every slash option, form field and record reference passes through here (the command tree,
the long-text forms and the record lookup call it), so a typed value either works or is
refused with a message naming the field and what it accepts — never an internal error.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.errors import UserError

# Record numbers are bounded well inside SQLite's 64-bit integers and JSON's exact integers
# (2^53 − 1), so a typed number can always be looked up, exported and shown.
RECORD_NUMBER_MAX = 2**53 - 1
RECORD_NUMBERS = f"record numbers run from #1 to #{RECORD_NUMBER_MAX:,}"

# What Discord accepts in one string option; nothing typed into a command is longer.
OPTION_TEXT_MAX = 6000

# "#12", "12", "# 12": a number as people type it. ASCII digits only: int() would also read
# "١٢" or "١٢", and "²".isdigit() is true but int("²") fails.
_NUMBER = re.compile(r"#?\s*([0-9]+)")
_LINE_BREAKS = "\n\r\t"


def record_number(text: str) -> int | None:
    """The record number typed as "#12" or "12", or None if the text is not a number.

    A number out of range is refused here rather than looked up, so the store never sees
    an integer it cannot hold.
    """
    found = _NUMBER.fullmatch(text.strip())
    if found is None:
        return None
    digits = found[1].lstrip("0")
    if not digits or len(digits) > len(str(RECORD_NUMBER_MAX)) or int(digits) > RECORD_NUMBER_MAX:
        raise UserError(f"{quoted(text.strip())} is not a record number: {RECORD_NUMBERS}. "
                        "Pick a record from the suggestions as you type, or give its number, "
                        "e.g. #12.")
    return int(digits)


# Control characters (category Cc: U+0000–001F, U+007F–009F) and lone surrogates, found by one
# regular expression rather than a look at every character, since imports check megabytes.
_BAD_IN_LONG = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BAD_IN_LINE = re.compile("[\ud800-\udfff\x00-\x1f\x7f-\x9f\u2028\u2029]")


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why a text cannot be used as it is, or None.

    A lone surrogate is half of a character and cannot be written as UTF-8 at all; control
    characters (other than line breaks and tabs in long text) garble every place the text
    is shown. Format characters such as the zero-width non-joiner stay: names need them.
    """
    found = (_BAD_IN_LONG if multiline else _BAD_IN_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return (f"contains half of a character (a lone surrogate, U+{ord(char):04X}); "
                "retype it or paste it again")
    if char in _LINE_BREAKS or char in "\u2028\u2029":
        return ("contains a line break or tab; it takes one line of text (longer text "
                "goes in the form under the record's card)")
    return (f"contains a control character (U+{ord(char):04X}); "
            "only printable text is accepted")


def check_text(value: str, field: str, *, multiline: bool = False,
               limit: int | None = None) -> str:
    """`value` unchanged if it can be used; else a UserError naming `field`."""
    problem = text_problem(value, multiline=multiline)
    if problem is None and limit is not None and len(value) > limit:
        problem = f"is {len(value):,} characters long; at most {limit:,} are accepted"
    if problem is not None:
        raise UserError(f"Refused: {field} {problem}. Nothing was changed.")
    return value


def quoted(text: str, limit: int = 40) -> str:
    """Typed text quoted back in a message: clipped, and anything unprintable escaped."""
    clipped = text if len(text) <= limit else text[: limit - 1] + "…"
    safe = "".join(
        c if not ("\ud800" <= c <= "\udfff" or unicodedata.category(c) == "Cc")
        else f"\\u{ord(c):04x}" for c in clipped
    )
    return f"“{safe}”"
