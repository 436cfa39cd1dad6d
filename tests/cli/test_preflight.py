"""The database is checked before anything starts: one line on stderr, exit status 2."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import __main__ as cli_main
from bot.stores import preflight
from bot.stores.database import Database, bundled_migrations
from bot.stores.preflight import DatabaseUnusable, check_database

LATEST = bundled_migrations()[-1].version
TOKEN = "dummy-token-that-must-never-be-sent"

# Each command that opens the database, with the arguments it needs to get that far.
COMMANDS = {
    "run": ["run"],
    "sync": ["sync", "--guild", "1"],
    "check": ["check"],
    "import": ["import", "records.json", "--guild", "42"],
    "export": ["export", "--guild", "42"],
    "backup": ["backup", "copy.db"],
}


@dataclass
class Outcome:
    status: int
    out: str
    err: str

    def one_line(self) -> str:
        """The single line on stderr, after checking that it is single and no traceback."""
        assert "Traceback" not in self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


Cli = Callable[..., Outcome]


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cli:
    """Runs `python -m bot ARGS` in this process with DATABASE_PATH set, from tmp_path (so that
    no developer's .env is read), and fails the test if anything tries to log in or connect."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "DATABASE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.chdir(tmp_path)
    logins: list[str] = []

    async def no_login(self: discord.Client, token: str) -> None:
        logins.append(token)
        raise AssertionError("tried to log in")

    def no_connect(self: socket.socket, *args: Any) -> None:
        raise AssertionError(f"tried to connect to {args}")

    monkeypatch.setattr(discord.Client, "login", no_login)
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", no_connect)

    def call(database: str | Path, *args: str) -> Outcome:
        monkeypatch.setenv("DATABASE_PATH", str(database))
        capsys.readouterr()
        status = cli_main.main(list(args))
        captured = capsys.readouterr()
        assert not logins, "logged in to Discord"
        return Outcome(status, captured.out, captured.err)

    return call


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def sqlite_file(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE kept (x)")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
    finally:
        conn.close()


# --- each problem, through every command that opens the database --------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_parent_that_is_a_file_is_one_line_before_anything(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    (tmp_path / "notes").write_text("a file, not a folder")
    before = tree(tmp_path)
    result = cli(tmp_path / "notes" / "data" / "attache.db", *COMMANDS[command])
    assert result.status == 2
    line = result.one_line()
    assert str(tmp_path / "notes" / "data" / "attache.db") in line
    assert f"{tmp_path / 'notes'} is a file, not a folder" in line
    assert tree(tmp_path) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_path_that_is_a_folder_is_one_line(cli: Cli, tmp_path: Path, command: str) -> None:
    (tmp_path / "db").mkdir()
    before = tree(tmp_path)
    result = cli(tmp_path / "db", *COMMANDS[command])
    assert result.status == 2
    line = result.one_line()
    assert f"The database path {tmp_path / 'db'} is a folder, not a file" in line
    assert "DATABASE_PATH" in line
    assert tree(tmp_path) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_is_not_sqlite_is_one_line(cli: Cli, tmp_path: Path, command: str) -> None:
    target = tmp_path / "attache.db"
    target.write_text("meeting notes, not a database\n" * 20)
    before = tree(tmp_path)
    result = cli(target, *COMMANDS[command])
    assert result.status == 2
    line = result.one_line()
    assert line.startswith(f"{target} is not an SQLite database (file is not a database)")
    assert tree(tmp_path) == before
    assert target.read_text() == "meeting notes, not a database\n" * 20


@pytest.mark.parametrize("command", COMMANDS)
def test_a_newer_schema_is_refused(cli: Cli, tmp_path: Path, command: str) -> None:
    target = tmp_path / "attache.db"
    sqlite_file(target, LATEST + 4)
    content = target.read_bytes()
    result = cli(target, *COMMANDS[command])
    assert result.status == 2
    assert result.one_line() == (
        f"The database {target} has schema version {LATEST + 4}, but this Attaché knows "
        f"versions up to {LATEST}: upgrade Attaché, or restore a backup."
    )
    assert target.read_bytes() == content
    assert tree(tmp_path) == {"attache.db"}


def test_the_current_schema_and_older_ones_pass(tmp_path: Path) -> None:
    for version in (0, 1, LATEST):
        target = tmp_path / f"v{version}.db"
        sqlite_file(target, version)
        assert check_database(target).version == version
    assert tree(tmp_path) == {"v0.db", "v1.db", f"v{LATEST}.db"}


# --- permissions: real ones need a user other than root, simulated ones run everywhere -----


def pretend_denied(
    monkeypatch: pytest.MonkeyPatch, *, folder: Path | None = None, file: Path | None = None,
    mode: str = "r+b", reason: str = "Permission denied",
) -> None:
    """Makes the preflight see `folder` as not writable, or `file` as not openable in `mode`,
    as the OS would for a non-root user; everything else is asked of the real file system."""
    real_write, real_open = preflight._write_probe, preflight._open_probe

    def write_probe(where: Path) -> str | None:
        return reason if folder is not None and where == folder else real_write(where)

    def open_probe(path: str, asked: str) -> str | None:
        denied = file is not None and path == str(file) and asked in (mode, "r+b")
        return reason if denied else real_open(path, asked)

    monkeypatch.setattr(preflight, "_write_probe", write_probe)
    monkeypatch.setattr(preflight, "_open_probe", open_probe)


def test_a_folder_that_cannot_be_created_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_denied(monkeypatch, folder=tmp_path)
    result = cli(tmp_path / "data" / "attache.db", "run")
    assert result.status == 2
    assert result.one_line() == (
        f"Cannot create the folder {tmp_path / 'data'} for the database "
        f"{tmp_path / 'data' / 'attache.db'}: {tmp_path} is not writable (Permission denied); "
        "create the folder yourself, or set DATABASE_PATH elsewhere."
    )
    assert tree(tmp_path) == set()


def test_a_new_file_in_a_read_only_folder_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_denied(monkeypatch, folder=tmp_path, reason="Read-only file system")
    result = cli(tmp_path / "attache.db", "check")
    assert result.status == 2
    line = result.one_line()
    assert f"the folder {tmp_path} is not writable (Read-only file system)" in line
    assert tree(tmp_path) == set()


def test_a_read_only_file_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "attache.db"
    sqlite_file(target, 1)
    pretend_denied(monkeypatch, file=target)
    result = cli(target, "run")
    assert result.status == 2
    assert result.one_line().startswith(
        f"Cannot write to the database {target} (Permission denied): give this user write access"
    )


def test_an_unreadable_file_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "attache.db"
    sqlite_file(target, 1)
    pretend_denied(monkeypatch, file=target, mode="rb")
    result = cli(target, "export", "--guild", "42")
    assert result.status == 2
    assert result.one_line().startswith(f"Cannot read the database {target} (Permission denied)")


def test_a_writable_file_in_a_read_only_folder_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "attache.db"
    sqlite_file(target, 1)
    pretend_denied(monkeypatch, folder=tmp_path)
    result = cli(target, "import", "records.json", "--guild", "42")
    assert result.status == 2
    line = result.one_line()
    assert f"Cannot write in the folder {tmp_path} that holds the database {target}" in line
    assert "attache.db-wal and attache.db-shm" in line
    assert tree(tmp_path) == {"attache.db"}


not_for_root = pytest.mark.skipif(
    os.geteuid() == 0, reason="root may write whatever the permission bits say"
)


@not_for_root
def test_really_read_only_folder_for_a_new_database(cli: Cli, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = cli(locked / "data" / "attache.db", "run")
        assert result.status == 2
        assert f"{locked} is not writable (Permission denied)" in result.one_line()
        assert tree(locked) == set()
    finally:
        locked.chmod(0o755)


@not_for_root
def test_really_read_only_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "attache.db"
    sqlite_file(target, 1)
    target.chmod(0o444)
    result = cli(target, "check")
    assert result.status == 2
    assert result.one_line().startswith(f"Cannot write to the database {target} (Permission")


@not_for_root
def test_really_unreadable_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "attache.db"
    sqlite_file(target, 1)
    target.chmod(0o000)
    result = cli(target, "check")
    assert result.status == 2
    assert result.one_line().startswith(f"Cannot read the database {target} (Permission")


@not_for_root
def test_really_read_only_folder_for_an_existing_database(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    target = folder / "attache.db"
    sqlite_file(target, 1)
    folder.chmod(0o555)
    try:
        result = cli(target, "run")
        assert result.status == 2
        assert "SQLite needs to create attache.db-wal" in result.one_line()
        assert tree(folder) == {"attache.db"}
    finally:
        folder.chmod(0o755)


# --- what passes, and what `check` says it found ------------------------------------------


def test_a_new_path_in_folders_yet_to_be_made_passes_and_the_check_makes_nothing(
    tmp_path: Path,
) -> None:
    found = check_database(tmp_path / "a" / "b" / "attache.db")
    assert found.version is None and found.latest == LATEST
    assert tree(tmp_path) == set()


def test_check_prints_the_schema_version_it_found(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "data" / "attache.db"
    first = cli(target, "check")
    assert first.status == 0, first.err
    assert f"database: {target} (not created yet, it will be created)" in first.out
    again = cli(target, "check")
    assert again.status == 0, again.err
    assert (f"database: {target} (found schema version {LATEST}, "
            f"this Attaché knows up to {LATEST})") in again.out
    older = tmp_path / "older.db"
    conn = sqlite3.connect(older)
    conn.executescript(bundled_migrations()[0].sql + "\nPRAGMA user_version = 1;")
    conn.close()
    result = cli(older, "check")
    assert "found schema version 1" in result.out
    assert f"schema: version 1 -> {LATEST}" in result.out


def test_memory_is_fine(cli: Cli) -> None:
    result = cli(":memory:", "check")
    assert result.status == 0, result.err
    assert "database: :memory: (in memory, nothing is kept after exit)" in result.out
    assert "check passed" in result.out


# --- `run` never reaches Discord with a bad database, and does with a good one -------------


def test_run_with_a_good_database_gets_as_far_as_logging_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control for the tests above: their login trap is reached when the database is fine,
    so an exit before it means the preflight stopped the start."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "DATABASE_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "attache.db"))
    monkeypatch.setattr("bot.logs.setup_logging", lambda *args, **kwargs: None)
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    logins: list[str] = []

    async def refused(self: discord.Client, token: str) -> None:
        logins.append(token)
        raise discord.LoginFailure("stand-in: no network in tests")

    monkeypatch.setattr(discord.Client, "login", refused)
    assert cli_main.main(["run"]) == 2
    assert logins == [TOKEN]
    assert "Discord refused the token" in capsys.readouterr().err


def test_an_open_that_fails_anyway_is_one_line_before_logging_in(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def cannot_open(cls: type[Database], path: str | Path, **kwargs: Any) -> Database:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(Database, "open", classmethod(cannot_open))
    target = tmp_path / "attache.db"
    for args in (["run"], ["sync"], ["check"], ["export", "--guild", "42"]):
        result = cli(target, *args)
        assert result.status == 2
        assert result.one_line() == (
            f"Cannot open the database {target} (unable to open database file): check "
            "DATABASE_PATH, and that this user may read and write the file and its folder."
        )


def test_the_exception_is_a_user_error_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    with pytest.raises(DatabaseUnusable) as caught:
        check_database(tmp_path / "db")
    assert "\n" not in str(caught.value)


# --- backup: never overwrites by surprise --------------------------------------------------


@pytest.fixture
def database(cli: Cli, tmp_path: Path) -> Path:
    target = tmp_path / "attache.db"
    assert cli(target, "check").status == 0
    return target


def version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_backup_refuses_to_overwrite_without_force(
    cli: Cli, tmp_path: Path, database: Path
) -> None:
    existing = tmp_path / "copy.db"
    existing.write_text("yesterday's backup")
    result = cli(database, "backup", "copy.db")
    assert result.status == 2
    line = result.one_line()
    assert line == "copy.db already exists: give another PATH, or add --force to overwrite it."
    assert existing.read_text() == "yesterday's backup"


def test_backup_with_force_overwrites(cli: Cli, tmp_path: Path, database: Path) -> None:
    existing = tmp_path / "copy.db"
    existing.write_text("yesterday's backup")
    existing.chmod(0o640)
    (tmp_path / "copy.db-wal").write_text("a stale journal of the old file")
    result = cli(database, "backup", "copy.db", "--force")
    assert result.status == 0, result.err
    assert result.out.strip() == f"Backed up {database} to copy.db."
    assert version_of(existing) == LATEST
    assert existing.stat().st_mode & 0o777 == 0o640
    assert tree(tmp_path) == {"attache.db", "copy.db"}


def test_backup_to_a_new_path_needs_no_force(cli: Cli, tmp_path: Path, database: Path) -> None:
    result = cli(database, "backup", "backups/copy.db")
    assert result.status == 0, result.err
    assert version_of(tmp_path / "backups" / "copy.db") == LATEST
    assert tree(tmp_path / "backups") == {"copy.db"}


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_backup_refuses_a_folder_and_the_database_itself(
    cli: Cli, tmp_path: Path, database: Path, force: list[str]
) -> None:
    (tmp_path / "backups").mkdir()
    result = cli(database, "backup", "backups", *force)
    assert result.status == 2
    assert result.one_line() == (
        "Cannot back up to backups: it is a folder; give a file name inside it."
    )
    content = database.read_bytes()
    result = cli(database, "backup", str(database), *force)
    assert result.status == 2
    assert result.one_line() == f"Cannot back up {database} onto itself: give another PATH."
    assert database.read_bytes() == content


def test_backup_of_no_database_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    result = cli(tmp_path / "data" / "attache.db", "backup", "copy.db")
    assert result.status == 2
    assert "There is no database at" in result.one_line()
    assert tree(tmp_path) == set()
