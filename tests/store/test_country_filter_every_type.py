"""A country filter works on every record type's list reads: types the country index holds
list that country's records; types it does not (sources, follow-ups) list none, never an
SQL error (their order used to name the country index's columns)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.records import RecordType
from bot.domain.registry import countries_of, spec_of
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD


@pytest.mark.parametrize("kind", list(RecordType), ids=lambda k: k.value)
@pytest.mark.parametrize("newest_first", [False, True])
async def test_a_country_filter_on_every_type(
    changes: ChangePipeline, store: RecordStore, sample_data: dict[str, Any],
    kind: RecordType, newest_first: bool,
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=1)
    flt = RecordFilter(country="Kazakhstan", newest_first=newest_first, limit=100)
    listed = await store.list_records(GUILD, kind, flt)
    numbers = await store.numbers(GUILD, kind, flt)
    lines, total = await store.line_page(GUILD, kind, flt)
    assert [r.id for r in listed] == numbers == [line.id for line in lines]
    assert total == len(numbers) == await store.count(GUILD, kind, flt)
    everything = await store.list_records(GUILD, kind, RecordFilter(limit=100))
    if spec_of(kind).country_fields:
        want = [r for r in everything if "Kazakhstan" in countries_of(r)]
        assert want, f"the sample names Kazakhstan on some {kind.value}"
        assert sorted(r.id for r in listed) == sorted(r.id for r in want)
    else:
        assert everything, f"the sample holds some {kind.value}"
        assert listed == []
