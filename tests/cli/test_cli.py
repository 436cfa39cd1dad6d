"""The command line as a user runs it: `python -m bot ...` in its own process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.stores.database import bundled_migrations
from tests.conftest import ROOT, SAMPLE, reference_article

SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.not-a-real-token-but-shaped-like-one"


def run(
    tmp_path: Path, *args: str, token: str | None = None, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["DATABASE_PATH"] = str(tmp_path / "attache.db")
    if token is not None:
        env["DISCORD_TOKEN"] = token
    env.update(extra or {})
    # cwd is the temporary folder so that no developer's .env is picked up.
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_without_a_token_it_exits_2_with_two_lines(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "DISCORD_TOKEN" in lines[0]
    assert ".env" in lines[1] and ".env.example" in lines[1]
    assert "Traceback" not in result.stderr
    assert run(tmp_path, "sync").returncode == 2


def test_dotenv_is_read_and_empty_variables_do_not_hide_it(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_PATH=from-dotenv.db\n", "utf-8")
    result = run(tmp_path, "check", extra={"DATABASE_PATH": ""})
    assert result.returncode == 0, result.stderr
    assert "from-dotenv.db" in result.stdout


def test_bad_settings_are_named(tmp_path: Path) -> None:
    result = run(tmp_path, "check", extra={"DEFAULT_TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 2
    assert "DEFAULT_TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def test_import_export_round_trip(tmp_path: Path) -> None:
    imported = run(tmp_path, "import", str(SAMPLE), "--guild", "42")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "Imported 17 records: 17 created, 0 updated, 0 unchanged."
    exported = run(tmp_path, "export", "--guild", "42")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data == json.loads(SAMPLE.read_text("utf-8"))
    out = tmp_path / "again.json"
    (tmp_path / "export.json").write_text(exported.stdout, "utf-8")
    assert run(tmp_path, "import", "export.json", "--guild", "43").returncode == 0
    assert run(tmp_path, "export", "--guild", "43", "-o", str(out)).returncode == 0
    assert out.read_text("utf-8") == exported.stdout


def test_import_of_a_bad_file_lists_errors_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": 1, "people": [{"uid": "a"}, {"name": "B"}]}))
    result = run(tmp_path, "import", str(bad), "--guild", "42")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Nothing was imported: 2 problems found.",
        "people[0] (a): name is required",
        "people[1]: uid is required",
    ]
    (tmp_path / "broken.json").write_text("{not json")
    result = run(tmp_path, "import", "broken.json", "--guild", "42")
    assert result.returncode == 1 and "not valid JSON (line 1" in result.stderr
    result = run(tmp_path, "import", "missing.json", "--guild", "42")
    assert result.returncode == 1 and "Cannot read missing.json" in result.stderr
    exported = json.loads(run(tmp_path, "export", "--guild", "42").stdout)
    assert exported["people"] == []


def test_check_reports_schema_and_integrity(tmp_path: Path) -> None:
    result = run(tmp_path, "check", token=SECRET)
    assert result.returncode == 0, result.stderr
    latest = bundled_migrations()[-1].version
    assert f"schema: version 0 -> {latest} (latest {latest})" in result.stdout
    assert "integrity: ok; broken links: 0" in result.stdout
    assert "check passed" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert "token=<set>" in result.stdout
    again = run(tmp_path, "check")
    assert f"schema: version {latest} -> {latest} (latest {latest})" in again.stdout


def test_backup_copies_the_records(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLE), "--guild", "42").returncode == 0
    result = run(tmp_path, "backup", "backups/copy.db")
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(tmp_path / "backups" / "copy.db")
    try:
        assert copy.execute("SELECT count(*) FROM meetings").fetchone()[0] == 7
    finally:
        copy.close()


def test_an_unusable_database_stops_run_in_one_line_before_login(tmp_path: Path) -> None:
    (tmp_path / "attache.db").write_text("not a database")
    # Port 9 (discard) on this machine: even a login attempt would never leave it.
    nowhere = {"DISCORD_API_BASE": "http://127.0.0.1:9", "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9"}
    result = run(tmp_path, "run", token=SECRET, extra=nowhere)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'attache.db'} is not an SQLite database (file is not a database): set "
        "DATABASE_PATH to an Attaché database, or move this file away to start a new one."
    ]
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["--help"], ["import", "--help"]])
def test_help(tmp_path: Path, command: list[str]) -> None:
    result = run(tmp_path, *command)
    assert result.returncode == 0 and "usage: attache" in result.stdout


def test_export_formats_match_the_slash_command(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLE), "--guild", "42").returncode == 0
    ics = run(tmp_path, "export", "--guild", "42", "--format", "ics")
    assert ics.returncode == 0, ics.stderr
    # Two of the sample's three visits: the one held in 2003, its day never recorded, is not
    # a year-long event.
    assert ics.stdout.startswith("BEGIN:VCALENDAR") and ics.stdout.count("BEGIN:VEVENT") == 2
    md = run(tmp_path, "export", "--guild", "42", "--format", "markdown", "--country", "KZ")
    assert "Action Plan of Cooperation" in md.stdout and "November 2025" in md.stdout
    csv = run(tmp_path, "export", "--guild", "42", "--format", "csv")
    assert csv.returncode == 0 and "Wrote attache-" in csv.stderr
    assert len(list(tmp_path.glob("attache-*-csv.zip"))) == 1


def test_ingest_prints_a_proposal_and_saves_nothing(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(reference_article(), "utf-8")
    result = run(tmp_path, "ingest", "report.txt")
    assert result.returncode == 0, result.stderr
    proposal = json.loads(result.stdout)
    assert proposal["schema_version"] == 1
    dates = {(v["visitor_role"], v["date"]["value"]) for v in proposal["visits"]}
    assert ("President of Kazakhstan", "2025-11") in dates
    assert ("President of Kazakhstan", "2003") in dates
    assert not (tmp_path / "attache.db").exists()
    (tmp_path / "empty.txt").write_text("", "utf-8")
    empty = run(tmp_path, "ingest", "empty.txt")
    assert empty.returncode == 1 and "The text is empty" in empty.stderr
