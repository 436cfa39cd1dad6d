"""The 'Was it held?' message counts what it leaves out only when it knows the count."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Visit, VisitStatus
from bot.ui.held import LISTED, question


def _visits(n: int) -> list[Visit]:
    base = Visit(visitor=None, visitor_role="Envoy", from_country="Kazakhstan",
                 to_country="Pakistan", date=FuzzyDate.from_value("2025-08-01", "day"),
                 status=VisitStatus.PLANNED)
    return [replace(base, id=i, uid=f"v{i}") for i in range(1, n + 1)]


async def test_all_of_them_read_says_exactly_how_many_more() -> None:
    content, _ = question(_visits(LISTED + 2), {}, editors=False)
    assert "…and 2 more;" in content


async def test_only_the_latest_read_never_states_a_count_it_does_not_know() -> None:
    content, _ = question(_visits(LISTED + 2), {}, editors=False, complete=False)
    assert "more than 2 others" in content and "…and 2 more;" not in content


async def test_nothing_left_out_says_nothing_more() -> None:
    content, _ = question(_visits(3), {}, editors=False)
    assert "…and" not in content
