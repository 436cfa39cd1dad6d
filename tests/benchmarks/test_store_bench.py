"""Store figures on 10,000 meetings: import rate, autocomplete, search and list latency.

Opt-in: `.venv/bin/pytest -m benchmark -s -n 0`. Prints figures for each backend; asserts
nothing about time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.domain.records import RecordType
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD
from tests.large_store import large_bundle

pytestmark = pytest.mark.benchmark


async def _timed(label: str, runs: int, call: Callable[[int], Awaitable[Any]]) -> None:
    samples = []
    for n in range(runs):
        start = time.perf_counter()
        await call(n)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<34} median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms")


async def test_store_figures(changes: ChangePipeline, store: RecordStore, backend: str) -> None:
    """Run once per backend (the `backend` fixture): the same figures for SQLite and
    PostgreSQL."""
    bundle = large_bundle(10_000)
    start = time.perf_counter()
    await import_data(changes, GUILD, bundle, actor_id=None)
    seconds = time.perf_counter() - start
    total = len(bundle["meetings"]) + len(bundle["people"])
    print(f"\n[{backend}] import {total} records in one transaction: {seconds:.2f} s "
          f"({total / seconds:,.0f} records/s)")
    words = ["kaz", "pak", "railw", "minister 0004", "energy round 7", "", "türk", "tajik"]
    await _timed("autocomplete (suggest, 25)", 200,
                 lambda n: store.suggest(GUILD, RecordType.MEETING, words[n % len(words)]))
    await _timed("search (full text, 100)", 200,
                 lambda n: store.search(GUILD, words[n % len(words)] or "trade", limit=100))
    await _timed("list page (country filter, 10)", 200,
                 lambda n: store.list_records(GUILD, RecordType.MEETING, RecordFilter(
                     country="Kazakhstan", limit=10, offset=(n % 50) * 10)))
    await _timed("count (country filter)", 50,
                 lambda n: store.count(GUILD, RecordType.MEETING, RecordFilter(country="Iran")))
