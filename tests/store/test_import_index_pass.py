"""The index pass of a big import (bot/stores/imports.py): the search rows and words of the
records are written once every record is in, in batches of their own; whatever happens
meanwhile (a kill, an edit, a delete), the finished import leaves exactly the index a
rebuild from the stored records gives, and search and autocomplete find the records."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest

from bot.domain.records import Plan, RecordType
from bot.services.changes import ChangePipeline
from bot.services.factory import Services, build_services
from bot.services.interchange import _checked, finish_interrupted
from bot.stores import imports
from bot.stores.database import Database
from bot.stores.imports import ImportOptions, interrupted
from bot.stores.records import RecordStore
from tests.conftest import GUILD, FixedClock
from tests.store.test_import_batches import (  # small_batches: autouse, batches of 10
    KINDS,
    Stop,
    _file,
    _total,
    small_batches,  # noqa: F401
)

Index = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


@pytest.fixture
async def bot(database_target: str, clock: FixedClock) -> AsyncIterator[Services]:
    """The bot, on its own connection to the database the import writes."""
    db = await Database.open(database_target)
    yield build_services(db, clock)
    await db.close()


async def _index(db: Database) -> Index:
    """Every search row and word row of the database, in key order."""
    key = "rowid" if db.dialect.name == "sqlite" else "row_key"
    async with db.read() as conn:
        async with conn.execute(f"SELECT {key}, guild_id, record_type, record_id, title, body"
                                " FROM search_index ORDER BY 1") as cur:
            rows = [tuple(r) for r in await cur.fetchall()]
        async with conn.execute("SELECT guild_id, record_type, word, number FROM record_words"
                                " ORDER BY 1, 2, 3, 4") as cur:
            words = [tuple(r) for r in await cur.fetchall()]
    return rows, words


async def _rebuilt(db: Database, store: RecordStore) -> Index:
    """The index a rebuild writes from the stored records."""
    async with db.transaction() as conn:
        await store.rebuild_search(conn)
    return await _index(db)


async def _records(store: RecordStore) -> int:
    count = 0
    for kind in KINDS:
        count += len(await store.get_many(GUILD, kind, list(range(1, 500))))
    return count


async def _import(changes: ChangePipeline, data: dict[str, Any], **hooks: Any) -> None:
    text = json.dumps(data)
    await changes.import_bundle(GUILD, _checked(data), actor_id=1, options=ImportOptions(
        source=lambda: text.encode("utf-8"), **hooks))


async def _assert_whole(db: Database, store: RecordStore, data: dict[str, Any]) -> None:
    """One search row per stored record, the rebuild's rows and words exactly, no journal
    left, and a record of the file found by search and by autocomplete."""
    found = await _index(db)
    assert len(found[0]) == await _records(store)
    assert found == await _rebuilt(db, store)
    assert await interrupted(store) == []
    last = data["plans"][-1]
    [plan] = [p for p in await store.get_many(GUILD, RecordType.PLAN, list(range(1, 500)))
              if p.uid == last["uid"]]
    word = plan.title.split()[-1]
    assert ("plan", plan.id) in {(h.record_type.value, h.record_id)
                                 for h in await store.search(GUILD, word)}
    assert plan.id in [p.id for p in await store.suggest(GUILD, RecordType.PLAN, word[:3])]


async def test_the_index_is_written_after_the_records_and_matches_a_rebuild(
    changes: ChangePipeline, store: RecordStore, db: Database
) -> None:
    data = _file()
    seen: list[tuple[int, int, int]] = []

    async def indexing(done: int) -> None:
        async with db.read() as conn, conn.execute(
                "SELECT done, total FROM import_journal") as cur:
            [journal] = [tuple(r) for r in await cur.fetchall()]
        rows, _ = await _index(db)
        seen.append((done, len(rows), journal))

    await _import(changes, data, indexing=indexing)

    # Each index batch starts with every record in (the journal's `done` is the file's
    # total) and the rows of the batches before it.
    total = _total(data)
    assert [s[0] for s in seen] == list(range(0, total, 10))
    assert all(rows == done and journal == (total, total) for done, rows, journal in seen)
    await _assert_whole(db, store, data)


@pytest.mark.parametrize("stop_at", [0, 30])
async def test_an_import_killed_in_its_index_pass_is_finished_with_its_index(
    changes: ChangePipeline, store: RecordStore, db: Database, stop_at: int
) -> None:
    data = _file()

    async def dies(done: int) -> None:
        if done >= stop_at:
            raise Stop

    with pytest.raises(Stop):
        await _import(changes, data, indexing=dies)
    imports._RUNNING.clear()  # as if the process had died
    [job] = await interrupted(store)
    # Every record is in; the journal stays until the index is.
    assert (job.done, job.total) == (_total(data), _total(data))
    assert await _records(store) == _total(data)
    assert len((await _index(db))[0]) == stop_at

    [line] = await finish_interrupted(changes, GUILD)
    assert "has now been finished (0 more created)" in line
    await _assert_whole(db, store, data)


async def test_an_import_killed_among_its_records_is_finished_with_every_records_index(
    changes: ChangePipeline, store: RecordStore, db: Database
) -> None:
    data = _file()

    async def dies(done: int) -> None:
        if done >= 30:
            raise Stop

    with pytest.raises(Stop):
        await _import(changes, data, between=dies)
    imports._RUNNING.clear()
    [job] = await interrupted(store)
    assert job.done == 30
    assert (await _index(db))[0] == []  # the cut run wrote records, not yet their index

    await finish_interrupted(changes, GUILD)
    await _assert_whole(db, store, data)


async def test_records_edited_or_deleted_before_the_index_pass_keep_their_own_index(
    changes: ChangePipeline, store: RecordStore, db: Database, bot: Services
) -> None:
    data = _file()
    done_edits: list[str] = []

    async def between(done: int) -> None:
        plans = await store.get_many(GUILD, RecordType.PLAN, list(range(1, 500)))
        if len(plans) < 2 or done_edits:
            return
        edited, deleted = plans[0], plans[1]
        assert isinstance(edited, Plan)
        await bot.changes.update(GUILD, edited, replace(edited, title="Renamed tundra accord"),
                                 actor_id=7)
        await bot.changes.delete(GUILD, RecordType.PLAN, deleted.id or 0, actor_id=7)
        done_edits.append(deleted.uid)

    await _import(changes, data, between=between)

    assert done_edits, "the hook never found two imported plans"
    rows, _ = await _index(db)
    # The edit's rows, once; nothing of the deleted plan.
    assert sum("Renamed tundra accord" in str(r[4]) for r in rows) == 1
    await _assert_whole(db, store, data)
    assert {h.record_type.value for h in await store.search(GUILD, "tundra")} == {"plan"}
    assert [p.title for p in await store.suggest(GUILD, RecordType.PLAN, "tundr")] == [
        "Renamed tundra accord"]
