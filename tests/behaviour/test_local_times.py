"""Times people can read where they are: Discord timestamps in lists, cards and reminders,
words for dates known only to the month, and time zones named as people name them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType, Visit
from tests.behaviour.conftest import Desk

# 15 November 2025 10:00 in Karachi (UTC+5) is 05:00 UTC.
KARACHI_TEN = int(datetime(2025, 11, 15, 5, 0, tzinfo=UTC).timestamp())
DAY = 86400


async def _visit(desk: Desk, date: str, role: str) -> Visit:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date=date, visitor_role=role)
    assert not res.ephemeral, res.response.content
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    return next(v for v in visits if isinstance(v, Visit) and v.visitor_role == role)


async def test_lists_and_cards_show_timestamps_for_times_and_words_for_months(
    desk: Desk,
) -> None:
    timed = await _visit(desk, "15 Nov 2025 10:00 Asia/Karachi", "President")
    await _visit(desk, "November 2025", "Foreign Minister")
    await _visit(desk, "20 November 2025", "Prime Minister")
    res = await desk.reader.slash(desk.channel, "visit upcoming")
    lines = (res.response.embeds[0].description or "").splitlines()
    day = int(datetime(2025, 11, 20, tzinfo=UTC).timestamp())
    assert lines == [
        "`#2` November 2025 (day not yet set) · **Foreign Minister: Kazakhstan → Pakistan**"
        " · planned",
        f"`#1` <t:{KARACHI_TEN}:f> (<t:{KARACHI_TEN}:R>) · **President: Kazakhstan → "
        "Pakistan** · planned",
        f"`#3` 20 November 2025 (<t:{day}:R>) · **Prime Minister: Kazakhstan → Pakistan**"
        " · planned",
    ]
    res = await desk.reader.slash(desk.channel, "visit show", visit=f"#{timed.id}")
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    assert fields["When"] == f"<t:{KARACHI_TEN}:f> (<t:{KARACHI_TEN}:R>)"
    # No static server-zone time is printed anywhere: every reader's client converts.
    assert "(Asia/Karachi)" not in str(res.response.embeds[0].to_dict())


async def test_a_reminder_shows_the_time_as_a_timestamp(desk: Desk) -> None:
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    await _visit(desk, "15 Nov 2025 10:00 Asia/Karachi", "President")
    # The 1-day reminder goes out 24 hours before: 14 November 05:00 UTC.
    await desk.env.advance_time(int((datetime(2025, 11, 14, 5, 1, tzinfo=UTC)
                                     - datetime(2025, 9, 12, 9, tzinfo=UTC)).total_seconds()))
    posts = [m for m in desk.channel.history() if m.author.bot and m.interaction_metadata is None]
    assert posts
    when = {f.name: f.value for f in posts[-1].embeds[0].fields}["When"]
    assert when == f"<t:{KARACHI_TEN}:f> (<t:{KARACHI_TEN}:R>)"


@pytest.mark.parametrize(("typed", "zone", "said"), [
    ("PKT", "Asia/Karachi", "PKT is Asia/Karachi"),
    ("CET", "Europe/Paris", "CET is Europe/Paris"),
    ("EST", "America/New_York", "EST is America/New_York"),
    ("GMT+5", "Etc/GMT-5", "fixed offset UTC+05:00, zone Etc/GMT-5"),
    ("UTC+05:00", "Etc/GMT-5", "fixed offset UTC+05:00"),
    ("Karachi", "Asia/Karachi", "Asia/Karachi"),
    ("Islamabad", "Asia/Karachi", "Islamabad keeps Asia/Karachi time"),
    ("Pakistan", "Asia/Karachi", "Pakistan keeps Asia/Karachi time"),
    ("asia/karachi", "Asia/Karachi", "Time zone set to Asia/Karachi."),
])
async def test_timezone_accepts_abbreviations_offsets_and_cities(
    desk: Desk, typed: str, zone: str, said: str,
) -> None:
    res = await desk.admin.slash(desk.channel, "settings timezone", zone=typed)
    assert not res.ephemeral, res.response.content
    assert said in res.response.content
    assert f"Time zone set to {zone}" in res.response.content
    assert (await desk.bot.guild_settings.get(desk.guild.id)).timezone == zone


@pytest.mark.parametrize(("typed", "candidates"), [
    ("IST", ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
    ("CST", ["America/Chicago", "Asia/Shanghai"]),
    ("UTC+5:30", ["Asia/Kolkata", "Asia/Colombo"]),
    ("Kazakhstan", ["Asia/Almaty"]),
])
async def test_an_ambiguous_zone_is_refused_with_the_candidates(
    desk: Desk, typed: str, candidates: list[str],
) -> None:
    res = await desk.admin.slash(desk.channel, "settings timezone", zone=typed)
    assert res.ephemeral
    for candidate in candidates:
        assert candidate in res.response.content
    assert "/help" in res.response.content
    assert desk.user_errors()
    assert (await desk.bot.guild_settings.get(desk.guild.id)).timezone == "UTC"


async def test_timezone_autocomplete_offers_cities_and_abbreviations(desk: Desk) -> None:
    for typed, first in [("karachi", "Asia/Karachi"), ("islam", "Asia/Karachi"),
                         ("PKT", "Asia/Karachi"), ("new york", "America/New_York")]:
        choices = await desk.admin.autocomplete(desk.channel, "settings timezone", "zone", typed)
        assert choices[0]["value"] == first, typed
    [karachi] = await desk.admin.autocomplete(desk.channel, "settings timezone", "zone",
                                              "karachi")
    assert karachi["name"] == "Asia/Karachi (UTC+05:00 now)"


async def test_a_range_sets_the_visits_date_and_last_day(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date="24–26 November 2025",
                                  visitor_role="President")
    assert "Date: 24 November 2025 to 26 November 2025 — 3 days" in res.response.content
    visit = await _visit_by_role(desk, "President")
    assert (visit.date, visit.end_date) == (FuzzyDate.day(2025, 11, 24),
                                            FuzzyDate.day(2025, 11, 26))
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{visit.id}",
                                  date="25–27 November 2025")
    visit = await _visit_by_role(desk, "President")
    assert (visit.date, visit.end_date) == (FuzzyDate.day(2025, 11, 25),
                                            FuzzyDate.day(2025, 11, 27))
    res = await desk.editor.slash(desk.channel, "visit edit", visit=f"#{visit.id}",
                                  date="1–2 December 2025", end_date="3 December 2025")
    assert res.ephemeral and "already gives the last day" in res.response.content
    assert desk.user_errors()


async def test_a_range_is_refused_where_one_date_is_asked(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "meeting add", title="Talks", kind="other",
                                  date="24–26 November 2025")
    assert res.ephemeral and "give one date here" in res.response.content
    assert "/help topic:dates" in res.response.content
    assert desk.user_errors()


@pytest.mark.parametrize(("typed", "stored", "kept"), [
    ("late November 2025", FuzzyDate.month(2025, 11), "late November 2025"),
    ("H1 2026", FuzzyDate.year(2026), "H1 2026 (first half)"),
    ("first half of 2026", FuzzyDate.year(2026), "H1 2026 (first half)"),
])
async def test_a_qualifier_the_date_cannot_hold_goes_into_the_notes(
    desk: Desk, typed: str, stored: FuzzyDate, kept: str,
) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date=typed, visitor_role="President")
    assert f"“{kept}” is kept in the visit's notes" in res.response.content
    visit = await _visit_by_role(desk, "President")
    assert visit.date == stored
    assert visit.notes == f"Date given as “{kept}”."
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    assert f"Date given as “{kept}”." in fields["Notes"]


async def test_in_two_hours_is_a_time_from_the_bots_clock(desk: Desk) -> None:
    await desk.admin.slash(desk.channel, "settings timezone", zone="Karachi")
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date="in 2 hours",
                                  visitor_role="President")
    # The bot's clock reads 12 September 2025 09:00 UTC, 14:00 in Karachi.
    assert '"in 2 hours" counted from 14:00 on 12 September 2025' in res.response.content
    visit = await _visit_by_role(desk, "President")
    assert visit.date.start_instant() == datetime(2025, 9, 12, 11, 0, tzinfo=UTC)


async def _visit_by_role(desk: Desk, role: str) -> Visit:
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    return next(v for v in visits if isinstance(v, Visit) and v.visitor_role == role)
