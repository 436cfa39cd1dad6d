"""`attache check` tells an admin of an import that stopped part way (among its records or
while indexing them), and says nothing of one when every import finished."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.services.factory import build_services
from bot.services.interchange import _checked, import_data
from bot.stores import imports
from bot.stores.database import Database
from bot.stores.imports import ImportOptions
from tests.benchmarks.datagen import synthetic_bundle
from tests.cli.test_cli import run
from tests.conftest import GUILD, FixedClock
from tests.store.test_import_batches import (  # small_batches: autouse, batches of 10
    Stop,
    _dead_pid,
    _file,
    _total,
    small_batches,  # noqa: F401
)


async def _import(path: Path, clock: FixedClock, *, stop_after: int | None) -> int:
    data = synthetic_bundle(6, seed=5, this_year=2025)

    async def between(done: int) -> None:
        if stop_after is not None and done >= stop_after:
            raise Stop

    db = await Database.open(str(path))
    try:
        services = build_services(db, clock)
        if stop_after is None:
            await import_data(services.changes, GUILD, data, actor_id=1, between=between)
        else:
            with pytest.raises(Stop):
                await import_data(services.changes, GUILD, data, actor_id=1, between=between)
    finally:
        await db.close()
    return sum(len(v) for v in data.values() if isinstance(v, list))


def _check_as_if_dead(folder: Path) -> Any:
    """`attache check`, once the journal's owner is a process that died (the row names this
    test's process, which is alive)."""
    with sqlite3.connect(folder / "attache.db") as conn:
        conn.execute("UPDATE import_journal SET owner = ?",
                     (f"{imports._owner().rpartition(':')[0]}:{_dead_pid()}",))
    return run(folder, "check")


async def test_check_names_an_import_cut_short(tmp_path: Path, clock: FixedClock) -> None:
    total = await _import(tmp_path / "attache.db", clock, stop_after=20)
    result = _check_as_if_dead(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"import: server {GUILD} stopped after 20 of {total} records; the bot finishes it "
            "when it next starts") in result.stdout


async def test_check_names_an_import_cut_short_while_indexing(
    tmp_path: Path, clock: FixedClock
) -> None:
    data = _file()
    text = json.dumps(data)

    async def dies(done: int) -> None:
        if done >= 10:
            raise Stop

    db = await Database.open(str(tmp_path / "attache.db"))
    try:
        with pytest.raises(Stop):
            await build_services(db, clock).changes.import_bundle(
                GUILD, _checked(data), actor_id=1, options=ImportOptions(
                    source=lambda: text.encode("utf-8"), indexing=dies))
    finally:
        await db.close()
        imports._RUNNING.clear()  # as if the process had died
    result = _check_as_if_dead(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"import: server {GUILD} stopped after writing all {_total(data)} records, before "
            "their search index was complete; the bot finishes it") in result.stdout


async def test_check_is_quiet_about_imports_that_finished(
    tmp_path: Path, clock: FixedClock
) -> None:
    await _import(tmp_path / "attache.db", clock, stop_after=None)
    result = run(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "check passed" in result.stdout
    assert "import:" not in result.stdout
