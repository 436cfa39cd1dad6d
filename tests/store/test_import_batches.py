"""A big import in journalled batches (bot/stores/imports.py): other writes go between the
batches, numbers never collide, an import cut short is finished by the next run, a bad
file writes nothing. Batches are made ten records long; a hook runs between them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import GuildSettings, Meeting, MeetingKind, Person, RecordType
from bot.services.changes import ChangePipeline, RecordChange
from bot.services.factory import Services, build_services
from bot.services.interchange import ImportRejected, finish_interrupted, import_data
from bot.stores import imports
from bot.stores.copy import copy_database
from bot.stores.database import Database
from bot.stores.imports import ImportRunning, interrupted
from bot.stores.records import RecordStore
from tests.benchmarks.datagen import synthetic_bundle
from tests.conftest import GUILD, OTHER_GUILD, FixedClock

KINDS = (RecordType.PERSON, RecordType.VISIT, RecordType.MEETING, RecordType.PLAN)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "SINGLE", 10)
    monkeypatch.setattr(imports, "FIRST_BATCH", 10)
    monkeypatch.setattr(imports, "MIN_BATCH", 10)
    monkeypatch.setattr(imports, "MAX_BATCH", 10)
    monkeypatch.setattr(imports, "PAUSE_S", 0)  # the hook writes between batches itself


@pytest.fixture
async def bot(database_target: str, clock: FixedClock) -> AsyncIterator[Services]:
    """A second process on the same database: the bot beside a command-line import."""
    db = await Database.open(database_target)
    yield build_services(db, clock)
    await db.close()


class Stop(Exception):
    """Stands for the importing process dying between two batches."""


class Told:
    """A subscriber of the change pipeline: every record it was told of, by uid."""

    def __init__(self) -> None:
        self.uids: list[str] = []

    async def records_changed(self, guild_id: int, changes: Sequence[RecordChange]) -> None:
        self.uids += [c.current.uid for c in changes]

    async def settings_changed(self, guild_id: int, before: GuildSettings,
                               after: GuildSettings) -> None:
        return None


def _file(n: int = 12, prefix: str = "") -> dict[str, Any]:
    """n meetings, n plans and n visits with the 50 people they name."""
    return synthetic_bundle(n, seed=3, this_year=2025, prefix=prefix)


def _total(data: dict[str, Any]) -> int:
    return sum(len(v) for v in data.values() if isinstance(v, list))


async def _all(store: RecordStore, guild: int = GUILD) -> dict[RecordType, list[Any]]:
    return {kind: await store.get_many(guild, kind, list(range(1, 500))) for kind in KINDS}


def _assert_numbers_unique(found: dict[RecordType, list[Any]]) -> None:
    for records in found.values():
        numbers = [r.id for r in records]
        assert len(numbers) == len(set(numbers))
        uids = [r.uid for r in records]
        assert len(uids) == len(set(uids))


async def test_a_bot_write_between_two_batches_succeeds_and_numbers_never_collide(
    changes: ChangePipeline, store: RecordStore, bot: Services
) -> None:
    data = _file()
    added: list[Meeting] = []

    async def between(done: int) -> None:
        saved = await bot.changes.add(GUILD, Meeting(
            f"Desk call {done}", MeetingKind.OTHER, FuzzyDate.day(2025, 9, 1)), actor_id=7)
        assert isinstance(saved, Meeting)
        added.append(saved)

    report = await import_data(changes, GUILD, data, actor_id=1, between=between)

    assert report.counts.created["meetings"] == len(data["meetings"])
    batches = -(-_total(data) // 10)
    assert len(added) == batches - 1  # one write between each two batches
    found = await _all(store)
    _assert_numbers_unique(found)
    meetings = found[RecordType.MEETING]
    assert len(meetings) == len(data["meetings"]) + len(added)
    assert {m.uid for m in added} <= {m.uid for m in meetings}
    # Numbers are handed out in order, the bot's among the import's.
    assert sorted(m.id for m in meetings) == list(range(1, len(meetings) + 1))
    assert await interrupted(store) == []


async def test_an_import_cut_short_is_finished_by_the_next_import(
    changes: ChangePipeline, store: RecordStore, clock: FixedClock
) -> None:
    data = _file()
    told = Told()
    changes.subscribe(told)

    async def dies(done: int) -> None:
        if done >= 30:
            raise Stop

    with pytest.raises(Stop):
        await import_data(changes, GUILD, data, actor_id=1, between=dies)
    [job] = await interrupted(store)
    assert (job.guild_id, job.done, job.total, job.actor_id) == (GUILD, 30, _total(data), 1)
    assert told.uids == []  # nothing is announced before the import is whole
    # The records of the batches that were written are there, and no more.
    assert sum(len(v) for v in (await _all(store)).values()) == 30

    second = {"schema_version": 1, "people": [
        {"uid": "late", "name": "Aru Sadykova", "title": "", "country": "Kazakhstan",
         "notes": ""}]}
    report = await import_data(changes, GUILD, second, actor_id=2)

    assert "stopped after 30" in report.summary() and "finished" in report.summary()
    found = await _all(store)
    _assert_numbers_unique(found)
    for kind in KINDS:
        want = {r["uid"] for r in data[kind.plural]} | ({"late"} if kind is RecordType.PERSON
                                                         else set())
        assert {r.uid for r in found[kind]} == want
    # Every record of the first file was announced once, those of the cut run included.
    first = [u for u in told.uids if u != "late"]
    assert sorted(first) == sorted(r["uid"] for k in KINDS for r in data[k.plural])
    assert await interrupted(store) == []


async def test_the_bot_finishes_an_import_whose_process_died(
    changes: ChangePipeline, store: RecordStore, bot: Services
) -> None:
    data = _file(8)

    async def dies(done: int) -> None:
        if done >= 20:
            raise Stop

    with pytest.raises(Stop):
        await import_data(changes, GUILD, data, actor_id=None, between=dies)
    lines = await finish_interrupted(bot.changes)  # what the bot does at start
    assert len(lines) == 1 and "stopped after 20" in lines[0]
    found = await _all(bot.records)
    assert sum(len(v) for v in found.values()) == _total(data)
    _assert_numbers_unique(found)
    # Finishing twice does nothing more.
    assert await finish_interrupted(bot.changes) == []


async def test_a_second_import_into_the_server_waits_its_turn_but_another_server_does_not(
    changes: ChangePipeline, store: RecordStore, bot: Services
) -> None:
    data = _file(6)
    small = {"schema_version": 1, "people": [
        {"uid": "other", "name": "Bakhyt Iskakov", "title": "", "country": "Kazakhstan",
         "notes": ""}]}
    refused: list[str] = []

    async def between(done: int) -> None:
        if refused:
            return
        with pytest.raises(ImportRunning) as caught:
            await import_data(bot.changes, GUILD, small, actor_id=2)
        refused.append(str(caught.value))
        await import_data(bot.changes, OTHER_GUILD, small, actor_id=2)

    await import_data(changes, GUILD, data, actor_id=1, between=between)
    assert "nothing was saved" in refused[0]
    assert await store.get_by_uid(GUILD, RecordType.PERSON, "other") is None
    assert await store.get_by_uid(OTHER_GUILD, RecordType.PERSON, "other") is not None
    await import_data(bot.changes, GUILD, small, actor_id=2)  # once it is done, it goes in
    assert await store.get_by_uid(GUILD, RecordType.PERSON, "other") is not None


@pytest.mark.parametrize("spoil", ["bad row at the end", "unknown reference", "uid twice"])
async def test_a_bad_big_file_writes_nothing(
    changes: ChangePipeline, store: RecordStore, spoil: str
) -> None:
    data = _file()
    last = data["plans"][-1]
    if spoil == "bad row at the end":
        last["status"] = "half-signed"
    elif spoil == "unknown reference":
        last["meeting"] = "no-such-meeting"
    else:
        data["plans"].append(dict(data["plans"][0]))
    with pytest.raises(ImportRejected):
        await import_data(changes, GUILD, data, actor_id=1)
    assert all(v == [] for v in (await _all(store)).values())
    assert await interrupted(store) == []


async def test_an_edit_made_between_batches_is_kept_when_the_import_is_finished(
    changes: ChangePipeline, store: RecordStore, bot: Services
) -> None:
    """Finishing goes on from where the cut run stopped: what it wrote is not written again,
    so a member's edit of an imported record meanwhile stands."""
    data = _file(6)

    async def edits_then_dies(done: int) -> None:
        if done >= 20:
            uid = data["people"][0]["uid"]
            person = await bot.records.get_by_uid(GUILD, RecordType.PERSON, uid)
            assert isinstance(person, Person)
            await bot.changes.update(GUILD, person, replace(person, title="Ambassador"),
                                     actor_id=9)
            raise Stop

    with pytest.raises(Stop):
        await import_data(changes, GUILD, data, actor_id=1, between=edits_then_dies)
    await finish_interrupted(changes)
    person = await store.get_by_uid(GUILD, RecordType.PERSON, data["people"][0]["uid"])
    assert isinstance(person, Person) and person.title == "Ambassador"


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_who_may_finish_an_import() -> None:
    """A row is abandoned when its process is gone (same host) or silent for STALE_S
    (another host); never while a live process, this one included, is writing it."""
    now = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
    beat = now.isoformat()
    host = socket.gethostname()
    me = f"{host}:{os.getpid()}"
    imports._RUNNING.add(41)
    try:
        assert not imports._abandoned(41, me, beat, now)
        assert imports._abandoned(42, me, beat, now)  # this process's, cut short
    finally:
        imports._RUNNING.discard(41)
    assert not imports._abandoned(1, f"{host}:{os.getppid()}", beat, now)
    assert imports._abandoned(1, f"{host}:{_dead_pid()}", beat, now)
    old = (now - timedelta(seconds=imports.STALE_S + 1)).isoformat()
    assert not imports._abandoned(1, "elsewhere:12", beat, now)
    assert imports._abandoned(1, "elsewhere:12", old, now)


async def test_a_small_import_is_one_transaction_without_a_journal(
    changes: ChangePipeline, store: RecordStore
) -> None:
    seen: list[int] = []

    async def between(done: int) -> None:
        seen.append(done)

    data = {"schema_version": 1, "people": [
        {"uid": f"p{n}", "name": f"Person {n}", "title": "", "country": "Kazakhstan",
         "notes": ""} for n in range(10)]}
    await import_data(changes, GUILD, data, actor_id=1, between=between)
    assert seen == []
    assert len((await _all(store))[RecordType.PERSON]) == 10


async def test_an_import_whose_file_no_longer_fits_is_given_up_saying_so(
    changes: ChangePipeline, store: RecordStore, bot: Services
) -> None:
    """The cut import's later meetings name a visit of the server that was deleted before
    it could be finished: what it wrote stays, the journal goes, and the line says why."""
    visit = {"uid": "trip", "visitor": None, "visitor_role": "Foreign Minister",
             "from_country": "Pakistan", "to_country": "Kazakhstan",
             "date": {"value": "2025-09-09", "precision": "day"}, "status": "planned"}
    await import_data(changes, GUILD, {"schema_version": 1, "visits": [visit]}, actor_id=1)
    meetings = [{"uid": f"m{n}", "title": f"Talks {n}", "kind": "bilateral_talks",
                 "date": {"value": "2025-09-09", "precision": "day"},
                 "visit": "trip" if n >= 20 else None} for n in range(30)]

    async def dies(done: int) -> None:
        if done >= 10:
            raise Stop

    with pytest.raises(Stop):
        await import_data(changes, GUILD, {"schema_version": 1, "meetings": meetings},
                          actor_id=1, between=dies)
    trip = await store.get_by_uid(GUILD, RecordType.VISIT, "trip")
    assert trip is not None and trip.id is not None
    await bot.changes.delete(GUILD, RecordType.VISIT, trip.id, actor_id=2)

    [line] = await finish_interrupted(bot.changes)
    assert "could not be finished" in line and "'trip'" in line
    assert await interrupted(store) == []
    # The server takes imports again, and the meetings written before the cut are kept.
    assert len((await _all(store))[RecordType.MEETING]) >= 10
    await import_data(changes, GUILD, {"schema_version": 1, "meetings": meetings[:5]},
                      actor_id=1)


async def test_a_store_moved_mid_import_is_finished_on_its_new_database(
    changes: ChangePipeline, db: Database, clock: FixedClock, tmp_path: Any
) -> None:
    """migrate-store and backup copy the journal, so an import cut short before a move is
    still finished on the other side, not left half-written with nothing to say so."""
    data = _file(8)

    async def dies(done: int) -> None:
        if done >= 20:
            raise Stop

    with pytest.raises(Stop):
        await import_data(changes, GUILD, data, actor_id=None, between=dies)
    target = await Database.open(str(tmp_path / "moved.db"))
    try:
        await copy_database(db, target)
        moved = build_services(target, clock)
        [job] = await interrupted(moved.records)
        assert (job.done, job.total) == (20, _total(data))
        lines = await finish_interrupted(moved.changes)
        assert len(lines) == 1 and "stopped after 20" in lines[0]
        found = await _all(moved.records)
        assert sum(len(v) for v in found.values()) == _total(data)
        _assert_numbers_unique(found)
    finally:
        await target.close()
