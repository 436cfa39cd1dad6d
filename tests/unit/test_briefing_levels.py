"""'Last visit at each level': every level of the country is weighed, however many newer visits
of other levels there are, and the brief shows the levels that matter with how many there are."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.services import briefing
from bot.services.changes import ChangePipeline
from bot.services.factory import Services
from bot.services.interchange import import_data
from tests.conftest import GUILD, OTHER_GUILD

# Newer held visits of other levels than the oldest level has: the brief once read only the
# newest 200 held visits and lost any level last visited before them.
NEWER = 210
FIRST = date(2005, 1, 1)  # the first of them; one every 30 days after
MINISTERS = (("Foreign Minister", "Kazakhstan", "Pakistan"),
             ("Minister of Trade", "Kazakhstan", "Pakistan"),
             ("Minister of Defence", "Pakistan", "Kazakhstan"))


def _visit(uid: str, role: str, from_country: str, to_country: str, value: str,
           precision: str = "day", status: str = "completed", **kw: Any) -> dict[str, Any]:
    return {"uid": uid, "visitor_role": role, "from_country": from_country,
            "to_country": to_country, "date": {"value": value, "precision": precision},
            "end_date": None, "status": status, "place": "", "purpose": "", "notes": "", **kw}


def _store() -> dict[str, Any]:
    """A presidential visit in 2003 and one expected in November 2025; between them, NEWER
    ministerial visits at three other levels, each citing its own report."""
    visits = [
        _visit("president-2003", "President of Kazakhstan", "Kazakhstan", "Pakistan", "2003",
               "year", source="report-2003", visitor="tokayev"),
        _visit("president-2025-11", "President", "Kazakhstan", "Pakistan", "2025-11", "month",
               status="planned"),
    ]
    for n in range(NEWER):
        role, here, there = MINISTERS[n % len(MINISTERS)]
        day = FIRST + timedelta(days=30 * n)
        visits.append(_visit(f"minister-{n}", role, here, there, day.isoformat(),
                             source=f"report-{n}"))
    sources = [{"uid": v["source"], "title": f"Report on {v['uid']}"}
               for v in visits if "source" in v]
    people = [{"uid": "tokayev", "name": "Kassym-Jomart Tokayev", "title": "President",
               "country": "Kazakhstan"}]
    return {"schema_version": 1, "visits": visits, "sources": sources, "people": people}


@pytest.fixture
async def desk(changes: ChangePipeline, services: Services) -> Any:
    await import_data(changes, GUILD, _store(), actor_id=None)
    return services.desk


async def test_a_level_last_visited_before_200_newer_visits_is_in_the_brief(desk: Any) -> None:
    b = await briefing.build_briefing(desk, GUILD, "Kazakhstan")
    presidential = b.levels[0]  # a visit is coming up at that level: it leads
    assert presidential.last.date == FuzzyDate.year(2003)
    assert presidential.last.visitor == "Kassym-Jomart Tokayev"
    assert presidential.next is not None and presidential.next.date == FuzzyDate.month(2025, 11)
    assert presidential.line == (
        "last presidential visit: 2003 — 22 years before the one expected in November 2025")
    assert b.levels_total == 4
    newest = {role: FIRST + timedelta(days=30 * max(
        n for n in range(NEWER) if MINISTERS[n % len(MINISTERS)][0] == role))
        for role, _, _ in MINISTERS}
    assert {lv.role: lv.last.date.start for lv in b.levels[1:]} == newest
    assert [lv.last.date for lv in b.levels[1:]] == sorted(
        (lv.last.date for lv in b.levels[1:]), reverse=True)
    text = briefing.briefing_text(b)
    assert ("## Last visit at each level\n- Kazakhstan → Pakistan: last presidential visit: "
            "2003 — 22 years before the one expected in November 2025\n") in text
    assert " shown of " not in text  # all four are shown
    # From Pakistan's side the same level, found the same way.
    pakistan = await briefing.build_briefing(desk, GUILD, "pakistan")
    assert pakistan.levels[0].last.date == FuzzyDate.year(2003)


async def test_only_the_sources_of_the_visits_shown_are_listed(desk: Any) -> None:
    b = await briefing.build_briefing(desk, GUILD, "Kazakhstan")
    titles = {s.title for s in b.sources}
    # The source of each level's last visit, and none of the older visits' 200-odd reports.
    expected = {"Report on president-2003"} | {
        f"Report on minister-{max(n for n in range(NEWER) if MINISTERS[n % 3][0] == role)}"
        for role, _, _ in MINISTERS}
    assert titles == expected


async def test_past_the_cap_the_levels_with_a_visit_ahead_lead_and_the_brief_says_how_many(
    desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefing, "LEVELS_SHOWN", 2)
    b = await briefing.build_briefing(desk, GUILD, "Kazakhstan")
    assert b.levels_total == 4
    # The coming-up level, then the level of the most recent visit of all.
    latest = FIRST + timedelta(days=30 * (NEWER - 1))
    assert [lv.last.date.start for lv in b.levels] == [date(2003, 1, 1), latest]
    assert b.levels[1].role == MINISTERS[(NEWER - 1) % 3][0]
    text = briefing.briefing_text(b)
    assert ("## Last visit at each level\nThe 2 shown of 4 levels: those with a visit coming "
            "up, then the most recently visited (see /visit list).\n\n- Kazakhstan → Pakistan: "
            "last presidential visit: 2003") in text
    # Only what is shown is read: the sources of the two levels left out are not listed.
    assert len(b.sources) == 2


async def test_another_server_sees_no_level(desk: Any) -> None:
    b = await briefing.build_briefing(desk, OTHER_GUILD, "Kazakhstan")
    assert (b.levels, b.levels_total, b.sources) == ([], 0, [])
