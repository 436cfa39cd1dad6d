"""The country index keeps each record's status, so country-and-status lists follow edits."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Plan, PlanKind, PlanStatus, RecordType
from bot.services.changes import ChangePipeline
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD


def _plan(uid: str, status: PlanStatus) -> Plan:
    return Plan(uid=uid, title=f"Plan {uid}", kind=PlanKind.MOU, status=status,
                date=FuzzyDate.day(2025, 9, 10), parties=["Pakistan", "Kazakhstan"])


async def test_a_status_edit_moves_a_plan_between_country_and_status_lists(
    changes: ChangePipeline, store: RecordStore,
) -> None:
    expected = await changes.add(GUILD, _plan("p-1", PlanStatus.EXPECTED), actor_id=None)
    await changes.add(GUILD, _plan("p-2", PlanStatus.SIGNED), actor_id=None)

    async def listed(status: PlanStatus) -> list[int | None]:
        flt = RecordFilter(country="kazakhstan", statuses=[status.value])
        return [r.id for r in await store.list_records(GUILD, RecordType.PLAN, flt)]

    assert await listed(PlanStatus.EXPECTED) == [expected.id]
    await changes.update(GUILD, expected, replace(expected, status=PlanStatus.SIGNED),
                         actor_id=None)
    assert await listed(PlanStatus.EXPECTED) == []
    assert sorted(await listed(PlanStatus.SIGNED)) == [1, 2]
    assert await store.count(GUILD, RecordType.PLAN, RecordFilter(
        country="Pakistan", statuses=[PlanStatus.SIGNED.value])) == 2
