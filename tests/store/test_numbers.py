"""Record numbers: local to each server, never handed out twice, and everything keyed by a
record (deliveries, events, history) follows the number, not a reusable row id."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Person, RecordType, Visit, VisitStatus
from bot.services.access import Actor
from bot.services.factory import Services, build_services
from bot.stores.database import Database, bundled_migrations
from bot.stores.settings import VisitEventStore
from tests.conftest import GUILD, OTHER_GUILD, FixedClock

A = Actor(GUILD, 7, can_manage_guild=True)
B = Actor(OTHER_GUILD, 8, can_manage_guild=True)


def _visit(day: str = "2025-12-01") -> Visit:
    return Visit(visitor=None, visitor_role="President", from_country="Kazakhstan",
                 to_country="Pakistan", date=FuzzyDate.from_value(day, "day"),
                 status=VisitStatus.PLANNED)


async def _planned(services: Services, guild: int, number: int) -> list[str]:
    rows = await services.deliveries.for_visit(guild, number)
    return [r.lead for r in rows if r.status == "planned"]


async def test_a_servers_first_record_is_number_one_whatever_others_hold(
    services: Services,
) -> None:
    for _ in range(5):
        await services.desk.add(A, _visit())
    first_b = await services.desk.add(B, _visit())
    assert first_b.id == 1
    person_b = await services.desk.add(B, Person(name="Murat Nurtleu"))
    assert person_b.id == 1  # each type counts on its own


async def test_a_deleted_number_stays_retired_and_its_reminders_do_not_block_the_next(
    services: Services,
) -> None:
    first = await services.desk.add(A, _visit())
    assert first.id == 1 and await _planned(services, GUILD, 1) == ["7d", "1d"]
    await services.desk.delete(A, RecordType.VISIT, 1)
    again = await services.desk.add(A, _visit())
    # The same visit typed in again is a new record: a new number, its own reminders.
    assert again.id == 2
    assert await _planned(services, GUILD, 2) == ["7d", "1d"]
    assert await _planned(services, GUILD, 1) == []
    # Another server's first visit, same date, same number as A's deleted one.
    other = await services.desk.add(B, _visit())
    assert other.id == 1 and await _planned(services, OTHER_GUILD, 1) == ["7d", "1d"]


async def test_history_of_a_number_is_one_records_story(services: Services) -> None:
    await services.desk.add(A, _visit())
    await services.desk.delete(A, RecordType.VISIT, 1)
    await services.desk.add(A, _visit("2026-01-10"))
    one = await services.records.history(GUILD, RecordType.VISIT, 1)
    assert [e.action for e in one] == ["create", "delete"]
    two = await services.records.history(GUILD, RecordType.VISIT, 2)
    assert [e.action for e in two] == ["create"]
    assert two[0].after is not None and two[0].after["date"]["value"] == "2026-01-10"


async def test_the_newest_number_is_not_reused_after_delete(services: Services) -> None:
    for _ in range(3):
        await services.desk.add(A, _visit())
    await services.desk.delete(A, RecordType.VISIT, 3)
    assert (await services.desk.add(A, _visit())).id == 4
    await services.desk.delete(A, RecordType.VISIT, 4)
    await services.desk.delete(A, RecordType.VISIT, 2)
    assert (await services.desk.add(A, _visit())).id == 5


async def test_event_links_are_per_server(db: Database) -> None:
    events = VisitEventStore(db)
    await events.put(GUILD, 1, 1001)
    await events.put(OTHER_GUILD, 1, 2002)
    assert await events.get(GUILD, 1) == 1001
    assert await events.get(OTHER_GUILD, 1) == 2002
    await events.forget(OTHER_GUILD, 1)
    assert await events.get(GUILD, 1) == 1001


async def test_records_by_number_are_scoped_to_their_server(services: Services) -> None:
    await services.desk.add(A, _visit("2025-12-01"))
    await services.desk.add(B, _visit("2026-02-02"))
    a = await services.records.get(GUILD, RecordType.VISIT, 1)
    b = await services.records.get(OTHER_GUILD, RecordType.VISIT, 1)
    assert a is not None and b is not None and a.uid != b.uid
    hits = await services.records.search(OTHER_GUILD, "President")
    assert [(h.record_type, h.record_id) for h in hits] == [(RecordType.VISIT, 1)]


def _version_4(path: Path) -> None:
    """A database as the first version left it: one row-id sequence for every server."""
    conn = sqlite3.connect(path)
    for migration in bundled_migrations()[:4]:
        conn.executescript(f"BEGIN;\n{migration.sql}\nPRAGMA user_version = "
                           f"{migration.version};\nCOMMIT;")
    now = "2025-09-12T09:00:00+00:00"
    visit = ("INSERT INTO visits (id, guild_id, uid, visitor_role, from_country, to_country,"
             " date_value, date_precision, date_start, date_end, status, created_at, updated_at)"
             " VALUES (?, ?, ?, 'President', 'Kazakhstan', 'Pakistan', '2025-12-01', 'day',"
             " '2025-12-01', '2025-12-02', 'planned', ?, ?)")
    conn.execute(visit, (1, GUILD, "v-a1", now, now))
    conn.execute(visit, (2, OTHER_GUILD, "v-b2", now, now))
    conn.execute(visit, (4, GUILD, "v-a4", now, now))
    # Visit #5 of GUILD was deleted: only the audit log remembers it.
    audit = ("INSERT INTO audit_log (guild_id, actor_id, action, record_type, record_id,"
             " record_uid, before_json, after_json, at) VALUES (?, 7, ?, 'visit', ?, ?, NULL,"
             " NULL, ?)")
    for guild, action, number, uid in ((GUILD, "create", 1, "v-a1"), (OTHER_GUILD, "create", 2,
                                       "v-b2"), (GUILD, "create", 4, "v-a4"),
                                       (GUILD, "create", 5, "v-a5"), (GUILD, "delete", 5, "v-a5")):
        conn.execute(audit, (guild, action, number, uid, now))
    conn.execute("INSERT INTO deliveries (guild_id, visit_id, kind, lead, computed_for, due_at,"
                 " created_at, updated_at) VALUES (?, 4, 'lead', '1d', '2025-12-01',"
                 " '2025-11-30T09:00:00+00:00', ?, ?)", (GUILD, now, now))
    conn.execute("INSERT INTO visit_events (visit_id, guild_id, event_id) VALUES (2, ?, 99)",
                 (OTHER_GUILD,))
    conn.commit()
    conn.close()


async def test_upgrading_a_populated_database_keeps_every_number_and_its_history(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    _version_4(path)
    db = await Database.open(path)
    try:
        assert await db.schema_version() == bundled_migrations()[-1].version
        services = build_services(db, FixedClock(datetime(2025, 9, 12, 9, 0, tzinfo=UTC)))
        mine = await services.records.list_records(GUILD, RecordType.VISIT)
        assert [(v.id, v.uid) for v in mine] == [(1, "v-a1"), (4, "v-a4")]
        [theirs] = await services.records.list_records(OTHER_GUILD, RecordType.VISIT)
        assert (theirs.id, theirs.uid) == (2, "v-b2")
        history = await services.records.history(GUILD, RecordType.VISIT, 5)
        assert [e.action for e in history] == ["create", "delete"]
        # The next number is past every number the server ever showed, the deleted #5 too;
        # the other server goes on from its own.
        assert (await services.desk.add(A, _visit())).id == 6
        assert (await services.desk.add(B, _visit())).id == 3
        assert [r.lead for r in await services.deliveries.for_visit(GUILD, 4)] == ["1d"]
        assert await VisitEventStore(db).get(OTHER_GUILD, 2) == 99
        assert await VisitEventStore(db).get(GUILD, 2) is None
        hits = await services.records.search(GUILD, "President")
        assert sorted(h.record_id for h in hits) == [1, 4, 6]
    finally:
        await db.close()
