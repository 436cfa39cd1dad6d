"""The change pipeline: every way in (commands, import, ingest save, settings) ends in one
place, which replans reminders; what follows a commit never makes the write's reply false."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType, Visit, VisitStatus
from bot.services.access import Actor
from bot.services.changes import RecordChange
from bot.services.factory import Services
from bot.services.interchange import ImportRejected, import_data, parse_json_text
from tests.conftest import GUILD

ADMIN = Actor(GUILD, 7, can_manage_guild=True)


def _visit(day: str = "2025-12-01", **kw: Any) -> Visit:
    return Visit(visitor=None, visitor_role="President", from_country="Kazakhstan",
                 to_country="Pakistan", date=FuzzyDate.from_value(day, "day"),
                 status=VisitStatus.PLANNED, **kw)


async def _due(services: Services, number: int) -> dict[str, datetime]:
    rows = await services.deliveries.for_visit(GUILD, number)
    return {r.lead: r.due for r in rows if r.status == "planned"}


async def test_a_new_time_zone_moves_planned_reminders(services: Services) -> None:
    await services.desk.add(ADMIN, _visit())
    assert (await _due(services, 1))["1d"] == datetime(2025, 11, 30, 9, 0, tzinfo=UTC)
    await services.desk.update_settings(ADMIN, timezone="Asia/Karachi")
    # 09:00 in Karachi (UTC+5) on the day before.
    assert (await _due(services, 1))["1d"] == datetime(2025, 11, 30, 4, 0, tzinfo=UTC)
    rows = await services.deliveries.for_visit(GUILD, 1)
    moved = [r for r in rows if r.status == "superseded"]
    assert {r.lead for r in moved} == {"7d", "1d"} and "time zone" in (moved[0].reason or "")


async def test_new_lead_times_replace_the_plan_and_replanning_is_idempotent(
    services: Services,
) -> None:
    await services.desk.add(ADMIN, _visit())
    await services.reminders.configure(ADMIN, reminder_leads="30d 2d")
    assert set(await _due(services, 1)) == {"30d", "2d"}
    before = await services.deliveries.for_visit(GUILD, 1)
    await services.reminders.replan_guild(GUILD)
    await services.reminders.replan_guild(GUILD)
    assert await services.deliveries.for_visit(GUILD, 1) == before


async def test_an_import_plans_the_reminders_of_the_visits_it_writes(
    services: Services, sample_data: dict[str, Any]
) -> None:
    await import_data(services.changes, GUILD, sample_data, actor_id=None)
    visits = await services.records.list_records(GUILD, RecordType.VISIT)
    november = [v for v in visits if v.status.is_open]  # type: ignore[union-attr]
    assert november, "the sample has an expected visit"
    for visit in november:
        assert visit.id is not None
        assert await _due(services, visit.id), f"no reminders planned for {visit.heading}"


async def test_an_ingest_save_plans_reminders_too(services: Services) -> None:
    from bot.services.ingest import propose

    text = ("ISLAMABAD, 12 September 2025 — The President of Kazakhstan will pay a state "
            "visit to Pakistan on 1 December 2025, the Foreign Office said.")
    proposal = propose(text, dateline=None, today=datetime(2025, 9, 12).date())
    review = await services.ingest.review_proposal(GUILD, proposal, given=False)
    visits = [i.key for i in review.items if i.kind is RecordType.VISIT]
    assert visits, "the text proposes a visit"
    await services.ingest.save(ADMIN, review)
    [visit] = await services.records.list_records(GUILD, RecordType.VISIT)
    assert visit.id is not None and await _due(services, visit.id)


class _Broken:
    """A subscriber that fails: the write it follows must still stand and say so."""

    def __init__(self) -> None:
        self.calls = 0

    async def records_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None:
        self.calls += 1
        raise RuntimeError("the mirror is down")

    async def settings_changed(self, *args: object) -> None:
        raise RuntimeError("the mirror is down")


async def test_a_failing_subscriber_never_fails_the_committed_write(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    broken = _Broken()
    services.changes.subscribe(broken)
    saved = await services.desk.add(ADMIN, _visit())
    assert broken.calls == 1 and saved.id == 1
    assert await services.records.get(GUILD, RecordType.VISIT, 1) is not None
    # The reminders subscriber, before the broken one, still did its part.
    assert await _due(services, 1)
    await services.desk.update_settings(ADMIN, timezone="Asia/Karachi")
    assert (await services.desk.settings(GUILD)).timezone == "Asia/Karachi"
    assert "missed" in caplog.text


# --- one validator for every way in -------------------------------------------------------


def _file(sample: dict[str, Any], **visit: Any) -> dict[str, Any]:
    data = copy.deepcopy(sample)
    data["visits"][0].update(visit)
    return data


@pytest.mark.parametrize(("change", "expected"), [
    ({"to_country": "Kazakhstan"}, "from one country to another"),
    ({"date": {"value": "0001-11-01", "precision": "day"}}, "outside 1900–2200"),
    ({"date": {"value": "9999-12-31", "precision": "day"}}, "outside 1900–2200"),
    ({"date": {"value": "1899", "precision": "year"}}, "outside 1900–2200"),
    ({"end_date": {"value": "2003-01-01", "precision": "day"}}, "ends"),
])
async def test_import_obeys_the_rules_the_commands_obey(
    services: Services, sample_data: dict[str, Any], change: dict[str, Any], expected: str
) -> None:
    data = _file(sample_data, **change)
    with pytest.raises(ImportRejected) as rejected:
        await import_data(services.changes, GUILD, data, actor_id=None)
    assert any(expected in e.message for e in rejected.value.errors), rejected.value.errors
    assert len(await services.records.export_bundle(GUILD)) == 0
    # The command path refuses the same record with the same rule.
    visit = _visit()
    if "to_country" in change:
        with pytest.raises(UserError, match=expected):
            await services.desk.add(ADMIN, Visit(**{**visit.__dict__, "to_country":
                                                    "Kazakhstan"}))


async def test_every_problem_of_every_row_is_listed_at_once(
    services: Services, sample_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(sample_data)
    data["visits"][0].update(status="soon", place="x" * 500, date={"value": "0001-01-01",
                                                                   "precision": "day"})
    data["people"][0].update(name="", colour="red")
    with pytest.raises(ImportRejected) as rejected:
        await import_data(services.changes, GUILD, data, actor_id=None)
    messages = [str(e) for e in rejected.value.errors]
    visit_problems = [m for m in messages if m.startswith("visits[0]")]
    assert len(visit_problems) == 3, messages
    assert any("status" in m for m in visit_problems)
    assert any("place is 500 characters" in m for m in visit_problems)
    people_problems = [m for m in messages if m.startswith("people[0]")]
    assert any("unknown field(s) colour" in m for m in people_problems)
    assert any("name is required" in m for m in people_problems)


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"schema_version": 1, "visits": [{"uid": ' + "9" * 5000 + "}]}",
])
def test_files_that_would_crash_the_reader_are_refused_plainly(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_json_text(text)
    assert "cannot be read" in str(refused.value) or "too deeply" in str(refused.value)


@pytest.mark.parametrize("bad", ["Astana\ud800", "Astana\x00", "Ast\x1bana"])
async def test_invalid_characters_in_a_file_are_refused_with_the_field(
    services: Services, sample_data: dict[str, Any], bad: str
) -> None:
    raw = json.dumps(_file(sample_data, place=bad))
    with pytest.raises(ImportRejected) as rejected:
        await import_data(services.changes, GUILD, json.loads(raw), actor_id=None)
    assert [e.message.split(" ")[0] for e in rejected.value.errors] == ["place"]
    assert len(await services.records.export_bundle(GUILD)) == 0
