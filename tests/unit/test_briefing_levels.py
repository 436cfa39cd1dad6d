"""'Last visit at each level': a level shows its last visit however many newer visits of other
levels there are, a level with a visit coming up always does, and the brief says how many levels
it leaves out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.services import briefing
from bot.services.changes import ChangePipeline
from bot.services.factory import Services
from bot.services.interchange import import_data
from bot.ui.render import briefing_embeds
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
    """A prime-ministerial visit in 1998, a presidential one in 2003 and one expected in
    November 2025; after them, NEWER ministerial visits at three other levels, each citing its
    own report."""
    visits = [
        _visit("pm-1998", "Prime Minister", "Pakistan", "Kazakhstan", "1998", "year",
               source="report-1998"),
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


def _field_names(b: briefing.Briefing) -> list[str]:
    return [f.name or "" for embed in briefing_embeds(b) for f in embed.fields]


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
    # The other old level, with nothing coming up: last of all, but in the brief.
    assert (b.levels[-1].role, b.levels[-1].last.date) == ("Prime Minister", FuzzyDate.year(1998))
    assert b.levels[-1].line == "last prime-ministerial visit: 1998"
    assert b.levels_total == 5
    assert "Last visit at each level" in _field_names(b)  # all shown: no count
    newest = {role: FIRST + timedelta(days=30 * max(
        n for n in range(NEWER) if MINISTERS[n % len(MINISTERS)][0] == role))
        for role, _, _ in MINISTERS}
    assert {lv.role: lv.last.date.start for lv in b.levels[1:-1]} == newest
    assert [lv.last.date for lv in b.levels[1:]] == sorted(
        (lv.last.date for lv in b.levels[1:]), reverse=True)
    text = briefing.briefing_text(b)
    assert ("## Last visit at each level\n- Kazakhstan → Pakistan: last presidential visit: "
            "2003 — 22 years before the one expected in November 2025\n") in text
    assert "- Pakistan → Kazakhstan: last prime-ministerial visit: 1998\n" in text
    assert " shown" not in text  # all five are shown
    # From Pakistan's side the same level, found the same way.
    pakistan = await briefing.build_briefing(desk, GUILD, "pakistan")
    assert pakistan.levels[0].last.date == FuzzyDate.year(2003)


async def test_only_the_sources_of_the_visits_shown_are_listed(desk: Any) -> None:
    b = await briefing.build_briefing(desk, GUILD, "Kazakhstan")
    titles = {s.title for s in b.sources}
    # The source of each level's last visit, and none of the older visits' 200-odd reports.
    expected = {"Report on pm-1998", "Report on president-2003"} | {
        f"Report on minister-{max(n for n in range(NEWER) if MINISTERS[n % 3][0] == role)}"
        for role, _, _ in MINISTERS}
    assert titles == expected


async def test_past_the_cap_a_level_with_a_visit_ahead_still_leads_however_old(
    desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest held visits hold more levels than are shown: the brief does not read every
    level, only that of the visit ahead, and says there are others."""
    monkeypatch.setattr(briefing, "LEVELS_SHOWN", 2)
    b = await briefing.build_briefing(desk, GUILD, "Kazakhstan")
    assert b.levels_total is None
    # The coming-up level, then the level of the most recent visit of all.
    latest = FIRST + timedelta(days=30 * (NEWER - 1))
    assert [lv.last.date.start for lv in b.levels] == [date(2003, 1, 1), latest]
    assert b.levels[1].role == MINISTERS[(NEWER - 1) % 3][0]
    text = briefing.briefing_text(b)
    assert ("## Last visit at each level\nThe 2 shown: those with a visit coming up, then the "
            "most recently visited; /visit list has the others.\n\n- Kazakhstan → Pakistan: "
            "last presidential visit: 2003 — 22 years before") in text
    # Only what is shown is read: the sources of the two levels left out are not listed.
    assert len(b.sources) == 2
    assert "Last visit at each level (2 most relevant)" in _field_names(b)


async def test_another_server_sees_no_level(desk: Any) -> None:
    b = await briefing.build_briefing(desk, OTHER_GUILD, "Kazakhstan")
    assert (b.levels, b.levels_total, b.sources) == ([], 0, [])


async def test_when_every_level_was_read_the_brief_says_how_many_it_leaves_out(
    desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fewer levels among the newest held visits than are shown: every level is read.
    monkeypatch.setattr(briefing, "LEVELS_SHOWN", 4)
    b = await briefing.build_briefing(desk, GUILD, "Kazakhstan")
    assert (len(b.levels), b.levels_total) == (4, 5)
    assert "Prime Minister" not in {lv.role for lv in b.levels}  # the oldest, left out
    assert ("## Last visit at each level\nThe 4 shown of 5 levels: those with a visit coming "
            "up, then the most recently visited (see /visit list).\n\n") in (
        briefing.briefing_text(b))
    # The card's field says it too: its "… and N more" counts only what the brief holds.
    assert "Last visit at each level (4 of 5)" in _field_names(b)
