"""FuzzyDate: a date known to the day, month, quarter or year, as diplomatic dates often are."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as WallTime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_RANK = {Precision.DAY: 0, Precision.MONTH: 1, Precision.QUARTER: 2, Precision.YEAR: 3}

_EXPLAIN = {
    Precision.DAY: "exact day, no time set",
    Precision.MONTH: "month only, no day set",
    Precision.QUARTER: "quarter only, no month or day set",
    Precision.YEAR: "year only, no month or day set",
}


def zone_info(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or ValueError naming it (ZoneInfo's own error is a KeyError)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Asia/Karachi)"
        ) from None


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class FuzzyDate:
    """A period start plus how much of it is known.

    `start` is the first day of the period. Only day precision may carry a wall-clock `time`,
    and a time always comes with the IANA `zone` it was given in, so the instant is never
    ambiguous. Nothing here ever narrows a month to a day: refining is the caller's decision.
    """

    start: date
    precision: Precision = Precision.DAY
    time: WallTime | None = None
    zone: str | None = None

    def __post_init__(self) -> None:
        precision = Precision(self.precision)
        object.__setattr__(self, "precision", precision)
        s = self.start
        if isinstance(s, datetime):  # a datetime is a date subclass; keep only the day
            raise TypeError("FuzzyDate.start must be a date, not a datetime; use FuzzyDate.at()")
        if precision is Precision.MONTH and s.day != 1:
            raise ValueError("a month-precision date starts on day 1")
        if precision is Precision.QUARTER and (s.day != 1 or s.month not in (1, 4, 7, 10)):
            raise ValueError("a quarter-precision date starts on the first day of a quarter")
        if precision is Precision.YEAR and (s.day != 1 or s.month != 1):
            raise ValueError("a year-precision date starts on 1 January")
        if self.time is not None:
            if precision is not Precision.DAY:
                raise ValueError("only a day-precision date can carry a time")
            if self.time.tzinfo is not None:
                raise ValueError("the time is wall-clock time; give the zone separately")
            if not self.zone:
                raise ValueError("a time needs the time zone it was given in")
        if self.zone is not None:
            if self.time is None:
                raise ValueError("a zone only makes sense with a time")
            zone_info(self.zone)

    # --- constructors -------------------------------------------------------------------

    @classmethod
    def day(
        cls, year: int, month: int, day: int, at: WallTime | None = None, zone: str | None = None
    ) -> FuzzyDate:
        return cls(date(year, month, day), Precision.DAY, at, zone if at is not None else None)

    @classmethod
    def month(cls, year: int, month: int) -> FuzzyDate:
        return cls(date(year, month, 1), Precision.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> FuzzyDate:
        if quarter not in (1, 2, 3, 4):
            raise ValueError("a quarter is 1 to 4")
        return cls(date(year, 3 * quarter - 2, 1), Precision.QUARTER)

    @classmethod
    def year(cls, year: int) -> FuzzyDate:
        return cls(date(year, 1, 1), Precision.YEAR)

    @classmethod
    def at(cls, moment: datetime, zone: str) -> FuzzyDate:
        """An exact moment, kept as wall-clock time in `zone`."""
        if moment.tzinfo is None:
            raise ValueError("the moment must be timezone-aware")
        local = moment.astimezone(zone_info(zone))
        return cls(local.date(), Precision.DAY, local.time().replace(tzinfo=None), zone)

    # --- the period -----------------------------------------------------------------------

    @property
    def has_time(self) -> bool:
        return self.time is not None

    @property
    def is_exact_day(self) -> bool:
        return self.precision is Precision.DAY

    @property
    def quarter_number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def end(self) -> date:
        """The first day after the period (exclusive end)."""
        s = self.start
        if self.precision is Precision.DAY:
            return s + timedelta(days=1)
        if self.precision is Precision.MONTH:
            return s + relativedelta(months=1)  # a month's start is its first day
        if self.precision is Precision.QUARTER:
            return s + relativedelta(months=3)
        return date(s.year + 1, 1, 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def start_instant(self, default_zone: str = "UTC") -> datetime:
        """When the period begins, in UTC: the exact time if known, else local midnight."""
        if self.time is not None and self.zone is not None:
            local = datetime.combine(self.start, self.time, tzinfo=zone_info(self.zone))
        else:
            local = datetime.combine(self.start, WallTime(0), tzinfo=zone_info(default_zone))
        return local.astimezone(UTC)

    def end_instant(self, default_zone: str = "UTC") -> datetime:
        """Local midnight after the period's last day, in UTC."""
        zone = self.zone or default_zone
        return datetime.combine(self.end, WallTime(0), tzinfo=zone_info(zone)).astimezone(UTC)

    def contains(self, instant: datetime, default_zone: str = "UTC") -> bool:
        """Whether `instant` falls on a day of the period, as the calendar reads in the zone.

        A timed day still covers its whole calendar day: a visit at 10:00 is "on" that day.
        """
        if instant.tzinfo is None:
            raise ValueError("the instant must be timezone-aware")
        local_day = instant.astimezone(zone_info(self.zone or default_zone)).date()
        return self.start <= local_day < self.end

    def overlaps(self, first: date, end: date) -> bool:
        """Whether the period shares a day with [first, end)."""
        return self.start < end and first < self.end

    # --- order ------------------------------------------------------------------------------

    def sort_key(self) -> tuple[date, int, str]:
        """Start day first; on the same start the more exact date sorts first."""
        moment = self.start_instant().isoformat() if self.time is not None else ""
        return (self.start, _RANK[self.precision], moment)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    # --- text -------------------------------------------------------------------------------

    def render(self) -> str:
        """As a person would write it: '9 September 2025', 'November 2025', 'Q4 2025', '2003'."""
        s = self.start
        if self.precision is Precision.DAY:
            if self.time is not None:
                return f"{s.day} {s:%b %Y} {self.time:%H:%M} ({self.zone})"
            return f"{s.day} {calendar.month_name[s.month]} {s.year}"
        if self.precision is Precision.MONTH:
            return f"{calendar.month_name[s.month]} {s.year}"
        if self.precision is Precision.QUARTER:
            return f"Q{self.quarter_number} {s.year}"
        return str(s.year)

    def describe(self) -> str:
        """The rendering plus how much is known, for echoing input back to the user."""
        if self.time is not None:
            return f"{self.render()} — exact time in {self.zone}"
        return f"{self.render()} — {_EXPLAIN[self.precision]}"

    def __str__(self) -> str:
        return self.render()

    # --- interchange ----------------------------------------------------------------------

    @property
    def value(self) -> str:
        """The interchange text: '2025-09-09', '2025-11', '2025-Q4', '2003' or an ISO datetime."""
        s = self.start
        if self.precision is Precision.DAY:
            if self.time is not None and self.zone is not None:
                moment = datetime.combine(s, self.time, tzinfo=zone_info(self.zone))
                return moment.isoformat()
            return s.isoformat()
        if self.precision is Precision.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        if self.precision is Precision.QUARTER:
            return f"{s.year:04d}-Q{self.quarter_number}"
        return f"{s.year:04d}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "precision": self.precision.value}
        if self.zone is not None:
            out["zone"] = self.zone
        return out

    @classmethod
    def from_value(cls, value: str, precision: str, zone: str | None = None) -> FuzzyDate:
        """Inverse of `value`; raises ValueError saying what is wrong."""
        try:
            prec = Precision(precision)
        except ValueError:
            raise ValueError(
                f"unknown precision {precision!r} (use day, month, quarter or year)"
            ) from None
        text = str(value).strip()
        try:
            if prec is Precision.YEAR:
                return cls.year(int(text))
            if prec is Precision.QUARTER:
                year_text, _, q = text.partition("-Q")
                return cls.quarter(int(year_text), int(q))
            if prec is Precision.MONTH:
                year_text, _, month_text = text.partition("-")
                return cls.month(int(year_text), int(month_text))
            if "T" in text:
                if not zone:
                    raise ValueError("a date with a time needs its zone")
                moment = datetime.fromisoformat(text)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=zone_info(zone))
                return cls.at(moment, zone)
            if zone:
                raise ValueError("a zone only makes sense with a time")
            return cls(date.fromisoformat(text), Precision.DAY)
        except ValueError as exc:
            message = f"{value!r} is not a valid {prec.value}-precision date: {exc}"
            raise ValueError(message) from None

    @classmethod
    def from_json(cls, data: Any) -> FuzzyDate:
        if not isinstance(data, dict) or "value" not in data or "precision" not in data:
            raise ValueError('a date is an object like {"value": "2025-11", "precision": "month"}')
        return cls.from_value(str(data["value"]), str(data["precision"]), data.get("zone"))
