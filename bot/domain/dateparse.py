"""Reading dates as people write them ("on Tuesday", "Q4 2025", "15 Nov 10:00") into FuzzyDates."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import Enum
from typing import Any
from zoneinfo import available_timezones

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from bot.domain.fuzzydate import FuzzyDate, Precision, zone_info
from bot.domain.syntax import SyntaxRefusal, Topic

ACCEPTED_FORMS = (
    "2025-11-15, 15 November 2025, Nov 15 2025 10:00, November 2025, late November 2025, "
    "Q4 2025, H1 2026, 2025, tomorrow, next Tuesday, in 3 days, in 2 hours, next month"
)
MAX_LENGTH = 100
MIN_YEAR, MAX_YEAR = 1900, 2200

_WEEKDAYS = {"mon": MO, "tue": TU, "wed": WE, "thu": TH, "fri": FR, "sat": SA, "sun": SU}
_WEEKDAY_WORDS = {*map(str.lower, calendar.day_name), *_WEEKDAYS, "tues", "thur", "thurs"}
_NUMBERS = "one two three four five six seven eight nine ten eleven twelve".split()
_NUMBER_WORDS = {"a": 1, "an": 1} | {word: n for n, word in enumerate(_NUMBERS, start=1)}

_ZONE = re.compile(
    r"(?:^|[\s,]+)\(?\s*(?P<zone>[a-z][\w+\-]*(?:/[\w+\-]+)+|utc|gmt)\s*\)?\s*$", re.I
)
_TIME = re.compile(
    r"(?:^|\s)(?:at\s+)?(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?)?"
    r"\s*(?:(?P<ampm>[ap])\.?m\.?)?\s*(?P<off>z|[+-]\d{2}(?::?\d{2})?)?$"
)
_COUNT = re.compile(
    r"^(?P<into>in )?(?P<n>\d{1,4}|[a-z]+) (?P<unit>day|week|month|year)s?(?P<ago> ago)?$"
)
_CLOCK_COUNT = re.compile(
    r"^(?:in )?(?P<n>\d{1,4}|an?|[a-z]+) (?P<unit>hour|hr|minute|min)s?(?: from now)?$"
)
_HALF = re.compile(
    r"^(?:h(?P<h>[12])(?:[\s-]*(?P<y>\d{4}))?|(?P<y2>\d{4})[\s-]*h(?P<h2>[12])"
    r"|(?P<word>first|second|1st|2nd) half(?: of)?(?: (?P<y3>\d{4}))?)$"
)
# "24–26 November 2025", "November 24-26, 2025": one month, two days.
_DAY_SPAN = re.compile(r"^(?P<a>\d{1,2})\s*[–—-]\s*(?P<b>\d{1,2})\s+(?P<rest>\D.*)$")
_MONTH_DAY_SPAN = re.compile(
    r"^(?P<month>[a-z]{3,}\.?)\s+(?P<a>\d{1,2})\s*[–—-]\s*(?P<b>\d{1,2})\b[\s,]*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "24 November – 2 December 2025", "24 Nov 2025 to 26 Nov 2025".
_SPAN = re.compile(r"^(?P<a>.+?)\s*(?:[–—]|\s-\s|\s(?:to|until|till|through|thru)\s)\s*"
                   r"(?P<b>.+)$", re.IGNORECASE)
_WEEKDAY = re.compile(r"^(?:(?P<how>next|last|this|on) )?(?P<day>[a-z]+)$")
_PERIOD = re.compile(r"^(?P<which>last|this|next) (?P<unit>week|month|year)$")
_QUALIFIER = re.compile(
    r"^(?P<word>early|mid|late|later|end of|beginning of|start of)[\s-]+(?P<rest>.+)$"
)
_YEAR = re.compile(r"^\d{4}$")
_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_ISO_DAY = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_QUARTER = re.compile(
    r"^(?:q(?P<q>[1-4])(?:[\s-]*(?P<y>\d{4}))?|(?P<y2>\d{4})[\s-]*q(?P<q2>[1-4]))$"
)

# Two defaults that differ in every field: whatever dateutil returns identically under both
# was written by the user; the rest it filled in. This keeps us on dateutil's public API.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2004, 2, 2, 1, 1, 1)  # both leap years, so "29 Feb" survives to our check
_PARTS = ("year", "month", "day", "hour", "minute", "second")


@dataclass(frozen=True)
class ParsedDate:
    date: FuzzyDate
    text: str  # the input as given (stripped)
    interpretation: str  # how it was understood, for echoing back
    # False when the text named no year ("15 March", "Q4"): the year is today's until
    # settle_year places it where the field it goes in faces.
    year_given: bool = True
    notes: tuple[str, ...] = ()  # how the text was read, beyond the year
    # The last day, when the text was a range ("24–26 November 2025").
    end: FuzzyDate | None = None
    # A word the date cannot hold ("late November 2025", "H1 2026"), for a record's notes.
    qualifier: str = ""
    # 1 or 2 for "H1 2026" / "second half of 2026": stored as the year, the half is what a
    # year-less "H1" is placed by (the next first half, not the year still under way).
    half: int = 0


class Facing(Enum):
    """Which way a field looks from today, for a date typed without a year."""

    AHEAD = "next"  # still to come: a planned visit, an expected plan
    BEHIND = "last"  # gone by: a visit held, a meeting, a plan signed, a report published


def parse_fuzzy_date(
    text: str, *, today: date, zone: str = "UTC", day_first: bool = True, news: bool = False,
    now: datetime | None = None, ranges: bool = False,
) -> ParsedDate:
    """Read `text` against the reference day `today`; times without a zone are read in `zone`.

    `news` reads bare weekdays as past ("on Tuesday" in a report means the Tuesday just gone)
    and allows week phrases, which a report uses loosely. `now` (an aware instant) lets
    "in 2 hours" be read. `ranges` accepts a first and last day ("24–26 November 2025"),
    returned as `date` and `end`; elsewhere a range is refused. Raises UserError if not
    understood.
    """
    given = str(text).strip()
    if len(given) > MAX_LENGTH:
        raise _fail(given[:40] + "…", f"a date is at most {MAX_LENGTH} characters")
    try:
        zone_info(zone)
    except ValueError as exc:
        raise SyntaxRefusal(str(exc), topic=Topic.SETTINGS) from None
    span = _split_range(given)
    if span is not None:
        if not ranges:
            raise _fail(given, "it is a range of days; give one date here (a visit's date "
                               "takes a range, and sets its last day)")
        return _read_range(given, *span, today=today, zone=zone, day_first=day_first,
                           news=news, now=now)
    return _parse_one(given, today=today, zone=zone, day_first=day_first, news=news, now=now)


def _parse_one(given: str, *, today: date, zone: str, day_first: bool, news: bool,
               now: datetime | None) -> ParsedDate:
    reader = _Reader(given, today, zone, day_first, news, now=now)
    fd = reader.read_all()
    _check_year(given, fd)
    notes = list(reader.notes)
    if reader.year_inferred:
        notes.insert(reader.year_note_at, f"no year given, so {fd.start.year} is used")
    shown = f" ({'; '.join(notes)})" if notes else ""
    return ParsedDate(fd, given, fd.describe() + shown, year_given=not reader.year_inferred,
                      notes=tuple(reader.notes), qualifier=reader.qualifier, half=reader.half)


def _split_range(given: str) -> tuple[str, str] | None:
    """The two ends of a range, each a date on its own, or None when `given` is no range."""
    text = " ".join(given.split())
    if found := _DAY_SPAN.match(text):
        return f"{found['a']} {found['rest']}", f"{found['b']} {found['rest']}"
    if found := _MONTH_DAY_SPAN.match(text):
        rest = f" {found['rest']}" if found["rest"] else ""
        return f"{found['month']} {found['a']}{rest}", f"{found['month']} {found['b']}{rest}"
    if found := _SPAN.match(text):
        return found["a"], found["b"]
    return None


def _read_range(given: str, first: str, last: str, **how: Any) -> ParsedDate:
    """Both ends read; a first end without a year takes the last end's (or the year before,
    for "28 December – 3 January 2026")."""
    end = _parse_one(last, **how)
    start = _parse_one(first, **how)
    if not start.year_given and end.year_given:
        fd = start.date
        for year in (end.date.start.year, end.date.start.year - 1):
            try:
                candidate = replace(fd, start=fd.start.replace(year=year))
            except ValueError:
                continue
            if candidate.start <= end.date.start:
                fd = candidate
                break
        start = replace(start, date=fd, year_given=True, interpretation=fd.describe(),
                        notes=(), qualifier=_moved(start.qualifier, start.date, fd))
    if end.date.last_day < start.date.start:
        raise _fail(given, f"it ends ({end.date.render()}) before it starts "
                           f"({start.date.render()})")
    days = (end.date.last_day - start.date.start).days + 1
    if start.date.is_exact_day and end.date.is_exact_day and not (
            start.date.has_time or end.date.has_time or start.notes or end.notes):
        said = f"{start.date.render()} to {end.date.render()} — {days} days, no time set"
    else:
        said = f"{start.interpretation}; until {end.interpretation}"
    return ParsedDate(
        start.date, given, said,
        year_given=start.year_given and end.year_given, notes=start.notes + end.notes,
        end=end.date, qualifier=start.qualifier or end.qualifier,
    )


def settle_year(
    parsed: ParsedDate, facing: Facing | None, today: date, *, anchor: str = ""
) -> ParsedDate:
    """A date typed without a year, in the year the field it goes in looks to.

    AHEAD takes the next such date, on or after `today` (a month or quarter still under
    way counts); BEHIND the last, on or before it. A date whose year was typed, or a field
    facing neither way (None), stays as parsed. `anchor` names what `today` stands for
    when it is not today, e.g. "the start" for the last day of a visit.
    """
    if parsed.year_given or facing is None:
        return parsed
    fd = parsed.date
    step = 1 if facing is Facing.AHEAD else -1
    settled = None
    for year in range(today.year, today.year + 9 * step, step):  # 9 years: past any 29 Feb
        try:
            candidate = replace(fd, start=fd.start.replace(year=year))
        except ValueError:
            continue  # 29 February in a year without one
        first, end_ = _named_period(parsed, candidate)
        fits = end_ > today if facing is Facing.AHEAD else first <= today
        if fits:
            settled = candidate
            break
    assert settled is not None
    _check_year(parsed.text, settled)
    what = _year_less(settled, parsed.half)
    where = f"the first {what} from {anchor}" if anchor else f"the {facing.value} {what}"
    explain = settled.describe().removeprefix(settled.render() + " — ")
    notes = "".join(f"; {note}" for note in parsed.notes)
    end = parsed.end
    if end is not None:
        end = replace(end, start=end.start.replace(
            year=end.start.year + settled.start.year - fd.start.year))
        explain += f", until {end.render()}"
    return replace(parsed, date=settled, year_given=False, end=end,
                   qualifier=_moved(parsed.qualifier, fd, settled),
                   interpretation=f"{settled.render()} — {where} (no year given); "
                                  f"{explain}{notes}")


def _named_period(parsed: ParsedDate, candidate: FuzzyDate) -> tuple[date, date]:
    """The days the text named, first and exclusive end: a half's six months, else the
    stored date's own period."""
    if parsed.half:
        year = candidate.start.year
        if parsed.half == 1:
            return date(year, 1, 1), date(year, 7, 1)
        return date(year, 7, 1), date(year + 1, 1, 1)
    return candidate.start, candidate.end


def _moved(qualifier: str, was: FuzzyDate, now: FuzzyDate) -> str:
    """'late November 2026' once a year-less 'late November' is placed in 2026: the kept
    words name the year the date was given."""
    if not qualifier or was.start.year == now.start.year:
        return qualifier
    return qualifier.replace(str(was.start.year), str(now.start.year), 1)


def _year_less(fd: FuzzyDate, half: int = 0) -> str:
    """'15 March', 'March', 'Q4', 'H1': the date as typed, without its year."""
    if half:
        return f"H{half}"
    if fd.precision is Precision.DAY:
        return f"{fd.start.day} {calendar.month_name[fd.start.month]}"
    if fd.precision is Precision.MONTH:
        return calendar.month_name[fd.start.month]
    return f"Q{fd.quarter_number}"


def _check_year(given: str, fd: FuzzyDate) -> None:
    if not MIN_YEAR <= fd.start.year <= MAX_YEAR:
        raise _fail(given, f"the year must be between {MIN_YEAR} and {MAX_YEAR}")


def _fail(given: str, reason: str | None = None) -> SyntaxRefusal:
    why = f": {reason}" if reason else ""
    return SyntaxRefusal(f'Could not read "{given}" as a date{why}. Try {ACCEPTED_FORMS}.',
                         topic=Topic.DATES)


def _day_text(d: date) -> str:
    return FuzzyDate.day(d.year, d.month, d.day).render()


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@dataclass
class _Reader:
    given: str
    today: date
    zone: str  # where a time with no zone of its own is read
    day_first: bool
    news: bool
    notes: list[str] = field(default_factory=list)
    year_inferred: bool = False  # the text named no year, so today's is used
    year_note_at: int = 0  # where in the notes the year's note goes
    now: datetime | None = None  # the instant "in 2 hours" counts from
    zone_name: str | None = None
    offset: str | None = None  # as written after the time: "z", "+05:00"
    qualifier: str = ""  # "late November 2025": what the stored date cannot say
    half: int = 0  # "H1 2026": which half of the year read as the year

    def read_all(self) -> FuzzyDate:
        body = self.given
        found = _ZONE.search(body)
        if found:
            self.zone_name = self._zone(found["zone"])
            body = body[: found.start()]
        body = body.lower()
        body = re.sub(r"(?<=\d)t(?=\d)", " ", body)  # ISO 2025-11-15T10:00
        body = re.sub(r"\bthe\b", " ", body)
        body = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", body)
        body = " ".join(body.replace(",", " ").split())
        counted = self._clock_count(body)
        if counted is not None:
            return counted
        clock, body = self._split_time(body)
        if clock is None:
            if self.zone_name:
                raise _fail(self.given, "a time zone only goes with a time, such as 10:00")
            return self.read(body)
        if not body:
            raise SyntaxRefusal(
                f'"{self.given}" has a time but no day; say which day too, '
                f"e.g. tomorrow {clock:%H:%M} or 15 Nov 2025 {clock:%H:%M}.", topic=Topic.DATES
            )
        day = self.read(body)
        if day.precision is not Precision.DAY:
            raise _fail(self.given, f"a time needs an exact day, not a whole {day.precision}")
        if self.offset is not None:
            moment = datetime.combine(day.start, clock, tzinfo=self._offset(self.offset))
            target = self.zone_name or self.zone
            self.notes.append(f"{clock:%H:%M}{self.offset.upper()} converted to {target} time")
            return FuzzyDate.at(moment, target)
        return self.with_time(day.start, clock, self.zone_name or self.zone)

    def _zone(self, name: str) -> str:
        canonical = _zones_by_lower_name().get(name.lower(), name)
        try:
            zone_info(canonical)
        except ValueError:
            raise _fail(self.given, f'"{name}" is not a time zone name like Asia/Karachi') from None
        return canonical

    def _split_time(self, body: str) -> tuple[time | None, str]:
        found = _TIME.search(body)
        if not found or not (found["m"] or found["ampm"]):
            return None, body
        hour, minute, second = int(found["h"]), int(found["m"] or 0), int(found["s"] or 0)
        if found["ampm"]:
            if not 1 <= hour <= 12:
                raise _fail(self.given, f"{hour} is not an hour on a 12-hour clock")
            hour = hour % 12 + (12 if found["ampm"] == "p" else 0)
        if hour > 23 or minute > 59 or second > 59:
            raise _fail(self.given, "that is not a time of day")
        self.offset = found["off"]
        return time(hour, minute, second), body[: found.start()].strip()

    def _offset(self, text: str) -> timezone:
        if text == "z":
            return UTC
        digits = text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 14 or minutes > 59:
            raise _fail(self.given, f"{text} is not a UTC offset")
        sign = -1 if text[0] == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))

    def with_time(self, day: date, clock: time, zone: str) -> FuzzyDate:
        """The wall time `clock` on `day` in `zone`, refusing times the clocks skip."""
        tz = zone_info(zone)
        wall = datetime.combine(day, clock, tzinfo=tz)
        # A skipped wall time does not survive a trip through UTC; a real one comes back as is.
        if wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
            raise SyntaxRefusal(
                f'"{self.given}": {clock:%H:%M} on {_day_text(day)} does not exist in {zone}, '
                "because the clocks go forward past it that night. Give a time before or after.",
                topic=Topic.DATES,
            )
        if wall.utcoffset() != wall.replace(fold=1).utcoffset():
            self.notes.append(
                f"{clock:%H:%M} happens twice that night; the first ({wall.tzname()}) is used"
            )
        return FuzzyDate.day(day.year, day.month, day.day, clock, zone)

    # --- the date part ----------------------------------------------------------------------

    def read(self, body: str) -> FuzzyDate:
        if not body:
            raise _fail(self.given, "it is empty" if not self.given else None)
        for reader in (self._count, self._weekday):
            found = reader(body)
            if found is not None:
                return found
        body = re.sub(r"^(?:in|on|during) ", "", body)
        qualified = _QUALIFIER.match(body)
        if qualified:
            fd = self.read(qualified["rest"])
            if fd.precision is Precision.DAY:
                raise _fail(self.given, f'"{qualified["word"]}" goes with a month or a year')
            self.notes.append(f'"{qualified["word"]}" is not stored; the whole {fd.precision} is')
            self.qualifier = f"{qualified['word']} {fd.render()}"
            return fd
        half = self._half(body)
        if half is not None:
            return half
        for reader in (self._relative, self._numeric, self._written):
            found = reader(body)
            if found is not None:
                return found
        if re.search(r"\d{5,}", body):  # "March 10000": a year no calendar here reaches
            raise _fail(self.given, f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
        raise _fail(self.given)

    def _no_year(self) -> None:
        self.year_inferred = True
        self.year_note_at = len(self.notes)

    def _counted(self, phrase: str) -> None:
        self.notes.append(f'"{phrase}" counted from {_day_text(self.today)}')

    def _clock_count(self, body: str) -> FuzzyDate | None:
        """"in 2 hours", "in 30 minutes": an exact time counted from now, to the minute."""
        found = _CLOCK_COUNT.match(body)
        if not found:
            return None
        n = found["n"]
        amount = int(n) if n.isdigit() else _NUMBER_WORDS.get(n)
        if amount is None:
            return None
        if self.now is None:
            raise _fail(self.given, "a time counted from now is not taken here")
        unit = "hours" if found["unit"].startswith("h") else "minutes"
        moment = self.now.astimezone(zone_info(self.zone)).replace(second=0, microsecond=0)
        moment += timedelta(**{unit: amount})
        self.notes.append(f'"{body}" counted from {self.now.astimezone(zone_info(self.zone)):%H:%M}'
                          f" on {_day_text(self.now.astimezone(zone_info(self.zone)).date())}")
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise _fail(self.given, f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
        return FuzzyDate.at(moment, self.zone)

    def _half(self, body: str) -> FuzzyDate | None:
        """"H1 2026", "first half of 2026": the year, the half kept as a qualifier (a date
        is known to the day, month, quarter or year; a half is none of them)."""
        found = _HALF.match(body)
        if not found:
            return None
        half = found["h"] or found["h2"] or ("1" if found["word"] in ("first", "1st") else "2")
        year_text = found["y"] or found["y2"] or found["y3"]
        if year_text is None:
            year = self.today.year
            self._no_year()
        else:
            year = int(year_text)
        which = "first" if half == "1" else "second"
        months = "January–June" if half == "1" else "July–December"
        self.notes.append(f"H{half} is {months}; a date is kept to the day, month, quarter or "
                          f"year, so the whole year is stored and the half noted beside it")
        self.qualifier = f"H{half} {year} ({which} half)"
        self.half = int(half)
        return FuzzyDate.year(year)

    def _count(self, body: str) -> FuzzyDate | None:
        found = _COUNT.match(body)
        if not found or bool(found["into"]) == bool(found["ago"]):
            return None
        n = found["n"]
        amount = int(n) if n.isdigit() else _NUMBER_WORDS.get(n)
        if amount is None:
            return None
        sign = -1 if found["ago"] else 1
        step = relativedelta(**{found["unit"] + "s": sign * amount})
        try:
            day = self.today + step
        except (ValueError, OverflowError):
            raise _fail(self.given, f"the year must be between {MIN_YEAR} and {MAX_YEAR}") from None
        self._counted(body)
        return FuzzyDate.day(day.year, day.month, day.day)

    def _weekday(self, body: str) -> FuzzyDate | None:
        found = _WEEKDAY.match(body)
        if not found or found["day"] not in _WEEKDAY_WORDS:
            return None
        how, weekday = found["how"], _WEEKDAYS[found["day"][:3]]
        name = calendar.day_name[weekday.weekday]
        if how == "next":
            day, rule = self.today + relativedelta(days=1, weekday=weekday(+1)), "first {} after"
        elif how == "last":
            day, rule = self.today + relativedelta(days=-1, weekday=weekday(-1)), "last {} before"
        elif self.news:
            # Reports say "on Tuesday" of the days just gone, relative to their dateline.
            day, rule = self.today + relativedelta(weekday=weekday(-1)), "{} on or before"
        else:
            day, rule = self.today + relativedelta(weekday=weekday(+1)), "{} on or after"
        phrase = f"{how} {name}" if how else name
        self.notes.append(f'"{phrase}" = the {rule.format(name)} {_day_text(self.today)}')
        return FuzzyDate.day(day.year, day.month, day.day)

    def _relative(self, body: str) -> FuzzyDate | None:
        shift = {"today": 0, "tomorrow": 1, "yesterday": -1}.get(body)
        if shift is not None:
            day = self.today + timedelta(days=shift)
            self._counted(body)
            return FuzzyDate.day(day.year, day.month, day.day)
        found = _PERIOD.match(body)
        if not found:
            return None
        step = {"last": -1, "this": 0, "next": 1}[found["which"]]
        self._counted(body)
        if found["unit"] == "year":
            return FuzzyDate.year(self.today.year + step)
        if found["unit"] == "month":
            month = self.today + relativedelta(months=step)
            return FuzzyDate.month(month.year, month.month)
        # FuzzyDate has no week precision, and any one day of the week would be invented. A
        # record's date needs a day, so we ask for one; a news report uses "last week" loosely,
        # so there we keep the month holding that week's Thursday (where ISO puts a week).
        if not self.news:
            why = "a week names no single day; give a day (next Monday) or a month (next month)"
            raise _fail(self.given, why)
        thursday = self.today + relativedelta(weeks=step, weekday=MO(-1)) + timedelta(days=3)
        return FuzzyDate.month(thursday.year, thursday.month)

    def _numeric(self, body: str) -> FuzzyDate | None:
        try:
            if _YEAR.match(body):
                return FuzzyDate.year(int(body))
            if found := _ISO_MONTH.match(body):
                return FuzzyDate.month(int(found[1]), int(found[2]))
            if found := _ISO_DAY.match(body):
                return FuzzyDate.day(int(found[1]), int(found[3]), int(found[4]))
            if found := _NUMERIC_DAY.match(body):
                return self._day_month(body, int(found[1]), int(found[3]), int(found[4]))
            if found := _QUARTER.match(body):
                year = found["y"] or found["y2"]
                if year is None:
                    year = self.today.year
                    self._no_year()
                return FuzzyDate.quarter(int(year), int(found["q"] or found["q2"]))
        except ValueError:
            raise _fail(self.given, "that day is not in the calendar") from None
        return None

    def _day_month(self, body: str, first: int, second: int, year: int) -> FuzzyDate:
        """05/03/2025: day-first unless told otherwise, or unless only one reading exists."""
        day_first = self.day_first
        if first > 12 >= second:
            day_first, how = True, "the only possible reading"
        elif second > 12 >= first:
            day_first, how = False, "the only possible reading"
        else:
            how = "as this server writes dates"
        if first != second:
            self.notes.append(f"{body} read {'day' if day_first else 'month'}-first, {how}")
        day, month = (first, second) if day_first else (second, first)
        return FuzzyDate.day(year, month, day)

    def _written(self, body: str) -> FuzzyDate | None:
        body = re.sub(r"(?<=[a-z])\.", "", body)  # "Sept. 10"
        if not re.search(r"[a-z]", body):
            return None  # digits dateutil would read are ours to refuse, not to guess
        weekday, (head, _, rest) = None, body.partition(" ")
        if head in _WEEKDAY_WORDS and rest:  # "Tuesday 9 September 2025": checked below
            weekday, body = _WEEKDAYS[head[:3]].weekday, rest
        try:
            a, b = (
                dateutil_parser.parse(body, default=d, dayfirst=self.day_first, fuzzy=False)
                for d in (_DEFAULT_A, _DEFAULT_B)
            )
        except (ValueError, OverflowError):
            return None
        given = {part: getattr(a, part) == getattr(b, part) for part in _PARTS}
        if a.tzinfo or b.tzinfo or given["hour"] or given["minute"] or given["second"]:
            return None  # a time goes after the day, where we read it ourselves
        if not given["month"]:
            return None
        year = a.year
        if not given["year"]:
            year = self.today.year
            if (a.month, a.day) == (2, 29) and given["day"] and not calendar.isleap(year):
                year += next(n for n in range(1, 9) if calendar.isleap(year + n))
            self._no_year()
        try:
            if not given["day"]:
                if weekday is not None:
                    return None
                return FuzzyDate.month(year, a.month)
            fd = FuzzyDate.day(year, a.month, a.day)
        except ValueError:
            raise _fail(self.given, "that day is not in the calendar") from None
        if weekday is not None and fd.start.weekday() != weekday:
            actual = calendar.day_name[fd.start.weekday()]
            raise _fail(self.given, f"{fd.render()} is a {actual}")
        return fd
