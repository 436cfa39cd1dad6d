"""A brief's counts stop at COUNT_CAP and say so with a '+', never reading every record."""

from __future__ import annotations

from typing import Any

import pytest

from bot.services import briefing
from bot.services.changes import ChangePipeline
from bot.services.factory import Services
from bot.services.interchange import import_data
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
