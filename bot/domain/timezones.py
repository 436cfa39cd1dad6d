"""Time zones as people name them: IANA names, cities, countries, abbreviations and offsets.

`read_zone` turns what an admin types into one IANA zone and says how it was read:
"Asia/Karachi", "Karachi", "Islamabad" and "Pakistan" are all Asia/Karachi; "PKT" is
Asia/Karachi; "GMT+5" or "UTC+05:00" is the fixed-offset zone Etc/GMT-5 (whose sign is the
POSIX one, the other way round). An abbreviation several places use (IST, CST) is refused
with the candidates, as is an offset no fixed zone has (UTC+05:30 names zones on it now).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.countries import find_country
from bot.domain.errors import UserError

HELP = "See /help topic:dates for the forms accepted."

# Abbreviations with one meaning in practice, and the zone that keeps its clocks.
ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC", "GMT": "UTC", "Z": "UTC",
    "PKT": "Asia/Karachi", "AFT": "Asia/Kabul", "IRST": "Asia/Tehran", "NPT": "Asia/Kathmandu",
    "ALMT": "Asia/Almaty", "UZT": "Asia/Tashkent", "TJT": "Asia/Dushanbe", "KGT": "Asia/Bishkek",
    "TMT": "Asia/Ashgabat", "AZT": "Asia/Baku", "GET": "Asia/Tbilisi", "AMT": "Asia/Yerevan",
    "GST": "Asia/Dubai", "MSK": "Europe/Moscow", "TRT": "Europe/Istanbul",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Athens",
    "EEST": "Europe/Athens", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore",
    "MYT": "Asia/Kuala_Lumpur", "WIB": "Asia/Jakarta", "PHT": "Asia/Manila",
    "ICT": "Asia/Bangkok", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide", "AWST": "Australia/Perth", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland", "SAST": "Africa/Johannesburg", "CAT": "Africa/Maputo",
    "EAT": "Africa/Nairobi", "WAT": "Africa/Lagos", "EST": "America/New_York",
    "EDT": "America/New_York", "CDT": "America/Chicago", "MST": "America/Denver",
    "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "HST": "Pacific/Honolulu", "BRT": "America/Sao_Paulo",
    "ART": "America/Argentina/Buenos_Aires", "CLT": "America/Santiago",
}
# Abbreviations that mean different clocks in different places: refused, with these.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "AST": ("Asia/Riyadh", "America/Halifax"),
    "ADT": ("America/Halifax",),
    "SST": ("Pacific/Pago_Pago", "Asia/Singapore"),
    "ECT": ("America/Guayaquil", "Europe/Paris"),
}
# Capitals and large cities whose zone is named after another city.
CITIES: dict[str, str] = {
    "islamabad": "Asia/Karachi", "lahore": "Asia/Karachi", "peshawar": "Asia/Karachi",
    "rawalpindi": "Asia/Karachi", "quetta": "Asia/Karachi",
    "astana": "Asia/Almaty", "nur-sultan": "Asia/Almaty", "shymkent": "Asia/Almaty",
    "new delhi": "Asia/Kolkata", "delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "chennai": "Asia/Kolkata",
    "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "guangzhou": "Asia/Shanghai",
    "washington": "America/New_York", "washington dc": "America/New_York",
    "washington, d.c.": "America/New_York", "boston": "America/New_York",
    "ottawa": "America/Toronto", "montreal": "America/Toronto",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "canberra": "Australia/Sydney", "wellington": "Pacific/Auckland",
    "brasilia": "America/Sao_Paulo", "rio de janeiro": "America/Sao_Paulo",
    "abu dhabi": "Asia/Dubai", "ankara": "Europe/Istanbul", "geneva": "Europe/Zurich",
    "the hague": "Europe/Amsterdam", "hague": "Europe/Amsterdam", "milan": "Europe/Rome",
    "frankfurt": "Europe/Berlin", "munich": "Europe/Berlin", "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow", "edinburgh": "Europe/London",
    "jeddah": "Asia/Riyadh", "mecca": "Asia/Riyadh", "doha": "Asia/Qatar",
    "manama": "Asia/Bahrain", "muscat": "Asia/Muscat", "kuwait city": "Asia/Kuwait",
    "sanaa": "Asia/Aden", "hanoi": "Asia/Bangkok", "ho chi minh city": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh", "naypyidaw": "Asia/Yangon", "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv", "hyderabad": "Asia/Kolkata", "karachi": "Asia/Karachi",
    "abuja": "Africa/Lagos", "pretoria": "Africa/Johannesburg", "cape town": "Africa/Johannesburg",
    "addis ababa": "Africa/Addis_Ababa", "new york city": "America/New_York",
    "nyc": "America/New_York", "la": "America/Los_Angeles",
}
_OFFSET = re.compile(
    r"^(?:utc|gmt|z)?\s*(?P<sign>[+-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", re.IGNORECASE
)


@dataclass(frozen=True)
class ZoneReading:
    """A zone and, in words, how what was typed led to it."""

    zone: str
    how: str


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("_", " ").split())


@functools.cache
def _zones() -> dict[str, str]:
    """Every IANA zone by its folded name, and by its city part when one zone has it."""
    names = sorted(available_timezones())
    by_name = {_key(z): z for z in names}
    by_city: dict[str, list[str]] = {}
    for zone in names:
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            by_city.setdefault(_key(zone.rsplit("/", 1)[-1]), []).append(zone)
    for city, zones in by_city.items():
        if len(zones) == 1:
            by_name.setdefault(city, zones[0])
    return by_name


@functools.cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    """ISO country code → the zones it keeps, from tzdata's zone.tab."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone, *_ = line.split("\t")
        out.setdefault(code, []).append(zone)
    return {code: tuple(zones) for code, zones in out.items()}


@functools.cache
def _canonical() -> tuple[str, ...]:
    """The zones tzdata lists for some country: current names, not old aliases."""
    return tuple(sorted({z for zones in _country_zones().values() for z in zones}))


def _offset_now(zone: str, now: datetime) -> timedelta:
    offset = now.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None
    return offset


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def read_zone(text: str, *, now: datetime | None = None) -> ZoneReading:
    """The IANA zone `text` names; UserError with candidates when it names none or several."""
    typed = " ".join(str(text).split())
    if not typed:
        raise UserError(f"Name a time zone, e.g. Asia/Karachi, Karachi, PKT or UTC+05:00. {HELP}")
    now = now or datetime.now(UTC)
    key = _key(typed)
    exact = _zones().get(key)
    if exact is not None and ("/" in exact or exact == "UTC"):
        how = exact if _key(exact) == key else f"“{typed}” is {exact}"
        return ZoneReading(exact, how)
    upper = typed.upper()
    if upper in AMBIGUOUS:
        options = ", ".join(AMBIGUOUS[upper])
        raise UserError(f"“{typed}” means different clocks in different places; give the zone "
                        f"itself, e.g. one of {options}. {HELP}")
    if upper in ABBREVIATIONS:
        zone = ABBREVIATIONS[upper]
        note = "" if zone != "UTC" else " (fixed, no daylight saving; London's clocks are " \
                                        "Europe/London)"
        return ZoneReading(zone, f"{upper} is {zone}{note}")
    found = _OFFSET.match(typed.replace("−", "-"))
    if found:
        return _fixed(typed, found, now)
    if key in CITIES:
        zone = CITIES[key]
        return ZoneReading(zone, f"{typed} keeps {zone} time")
    country = find_country(typed)
    if country is not None:
        zones = _country_zones().get(country.alpha2, ())
        if len(zones) == 1:
            return ZoneReading(zones[0], f"{country.name} keeps {zones[0]} time")
        if zones:
            shown = ", ".join(zones[:8]) + (" …" if len(zones) > 8 else "")
            raise UserError(f"{country.name} has several time zones; name one, e.g. {shown}. "
                            f"{HELP}")
    close = suggest_zones(typed, limit=5)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UserError(f"“{typed}” is not a time zone I know.{hint} Give an IANA name "
                    f"(Asia/Karachi), a city (Karachi), an abbreviation (PKT) or an offset "
                    f"(UTC+05:00). {HELP}")


def _fixed(typed: str, found: re.Match[str], now: datetime) -> ZoneReading:
    hours, minutes = int(found["h"]), int(found["m"] or 0)
    sign = -1 if found["sign"] in "-−" else 1
    if hours > 14 or minutes > 59:
        raise UserError(f"“{typed}” is not a UTC offset; offsets run from UTC-12 to UTC+14. {HELP}")
    offset = sign * timedelta(hours=hours, minutes=minutes)
    if minutes == 0 and -12 <= sign * hours <= 14:
        if hours == 0:
            return ZoneReading("UTC", f"{typed} is UTC")
        # POSIX signs: Etc/GMT-5 is five hours ahead of UTC.
        zone = f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"
        return ZoneReading(zone, f"{typed} is the fixed offset {_offset_text(offset)}, "
                                 f"zone {zone}: no daylight saving")
    on_it = [z for z in _canonical() if _offset_now(z, now) == offset]
    if on_it:
        raise UserError(f"No fixed zone has the offset {_offset_text(offset)}; zones on it now "
                        f"include {', '.join(on_it[:6])}. Give one of them. {HELP}")
    raise UserError(f"No time zone has the offset {_offset_text(offset)}. {HELP}")


def suggest_zones(typed: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete: IANA names containing what was typed, cities and abbreviations
    first, so 'kar' offers Asia/Karachi and 'isl' offers Islamabad's zone."""
    key = _key(typed)
    names = list(_canonical())
    if not key:
        return names[:limit]
    ranked: list[tuple[int, str]] = []
    upper = typed.strip().upper()
    if upper in ABBREVIATIONS:
        ranked.append((0, ABBREVIATIONS[upper]))
    for zone in AMBIGUOUS.get(upper, ()):
        ranked.append((0, zone))
    for city, zone in CITIES.items():
        if city.startswith(key):
            ranked.append((1, zone))
    for zone in names:
        folded = _key(zone)
        city = folded.rsplit("/", 1)[-1]
        if city.startswith(key):
            ranked.append((1, zone))
        elif folded.startswith(key):
            ranked.append((2, zone))
        elif key in folded:
            ranked.append((3, zone))
    seen: dict[str, None] = {}
    for _, zone in sorted(ranked, key=lambda r: r[0]):
        seen.setdefault(zone, None)
    return list(seen)[:limit]
