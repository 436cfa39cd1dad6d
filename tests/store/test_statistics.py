"""After a bulk import the planner knows the tables' sizes, so autocomplete keeps its plan."""

from __future__ import annotations

import pytest

from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.database import Database
from bot.stores.records import BULK_WRITE
from tests.conftest import GUILD
from tests.large_store import large_bundle


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_bulk_import_leaves_the_planner_statistics_of_what_it_wrote(
    changes: ChangePipeline, db: Database
) -> None:
    # Without them PostgreSQL took record_words for a one-row table until autovacuum came
    # by, and planned autocomplete as a nested loop over every word: 2-5 s instead of 5 ms.
    await import_data(changes, GUILD, large_bundle(BULK_WRITE), actor_id=None)
    async with db.read() as conn:
        async with conn.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN"
            " ('record_words', 'search_index', 'record_countries', 'meetings')"
        ) as cur:
            estimated = {row[0]: row[1] for row in await cur.fetchall()}
        async with conn.execute("SELECT count(*) FROM record_words") as cur:
            [words] = await cur.fetchone()
    assert set(estimated) == {"record_words", "search_index", "record_countries", "meetings"}
    assert estimated["record_words"] > words / 2
    assert all(n > 0 for n in estimated.values()), estimated
