"""Command line: run the bot, sync its commands, try it in the sandbox, import, export, check,
back up the store and move it to another database."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings
from bot.domain.errors import UserError
from bot.stores.database import Database, is_url
from bot.stores.preflight import (
    DatabaseFound,
    DatabaseUnusable,
    check_database,
    opening_failed,
    server_unreachable,
)

if TYPE_CHECKING:
    from bot.bot import AttacheBot

EXIT_USAGE = 2
# How long a thread running Python keeps the GIL when another wants it (see _run).
LOOP_TURN_S = 0.0005

# Each of these opens the database, so each checks it first, before anything else starts.
DATABASE_COMMANDS = ("run", "sync", "check", "import", "export", "backup", "migrate-store")

NO_TOKEN = (
    "Attaché cannot start: DISCORD_TOKEN is not set.\n"
    "Put DISCORD_TOKEN=<your bot token> in a .env file here (see .env.example) "
    "or in the environment."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attache", description="Attaché: a Discord bot for diplomatic briefings."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="connect to Discord and serve commands (the default)")
    sync = sub.add_parser("sync", help="publish the slash commands to Discord, then exit")
    sync.add_argument("--guild", type=int, help="only to this server (instant); else globally")
    imp = sub.add_parser("import", help="import records from a JSON file into one server")
    imp.add_argument("file", type=Path)
    imp.add_argument("--guild", type=int, required=True, help="the server id to import into")
    exp = sub.add_parser("export", help="write one server's records to stdout or a file")
    exp.add_argument("--guild", type=int, required=True)
    exp.add_argument("--format", choices=["json", "csv", "ics", "markdown"], default="json",
                     help="json (re-importable), csv (zipped tables), ics (calendar), markdown")
    exp.add_argument("--country", help="only records involving this country")
    exp.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    sandbox = sub.add_parser(
        "sandbox", help="try the bot with no token: a local stand-in for Discord and a prompt",
        description="Starts a Discord-compatible server on 127.0.0.1, the real bot against it "
        "with a fresh database holding the sample data, and a prompt where you type slash "
        "commands as in Discord. Nothing leaves this machine; no token is needed.",
    )
    sandbox.add_argument("--script", type=Path, metavar="FILE",
                         help="run the commands in FILE (one a line) and print the transcript")
    sandbox.add_argument("--clock", default="sample", metavar="WHEN",
                         help="the bot's clock at start: 'sample' (12 September 2025 09:00 UTC, "
                         "two days after the sample's events; the default), 'now', or an ISO "
                         "date and time")
    sandbox.add_argument("--files", type=Path, metavar="DIR",
                         help="where files the bot sends (a timeline PNG, an export) are saved "
                         "(default: attache-sandbox-files in the system's temporary folder)")
    ingest = sub.add_parser(
        "ingest", help="propose records from a communiqué or report, as JSON; saves nothing")
    ingest.add_argument("file", type=Path, help="a .txt or .md file")
    ingest.add_argument("--dateline", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day the text was published (default: found in the text, "
                        "else today)")
    sub.add_parser("check", help="check settings, migrations and database integrity")
    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path)
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    move = sub.add_parser(
        "migrate-store", help="copy the whole desk into another database and check the counts",
        description="Copies every record, number, history entry, planned reminder and "
        "setting of the configured database (DATABASE_URL, else DATABASE_PATH) into an "
        "empty database, in one transaction, then compares the row counts table by table. "
        "Stop the bot first; afterwards point DATABASE_URL (or DATABASE_PATH) at the copy.")
    move.add_argument("--to", required=True, metavar="TARGET",
                      help="postgresql://user@host:port/database, or the path of a new SQLite "
                      "file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"Attaché cannot start: {exc}\nFix it in .env (see .env.example).", file=sys.stderr)
        return EXIT_USAGE
    command = args.command or "run"
    try:
        found = (check_database(settings.database_path)
                 if command in DATABASE_COMMANDS and settings.database_url is None else None)
        if command == "backup":
            refusal = _backup_refusal(None if settings.database_url else settings.database_path,
                                      found, args.path, args.force)
            if refusal:
                print(refusal, file=sys.stderr)
                return EXIT_USAGE
        if command in ("run", "sync"):
            if not settings.token:
                print(NO_TOKEN, file=sys.stderr)
                return EXIT_USAGE
            return asyncio.run(_run(settings) if command == "run" else _sync(settings, args.guild))
        if command == "sandbox":
            return _sandbox(settings, args)
        if command == "ingest":
            return _ingest(args)
        return asyncio.run(_offline(command, args, settings, found))
    except DatabaseUnusable as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.OperationalError as exc:
        # The bot opens its database again once logged in; should that open fail after all
        # (the folder changed in between), it is the same one line, not a traceback.
        if "unable to open database" not in str(exc):
            raise
        print(str(opening_failed(settings.database_path, exc)), file=sys.stderr)
        return EXIT_USAGE
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


async def _run(settings: Settings) -> int:
    import aiohttp
    import discord

    from bot.bot import create_bot
    from bot.logs import setup_logging

    setup_logging(settings.log_level_number, settings.secrets)
    # A worker thread running Python (a brief's rendering, search ranking, ingest) holds the
    # GIL, and the event loop waits up to the switch interval for it at each wake-up, which a
    # command has several of: at CPython's 5 ms, another server's command waited 50-250 ms
    # beside one such thread; at LOOP_TURN_S, about 20 ms, for 2-4 % more CPU in the thread.
    sys.setswitchinterval(LOOP_TURN_S)
    await _try_opening(settings)
    _connect_to(settings)
    assert settings.token is not None
    async with create_bot(settings) as bot:
        _close_on_terminate(bot)
        try:
            await bot.start(settings.token)
            # start() returns as soon as the gateway closes; the rest of a close (begun by
            # SIGTERM) must finish before the loop ends, or the database is left open.
            await bot.close()
        except discord.LoginFailure:
            print("Discord refused the token in DISCORD_TOKEN; reset it in the Developer Portal.",
                  file=sys.stderr)
            return EXIT_USAGE
        except (aiohttp.ClientConnectionError, OSError, TimeoutError) as exc:
            # No network, a wrong DISCORD_API_BASE, a server that went away: one line.
            where = settings.discord_api_base or "Discord (discord.com)"
            reason = str(exc).strip() or type(exc).__name__
            print(f"Attaché cannot start: it could not reach {where}: {reason}. Check the "
                  "network connection (and DISCORD_API_BASE if it is set).", file=sys.stderr)
            return EXIT_USAGE
    return 0


def _close_on_terminate(bot: AttacheBot) -> None:
    """SIGTERM (systemd, docker stop) closes the bot as Ctrl-C does: interactions running
    finish, then the database closes, instead of the process dying mid-write."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def terminate() -> None:
        if not closing:
            closing.append(loop.create_task(bot.close(), name="attache-sigterm"))

    with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals on this loop
        loop.add_signal_handler(signal.SIGTERM, terminate)


async def _sync(settings: Settings, guild_id: int | None) -> int:
    import discord

    from bot.bot import create_bot
    from bot.logs import setup_logging

    setup_logging(settings.log_level_number, settings.secrets)
    await _try_opening(settings)
    _connect_to(settings)
    assert settings.token is not None
    async with create_bot(settings, sync_on_start=False) as bot:
        await bot.login(settings.token)
        if guild_id is not None:
            target = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=target)
            synced = await bot.tree.sync(guild=target)
            print(f"Synced {len(synced)} commands to server {guild_id}.")
        else:
            synced = await bot.tree.sync()
            print(f"Synced {len(synced)} commands globally; Discord may take a while to show them.")
    return 0


async def _try_opening(settings: Settings) -> None:
    """Opens and closes the database before logging in, so that an open the preflight could
    not foresee fails here, in one line, rather than in setup_hook after the login."""
    db = await _open_database(settings.database_target, migrate=False)
    await db.close()


async def _open_database(target: str, *, migrate: bool = True) -> Database:
    try:
        db = await Database.open(target, migrate=False)
    except (OSError, sqlite3.OperationalError) as exc:
        if is_url(target):
            raise server_unreachable(target, exc) from None
        raise opening_failed(target, exc) from None
    except Exception as exc:
        # asyncpg's own errors (a wrong password, no such database) are not OSErrors.
        if is_url(target) and type(exc).__module__.startswith("asyncpg"):
            raise server_unreachable(target, exc) from None
        raise
    if migrate:
        # Outside the try above: a failing migration is not a failure to open the file.
        try:
            await db.migrate()
        except BaseException:
            await db.close()
            raise
    return db


def _connect_to(settings: Settings) -> None:
    """Points discord.py at Discord or at the configured server, once, and logs which."""
    from bot.wire import point_discord_at

    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)


def _sandbox(settings: Settings, args: argparse.Namespace) -> int:
    import logging
    from datetime import UTC, datetime

    from bot.logs import setup_logging
    from bot.sandbox.console import SAMPLE_NOW, SANDBOX_TOKEN, run_sandbox

    if args.script is not None and not args.script.is_file():
        print(f"No such script: {args.script}", file=sys.stderr)
        return EXIT_USAGE
    if args.clock == "sample":
        start: datetime | None = SAMPLE_NOW
    elif args.clock == "now":
        start = None
    else:
        try:
            start = datetime.fromisoformat(args.clock)
        except ValueError:
            print(f"--clock takes 'sample', 'now' or an ISO date, not {args.clock!r}.",
                  file=sys.stderr)
            return EXIT_USAGE
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
    # The prompt is the interface: only problems are logged, unless LOG_LEVEL asks for DEBUG.
    level = logging.DEBUG if settings.log_level == "DEBUG" else logging.WARNING
    setup_logging(level, [SANDBOX_TOKEN, settings.token or ""])
    if level > logging.DEBUG:
        # discord.py warns that voice support is missing; the bot never uses voice.
        logging.getLogger("discord.client").setLevel(logging.ERROR)
    with contextlib.suppress(AttributeError):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    from bot.sandbox.console import FILES

    return asyncio.run(run_sandbox(settings, script=args.script, start=start,
                                   files=args.files or FILES))


def _ingest(args: argparse.Namespace) -> int:
    """Prints the proposal in the export schema; nothing is written anywhere."""
    from bot.services.ingest import proposal_json, propose

    try:
        # Undecodable bytes become replacement characters, which the engine reports as binary.
        text = args.file.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise UserError(f"Cannot read {args.file}: {exc.strerror}.") from None
    proposal = propose(text, dateline=args.dateline, today=date.today())
    for warning in proposal.warnings:
        print(f"note: {warning}", file=sys.stderr)
    print(json.dumps(proposal_json(proposal), ensure_ascii=False, indent=2))
    return 0


async def _offline(
    command: str, args: argparse.Namespace, settings: Settings, found: DatabaseFound | None
) -> int:
    """Sub-commands that work on the database alone, without connecting to Discord."""
    from bot.bot import utc_now
    from bot.services.exports import build_export
    from bot.services.factory import build_services
    from bot.services.interchange import import_data, parse_json_text

    if command == "check":
        return await _check(settings, found)
    if command == "migrate-store":
        return await _migrate_store(settings, args.to)
    db = await _open_database(settings.database_target)
    try:
        services = build_services(db, utc_now, default_timezone=settings.default_timezone)
        if command == "import":
            try:
                text = args.file.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UserError(f"Cannot read {args.file}: {exc}") from None
            report = await import_data(services.changes, args.guild, parse_json_text(text),
                                       actor_id=None, text=text)
            print(report.summary())
        elif command == "export":
            made = await build_export(services.desk, services.records, args.guild, args.format,
                                      now=utc_now(), country=args.country)
            # A zip never goes to a terminal: without -o it is written under its own name.
            target = args.output or (Path(made.filename) if args.format == "csv" else None)
            if target is not None:
                target.write_bytes(made.data)
                print(f"Wrote {target}. {made.note}".strip(), file=sys.stderr)
            else:
                sys.stdout.flush()
                sys.stdout.buffer.write(made.data)
        elif command == "backup":
            try:
                temporary = _backup_scratch(args.path)
                try:
                    await db.backup(temporary)
                    _put_in_place(temporary, args.path)
                except BaseException:
                    Path(temporary).unlink(missing_ok=True)  # noqa: ASYNC240 (one small unlink)
                    raise
            except (OSError, sqlite3.OperationalError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                print(f"Cannot write the backup to {args.path} ({reason}): choose a PATH in a "
                      "folder you can write to.", file=sys.stderr)
                return EXIT_USAGE
            print(f"Backed up {settings.database_shown} to {args.path}.")
    finally:
        await db.close()
    return 0


def _backup_refusal(
    database: str | None, found: DatabaseFound | None, target: Path, force: bool
) -> str | None:
    """Why `backup` will not write to `target`, checked before the database is opened
    (`database`: the SQLite file, None for PostgreSQL)."""
    if found is not None and found.version is None:
        return (f"There is no database at {database} yet, so there is nothing to back up: "
                "check DATABASE_PATH.")
    if target.is_dir():
        return f"Cannot back up to {target}: it is a folder; give a file name inside it."
    if target.exists():
        if database is not None and os.path.samefile(target, database):
            return f"Cannot back up {database} onto itself: give another PATH."
        if not force:
            return (f"{target} already exists: give another PATH, or add --force to "
                    "overwrite it.")
    return None


def _backup_scratch(target: Path) -> str:
    """The backup is written beside `target` and renamed into place, so that an existing
    file is replaced whole or, if anything fails, not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    os.close(handle)
    return temporary


def _put_in_place(temporary: str, target: Path) -> None:
    # mkstemp makes the file private; give it the mode the replaced file had, or the usual one.
    if target.exists():
        os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
    # A journal or WAL left beside the old file would be replayed into the new one.
    for suffix in ("-journal", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, target)


async def _check(settings: Settings, found: DatabaseFound | None) -> int:
    from bot.stores.copy import TABLES, count_rows
    from bot.stores.database import bundled_migrations
    from bot.stores.imports import interrupted
    from bot.stores.records import RecordStore

    db = await _open_database(settings.database_target, migrate=False)
    latest = bundled_migrations(db.dialect.name)[-1].version
    print(f"settings: {settings}")
    where = found.describe() if found is not None else "reached"
    print(f"database: {settings.database_shown} ({where})")
    print(f"backend: {db.dialect.name}")
    try:
        before = await db.schema_version()
        applied = await db.migrate()
        integrity = await db.integrity_check()
        broken_links = await db.foreign_key_check()
        counts = {table: await count_rows(db, table) for table in TABLES}
        stopped = await interrupted(RecordStore(db, lambda: datetime.now(UTC)))
    finally:
        await db.close()
    print(f"schema: version {before} -> {before + len(applied)} (latest {latest})"
          + (f", applied {', '.join(applied)}" if applied else ""))
    print(f"integrity: {', '.join(integrity)}; broken links: {broken_links}")
    print("rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    # An import cut short is not damage (the bot finishes it when it next starts), but an
    # admin who runs check should learn that part of a file is still waiting to be written.
    for job in stopped:
        # Every record written, the journal left: it stopped while indexing them for search.
        where = (f"after writing all {job.total:,} records, before their search index was"
                 " complete" if job.done >= job.total
                 else f"after {job.done:,} of {job.total:,} records")
        print(f"import: server {job.guild_id} stopped {where}; the bot finishes it when it "
              "next starts, as does the next import into that server")
    ok = integrity == ["ok"] and broken_links == 0
    print("check passed" if ok else "check FAILED")
    return 0 if ok else 1


async def _migrate_store(settings: Settings, to: str) -> int:
    """Copies the configured database into `to`, then compares the counts."""
    from bot.config import without_password
    from bot.stores.copy import copy_database

    shown = without_password(to)
    if to == settings.database_target:
        print(f"{shown} is the configured database itself: give another --to.", file=sys.stderr)
        return EXIT_USAGE
    if not is_url(to):
        check_database(to)  # a path the copy can be written to, or a one-line refusal
    source = await _open_database(settings.database_target)
    try:
        target = await _open_database(to)
        try:
            print(f"Copying {settings.database_shown} ({source.dialect.name}) into {shown} "
                  f"({target.dialect.name})…", file=sys.stderr)
            report = await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()
    print(f"  {'table':<20}  {'source':>9}  {'copy':>9}")
    for line in report.lines():
        print(line)
    if not report.matches:
        print("The counts differ: do not use the copy; the source is unchanged.",
              file=sys.stderr)
        return 1
    print(f"Copied; every count matches. Point "
          f"{'DATABASE_URL' if is_url(to) else 'DATABASE_PATH'} at {shown} to use it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
