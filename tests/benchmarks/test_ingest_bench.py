"""Ingest on crafted 200 KB attachments: wall and CPU time of each, with caches cold and warm.

Opt-in: `.venv/bin/pytest -m benchmark -s tests/benchmarks/test_ingest_bench.py`. Prints
figures; asserts nothing about time (the budget is 2 s per attachment; see the README).
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from bot.domain.errors import UserError
from bot.services.ingest import propose
from bot.services.ingest.guard import MAX_BYTES
from bot.services.ingest.memo import clear_caches
from tests.unit.ingest_crafted import BUILDERS, crafted

pytestmark = pytest.mark.benchmark


def _once(text: str) -> tuple[float, float, str]:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        proposal = propose(text, dateline=None, today=date(2026, 6, 30))
        outcome = f"{len(proposal.bundle)} records"
    except UserError as refused:
        outcome = "refused: " + refused.message.split(".")[0][:40]
    return time.perf_counter() - wall, time.process_time() - cpu, outcome


def test_crafted_attachments_of_200_kb() -> None:
    _once(crafted("reports", 5_000))  # compiles the patterns, as the bot's first ingest does
    print(f"\n{'input (200 KB)':<24}{'cold wall':>10}{'cold cpu':>10}{'warm wall':>10}"
          f"{'warm cpu':>10}  outcome")
    for name in sorted(BUILDERS):
        text = crafted(name, MAX_BYTES)
        clear_caches()
        cold_wall, cold_cpu, outcome = _once(text)
        warm_wall, warm_cpu, _ = _once(text)
        print(f"{name:<24}{cold_wall:>9.2f}s{cold_cpu:>9.2f}s{warm_wall:>9.2f}s"
              f"{warm_cpu:>9.2f}s  {outcome}")
