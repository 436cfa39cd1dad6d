"""Moving a desk: `migrate-store` from SQLite into PostgreSQL and back, `check` and `backup` on
PostgreSQL, each run as a user runs them, in a process of its own."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.records import RecordType
from bot.services.factory import build_services
from bot.stores.database import Database
from tests.cli.test_cli import run
from tests.conftest import SAMPLE

GUILD = "123"
# A PostgreSQL database of the test's own (see `database_target` in tests/conftest.py).
on_postgresql = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _export(tmp_path: Path, extra: dict[str, str]) -> dict[str, object]:
    result = run(tmp_path, "export", "--guild", GUILD, extra=extra)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    data.pop("exported_at", None)
    return data


async def _with_a_retired_number(tmp_path: Path) -> int:
    """The sample, and one more visit added then deleted: its number is retired for good."""
    sample = json.loads(SAMPLE.read_text("utf-8"))
    assert run(tmp_path, "import", str(SAMPLE), "--guild", GUILD).returncode == 0
    extra = dict(sample, visits=[{
        "uid": "extra-visit", "from_country": "Pakistan", "to_country": "Japan",
        "purpose": "talks", "status": "planned",
        "date": {"value": "2026-03", "precision": "month"},
    }], meetings=[], plans=[], people=[], sources=[], followups=[])
    (tmp_path / "extra.json").write_text(json.dumps(extra), "utf-8")
    result = run(tmp_path, "import", str(tmp_path / "extra.json"), "--guild", GUILD)
    assert result.returncode == 0, result.stderr
    db = await Database.open(tmp_path / "attache.db")
    try:
        services = build_services(db, lambda: datetime(2025, 9, 12, tzinfo=UTC))
        retired = await services.records.get_by_uid(int(GUILD), RecordType.VISIT,
                                                    "extra-visit")
        assert retired is not None and retired.id is not None
        await services.changes.delete(int(GUILD), RecordType.VISIT, retired.id, actor_id=None)
        return retired.id
    finally:
        await db.close()


@on_postgresql
async def test_a_desk_goes_to_postgresql_and_comes_back_the_same(
    tmp_path: Path, database_target: str
) -> None:
    await _with_a_retired_number(tmp_path)
    before = _export(tmp_path, {})

    moved = run(tmp_path, "migrate-store", "--to", database_target)
    assert moved.returncode == 0, moved.stderr
    assert "every count matches" in moved.stdout
    assert "MISMATCH" not in moved.stdout
    on_pg = {"DATABASE_URL": database_target}
    assert _export(tmp_path, on_pg) == before

    # The copy keeps working as a store: check reads it, and its numbers carry on.
    checked = run(tmp_path, "check", extra=on_pg)
    assert checked.returncode == 0, checked.stderr
    assert "backend: postgresql" in checked.stdout and "check passed" in checked.stdout
    visits = len(before["visits"])  # type: ignore[arg-type]
    assert f"visits {visits}," in checked.stdout

    back = tmp_path / "back" / "attache.db"
    returned = run(tmp_path, "migrate-store", "--to", str(back), extra=on_pg)
    assert returned.returncode == 0, returned.stderr
    assert _export(tmp_path, {"DATABASE_PATH": str(back)}) == before


@on_postgresql
async def test_numbers_and_history_survive_the_move(tmp_path: Path, database_target: str) -> None:
    retired = await _with_a_retired_number(tmp_path)
    assert run(tmp_path, "migrate-store", "--to", database_target).returncode == 0
    copy = await Database.open(database_target)
    try:
        services = build_services(copy, lambda: datetime(2025, 9, 12, tzinfo=UTC))
        numbers = await services.records.numbers(int(GUILD), RecordType.VISIT)
        assert retired not in numbers
        # The next visit on the copy is numbered past the retired one, as it would be on
        # the original: the counter moved with the records.
        added = await services.changes.add(int(GUILD), replace(
            await services.records.require(int(GUILD), RecordType.VISIT, numbers[0]),
            id=None, uid="after-move"), actor_id=None)
        assert added.id == retired + 1
        history = await services.records.history(int(GUILD), RecordType.VISIT, retired)
        assert [entry.action for entry in history] == ["import", "delete"]
    finally:
        await copy.close()


@on_postgresql
def test_a_target_that_holds_records_is_refused_and_left_alone(
    tmp_path: Path, database_target: str
) -> None:
    assert run(tmp_path, "import", str(SAMPLE), "--guild", GUILD).returncode == 0
    assert run(tmp_path, "migrate-store", "--to", database_target).returncode == 0
    again = run(tmp_path, "migrate-store", "--to", database_target)
    assert again.returncode == 1
    assert "already holds records" in again.stderr and "Traceback" not in again.stderr


@on_postgresql
def test_a_postgresql_desk_backs_up_to_a_sqlite_file(
    tmp_path: Path, database_target: str
) -> None:
    on_pg = {"DATABASE_URL": database_target}
    assert run(tmp_path, "import", str(SAMPLE), "--guild", GUILD, extra=on_pg).returncode == 0
    copy = tmp_path / "backup.db"
    result = run(tmp_path, "backup", str(copy), extra=on_pg)
    assert result.returncode == 0, result.stderr
    assert _export(tmp_path, {"DATABASE_PATH": str(copy)}) == _export(tmp_path, on_pg)


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://attache:s3cret-pass@127.0.0.1:1/attache"
    result = run(tmp_path, "check", extra={"DATABASE_URL": url})
    assert result.returncode == 2
    assert "Cannot open the PostgreSQL database" in result.stderr
    assert "s3cret-pass" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
