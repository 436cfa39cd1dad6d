"""The wire benchmark under pytest: a small smoke run of every phase (opt-in), and its pure
parts (the store backends' names, placeholders and settings; the report of a copied
PostgreSQL store), which run in the default suite.

    .venv/bin/pytest -m benchmark -s tests/benchmarks/test_wire_bench.py

Sizes come from WIRE_BENCH_N (comma-separated, default "1000"), phases from
WIRE_BENCH_PHASES (default all) and the store from WIRE_BENCH_STORE (sqlite or postgresql).
The default run is small (few calls, 40 reminders, a CLI import of 3,000 records, a restart
on 2,000 open visits) so that it checks the benchmark still works in a few minutes;
WIRE_BENCH_FULL=1 runs the full-sized phases instead. Built stores are kept in the cache
`python -m tests.benchmarks.wire_bench` uses. Prints the tables and the JSON figures;
asserts only that the run completed and every reminder went out, never a time.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from tests.benchmarks.backends import (
    STORES,
    SqliteStores,
    database_name,
    opened,
    placeholders,
)
from tests.benchmarks.harness import Budget, database_env
from tests.benchmarks.phases import MixedPlan, RestartPlan
from tests.benchmarks.wire_bench import (
    PHASES,
    Plan,
    _build_cell,
    _import_rates,
    _imports,
    default_cache,
    main,
    markdown,
    run,
    to_json,
)


def test_database_names_and_settings() -> None:
    assert database_name("bench-100000") == "bench_100000"
    assert database_name("two-server") == "two_server"
    assert database_name("100") == "d_100"
    url = "postgresql://postgres@127.0.0.1:5432/bench_1000"
    assert database_env(url) == {"DATABASE_URL": url}
    assert database_env(Path("/tmp/x.db")) == {"DATABASE_PATH": "/tmp/x.db"}
    assert placeholders("SELECT 1 FROM d WHERE g IN (?, ?) AND s = ?") == (
        "SELECT 1 FROM d WHERE g IN ($1, $2) AND s = $3")


def test_store_option() -> None:
    assert STORES == ("sqlite", "postgresql")
    with pytest.raises(SystemExit):
        main(["--store", "mysql"])


async def test_unknown_store_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown store"):
        async with opened("mysql"):
            pass


async def test_sqlite_stores_copy_read_and_remove(tmp_path: Path) -> None:
    import sqlite3
    stores = SqliteStores()
    base = stores.target(tmp_path, "base-3")
    assert base == tmp_path / "base-3.db"
    with sqlite3.connect(base) as conn:
        conn.execute("CREATE TABLE deliveries (guild_id INTEGER, status TEXT)")
        conn.executemany("INSERT INTO deliveries VALUES (?, ?)",
                         [(1, "planned"), (1, "sent"), (2, "planned")])
    copy = stores.target(tmp_path, "bench-3")
    await stores.copy(base, copy)
    assert await stores.rows(copy, "SELECT count(*) FROM deliveries WHERE guild_id = ? AND "
                             "status = ?", (1, "planned")) == [(1,)]
    assert await stores.size(copy) > 0
    await stores.remove(copy)
    assert await stores.rows(base, "SELECT count(*) FROM deliveries") == [(3,)]
    assert not await asyncio.to_thread(Path(copy).exists)


def test_a_copied_store_is_reported_as_a_copy_not_an_import() -> None:
    copied = {"records": 3050, "built_by": "copy_database", "copy_s": 2.5, "copy_rows": 15691,
              "copy_rows_per_s": 6276, "import_s": 1.5, "records_per_s": 2033,
              "bytes_per_record": 6881, "database_mb": 21, "sqlite_bytes_per_record": 2691}
    imported = {"records": 3050, "import_s": 1.5, "records_per_s": 2033,
                "bytes_per_record": 2691, "database_mb": 8}
    assert _import_rates({"stores": {1000: copied}}) == []
    assert _import_rates({"stores": {1000: imported}}) == [
        ("import of N=1,000 (in-process)", 2033)]
    assert _build_cell(copied).startswith("— (copied from SQLite: 15,691 rows in 2.5 s")
    assert _build_cell(imported) == "1.5 s (2,033/s)"
    line = _imports({"stores": {1000: copied}})[2]
    assert "copied from the SQLite store" in line and "pg_database_size; SQLite 2,691" in line


@pytest.mark.benchmark
async def test_wire_figures() -> None:
    sizes = [int(n) for n in os.environ.get("WIRE_BENCH_N", "1000").split(",")]
    phases = tuple(p for p in os.environ.get("WIRE_BENCH_PHASES", ",".join(PHASES)).split(",")
                   if p)
    if os.environ.get("WIRE_BENCH_FULL") == "1":
        plan = Plan(sizes, cache=default_cache(), phases=phases,
                    store=os.environ.get("WIRE_BENCH_STORE", "sqlite"))
    else:
        plan = Plan(sizes, wire=Budget(20, 5.0), service=Budget(20, 2.0), reminders=40,
                    window=10.0, idle=3.0, cache=default_cache(), phases=phases,
                    two_server_small=100,
                    mixed=MixedPlan(records=3000, small=100, quiet_s=3.0, at_least_s=3.0),
                    restart=RestartPlan(visits=2000, seconds=3.0), ingest_limit_s=30.0,
                    store=os.environ.get("WIRE_BENCH_STORE", "sqlite"))
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
