"""Follow-up deadlines relative to a visit or plan, owners, follow-up reminders, and when the
weekly digest goes out: pure rules, as tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import RowInvalid, record_from_dict
from bot.domain.records import (
    FollowUp,
    Owner,
    Plan,
    PlanKind,
    PlanStatus,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.services.digest import away, ministerial, parse_time
from bot.services.followups import (
    deadline_of,
    may_mention,
    offset_words,
    parse_relative,
)
from bot.services.reminder_policy import (
    digest_week,
    next_digest,
    parse_leads,
    plan_followup_reminders,
)
from tests.markup_check import HOSTILE, payload_texts, problems


def visit(fd: FuzzyDate, status: VisitStatus = VisitStatus.PLANNED) -> Visit:
    return Visit(None, "President", "Kazakhstan", "Pakistan", fd, status, uid="v")


def tied(before: str = "visit", offset: str = "") -> FollowUp:
    return FollowUp("Finalise the MoUs", due_before=before, due_offset=offset,
                    visit="v" if before == "visit" else None,
                    plan="p" if before == "plan" else None)


@pytest.mark.parametrize(("anchor", "offset", "text"), [
    (FuzzyDate.month(2025, 11), "", "early November 2025 — before the visit"),
    (FuzzyDate.month(2025, 11), "2w", "mid October 2025 — 2 weeks before the visit"),
    (FuzzyDate.month(2025, 11), "1d", "late October 2025 — 1 day before the visit"),
    (FuzzyDate.day(2025, 11, 24), "", "23 November 2025 — before the visit"),
    (FuzzyDate.day(2025, 11, 24), "1d", "23 November 2025 — 1 day before the visit"),
    (FuzzyDate.day(2025, 11, 24), "2w", "10 November 2025 — 2 weeks before the visit"),
    (FuzzyDate.day(2025, 11, 24, time(18, 0), "Asia/Karachi"), "",
     "23 November 2025 — before the visit"),
    (FuzzyDate.quarter(2026, 1), "", "early Q1 2026 — before the visit"),
    (FuzzyDate.year(2026), "", "early 2026 — before the visit"),
])
def test_a_deadline_is_as_precise_as_its_anchor(
    anchor: FuzzyDate, offset: str, text: str
) -> None:
    assert deadline_of(tied(offset=offset), visit(anchor)).text == text


@pytest.mark.parametrize(("status", "text"), [
    (VisitStatus.POSTPONED, "on hold — the visit was postponed and has no new date yet"),
    (VisitStatus.CANCELLED, "no deadline — the visit was cancelled"),
])
def test_a_postponed_or_cancelled_anchor_leaves_no_deadline(
    status: VisitStatus, text: str
) -> None:
    deadline = deadline_of(tied(), visit(FuzzyDate.day(2025, 11, 24), status))
    assert deadline.by is None and deadline.text == text


def test_a_held_visit_keeps_the_deadline_and_a_gone_one_leaves_none() -> None:
    held = deadline_of(tied(), visit(FuzzyDate.day(2025, 11, 24), VisitStatus.COMPLETED))
    assert held.by == FuzzyDate.day(2025, 11, 23) and held.overdue(date(2025, 11, 24))
    assert not held.overdue(date(2025, 11, 23))
    assert deadline_of(tied(), None).text == "no deadline — the visit it was tied to is gone"


def test_before_signing_follows_the_plan() -> None:
    plan = Plan("MoUs", PlanKind.MOU, PlanStatus.EXPECTED, FuzzyDate.day(2025, 11, 25), uid="p")
    assert deadline_of(tied("plan", "3d"), plan).text == \
        "22 November 2025 — 3 days before the signing"
    undated = Plan("MoUs", PlanKind.MOU, PlanStatus.UNDER_NEGOTIATION, uid="p")
    assert deadline_of(tied("plan"), undated).text == "no deadline yet — the signing has no date"


def test_a_deadline_of_its_own() -> None:
    own = deadline_of(FollowUp("x", due=FuzzyDate.month(2025, 10)), None)
    assert own.text == "October 2025" and not own.overdue(date(2025, 10, 31))
    assert own.overdue(date(2025, 11, 1))
    assert deadline_of(FollowUp("x"), None).text == "no deadline"


@pytest.mark.parametrize(("today", "text"), [
    (date(2025, 11, 20), "due in 3 days"),
    (date(2025, 11, 22), "due tomorrow"),
    (date(2025, 11, 23), "due today"),
    (date(2025, 11, 25), "overdue by 2 days"),
])
def test_countdowns(today: date, text: str) -> None:
    deadline = deadline_of(tied(), visit(FuzzyDate.day(2025, 11, 24)))
    assert deadline.countdown(today) == text


@pytest.mark.parametrize(("typed", "read"), [
    ("before the visit", ("visit", "")),
    ("Before visit", ("visit", "")),
    ("2 weeks before the visit", ("visit", "2w")),
    ("10 days before the visit", ("visit", "10d")),
    ("3d before signing", ("plan", "3d")),
    ("1 week before the plan", ("plan", "1w")),
    ("0 days before the visit", ("visit", "")),
    ("15 October 2025", None),
    ("before", None),
])
def test_relative_deadlines_as_typed(typed: str, read: tuple[str, str] | None) -> None:
    assert parse_relative(typed) == read


def test_a_relative_deadline_too_far_ahead_is_refused() -> None:
    with pytest.raises(UserError, match="at most 999"):
        parse_relative("1000 days before the visit")
    assert offset_words("1w") == "1 week before" and offset_words("") == "before"


@pytest.mark.parametrize(("row", "problem"), [
    ({"due_before": "visit"}, "no visit is linked"),
    ({"due_before": "meeting"}, "due_before must be empty, visit or plan"),
    ({"due_before": "visit", "visit": "v", "due": {"value": "2025-10", "precision": "month"}},
     "not both"),
    ({"due_offset": "2w"}, "it needs due_before"),
    ({"due_before": "visit", "visit": "v", "due_offset": "2y"}, "days or weeks"),
    ({"owner": "team:1", "owner_name": "x"}, "must be member:<id>, role:<id>"),
    ({"owner": "role:12"}, "owner_name is required"),
    ({"owner_name": "Desk editors"}, "there is no owner"),
    ({"leads": "soon"}, "lead times such as 7d 1d"),
])
def test_every_way_in_obeys_the_follow_up_rules(row: dict[str, object], problem: str) -> None:
    data = {"uid": "f", "what": "Finalise", "status": "open", **row}
    with pytest.raises(RowInvalid, match=problem):
        record_from_dict(RecordType.FOLLOWUP, data)


def test_an_owner_known_only_by_name() -> None:
    owner = Owner.parse("role", "Desk editors")
    assert owner == Owner("role", None, "Desk editors") and owner.ref == "role"
    assert Owner.parse("member:42", "alice") == Owner("member", 42, "alice")
    assert Owner.parse("", "") is None


@pytest.mark.parametrize(("owner", "role", "opted", "pinged"), [
    (Owner("role", 5, "Desk"), 5, set(), True),
    (Owner("role", 5, "Desk"), 6, set(), False),
    (Owner("role", None, "Desk"), 5, set(), False),
    (Owner("member", 7, "al"), None, {7}, True),
    (Owner("member", 7, "al"), 7, set(), False),
    (None, 5, {7}, False),
])
def test_who_may_be_pinged(owner: Owner | None, role: int | None, opted: set[int],
                           pinged: bool) -> None:
    assert may_mention(owner, reminder_role_id=role, opted_in=opted) is pinged


def test_follow_up_reminders_count_back_from_the_deadline() -> None:
    leads = parse_leads("7d 1d 2h")
    planned = plan_followup_reminders(FuzzyDate.day(2025, 11, 23), leads=leads, zone="UTC")
    assert [(p.key, p.due.isoformat(), p.headline) for p in planned] == [
        ("7d", "2025-11-16T09:00:00+00:00", "due in 7 days"),
        ("1d", "2025-11-22T09:00:00+00:00", "due tomorrow"),
    ]
    month = plan_followup_reminders(FuzzyDate.month(2025, 11), leads=parse_leads("1d"),
                                    zone="UTC")
    assert [(p.due.isoformat(), p.headline) for p in month] == [
        ("2025-10-31T09:00:00+00:00", "due tomorrow (date still unconfirmed)")]
    assert plan_followup_reminders(None, leads=leads, zone="UTC") == []


@pytest.mark.parametrize(("after", "due"), [
    # Friday 12 September 2025 -> Monday 15 September, 08:00 in London (07:00 UTC).
    (datetime(2025, 9, 12, 9, 0, tzinfo=UTC), "2025-09-15T07:00:00+00:00"),
    # Exactly at the time: the next week's.
    (datetime(2025, 9, 15, 7, 0, tzinfo=UTC), "2025-09-22T07:00:00+00:00"),
    (datetime(2025, 9, 15, 6, 59, tzinfo=UTC), "2025-09-15T07:00:00+00:00"),
    # Across the end of summer time (26 October): 08:00 is now 08:00 UTC.
    (datetime(2025, 10, 21, 0, 0, tzinfo=UTC), "2025-10-27T08:00:00+00:00"),
    # And back into it (29 March 2026).
    (datetime(2026, 3, 24, 0, 0, tzinfo=UTC), "2026-03-30T07:00:00+00:00"),
])
def test_the_digest_keeps_its_wall_clock_time(after: datetime, due: str) -> None:
    assert next_digest(after, 0, time(8, 0), "Europe/London").isoformat() == due


def test_digest_weeks_and_small_readers() -> None:
    assert digest_week(datetime(2025, 9, 15, 7, 0, tzinfo=UTC), "Europe/London") == "2025-W38"
    # Sunday 23:30 UTC is already Monday in Tokyo.
    assert digest_week(datetime(2025, 9, 14, 23, 30, tzinfo=UTC), "Asia/Tokyo") == "2025-W38"
    assert parse_time("8") == time(8, 0) and parse_time("0830") == time(8, 30)
    with pytest.raises(UserError):
        parse_time("25:00")
    assert away(date(2025, 11, 1), date(2025, 10, 13)) == "3 weeks away"
    assert away(date(2025, 11, 1), date(2025, 10, 27)) == "5 days away"
    assert away(date(2025, 11, 1), date(2025, 11, 3)) == "under way"


@pytest.mark.parametrize(("title", "is_ministerial"), [
    ("Deputy Prime Minister and Foreign Minister", True),
    ("President", True),
    ("Minister of Foreign Affairs", True),
    ("Vice Minister for IT", False),
    ("Deputy Minister of Trade", False),
    ("Ambassador", False),
    ("Director General, Europe", False),
])
def test_ministerial_level(title: str, is_ministerial: bool) -> None:
    assert ministerial(title) is is_ministerial


@pytest.mark.parametrize("typed", HOSTILE)
def test_follow_up_text_is_shown_inertly(typed: str) -> None:
    from bot.services.desk import RecordLinks
    from bot.services.digest import Digest, DigestFollowUp
    from bot.services.followups import Entry
    from bot.ui.digest import digest_message
    from bot.ui.followups import card_of, followup_card, followup_line

    f = FollowUp(typed, owner="role:5", owner_name=typed, notes=typed,
                 due=FuzzyDate.day(2025, 10, 1), id=1, uid="f")
    entry = Entry(f, deadline_of(f, None), False)
    today = date(2025, 9, 12)
    assert problems(followup_line(entry, today), typed) == []
    card = followup_card(entry, RecordLinks(), today).to_dict()
    assert problems("\n".join(payload_texts(card)), typed) == []
    assert card_of(f, RecordLinks(), today).to_dict() == card
    digest = Digest(today, "UTC", followups=[DigestFollowUp(1, typed, f"@{typed}", "1 October",
                                                            "due in 19 days", False)])
    _, [embed] = digest_message(digest)
    assert problems("\n".join(payload_texts(embed.to_dict())), typed) == []
