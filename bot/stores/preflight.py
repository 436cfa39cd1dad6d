"""Checks the database path before anything starts, and says in one line what is wrong.

SQLite's own messages ("unable to open database file") name neither the path nor the cause,
and they surface only after the bot has logged in to Discord. This module looks first: the
folder, the file, its permissions, whether it is SQLite at all, and whether its schema is one
this code knows. It creates nothing; `Database.open` creates the folder and file afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bot.domain.errors import UserError
from bot.stores.database import bundled_migrations

MEMORY = ":memory:"


class DatabaseUnusable(UserError):
    """The configured database cannot be used; the one-line message names the path, the
    problem and the fix."""


@dataclass(frozen=True)
class DatabaseFound:
    """What the check saw: the schema version of an existing file, or None for a new one."""

    path: str
    version: int | None
    latest: int

    def describe(self) -> str:
        if self.path == MEMORY:
            return "in memory, nothing is kept after exit"
        if self.version is None:
            return "not created yet, it will be created"
        return f"found schema version {self.version}, this Attaché knows up to {self.latest}"


def check_database(path: str | Path) -> DatabaseFound:
    """Raises DatabaseUnusable unless the bot can open `path` read-write and knows its schema."""
    path = str(path)
    latest = bundled_migrations()[-1].version
    if path == MEMORY:
        return DatabaseFound(path, None, latest)
    target = Path(path)
    try:
        if target.is_dir():
            raise DatabaseUnusable(
                f"The database path {path} is a folder, not a file: set DATABASE_PATH to a "
                f"file inside it, such as {target / 'attache.db'}."
            )
        if not target.exists():
            _check_folder_can_be_made(path, target.parent)
            return DatabaseFound(path, None, latest)
        _check_file_access(path)
        _check_folder_writable(path, target.parent)
        version = _schema_version(path)
    except OSError as exc:
        raise opening_failed(path, exc) from None
    if version > latest:
        raise DatabaseUnusable(
            f"The database {path} has schema version {version}, but this Attaché knows versions "
            f"up to {latest}: upgrade Attaché, or restore a backup."
        )
    return DatabaseFound(path, version, latest)


def opening_failed(path: str | Path, exc: BaseException) -> DatabaseUnusable:
    """The one line for a failure the checks above did not foresee (e.g. from Database.open)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return DatabaseUnusable(
        f"Cannot open the database {path} ({reason}): check DATABASE_PATH, and that this user "
        "may read and write the file and its folder."
    )


def server_unreachable(url: str, exc: BaseException) -> DatabaseUnusable:
    """The one line for a PostgreSQL server that cannot be reached or refuses us."""
    from bot.config import without_password

    reason = str(exc).strip() or type(exc).__name__
    return DatabaseUnusable(
        f"Cannot open the PostgreSQL database {without_password(url)} ({reason}): check "
        "DATABASE_URL (host, port, user, password, database name) and that the server runs."
    )


def _check_folder_can_be_made(path: str, folder: Path) -> None:
    """A new database needs its folder: it exists, or its nearest existing ancestor is a
    folder this user can write in."""
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise DatabaseUnusable(
            f"Cannot create the database {path}: {ancestor} is a file, not a folder; move "
            "that file away, or set DATABASE_PATH to another path."
        )
    problem = _write_probe(ancestor)
    if problem is None:
        return
    if ancestor == folder:
        raise DatabaseUnusable(
            f"Cannot create the database {path}: the folder {folder} is not writable "
            f"({problem}); give this user write access to it, or set DATABASE_PATH elsewhere."
        )
    raise DatabaseUnusable(
        f"Cannot create the folder {folder} for the database {path}: {ancestor} is not "
        f"writable ({problem}); create the folder yourself, or set DATABASE_PATH elsewhere."
    )


def _check_file_access(path: str) -> None:
    # Opening is the test that tells the truth: os.access checks the real rather than the
    # effective user and misses ACLs, immutable files and network file systems.
    problem = _open_probe(path, "rb")
    if problem is not None:
        raise DatabaseUnusable(
            f"Cannot read the database {path} ({problem}): give this user read and write "
            "access to it, or set DATABASE_PATH elsewhere."
        )
    problem = _open_probe(path, "r+b")
    if problem is not None:
        raise DatabaseUnusable(
            f"Cannot write to the database {path} ({problem}): give this user write access "
            "to it, or set DATABASE_PATH to a copy you can write to."
        )


def _check_folder_writable(path: str, folder: Path) -> None:
    """In WAL mode SQLite writes two files beside the database, so the folder must be
    writable too, even when the database file itself is."""
    problem = _write_probe(folder)
    if problem is not None:
        name = Path(path).name
        raise DatabaseUnusable(
            f"Cannot write in the folder {folder} that holds the database {path} ({problem}): "
            f"SQLite needs to create {name}-wal and {name}-shm beside it; give this user write "
            "access to the folder."
        )


def _schema_version(path: str) -> int:
    # mode=rw never creates a missing file, and closing the only connection removes the
    # -wal and -shm files it opened, so the check leaves the folder as it found it.
    uri = f"file:{quote(os.path.abspath(path))}?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise opening_failed(path, exc) from None
    try:
        row = conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DatabaseUnusable(
                f"{path} is not an SQLite database (file is not a database): set "
                "DATABASE_PATH to an Attaché database, or move this file away to start a new one."
            ) from None
        raise opening_failed(path, exc) from None
    finally:
        conn.close()
    return int(row[0]) if row else 0


def _open_probe(path: str, mode: str) -> str | None:
    """None if `path` opens in `mode`, else the reason; reads and writes nothing."""
    try:
        with open(path, mode):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _write_probe(folder: Path) -> str | None:
    """None if this user can create entries in `folder`, else the reason; leaves nothing."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".attache-probe-", dir=folder))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None
