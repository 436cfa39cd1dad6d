"""The reminder policy: lead-time parsing, planned sends per date precision, lateness, back-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import VisitStatus
from bot.services.reminder_policy import (
    DEFAULT_LEADS,
    MAX_LEADS,
    Lead,
    PlannedReminder,
    backoff,
    format_leads,
    late_verdict,
    parse_leads,
    plan_reminders,
)

KARACHI = "Asia/Karachi"
LONDON = "Europe/London"
NEW_YORK = "America/New_York"
OPEN = VisitStatus.PLANNED


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def plan(
    fd: FuzzyDate, leads: str = "7d 1d 2h", zone: str = KARACHI, status: VisitStatus = OPEN
) -> list[PlannedReminder]:
    return plan_reminders(fd, status, leads=parse_leads(leads), zone=zone)


def table(planned: list[PlannedReminder]) -> list[tuple[str, datetime, str]]:
    return [(r.key, r.due, r.headline) for r in planned]


# --- parse_leads / format_leads -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("7d 1d 2h", ["7d", "1d", "2h"]),
        ("30d 7d 1d 2h", ["30d", "7d", "1d", "2h"]),
        ("2h 30d 1d", ["30d", "1d", "2h"]),  # sorted longest first
        ("7d,1d", ["7d", "1d"]),
        ("30d, 7d;1d  2h", ["30d", "7d", "1d", "2h"]),  # mixed separators
        (" 90s ", ["90s"]),
        ("1w 30m", ["1w", "30m"]),
        ("7D 2H", ["7d", "2h"]),
        ("07d", ["7d"]),
        ("7 days, 2 hours, 1 week", ["7d", "2h"]),  # 1 week repeats 7 days
        ("1d 1d 2h 2h", ["1d", "2h"]),  # duplicates
        ("1d 24h", ["1d"]),  # same length: the first given wins
        ("365d", ["365d"]),
        ("52w", ["52w"]),
        ("8760h", ["8760h"]),
        ("1s", ["1s"]),
        ("1s 2s 3s 4s 5s 6s 7s 8s 9s 10s 11s 12s", None),  # 12 leads: refused
    ],
)
def test_parse_leads(text: str, labels: list[str] | None) -> None:
    if labels is None:
        with pytest.raises(UserError, match=f"at most {MAX_LEADS}"):
            parse_leads(text)
        return
    assert [lead.label for lead in parse_leads(text)] == labels


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No lead times given"),
        ("  , ;", "No lead times given"),
        ("x3", "Could not read 'x3' as a lead time. Write them like 30d 7d 1d 2h"),
        ("7x", "Could not read '7x'"),
        ("7", "Could not read '7'"),
        ("d", "Could not read 'd'"),
        ("1.5h", "Could not read '1.5h'"),
        ("-1d", "Could not read '-1d'"),
        ("1mo", "Could not read '1mo'"),
        ("0s", "'0s' is too short: a lead time is between 1 second and 365 days"),
        ("0d 1d", "'0d' is too short"),
        ("400d", "'400d' is too long: a lead time is between 1 second and 365 days"),
        ("53w", "'53w' is too long"),
        ("366d", "'366d' is too long"),
        ("99999999999999999999999s", "too long"),
        ("1s 2s 3s 4s 5s 6s 7s 8s 9s 10s 11s", "That is 11 different lead times; at most 10"),
    ],
)
def test_parse_leads_refuses_with_the_accepted_form(text: str, says: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_leads(text)
    assert says in str(caught.value)
    assert "d days, w weeks, h hours, m minutes, s seconds" in str(caught.value) or (
        "between 1 second and 365 days" in str(caught.value)
    )


def test_ten_leads_are_allowed_and_duplicates_do_not_count() -> None:
    ten = " ".join(f"{n}h" for n in range(1, 11))
    assert len(parse_leads(ten)) == 10
    assert len(parse_leads(ten + " 1h 60m")) == 10


def test_a_long_bad_token_is_clipped_in_the_message() -> None:
    with pytest.raises(UserError) as caught:
        parse_leads("x" * 500)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize("text", ["7d 1d 2h", "30d 7d 1d 2h", "1w 30m 90s", "365d 1s"])
def test_format_round_trip(text: str) -> None:
    leads = parse_leads(text)
    assert format_leads(leads) == text
    assert parse_leads(format_leads(leads)) == leads


def test_default_leads() -> None:
    assert format_leads(DEFAULT_LEADS) == "7d 1d 2h"
    assert [lead.seconds for lead in DEFAULT_LEADS] == [7 * 86400, 86400, 7200]


def test_lead_keeps_label_and_seconds_consistent() -> None:
    assert Lead.of(90, "s") == Lead(90, "90s")
    with pytest.raises(ValueError):
        Lead(60, "2m")
    with pytest.raises(ValueError):
        Lead(60, "60 s")


# --- plan_reminders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fd", "leads", "zone", "expected"),
    [
        pytest.param(
            FuzzyDate.month(2025, 11),
            "7d 1d 2h",
            KARACHI,
            [
                (
                    "month-before",
                    utc(2025, 10, 1, 4),
                    "expected next month — date still unconfirmed",
                ),
                ("month-of", utc(2025, 11, 1, 4), "expected this month — date still unconfirmed"),
            ],
            id="reference visit, November 2025 in Karachi",
        ),
        pytest.param(
            FuzzyDate.month(2026, 1),
            "30d",
            LONDON,
            [
                (
                    "month-before",
                    utc(2025, 12, 1, 9),
                    "expected next month — date still unconfirmed",
                ),
                ("month-of", utc(2026, 1, 1, 9), "expected this month — date still unconfirmed"),
            ],
            id="month in January nudges in the previous December",
        ),
        pytest.param(
            FuzzyDate.month(2025, 4),
            "7d",
            LONDON,
            [
                (
                    "month-before",
                    utc(2025, 3, 1, 9),
                    "expected next month — date still unconfirmed",
                ),
                ("month-of", utc(2025, 4, 1, 8), "expected this month — date still unconfirmed"),
            ],
            id="month nudges at 09:00 local on both sides of a clock change",
        ),
        pytest.param(
            FuzzyDate.quarter(2025, 4),
            "7d",
            KARACHI,
            [("period-start", utc(2025, 10, 1, 4), "expected in Q4 2025 — date still unconfirmed")],
            id="quarter",
        ),
        pytest.param(
            FuzzyDate.year(2026),
            "7d",
            NEW_YORK,
            [("period-start", utc(2026, 1, 1, 14), "expected in 2026 — date still unconfirmed")],
            id="year",
        ),
        pytest.param(
            FuzzyDate.day(2025, 11, 24),
            "7d 1d 2h",
            KARACHI,
            [
                ("7d", utc(2025, 11, 17, 4), "in 7 days"),
                ("1d", utc(2025, 11, 23, 4), "tomorrow"),
            ],
            id="day without time, default leads: 2h shares 1d's instant and is dropped",
        ),
        pytest.param(
            FuzzyDate.day(2025, 11, 24),
            "2h",
            KARACHI,
            [("2h", utc(2025, 11, 23, 4), "tomorrow")],
            id="day without time, only an hour lead: 09:00 the day before, said as tomorrow",
        ),
        pytest.param(
            FuzzyDate.day(2025, 11, 24),
            "30d 48h 90s",
            KARACHI,
            [
                ("30d", utc(2025, 10, 25, 4), "in 30 days"),
                ("48h", utc(2025, 11, 22, 4), "in 2 days"),
                ("90s", utc(2025, 11, 23, 4), "tomorrow"),
            ],
            id="day without time, sub-day leads count back from local midnight",
        ),
        pytest.param(
            FuzzyDate.day(2025, 11, 24),
            "2w 14d",
            KARACHI,
            [("2w", utc(2025, 11, 10, 4), "in 2 weeks")],
            id="weeks, and a day lead of the same length is one lead",
        ),
        pytest.param(
            FuzzyDate.day(2025, 10, 27, time(10), LONDON),
            "7d 1d 2h",
            KARACHI,
            [
                ("7d", utc(2025, 10, 20, 9), "in 7 days"),  # 10:00 BST
                ("1d", utc(2025, 10, 26, 10), "tomorrow"),  # 10:00 GMT
                ("2h", utc(2025, 10, 27, 8), "in 2 hours"),
            ],
            id="London across the October change: days keep the wall-clock time",
        ),
        pytest.param(
            FuzzyDate.day(2025, 3, 10, time(10), NEW_YORK),
            "7d 1d 2h",
            KARACHI,
            [
                ("7d", utc(2025, 3, 3, 15), "in 7 days"),  # 10:00 EST
                ("1d", utc(2025, 3, 9, 14), "tomorrow"),  # 10:00 EDT
                ("2h", utc(2025, 3, 10, 12), "in 2 hours"),
            ],
            id="New York across the March change",
        ),
        pytest.param(
            FuzzyDate.day(2025, 3, 9, time(3, 30), NEW_YORK),
            "2h 90m 1h",
            KARACHI,
            [
                ("2h", utc(2025, 3, 9, 5, 30), "in 2 hours"),  # 00:30 EST, not 01:30
                ("90m", utc(2025, 3, 9, 6), "in 90 minutes"),
                ("1h", utc(2025, 3, 9, 6, 30), "in 1 hour"),  # 01:30 EST
            ],
            id="hour leads over the spring-forward gap are exact durations",
        ),
        pytest.param(
            FuzzyDate.day(2025, 3, 10, time(2, 30), NEW_YORK),
            "1d",
            KARACHI,
            [("1d", utc(2025, 3, 9, 7, 30), "tomorrow")],  # 02:30 does not exist: 03:30 EDT
            id="a calendar step onto a skipped wall-clock time moves forward",
        ),
        pytest.param(
            FuzzyDate.day(2025, 10, 27, time(1, 30), LONDON),
            "25h 1d",
            KARACHI,
            [("25h", utc(2025, 10, 26, 0, 30), "in 25 hours")],
            id="two leads on one instant keep the longest",
        ),
        pytest.param(
            FuzzyDate.day(2025, 11, 24, time(15), KARACHI),
            "1w 30m 90s",
            LONDON,
            [
                ("1w", utc(2025, 11, 17, 10), "in 1 week"),
                ("30m", utc(2025, 11, 24, 9, 30), "in 30 minutes"),
                ("90s", utc(2025, 11, 24, 9, 58, 30), "in 90 seconds"),
            ],
            id="a timed visit uses its own zone, not the server's",
        ),
    ],
)
def test_plan_reminders(
    fd: FuzzyDate, leads: str, zone: str, expected: list[tuple[str, datetime, str]]
) -> None:
    planned = plan(fd, leads, zone)
    assert table(planned) == expected
    assert {r.computed_for for r in planned} == {fd.value}
    assert {r.kind for r in planned} == ({"nudge"} if not fd.is_exact_day else {"lead"})
    assert all(r.due.tzinfo is UTC for r in planned)


def test_the_reference_visit_nudges_at_nine_in_karachi() -> None:
    first, second = plan(FuzzyDate.month(2025, 11))
    assert first.computed_for == second.computed_for == "2025-11"
    assert first.due.astimezone(ZoneInfo(KARACHI)) == datetime(
        2025, 10, 1, 9, tzinfo=ZoneInfo(KARACHI)
    )
    assert second.due.astimezone(ZoneInfo(KARACHI)).date() == date(2025, 11, 1)


@pytest.mark.parametrize("status", list(VisitStatus))
def test_only_open_visits_get_reminders(status: VisitStatus) -> None:
    for fd in (FuzzyDate.month(2025, 11), FuzzyDate.day(2025, 11, 24)):
        planned = plan(fd, status=status)
        assert bool(planned) is (status in ("proposed", "planned", "confirmed"))


def test_a_changed_date_gives_new_keys() -> None:
    before = plan(FuzzyDate.month(2025, 11))
    refined = plan(FuzzyDate.day(2025, 11, 24))
    moved = plan(FuzzyDate.day(2025, 11, 25))
    timed = plan(FuzzyDate.day(2025, 11, 25, time(10), KARACHI))
    pairs = [{(r.key, r.computed_for) for r in p} for p in (before, refined, moved, timed)]
    for i, one in enumerate(pairs):
        for other in pairs[i + 1 :]:
            assert not one & other
    assert timed[0].computed_for == "2025-11-25T10:00:00+05:00"


def test_no_leads_means_no_lead_reminders_but_nudges_stay() -> None:
    day = FuzzyDate.day(2025, 11, 24)
    assert plan_reminders(day, OPEN, leads=[], zone=KARACHI) == []
    assert len(plan_reminders(FuzzyDate.month(2025, 11), OPEN, leads=[], zone=KARACHI)) == 2


def test_unsorted_and_repeated_leads_are_handled() -> None:
    leads = [Lead.of(2, "h"), Lead.of(7, "d"), Lead.of(2, "h")]
    planned = plan_reminders(
        FuzzyDate.day(2025, 11, 24, time(10), KARACHI), OPEN, leads=leads, zone=KARACHI
    )
    assert [r.key for r in planned] == ["7d", "2h"]


def test_an_unknown_server_zone_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        plan(FuzzyDate.month(2025, 11), zone="Mars/Olympus")


def test_a_skipped_calendar_day_never_yields_a_reminder_at_or_after_the_start() -> None:
    # Samoa skipped 30 December 2011: "1d before" the 31st at 10:00 is the same instant.
    apia = "Pacific/Apia"
    timed = FuzzyDate.day(2011, 12, 31, time(10), apia)
    assert [r.key for r in plan(timed, "1d 2h", apia)] == ["2h"]
    untimed = FuzzyDate.day(2011, 12, 31)
    for r in plan(untimed, "7d 1d 2h", apia):
        assert r.due < untimed.start_instant(apia)


# --- late_verdict and backoff -----------------------------------------------------------------

DUE = utc(2025, 11, 23, 4)
START = utc(2025, 11, 24, 5)


@pytest.mark.parametrize(
    ("now", "verdict"),
    [
        (DUE - timedelta(minutes=5), "on_time"),  # early
        (DUE, "on_time"),
        (DUE + timedelta(minutes=15), "on_time"),  # the edge of grace
        (DUE + timedelta(minutes=15, seconds=1), "late"),
        (START - timedelta(seconds=1), "late"),
        (START, "stale"),
        (START + timedelta(days=3), "stale"),
    ],
)
def test_late_verdict(now: datetime, verdict: str) -> None:
    assert late_verdict(DUE, START, now) == verdict


def test_late_verdict_grace_and_awareness() -> None:
    now = DUE + timedelta(minutes=30)
    assert late_verdict(DUE, START, now, grace=timedelta(hours=1)) == "on_time"
    assert late_verdict(DUE, START, now, grace=timedelta(0)) == "late"
    # Within grace is on time even if the visit has begun: the post went out as planned.
    assert late_verdict(START, START, START + timedelta(minutes=1)) == "on_time"
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        late_verdict(DUE, START, datetime(2025, 11, 23, 4))


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (0, timedelta(seconds=30)),
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=1)),
        (3, timedelta(minutes=2)),
        (4, timedelta(minutes=4)),
        (7, timedelta(minutes=32)),
        (8, timedelta(hours=1)),
        (1000, timedelta(hours=1)),
    ],
)
def test_backoff_schedule(attempts: int, wait: timedelta) -> None:
    assert backoff(attempts) == wait


def test_backoff_is_monotone_capped_and_deterministic() -> None:
    waits = [backoff(n) for n in range(1, 60)]
    assert waits == sorted(waits)
    assert max(waits) == timedelta(hours=1)
    assert waits == [backoff(n) for n in range(1, 60)]


# --- properties ---------------------------------------------------------------------------------

ZONES = [
    "UTC",
    KARACHI,
    LONDON,
    NEW_YORK,
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "America/St_Johns",
]
lead_lists = st.lists(
    st.builds(Lead.of, st.integers(1, 52), st.sampled_from(["w", "d", "h", "m", "s"])),
    max_size=MAX_LEADS,
)


@given(
    day=st.dates(date(2000, 1, 1), date(2035, 12, 31)),
    at=st.none() | st.times(),
    leads=lead_lists,
    zone=st.sampled_from(ZONES),
    visit_zone=st.sampled_from(ZONES),
)
def test_day_reminders_are_before_the_start_sorted_and_unique(
    day: date, at: time | None, leads: list[Lead], zone: str, visit_zone: str
) -> None:
    fd = FuzzyDate.day(day.year, day.month, day.day, at, visit_zone)
    planned = plan_reminders(fd, OPEN, leads=leads, zone=zone)
    start = fd.start_instant(zone)
    assert all(r.due < start for r in planned)
    assert [r.due for r in planned] == sorted(r.due for r in planned)
    assert len({(r.key, r.computed_for) for r in planned}) == len(planned)
    assert len({r.due for r in planned}) == len(planned)
    assert {r.key for r in planned} <= {lead.label for lead in leads}


@given(text=st.text(max_size=40))
def test_parse_leads_either_reads_or_explains(text: str) -> None:
    try:
        leads = parse_leads(text)
    except UserError as exc:
        assert "lead time" in str(exc)
    else:
        assert 1 <= len(leads) <= MAX_LEADS
        assert parse_leads(format_leads(leads)) == leads
