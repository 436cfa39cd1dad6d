"""The briefing view-model, built from the reference sample in a real SQLite store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import (
    Person,
    PlanStatus,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.services.briefing import (
    Briefing,
    VisitItem,
    VisitLevel,
    briefing_text,
    build_briefing,
    months_before,
)
from bot.services.changes import ChangePipeline
from bot.services.desk import DeskService
from bot.services.factory import Services
from bot.services.interchange import import_data
from bot.stores.database import Database
from bot.stores.records import RecordStore
from tests.conftest import GUILD, OTHER_GUILD, FixedClock

NINE_FIELDS = [
    "politics", "trade", "economy", "defence and security", "science and technology",
    "culture", "tourism", "humanitarian assistance", "consular facilitation",
]


@pytest.fixture
async def desk(changes: ChangePipeline, services: Services,
    db: Database, store: RecordStore, clock: FixedClock, sample_data: dict[str, Any]
) -> DeskService:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    return services.desk


@pytest.fixture
async def kazakhstan(desk: DeskService) -> Briefing:
    return await build_briefing(desk, GUILD, "Kazakhstan")


def test_country_and_today(kazakhstan: Briefing) -> None:
    assert kazakhstan.country == "Kazakhstan"
    assert kazakhstan.today == date(2025, 9, 12)
    assert kazakhstan.zone == "UTC"
    assert not kazakhstan.is_empty


def test_action_plan_signed_with_nine_fields_and_both_signatories(kazakhstan: Briefing) -> None:
    signed = kazakhstan.plan_group(PlanStatus.SIGNED)
    assert signed is not None
    (plan,) = signed.plans
    assert plan.title == "Pakistan–Kazakhstan Action Plan of Cooperation"
    assert plan.kind == "action plan"
    assert plan.date == FuzzyDate.day(2025, 9, 9)
    assert list(plan.fields) == NINE_FIELDS
    assert [(s.name, s.part) for s in plan.signatories] == [
        ("Mohammad Ishaq Dar", "Ministry of Foreign Affairs of Pakistan"),
        ("Murat Nurtleu", "Ministry of Foreign Affairs of Kazakhstan"),
    ]
    assert plan.signatories[0].title == "Deputy Prime Minister and Foreign Minister"


def test_plan_groups_come_in_the_expected_order(kazakhstan: Briefing) -> None:
    assert [g.status for g in kazakhstan.plans] == [PlanStatus.EXPECTED, PlanStatus.SIGNED]
    expected = kazakhstan.plans[0]
    assert expected.label == "Expected"
    assert [p.title for p in expected.plans] == [
        "Agreements and MoUs for the Kazakh President's visit"
    ]
    assert expected.plans[0].date == FuzzyDate.month(2025, 11)


def test_upcoming_presidential_visit_is_month_precision_and_unconfirmed(
    kazakhstan: Briefing,
) -> None:
    (visit,) = kazakhstan.upcoming
    assert visit.visitor == "Kassym-Jomart Tokayev"
    assert visit.role == "President of Kazakhstan"
    assert visit.route == "Kazakhstan → Pakistan"
    assert visit.date == FuzzyDate.month(2025, 11)
    assert visit.precision is Precision.MONTH
    assert not visit.confirmed
    assert visit.days_until is None  # no countdown to a day nobody has set
    assert visit.status is VisitStatus.PLANNED


def test_last_presidential_visit_was_2003_twenty_two_years_before(kazakhstan: Briefing) -> None:
    presidential = kazakhstan.levels[0]
    assert presidential.role == "President of Kazakhstan"
    assert presidential.last.date == FuzzyDate.year(2003)
    assert presidential.next is not None
    assert presidential.next.date == FuzzyDate.month(2025, 11)
    assert presidential.years_between == 22
    assert presidential.line == (
        "last presidential visit: 2003 — 22 years before the one expected in November 2025"
    )


def test_foreign_minister_level_shows_the_september_visit(kazakhstan: Briefing) -> None:
    levels = {lv.role: lv for lv in kazakhstan.levels}
    assert set(levels) == {"President of Kazakhstan", "Deputy Prime Minister and Foreign Minister"}
    minister = levels["Deputy Prime Minister and Foreign Minister"]
    assert minister.last.visitor == "Murat Nurtleu"
    assert minister.last.date == FuzzyDate.day(2025, 9, 9)
    assert minister.next is None
    assert minister.line == (
        "last visit by the Deputy Prime Minister and Foreign Minister: 9 September 2025"
    )


def test_delegation_talks_co_chaired_by_dar_and_nurtleu_lead_the_latest_meetings(
    kazakhstan: Briefing,
) -> None:
    assert len(kazakhstan.meetings) == 5
    talks = kazakhstan.meetings[0]
    assert talks.title == "Pakistan–Kazakhstan delegation-level talks"
    assert talks.kind == "delegation-level talks"
    assert talks.date == FuzzyDate.day(2025, 9, 9)
    assert [(p.name, p.title, p.part) for p in talks.participants] == [
        ("Mohammad Ishaq Dar", "Deputy Prime Minister and Foreign Minister", "co-chair"),
        ("Murat Nurtleu", "Deputy Prime Minister and Foreign Minister", "co-chair"),
    ]
    dates = [m.date for m in kazakhstan.meetings]
    assert dates == sorted(dates, reverse=True)


def test_headline_counts_the_last_twelve_months(kazakhstan: Briefing) -> None:
    h = kazakhstan.headline
    assert (h.meetings, h.plans_signed, h.visits) == (7, 1, 1)
    assert h.since == date(2024, 9, 12)
    assert h.period == "last 12 months (since 12 September 2024)"
    assert kazakhstan.totals.meetings == 7
    assert kazakhstan.totals.visits == 3


def test_key_people_are_from_the_country_only(kazakhstan: Briefing) -> None:
    assert [(p.name, p.title) for p in kazakhstan.people] == [
        ("Murat Nurtleu", "Deputy Prime Minister and Foreign Minister"),
        ("Kassym-Jomart Tokayev", "President"),
    ]


def test_sources_cited(kazakhstan: Briefing) -> None:
    assert [s.title for s in kazakhstan.sources] == [
        "Pakistan, Kazakhstan sign action plan of cooperation (news report, Islamabad)"
    ]
    assert kazakhstan.sources[0].published == FuzzyDate.day(2025, 9, 10)


@pytest.mark.parametrize("spelling", ["Kazakh", "KZ", "kazakhstan", "KAZ", " Kazakhstan "])
async def test_any_spelling_gives_the_same_briefing(
    desk: DeskService, kazakhstan: Briefing, spelling: str
) -> None:
    assert await build_briefing(desk, GUILD, spelling) == kazakhstan


async def test_pakistan_sees_the_same_records_from_its_side(desk: DeskService) -> None:
    pakistan = await build_briefing(desk, GUILD, "Pakistani")
    assert pakistan.country == "Pakistan"
    assert [p.name for p in pakistan.people] == ["Mohammad Ishaq Dar"]
    assert pakistan.levels[0].line.endswith("22 years before the one expected in November 2025")


@pytest.mark.parametrize("country", ["Uzbekistan", "Atlantis"])
async def test_a_country_with_nothing_recorded_is_empty(desk: DeskService, country: str) -> None:
    b = await build_briefing(desk, GUILD, country)
    assert b.is_empty
    assert b.country == country
    assert (b.upcoming, b.plans, b.meetings, b.levels, b.people, b.sources) == (
        [], [], [], [], [], []
    )
    assert (b.headline.meetings, b.headline.plans_signed, b.headline.visits) == (0, 0, 0)
    assert f"Nothing is recorded for {country} yet." in briefing_text(b)


async def test_another_server_gets_nothing(desk: DeskService) -> None:
    assert (await build_briefing(desk, OTHER_GUILD, "Kazakhstan")).is_empty


async def test_after_november_the_visit_is_no_longer_upcoming(
    desk: DeskService, clock: FixedClock
) -> None:
    clock.current = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    assert b.upcoming == []
    presidential = next(lv for lv in b.levels if lv.role == "President of Kazakhstan")
    # Still marked planned after its month has passed: not taken for the last one held
    # (2003 still is), but asked about on its own line.
    assert presidential.last.date == FuzzyDate.year(2003)
    assert presidential.last.status is VisitStatus.COMPLETED
    assert presidential.next is None
    [past] = b.past_open
    assert past.visit.date == FuzzyDate.month(2025, 11)
    assert past.line == (
        "November 2025 presidential visit is still marked planned — was it held? "
        f"/visit edit visit:#{past.visit.id} status:completed (or postponed, cancelled)")


async def test_a_past_visit_still_planned_never_hides_the_last_one_held(
    desk: DeskService, clock: FixedClock
) -> None:
    clock.current = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    text = briefing_text(b)
    assert "- Kazakhstan → Pakistan: last presidential visit: 2003\n" in text
    assert "Last presidential visit: November 2025" not in text
    assert "last presidential visit: November 2025" not in text
    [past] = b.past_open
    assert (
        "## Was it held?\n"
        "- Kazakhstan → Pakistan: November 2025 presidential visit is still marked planned — "
        f"was it held? /visit edit visit:#{past.visit.id} status:completed"
    ) in text
    # Nobody said it was held, so it is not counted as a visit of the last twelve months.
    assert b.headline.visits == 0


async def test_once_marked_held_the_visit_becomes_the_last_one(
    desk: DeskService, store: RecordStore, clock: FixedClock
) -> None:
    clock.current = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    november = await store.get_by_uid(GUILD, RecordType.VISIT, "president-visit-2025-11")
    assert isinstance(november, Visit)
    await store.update(GUILD, replace(november, status=VisitStatus.COMPLETED), actor_id=None)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    presidential = next(lv for lv in b.levels if lv.role == "President of Kazakhstan")
    assert presidential.last.date == FuzzyDate.month(2025, 11)
    assert b.past_open == []
    assert "Was it held?" not in briefing_text(b)


async def test_on_the_last_day_of_november_the_visit_is_still_upcoming(
    desk: DeskService, clock: FixedClock
) -> None:
    clock.current = datetime(2025, 11, 30, 23, 0, tzinfo=UTC)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    assert [v.date for v in b.upcoming] == [FuzzyDate.month(2025, 11)]


async def test_a_year_later_the_headline_is_empty_but_the_record_remains(
    desk: DeskService, clock: FixedClock
) -> None:
    clock.current = datetime(2026, 10, 1, tzinfo=UTC)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    # November 2025 is inside the window but nobody marked its visit held, so it is not
    # counted (the brief asks whether it was); September 2025 has dropped out.
    assert (b.headline.meetings, b.headline.plans_signed, b.headline.visits) == (0, 0, 0)
    assert [p.visit.date for p in b.past_open] == [FuzzyDate.month(2025, 11)]
    assert not b.is_empty
    assert b.plan_group(PlanStatus.SIGNED) is not None


async def test_since_sets_the_window(desk: DeskService) -> None:
    b = await build_briefing(desk, GUILD, "Kazakhstan", since=date(2000, 1, 1))
    assert b.headline.since == date(2000, 1, 1)
    assert b.headline.period == "since 1 January 2000"
    # The 2003 presidential visit now counts as well.
    assert b.headline.visits == 2
    later = await build_briefing(desk, GUILD, "Kazakhstan", since=date(2025, 9, 10))
    # Only the month-precision meetings could still fall after the 10th.
    assert later.headline.meetings == 6
    assert later.headline.plans_signed == 0
    assert all(m.date.precision is Precision.MONTH for m in later.meetings)


async def test_since_in_the_future_is_refused(desk: DeskService) -> None:
    with pytest.raises(UserError, match="after today"):
        await build_briefing(desk, GUILD, "Kazakhstan", since=date(2026, 1, 1))


async def test_exact_day_visits_count_down_and_sort_soonest_first(
    desk: DeskService, store: RecordStore
) -> None:
    tokayev = await store.get_by_uid(GUILD, RecordType.PERSON, "kassym-jomart-tokayev")
    assert isinstance(tokayev, Person)
    later = Visit(visitor=None, visitor_role="Prime Minister", from_country="Kazakhstan",
                  to_country="Pakistan", date=FuzzyDate.day(2025, 12, 3),
                  status=VisitStatus.CONFIRMED, uid="pm-visit")
    sooner = Visit(visitor=None, visitor_role="Foreign Minister", from_country="Pakistan",
                   to_country="Kazakhstan", date=FuzzyDate.day(2025, 9, 20),
                   status=VisitStatus.PROPOSED, uid="fm-visit")
    dropped = replace(sooner, uid="dropped", status=VisitStatus.CANCELLED,
                      date=FuzzyDate.day(2025, 9, 15))
    for visit in (later, sooner, dropped):
        await store.add(GUILD, visit, actor_id=None)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    assert [(v.role, v.days_until, v.confirmed) for v in b.upcoming] == [
        ("Foreign Minister", 8, True),
        ("President of Kazakhstan", None, False),
        ("Prime Minister", 82, True),
    ]


async def test_an_ongoing_visit_is_still_upcoming(desk: DeskService, store: RecordStore) -> None:
    ongoing = Visit(visitor=None, visitor_role="Minister of Trade", from_country="Kazakhstan",
                    to_country="Pakistan", date=FuzzyDate.day(2025, 9, 11),
                    end_date=FuzzyDate.day(2025, 9, 13), status=VisitStatus.CONFIRMED,
                    uid="trade")
    await store.add(GUILD, ongoing, actor_id=None)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    assert (b.upcoming[0].role, b.upcoming[0].days_until) == ("Minister of Trade", -1)


async def test_visitor_role_with_or_without_country_is_one_level(
    desk: DeskService, store: RecordStore
) -> None:
    await store.add(GUILD, Visit(
        visitor=None, visitor_role="President", from_country="Kazakhstan", to_country="Pakistan",
        date=FuzzyDate.year(1995), status=VisitStatus.COMPLETED, uid="p-1995",
    ), actor_id=None)
    b = await build_briefing(desk, GUILD, "Kazakhstan")
    presidential = [lv for lv in b.levels if lv.noun == "presidential visit"]
    assert [lv.last.date for lv in presidential] == [FuzzyDate.year(2003)]


@pytest.mark.parametrize(
    ("past", "upcoming", "line"),
    [
        (FuzzyDate.year(2003), FuzzyDate.month(2025, 11),
         "last presidential visit: 2003 — 22 years before the one expected in November 2025"),
        (FuzzyDate.year(2024), FuzzyDate.day(2025, 11, 15),
         "last presidential visit: 2024 — 1 year before the one expected on 15 November 2025"),
        (FuzzyDate.month(2025, 2), FuzzyDate.quarter(2025, 4),
         "last presidential visit: February 2025 — the same year as the one expected in Q4 2025"),
        (FuzzyDate.year(2003), None, "last presidential visit: 2003"),
    ],
)
def test_level_line(past: FuzzyDate, upcoming: FuzzyDate | None, line: str) -> None:
    def item(fd: FuzzyDate) -> VisitItem:
        return VisitItem(id=1, visitor="", role="President", from_country="Kazakhstan",
                         to_country="Pakistan", date=fd, status=VisitStatus.COMPLETED)

    level = VisitLevel(role="President", from_country="Kazakhstan", to_country="Pakistan",
                       last=item(past), next=item(upcoming) if upcoming else None)
    assert level.line == line


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 9, 12), 12, date(2024, 9, 12)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 15), 1, date(2024, 12, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_briefing_text(kazakhstan: Briefing) -> None:
    text = briefing_text(kazakhstan)
    assert text.startswith("# Briefing: Kazakhstan\n")
    for expected in [
        "- 7 meetings", "- 1 plan signed", "- 1 visit",
        "Kassym-Jomart Tokayev, President of Kazakhstan, Kazakhstan → Pakistan: "
        "November 2025, day not yet set; planned.",
        "Kazakhstan → Pakistan: last presidential visit: 2003 — 22 years before the one "
        "expected in November 2025",
        "- **Pakistan–Kazakhstan Action Plan of Cooperation** (action plan, signed "
        "9 September 2025, Islamabad)",
        "  - Signatories: Mohammad Ishaq Dar (Ministry of Foreign Affairs of Pakistan); "
        "Murat Nurtleu (Ministry of Foreign Affairs of Kazakhstan)",
        f"  - Fields of cooperation (9): {', '.join(NINE_FIELDS)}",
        "  - Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister (co-chair)",
        "## Sources\n- Pakistan, Kazakhstan sign action plan of cooperation",
    ]:
        assert expected in text
    # Plain Markdown for export: no Discord timestamps.
    assert "<t:" not in text


def test_the_readme_sample_brief_is_current(kazakhstan: Briefing) -> None:
    # data/sample/briefing-kazakhstan.md is what the README shows; it must be what the bot
    # writes today, not what it wrote once.
    from tests.conftest import ROOT

    shown = (ROOT / "data" / "sample" / "briefing-kazakhstan.md").read_text("utf-8")
    assert briefing_text(kazakhstan) == shown


def test_the_brief_lists_preparations_for_the_visit_ahead(kazakhstan: Briefing) -> None:
    [prepared] = kazakhstan.preparations
    assert prepared.line == ("Finalise the MoUs for the President's visit — @Desk editors — "
                             "early November 2025 — before the visit")
    assert "## Preparations for the visit" in briefing_text(kazakhstan)


def test_an_upcoming_visit_reads_as_prose_and_its_text_is_plain(
    kazakhstan: Briefing,
) -> None:
    day = replace(kazakhstan.upcoming[0], date=FuzzyDate.day(2025, 11, 24), days_until=73,
                  visitor="**Tokayev**", role="", place="[Astana](https://evil.example)")
    text = briefing_text(replace(kazakhstan, upcoming=[day]))
    assert ("- \\*\\*Tokayev\\*\\*, Kazakhstan → Pakistan: 24 November 2025, in 73 days; "
            "planned, \\[Astana\\](https://evil.example).") in text
