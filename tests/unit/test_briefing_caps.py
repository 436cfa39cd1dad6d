"""A brief's counts stop at COUNT_CAP and say so with a '+', never reading every record."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.records import RecordType
from bot.services import briefing
from bot.services.changes import ChangePipeline
from bot.services.factory import Services
from bot.services.interchange import import_data
from bot.stores.records import RecordFilter
from bot.ui.render import briefing_embeds
from tests.benchmarks.datagen import synthetic_bundle
from tests.conftest import GUILD


async def test_counts_past_the_cap_read_as_the_cap_and_more(
    changes: ChangePipeline, services: Services, sample_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    full = await briefing.build_briefing(services.desk, GUILD, "Kazakhstan")
    assert full.totals.meetings >= 4
    monkeypatch.setattr(briefing, "COUNT_CAP", 2)
    capped = await briefing.build_briefing(services.desk, GUILD, "Kazakhstan")
    # Counting stopped one past the cap: "more than the cap", whatever the real number.
    assert capped.totals.meetings == 3


@pytest.mark.parametrize("cap", [1, 1_000])
async def test_each_plan_groups_total_is_its_status_count(
    changes: ChangePipeline, services: Services, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """Whether counted in the brief's counts (a bounded count of each status) or read off a
    page that holds them all, a group's total is the count /plan list gives, and no
    status is counted in a statement of its own."""
    await import_data(changes, GUILD, synthetic_bundle(600, this_year=2025), actor_id=None)
    monkeypatch.setattr(briefing, "PLANS_SHOWN", 2)
    monkeypatch.setattr(briefing, "COUNT_CAP", cap)
    store = services.records
    counted_alone = []
    desk_count = services.desk.count

    async def count(*args: Any, **kwargs: Any) -> int:
        counted_alone.append(args)
        return await desk_count(*args, **kwargs)

    monkeypatch.setattr(services.desk, "count", count)
    for country in ("Kazakhstan", "Mexico", "Japan"):
        brief = await briefing.build_briefing(services.desk, GUILD, country)
        assert brief.plans
        for group in brief.plans:
            assert group.total == await store.count(GUILD, RecordType.PLAN, RecordFilter(
                country=country, statuses=[group.status.value]), cap=cap), (country, group)
            assert len(group.plans) <= 2
    # About 24 plans a country: a full page of some status, whatever the cap.
    assert any(len(g.plans) == 2 and g.total > 2 for g in brief.plans) == (cap > 2)
    assert counted_alone == []


async def test_every_count_past_the_cap_is_shown_as_the_cap_and_more(
    changes: ChangePipeline, services: Services, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The headline, the plan groups and the meetings footer, in the embeds and in the
    Markdown text: a count stopped past the cap never reads as an exact number."""
    await import_data(changes, GUILD, synthetic_bundle(600, this_year=2025), actor_id=None)
    monkeypatch.setattr(briefing, "COUNT_CAP", 3)
    monkeypatch.setattr(briefing, "PLANS_SHOWN", 1)
    monkeypatch.setattr(briefing, "LATEST_MEETINGS", 2)
    brief = await briefing.build_briefing(services.desk, GUILD, "Mexico")
    assert brief.totals.meetings == 4  # counting stopped one past the cap
    capped = [g for g in brief.plans if g.total == 4]
    assert capped
    embeds = briefing_embeds(brief)
    shown = "\n".join("\n".join([e.description or "", e.footer.text or "",
                                  *(f"{f.name}\n{f.value}" for f in e.fields)])
                       for e in embeds)
    assert "latest of 3+ meetings" in shown and "latest of 4" not in shown
    for group in capped:
        assert f"{group.label} (3+)" in shown and f"{group.label} (4)" not in shown
    text = briefing.briefing_text(brief)
    assert "most relevant of 3+" in text and "most relevant of 4 " not in text
    if brief.headline.meetings == 4:
        assert "**3+** meetings" in shown and "- 3+ meetings" in text
