"""The wire benchmark under pytest: a small smoke run of every phase by default.

    .venv/bin/pytest -m benchmark -s tests/benchmarks/test_wire_bench.py

Sizes come from WIRE_BENCH_N (comma-separated, default "1000") and phases from
WIRE_BENCH_PHASES (default all). The default run is small (few calls, 40 reminders, a CLI
import of 3,000 records, a restart on 2,000 open visits) so that it checks the benchmark
still works in a few minutes; WIRE_BENCH_FULL=1 runs the full-sized phases instead. Built
stores are kept in the cache `python -m tests.benchmarks.wire_bench` uses. Prints the tables
and the JSON figures; asserts only that the run completed and every reminder went out, never
a time.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.benchmarks.harness import Budget
from tests.benchmarks.phases import MixedPlan, RestartPlan
from tests.benchmarks.wire_bench import PHASES, Plan, default_cache, markdown, run, to_json

pytestmark = pytest.mark.benchmark


async def test_wire_figures() -> None:
    sizes = [int(n) for n in os.environ.get("WIRE_BENCH_N", "1000").split(",")]
    phases = tuple(p for p in os.environ.get("WIRE_BENCH_PHASES", ",".join(PHASES)).split(",")
                   if p)
    if os.environ.get("WIRE_BENCH_FULL") == "1":
        plan = Plan(sizes, cache=default_cache(), phases=phases)
    else:
        plan = Plan(sizes, wire=Budget(20, 5.0), service=Budget(20, 2.0), reminders=40,
                    window=10.0, idle=3.0, cache=default_cache(), phases=phases,
                    two_server_small=100,
                    mixed=MixedPlan(records=3000, small=100, quiet_s=3.0, at_least_s=3.0),
                    restart=RestartPlan(visits=2000, seconds=3.0), ingest_limit_s=30.0)
    results = await run(plan)
    print("\n" + markdown(results))
    print(json.dumps(to_json(results), indent=2, ensure_ascii=False))
    if "standard" in phases:
        reminders = results["sizes"][-1]["reminders"]
        assert reminders["sent"] == reminders["reminders"]
    for phase, key in (("two-server", "two_server"), ("mixed", "mixed"),
                       ("restart", "restart"), ("ingest", "ingest")):
        if phase in phases:
            assert results.get(key), f"the {phase} phase reported nothing"
