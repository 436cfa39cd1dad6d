"""Finding the dateline a report opens with: "ISLAMABAD, Sept 10 —", "date 2025-09-10 …:"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.dateparse import parse_fuzzy_date
from bot.domain.errors import UserError
from bot.domain.fuzzydate import Precision

# Only the opening of a text is searched: a date later on is an event, not a dateline.
_HEAD = 160
_DASH = r"(?:—|–|--|-|:|\n|$)"
_AGENCY = r"(?:\s*\([^)\n]{1,40}\))?"
_PLACE = r"[A-ZÀ-Ý][\w'.-]*(?:[ ][A-ZÀ-Ý][\w'.-]*){0,3}"

_FORMS = (
    # "date 2025-09-10 ISLAMABAD:" — a wire header with the date first.
    re.compile(rf"^\s*date\s*:?\s*(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s+(?P<place>{_PLACE})?\s*{_DASH}",
               re.IGNORECASE),
    # "ASTANA, 3 March 2026 (Reuters) -", "DOHA, Nov. 3 (QNA) --", "Lisbon, 12 March 2026"
    re.compile(rf"^\s*(?P<place>{_PLACE}){_AGENCY}\s*,\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)"
               rf"day,?\s+)?(?P<date>[\w./ ,]{{3,30}}?){_AGENCY}\s*{_DASH}"),
    # "12 March 2026 — Lisbon" or a first line holding only the date.
    re.compile(rf"^\s*(?P<date>[\w./ ,]{{5,30}}?)\s*(?:{_DASH}\s*(?P<place>{_PLACE}))?\s*(?:\n|$)"),
)


@dataclass(frozen=True)
class Dateline:
    day: date
    place: str  # as a person writes it: "Islamabad", "Mexico City"; "" when not given
    end: int  # where the body starts


def find_dateline(text: str, today: date) -> Dateline | None:
    """The dateline at the start of `text` (already folded), or None.

    A dateline without a year ("Sept 10") is the most recent such day on or before `today`:
    reports are read after they are written, never before.
    """
    for start in _starts(text):
        head = text[start:start + _HEAD]
        for form in _FORMS:
            found = form.match(head)
            if not found:
                continue
            day = _read_day(found.group("date"), today)
            if day is None:
                continue
            place = (found.group("place") or "").strip(" .")
            return Dateline(day, _tidy_place(place), start + found.end())
    return None


def _starts(text: str) -> list[int]:
    """Where a dateline may begin: the top, or below a few heading lines ("JOINT COMMUNIQUÉ")."""
    starts, position = [0], 0
    for line in text.split("\n")[:6]:
        position += len(line) + 1
        if line.strip() and (len(line) > 80 or re.search(r"[.!?]\s*$", line)):
            break  # prose has begun; a date further down is an event's
        starts.append(position)
    return starts


def _read_day(text: str, today: date) -> date | None:
    text = text.strip(" ,.")
    if not re.search(r"\d", text) or len(text) < 3:
        return None
    try:
        parsed = parse_fuzzy_date(text, today=today, news=True).date
    except UserError:
        return None
    if parsed.precision is not Precision.DAY or parsed.has_time:
        return None
    day = parsed.start
    if not re.search(r"\d{4}", text) and day > today:
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:  # 29 February of a leap year
            return None
    return day


def _tidy_place(place: str) -> str:
    """ "ISLAMABAD" -> "Islamabad"; a place already in mixed case is kept as written."""
    if place.isupper():
        return " ".join(word.capitalize() for word in place.split())
    return place
