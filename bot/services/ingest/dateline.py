"""Finding the dateline a report opens with: "ISLAMABAD, Sept 10 —", "date 2025-09-10 …:"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.dateparse import parse_fuzzy_date
from bot.domain.errors import UserError
from bot.domain.fuzzydate import Precision
from bot.services.ingest.places import find_places

# Only the opening of a text is searched: a date later on is an event, not a dateline.
_HEAD = 160
_DASH = r"(?:—|–|--|-|:|\n|$)"
_AGENCY = r"(?:\s*\([^)\n]{1,40}\))?"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# A place is never a weekday: "Wednesday, 10th June 2026" is a date on its own.
_PLACE = rf"(?!{_WEEKDAY}\b)[A-ZÀ-ÞĀ-ž][\w'.-]*(?:[ ][A-ZÀ-ÞĀ-ž][\w'.-]*){{0,3}}"
_STAMP_LABEL = (r"(?:(?:First\s+)?Published|Posted|Date|Dated|Issued|(?:Last\s+)?Updated|"
                r"Modified|Release date|Date of publication|Date of issue|"
                r"(?:Press|News|Media) (?:release|statement|note)|Statement|Communiqu\w+)"
                r"(?:\s+(?:No\.?|N°|Nr\.?|#)\s*:?\s*[\w/-]+)?")
# A stamp that only says when the text last changed: the published day, if given, counts.
_UPDATED = re.compile(r"(?i)^\s*(?:Last\s+)?(?:Updated|Modified)\b")
_PUBLISHED = re.compile(r"(?i)\b(?:First\s+)?(?:Published|Posted|Issued)\b")
# "12.03.2026, 10:15", "12 March 2026 at 14:05 CET", "7 May 2026 - 09:30", "| 14:20": a
# stamp's time, which dates nothing.
_TIME = (r"(?:(?:,|\s*[-–—|])?\s*(?:at\s+)?\d{1,2}[:.h]\d{2}(?::\d{2})?"
         r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,5})?)?")
# "2026-06-04", "2026-05-21T10:00:00Z": an ISO day, whose hyphens the worded forms do not take.
_ISO = r"\d{4}-\d{2}-\d{2}(?:T[\d:.]{2,12}(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE_WORDS = rf"(?:{_ISO}|[\w./ ,]{{5,30}}?)"
# "9–11 February 2026": the days of a visit a statement closes.
_RANGE = r"\d{1,2}\s*[–-]\s*\d{1,2}\s+[A-Za-z]+\.?,?\s+\d{4}"
# A day written with its year, as a text may open with it: "12/05/2026", "5 April 2026",
# "March 15, 2026", "2026-04-09".
_FULL_DAY = (rf"(?:{_ISO}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}"
             r"|\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
             r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")
# An agency after the day: "June 8, 2026, SPA --", "3 April 2026 /TAP/ -", "(RNA) —".
_AGENCY_AFTER = (r"(?:\s*\([^)\n]{1,40}\)|\s*/[A-Za-z]{2,12}/"
                 r"|,\s*[A-Z]{2,8}(?=\s*(?:—|–|--|-|:)))?")

_REGION = (r"(?:,\s*(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri"
           r"|Sat|Sun|Today)[a-z]*\.?\b)[A-ZÀ-ÞĀ-ž][\w'.-]*(?:[ ][A-ZÀ-ÞĀ-ž][\w'.-]*){0,2}(?=,))?")
# "ASTANA, 3 March 2026 (Reuters) -": the place, its region, the agency, the day.
_PLACE_DAY = (rf"(?P<place>{_PLACE}){_REGION}{_AGENCY}\s*(?P<sep>[,|·])\s*(?:{_WEEKDAY},?\s+)?"
              rf"(?P<date>{_RANGE}|{_ISO}|[\w./ ,]{{3,30}}?){_AGENCY_AFTER}\s*{_DASH}")

_FORMS = (
    # "Published: 21.04.2026", "Date: 02.11.2025", "Published on 15.04.2026 | Ministry …":
    # a labelled publication stamp.
    re.compile(rf"^\s*{_STAMP_LABEL}(?:\s+on)?\s*[:|,]?\s*(?:{_WEEKDAY},?\s+)?"
               rf"(?P<date>{_DATE_WORDS}){_TIME}"
               r"\s*(?:[|·•,]|—|–|--|\n|$|\s+by\b)", re.IGNORECASE),
    # "By Martin Keller, Vienna · 14 April 2026": a byline with the place and the day.
    re.compile(rf"^\s*By\s+[^,\n]{{3,60}},\s*(?P<place>{_PLACE})\s*[·|•,—–-]\s*"
               rf"(?P<date>{_DATE_WORDS})\s*(?:\n|$)"),
    # "date 2025-09-10 ISLAMABAD:" — a wire header with the date first.
    re.compile(rf"^\s*date\s*:?\s*(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s+(?P<place>{_PLACE})?\s*{_DASH}",
               re.IGNORECASE),
    # "ASTANA, 3 March 2026 (Reuters) -", "DOHA, Nov. 3 (QNA) --", "Lisbon, 12 March 2026"
    # "ACCRA, Ghana, May 20, 2026 —", "PORTLAND, Maine, May 3 —": a region or country
    # may follow the place (never a month or a weekday, which begin the date).
    re.compile(rf"^\s*{_PLACE_DAY}"),
    # "12 March 2026 — Lisbon" or a first line holding only the date; "March 12, 2026 –
    # Ottawa, Ontario – Global Affairs Canada": the place, its region and the issuer after;
    # "Monday, 9 March 2026 | 14:20": a time beside it.
    re.compile(rf"^\s*(?P<date>{_ISO}|[\w./ ,]{{5,30}}?){_TIME}\s*(?:{_DASH}\s*(?P<place>{_PLACE})"
               r"(?:,\s*[A-ZÀ-ÞĀ-ž][\w'.-]*(?:[ ][A-ZÀ-ÞĀ-ž][\w'.-]*){0,3})?"
               r"(?:\s*[—–|]\s*[^\n]{0,80})?)?\s*(?:\n|$)"),
    # "Central and South Asia | Saturday 27 June 2026": a section line ending with the day.
    re.compile(rf"^\s*[^\n|\d]{{1,60}}\|\s*(?:{_WEEKDAY},?\s+)?(?P<date>{_DATE_WORDS})"
               rf"{_TIME}\s*(?:\n|$)"),
    # "Press Release No. 45/2026 — Canberra, 12 May 2026": a release number, then the place.
    re.compile(rf"^\s*{_STAMP_LABEL}\s*(?:—|–|--|-|\|)\s*{_PLACE_DAY}", re.IGNORECASE),
    # "[Kathmandu] 5 April 2026:", "(Bern) 22.04.2026 –": the place in brackets.
    re.compile(rf"^\s*[\[(](?P<place>{_PLACE})[\])]\s*,?\s*(?:{_WEEKDAY},?\s+)?"
               rf"(?P<date>{_FULL_DAY}){_AGENCY_AFTER}\s*{_DASH}"),
    # "12/05/2026 — The minister …", "2026-04-09 — Vilnius —": a day with its year opening
    # the text before a dash, the place perhaps after it.
    re.compile(rf"^\s*(?:{_WEEKDAY},?\s+)?(?P<date>{_FULL_DAY})\s*(?:—|–|--|-|:)"
               rf"(?:\s*(?P<place>{_PLACE})\s*(?:—|–|--|:))?"),
    # "03.06.2026 | Press release", "12 May 2026 · Statement": the day, then a label line.
    re.compile(rf"^\s*(?:{_WEEKDAY},?\s+)?(?P<date>{_FULL_DAY}){_TIME}\s*[|·•]\s*[^\n\d|]{{1,80}}"
               r"(?:\n|$)"),
)


@dataclass(frozen=True)
class Dateline:
    day: date
    place: str  # as a person writes it: "Islamabad", "Mexico City"; "" when not given
    end: int  # where the body starts
    # The country whose ministry issued it, when its header says so and gives no place
    # ("Published on 15.04.2026 | Ministry of Foreign Affairs of Lithuania").
    issuer: str = ""
    start: int = 0  # where the dateline itself begins, below any heading lines
    # The country a mission serves when its header names it ("Embassy of Japan in Kenya"):
    # one side of the report, though the text may call it only "Japanese".
    sender: str = ""


def find_dateline(text: str, today: date) -> Dateline | None:
    """The dateline at the start of `text` (already folded), or None.

    A dateline without a year ("Sept 10") is the most recent such day on or before `today`:
    reports are read after they are written, never before.
    """
    updated: Dateline | None = None
    for start in _starts(text):
        found = _match(text, start, today)
        if found is None:
            continue
        line = text[start:text.find("\n", start) if "\n" in text[start:] else len(text)]
        if not _UPDATED.match(line):
            return found
        # "Updated 5 March 2026 | Published 3 March 2026": the published day, on the same
        # line or a later header line, counts; the updated one only when there is none.
        published = _PUBLISHED.search(line, found.end - start)
        if published is None:
            published = _PUBLISHED.search(line)
        again = _match(text, start + published.start(), today) if published else None
        if again is not None:
            return again
        updated = updated or found
    return updated


def _match(text: str, start: int, today: date) -> Dateline | None:
    head = text[start:start + _HEAD]
    for form in _FORMS:
        found = form.match(head)
        if not found:
            continue
        day = _read_day(found.group("date"), today)
        if day is None:
            continue
        place = (found.groupdict().get("place") or "").strip(" .")
        if found.groupdict().get("sep") == "|" and not find_places(place):
            place = ""  # "World | Tuesday, 2 June 2026": a section, not a place
        end = start + found.end()
        if not place:
            place = _place_below(text, end, today, day)
        return Dateline(day, _tidy_place(place), end, _issuer(text), start, _sender(text))
    return None


# Lines that head a report without being its prose: a byline, a source line, a press
# release number, a photo caption, a quote pulled out above the dateline.
_HEADER_LINE = re.compile(
    r"""^\s*(?:By\s+[A-ZÀ-ÞĀ-ž]|From\s+[A-ZÀ-ÞĀ-ž]|Source\s*:|Press release\b|No\.\s*\d|["“'‘]"""
    r"|(?:Photo|Picture|Image|Caption|Credit)s?\s*(?:\([^)\n]{0,40}\))?\s*:"
    rf"|{_STAMP_LABEL}\b)", re.IGNORECASE)
_HEAD_LINES = 8
# A headline or a subtitle may run past a short line, never past a sentence: no full stop
# inside it or at its end. A line in capitals is a heading however long.
_HEADLINE = 160
_SENTENCE_END = re.compile(r"[a-z][.!?]\s+[A-Z]")


def _starts(text: str) -> list[int]:
    """Where a dateline may begin: the top, or below a few heading lines ("JOINT COMMUNIQUÉ"),
    a byline, a publication stamp or a quote."""
    starts, position = [0], 0
    for line in text[:_HEAD * _HEAD_LINES].split("\n")[:_HEAD_LINES]:
        position += len(line) + 1
        header = _HEADER_LINE.match(line) is not None and len(line) <= 300
        capitals = len(line) <= 300 and not re.search(r"[a-z]", line)
        headline = not re.search(r"[.!?]\s*$", line) and (
            len(line) <= 80 or (len(line) <= _HEADLINE and not _SENTENCE_END.search(line)))
        if line.strip() and not header and not capitals and not headline:
            break  # prose has begun; a date further down is an event's
        starts.append(position)
    return starts


_POSTED_IN = re.compile(r"(?i)\b(?:embassy|consulate(?:[\s-]general)?|high commission"
                        r"|(?:permanent\s+)?mission)\b.*?\s(?:in|to)\s+(?=(?:the\s+)?[A-Z])")
_MINISTRY = re.compile(r"(?i)\bministry\b|\bembassy\b|\bpresidency\b|\bgovernment\b")
# Ministries known by names that carry no country: the header "Federal Foreign Office" is
# Germany's as plainly as "Ministry of Foreign Affairs of Japan" is Japan's.
_NAMED_MINISTRIES = tuple((re.compile(pattern), country) for pattern, country in (
    (r"(?i)^\W*(?:the\s+)?(?:German\s+)?Federal Foreign Office\b|\bAuswärtiges Amt\b", "Germany"),
    (r"(?i)\bQuai d['’]Orsay\b", "France"),
    (r"(?i)\bForeign,? Commonwealth (?:and|&) Development Office\b|\bFCDO\b", "United Kingdom"),
    (r"(?i)^\W*(?:the\s+)?(?:U\.?S\.? )?(?:State Department|Department of State)\b",
     "United States"),
    (r"(?i)\bFarnesina\b", "Italy"),
    (r"(?i)\bItamaraty\b", "Brazil"),
    (r"(?i)\bDepartment of Foreign Affairs and Trade\b|\bDFAT\b", "Australia"),
    (r"(?i)\bMinistry of Foreign Affairs and Trade\b|\bMFAT\b", "New Zealand"),
))


def _issuer(text: str) -> str:
    """The country of the ministry named in the header lines, if one is."""
    starts = _starts(text)
    head = text[:starts[-1]] if len(starts) > 1 else ""
    for line in head.split("\n"):
        named = next((country for pattern, country in _NAMED_MINISTRIES
                      if pattern.search(line)), "")
        if named:
            return named
        posted = _POSTED_IN.search(line)
        if posted:
            # "Embassy of Japan in Kenya": a mission writes from where it sits, so the
            # country it is in hosts what the report tells, not the country it serves.
            there = [p.country for p in find_places(line) if p.start >= posted.end()]
            if there:
                return there[0]
        if _MINISTRY.search(line):
            countries = [p.country for p in find_places(line) if not p.is_city]
            if countries:
                return countries[0]
    return ""


def _sender(text: str) -> str:
    """The country of the mission named in the header lines ("Embassy of Japan in Kenya" ->
    Japan), if one is."""
    starts = _starts(text)
    head = text[:starts[-1]] if len(starts) > 1 else ""
    for line in head.split("\n"):
        posted = _POSTED_IN.search(line)
        if posted:
            serves = [p.country for p in find_places(line) if p.end <= posted.end()]
            if serves:
                return serves[0]
    return ""


def _place_below(text: str, end: int, today: date, day: date) -> str:
    """A stamp gives no place; a dateline line of the same day just under it may
    ("Published: 07.05.2026" then "Tbilisi, 07.05.2026")."""
    for start in _starts(text[end:])[:3]:
        found = _FORMS[3].match(text[end + start:end + start + _HEAD])
        if found and _read_day(found.group("date"), today) == day:
            return (found.group("place") or "").strip(" .")
    return ""


# "Nairobi, 9–11 February 2026": a statement dated by the visit it closes, issued on its
# last day.
_DAY_RANGE = re.compile(r"^\d{1,2}\s*(?:–|-|—|to)\s*(?=\d{1,2}\s+[A-Za-z])")


def _read_day(text: str, today: date) -> date | None:
    text = _DAY_RANGE.sub("", text.strip(" ,."))
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})T.*$", r"\1", text)
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
