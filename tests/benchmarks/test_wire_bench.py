"""The wire benchmark under pytest.

    .venv/bin/pytest -m benchmark -s tests/benchmarks/test_wire_bench.py

Sizes come from WIRE_BENCH_N (comma-separated, default "1000,100000"); built stores are kept
in the cache `python -m tests.benchmarks.wire_bench` uses. Prints the table and the JSON
figures; asserts only that the run completed and every reminder went out, never a time.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.benchmarks.wire_bench import Plan, default_cache, markdown, run, to_json

pytestmark = pytest.mark.benchmark


async def test_wire_figures() -> None:
    sizes = [int(n) for n in os.environ.get("WIRE_BENCH_N", "1000,100000").split(",")]
    results = await run(Plan(sizes, cache=default_cache()))
    print("\n" + markdown(results))
    print(json.dumps(to_json(results), indent=2, ensure_ascii=False))
    reminders = results["sizes"][-1]["reminders"]
    assert reminders["sent"] == reminders["reminders"]
