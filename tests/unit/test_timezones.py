"""Time zones as people name them, read into one IANA zone or refused with candidates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.errors import UserError
from bot.domain.timezones import read_zone, suggest_zones

NOW = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("typed", "zone"), [
    ("Asia/Karachi", "Asia/Karachi"), ("asia/karachi", "Asia/Karachi"),
    ("Karachi", "Asia/Karachi"), ("Islamabad", "Asia/Karachi"), ("Pakistan", "Asia/Karachi"),
    ("PKT", "Asia/Karachi"), ("pkt", "Asia/Karachi"), ("CET", "Europe/Paris"),
    ("EST", "America/New_York"), ("JST", "Asia/Tokyo"), ("GMT", "UTC"), ("UTC", "UTC"),
    ("GMT+5", "Etc/GMT-5"), ("UTC+05:00", "Etc/GMT-5"), ("UTC-3", "Etc/GMT+3"),
    ("+05:00", "Etc/GMT-5"), ("UTC+0", "UTC"), ("New York", "America/New_York"),
    ("Astana", "Asia/Almaty"), ("Washington", "America/New_York"),
])
def test_zone_names_people_use(typed: str, zone: str) -> None:
    assert read_zone(typed, now=NOW).zone == zone


def test_a_fixed_offset_says_it_has_no_daylight_saving() -> None:
    assert read_zone("GMT+5", now=NOW).how == (
        "GMT+5 is the fixed offset UTC+05:00, zone Etc/GMT-5: no daylight saving")


@pytest.mark.parametrize(("typed", "named"), [
    ("IST", ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
    ("CST", ["America/Chicago", "Asia/Shanghai"]),
    ("BST", ["Europe/London", "Asia/Dhaka"]),
    ("UTC+5:30", ["Asia/Kolkata", "Asia/Colombo"]),
    ("United States", ["America/New_York"]),
    ("Narnia", ["not a time zone I know"]),
    ("UTC+15", ["offsets run from UTC-12 to UTC+14"]),
])
def test_ambiguous_or_unknown_zones_are_refused_naming_the_candidates(
    typed: str, named: list[str],
) -> None:
    with pytest.raises(UserError) as refused:
        read_zone(typed, now=NOW)
    for name in named:
        assert name in refused.value.message
    assert "/help" in refused.value.message


def test_suggestions_start_with_the_city_or_abbreviation() -> None:
    assert suggest_zones("karachi")[0] == "Asia/Karachi"
    assert suggest_zones("isla")[0] == "Asia/Karachi"
    assert suggest_zones("PKT") == ["Asia/Karachi"]
    assert suggest_zones("zzzz") == []
    assert len(suggest_zones("")) == 25
