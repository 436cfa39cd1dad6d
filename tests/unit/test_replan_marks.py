"""Start-up re-planning skips a server only when nothing its plan depends on changed.

Every test ends on the same check: the planned sends left after start-up are exactly those a
full re-plan from scratch makes, so a skip or a catch-up never loses or keeps a reminder a
full re-plan would not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import FollowUp, Person, RecordType, Visit, VisitStatus
from bot.services import reminders as reminders_module
from bot.services.access import Actor
from bot.services.factory import Services
from bot.services.reminders import CATCH_UP_LIMIT, REPLAN_SCOPE
from tests.conftest import GUILD, OTHER_GUILD

ADMIN = Actor(GUILD, 7, can_manage_guild=True)
CHANNEL = 555


def _visit(day: str, role: str = "President") -> Visit:
    return Visit(visitor=None, visitor_role=role, from_country="Kazakhstan",
                 to_country="Pakistan", date=FuzzyDate.from_value(day, "day"),
                 status=VisitStatus.PLANNED)


async def _planned(services: Services, guild_id: int = GUILD) -> set[tuple[Any, ...]]:
    rows = await services.deliveries.for_guild(guild_id, ["planned"], limit=100_000)
    return {(r.record_type, r.record_id, r.kind, r.lead, r.computed_for, r.due) for r in rows}


async def _desk(services: Services) -> Visit:
    """A server posting reminders, with two visits and a follow-up due before the first."""
    await services.reminders.configure(ADMIN, reminder_channel_id=CHANNEL)
    first = await services.desk.add(ADMIN, _visit("2025-12-01"))
    await services.desk.add(ADMIN, _visit("2026-01-20", "Prime Minister"))
    assert isinstance(first, Visit)
    await services.followups.add(ADMIN, FollowUp(what="Finalise the MoUs", due_before="visit",
                                                 due_offset="2w", visit=first.uid))
    return first


async def _as_full_replan_would_plan(services: Services) -> set[tuple[Any, ...]]:
    """The planned sends now, checked against a re-plan from scratch."""
    now = await _planned(services)
    await services.replans.forget(GUILD, REPLAN_SCOPE)
    await services.reminders.replan_guild(GUILD)
    assert await _planned(services) == now
    return now


def _missed(services: Services) -> Any:
    """Writes committed while the reminders were not told (a crash between the two)."""
    class Missed:
        def __enter__(self) -> None:
            services.changes.unsubscribe(services.reminders)

        def __exit__(self, *exc: object) -> None:
            services.changes.subscribe(services.reminders)
    return Missed()


async def test_an_unchanged_server_is_not_planned_again(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _desk(services)
    assert await services.reminders.reconcile() == {GUILD: "caught up"}
    before = await _planned(services)

    def no_full_replan(*args: object) -> Any:
        raise AssertionError("an unchanged server was read visit by visit")

    monkeypatch.setattr(services.desk, "open_visit_batches", no_full_replan)
    monkeypatch.setattr(services.desk, "batches", no_full_replan)
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}
    monkeypatch.undo()
    assert await _planned(services) == before
    assert await _as_full_replan_would_plan(services) == before


async def test_a_server_never_planned_is_planned_in_full(services: Services) -> None:
    await _desk(services)
    await services.replans.forget(GUILD, REPLAN_SCOPE)
    assert await services.reminders.reconcile() == {GUILD: "re-planned"}
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}


async def test_a_visit_moved_while_the_reminders_missed_it_is_planned_again(
    services: Services,
) -> None:
    first = await _desk(services)
    await services.reminders.reconcile()
    before = await _planned(services)
    assert first.id is not None
    with _missed(services):
        await services.desk.edit(ADMIN, RecordType.VISIT, first.id,
                                 date=FuzzyDate.from_value("2025-12-15", "day"))
    assert await _planned(services) == before, "the write was not planned: a crash's state"
    assert await services.reminders.reconcile() == {GUILD: "caught up"}
    after = await _as_full_replan_would_plan(services)
    assert after != before
    # The follow-up's deadline, two weeks before the visit, moved with it.
    followup_dues = {r[5] for r in after if r[0] == "followup"}
    assert followup_dues and followup_dues.isdisjoint({r[5] for r in before if r[0] == "followup"})
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}


async def test_deleted_and_cancelled_visits_lose_their_reminders_at_start(
    services: Services,
) -> None:
    first = await _desk(services)
    await services.reminders.reconcile()
    visits = await services.records.list_records(GUILD, RecordType.VISIT)
    second = next(v for v in visits if v.id != first.id)
    assert first.id is not None and second.id is not None
    with _missed(services):
        await services.desk.delete(ADMIN, RecordType.VISIT, first.id)
        await services.desk.edit(ADMIN, RecordType.VISIT, second.id,
                                 status=VisitStatus.CANCELLED)
    assert await services.reminders.reconcile() == {GUILD: "caught up"}
    assert {r[0] for r in await _as_full_replan_would_plan(services)} <= {"digest"}


async def test_more_changes_than_a_catch_up_takes_re_plan_the_server(
    services: Services,
) -> None:
    await _desk(services)
    await services.reminders.reconcile()
    with _missed(services):
        for day in range(CATCH_UP_LIMIT + 1):
            await services.desk.add(ADMIN, _visit(f"2026-03-{day % 28 + 1:02d}", f"Envoy {day}"))
    assert await services.reminders.reconcile() == {GUILD: "re-planned"}
    planned = await _as_full_replan_would_plan(services)
    assert len({r[1] for r in planned if r[0] == "visit"}) == CATCH_UP_LIMIT + 3


async def test_changes_to_records_no_plan_reads_never_force_a_full_re_plan(
    services: Services,
) -> None:
    await _desk(services)
    await services.reminders.reconcile()
    for n in range(CATCH_UP_LIMIT + 1):
        await services.desk.add(ADMIN, Person(name=f"Envoy Number{n}"))
    assert await services.reminders.reconcile() == {GUILD: "caught up"}
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}
    await _as_full_replan_would_plan(services)


@pytest.mark.parametrize("setting, value", [
    ("timezone", "Asia/Karachi"),
    ("reminder_leads", "30d 3d"),
    ("reminder_channel_id", CHANNEL + 1),
    ("reminders_paused", True),
])
async def test_a_setting_changed_behind_the_planners_back_re_plans_the_server(
    services: Services, setting: str, value: object
) -> None:
    await _desk(services)
    await services.reminders.reconcile()
    before = await _planned(services)
    # Written straight to the store, as a crash right after the save would leave it.
    current = await services.guild_settings.get(GUILD)
    await services.guild_settings.save(replace(current, **{setting: value}))
    assert await services.reminders.reconcile() == {GUILD: "re-planned"}
    after = await _as_full_replan_would_plan(services)
    if setting in ("timezone", "reminder_leads"):
        assert after != before


async def test_settings_changed_back_after_a_re_plan_cut_short_are_not_skipped(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _desk(services)
    await services.reminders.reconcile()
    before = await _planned(services)
    old_leads = (await services.guild_settings.get(GUILD)).reminder_leads
    original = services.deliveries.plan_many
    calls = 0

    async def fails_after_one_batch(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise RuntimeError("the process died here")
        return await original(*args, **kwargs)

    monkeypatch.setattr(services.deliveries, "plan_many", fails_after_one_batch)
    # New leads: the first batch is planned with them, then the re-plan dies (the pipeline
    # logs it and the settings stay saved).
    await services.reminders.configure(ADMIN, reminder_leads="30d 3d")
    monkeypatch.undo()
    # Back to the old leads, written without the re-plan (a crash after the save).
    current = await services.guild_settings.get(GUILD)
    assert current.reminder_leads != old_leads
    await services.guild_settings.save(replace(current, reminder_leads=old_leads))
    # The settings are as they were when the last mark was made, but the plan is not: the
    # mark was forgotten before the cut-short re-plan began.
    assert await services.replans.get(GUILD, REPLAN_SCOPE) is None
    assert await services.reminders.reconcile() == {GUILD: "re-planned"}
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}
    assert before


async def test_lead_times_changed_and_changed_back_plan_the_old_reminders_again(
    services: Services,
) -> None:
    await _desk(services)
    before = await _planned(services)
    old_leads = (await services.guild_settings.get(GUILD)).reminder_leads
    await services.reminders.configure(ADMIN, reminder_leads="30d 3d")
    assert await _planned(services) != before
    await services.reminders.configure(ADMIN, reminder_leads=old_leads)
    assert await _planned(services) == before


async def test_a_new_planner_tz_release_or_schema_re_plans_every_server(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _desk(services)
    other = Actor(OTHER_GUILD, 8, can_manage_guild=True)
    await services.reminders.configure(other, reminder_channel_id=CHANNEL + 2)
    await services.reminders.reconcile()
    assert set((await services.reminders.reconcile()).values()) == {"unchanged"}
    source = reminders_module._planner_source
    try:
        monkeypatch.setattr(reminders_module, "PLANNER_VERSION",
                            reminders_module.PLANNER_VERSION + 1)
        source.cache_clear()
        assert set((await services.reminders.reconcile()).values()) == {"re-planned"}
        monkeypatch.setattr(reminders_module, "_tz_version", lambda: "2099z")
        source.cache_clear()
        assert set((await services.reminders.reconcile()).values()) == {"re-planned"}
        version = await services.replans.schema_version()

        async def migrated() -> int:
            return version + 1

        monkeypatch.setattr(services.replans, "schema_version", migrated)
        assert set((await services.reminders.reconcile()).values()) == {"re-planned"}
        assert set((await services.reminders.reconcile()).values()) == {"unchanged"}
    finally:
        monkeypatch.undo()
        source.cache_clear()
    await _as_full_replan_would_plan(services)


async def test_a_visit_written_during_the_start_up_re_plan_keeps_its_new_plan(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _desk(services)
    assert first.id is not None
    await services.replans.forget(GUILD, REPLAN_SCOPE)
    original = services.desk.open_visit_batches
    moved = False

    async def racing(guild_id: int, size: int) -> Any:
        nonlocal moved
        async for batch in original(guild_id, size):
            if not moved:
                # Edited (and planned by its own write) after this batch was read with the
                # old date: the batch would plan the old date over the new one.
                moved = True
                await services.desk.edit(ADMIN, RecordType.VISIT, first.id,
                                         date=FuzzyDate.from_value("2025-12-20", "day"))
            yield batch

    monkeypatch.setattr(services.desk, "open_visit_batches", racing)
    assert await services.reminders.reconcile() == {GUILD: "re-planned"}
    monkeypatch.undo()
    assert moved
    mark = await services.replans.get(GUILD, REPLAN_SCOPE)
    assert await services.reminders.reconcile() == {GUILD: "unchanged"}
    assert await services.replans.get(GUILD, REPLAN_SCOPE) == mark
    await _as_full_replan_would_plan(services)


async def test_a_mark_this_version_cannot_read_is_no_skip(services: Services) -> None:
    await _desk(services)
    await services.reminders.reconcile()
    await services.replans.put(GUILD, REPLAN_SCOPE, "something else")
    assert await services.reminders.reconcile() == {GUILD: "re-planned"}
