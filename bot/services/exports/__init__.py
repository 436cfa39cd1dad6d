"""Exports (JSON, zipped CSV, iCalendar, Markdown) and file imports, as bytes in and bytes out.

Decisions:
- JSON is exactly the interchange format the command line writes, so any export re-imports.
- A country filter keeps the records that involve the country (visits from or to it, meetings
  and plans that name it, its people) plus everything they link to, followed link by link, so
  a filtered JSON file imports cleanly into an empty server.
- The calendar holds visits only: they are what a desk plans around; meetings are recorded
  after the fact. A visit known only to the month, quarter or year is an all-day span over the
  whole period, marked tentative and free (so a month of "maybe" does not block a calendar).
- Alarms mirror the reminders the bot itself would post: the server's lead times, for open
  visits (proposed, planned, confirmed) with a known day. Completed, postponed and cancelled
  visits get none, as the bot would not remind about them either.
- CSV files are UTF-8 with a byte-order mark, so spreadsheet programs show accents right.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import zone_info
from bot.domain.interchange import SCHEMA_VERSION, Bundle, bundle_to_json
from bot.domain.records import GuildSettings, RecordType
from bot.services.access import Actor
from bot.services.briefing import Briefing, briefing_text, build_briefing
from bot.services.changes import ChangePipeline
from bot.services.desk import DeskService
from bot.services.exports.calendar import (
    DEFAULT_DURATION,
    PRODID,
    _visits,
    ics_export,
    visit_event,
)
from bot.services.exports.country_filter import filter_country, involves
from bot.services.exports.digest import digest_markdown
from bot.services.exports.tables import CSV_HEADERS, CSV_ORDER, LIST_JOIN, csv_export, csv_table
from bot.services.exports.uploads import (
    ERRORS_SHOWN,
    MAX_IMPORT_BYTES,
    REPLY_LIMIT,
    _count,
    check_upload,
    read_upload,
    rejection_text,
)
from bot.services.interchange import ImportReport, dumps, import_data
from bot.stores.records import RecordStore

__all__ = [
    "CSV_HEADERS",
    "CSV_ORDER",
    "DEFAULT_DURATION",
    "ERRORS_SHOWN",
    "LIST_JOIN",
    "MAX_IMPORT_BYTES",
    "PRODID",
    "REPLY_LIMIT",
    "ExportFile",
    "ExportFormat",
    "TransferService",
    "build_export",
    "check_upload",
    "csv_export",
    "csv_table",
    "digest_markdown",
    "export_filename",
    "filter_country",
    "ics_export",
    "involves",
    "json_export",
    "read_upload",
    "rejection_text",
    "render_export",
    "slug",
    "visit_event",
]


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    ICS = "ics"
    MARKDOWN = "markdown"

    @property
    def suffix(self) -> str:
        return {"json": ".json", "csv": "-csv.zip", "ics": ".ics", "markdown": ".md"}[self.value]

    @classmethod
    def parse(cls, text: str) -> ExportFormat:
        try:
            return cls(text.strip().lower())
        except ValueError:
            accepted = ", ".join(f.value for f in cls)
            raise UserError(f"Unknown export format {text!r}; use one of: {accepted}.") from None


@dataclass(frozen=True)
class ExportFile:
    """One export, ready to attach or write; `note` says in a line what it holds."""

    filename: str
    data: bytes
    note: str


# --- JSON ---------------------------------------------------------------------------------------


def json_export(bundle: Bundle) -> bytes:
    return dumps(bundle_to_json(bundle)).encode("utf-8")


# --- one entry point per export ------------------------------------------------------------------


def slug(text: str) -> str:
    """'Côte d'Ivoire' -> 'cote-d-ivoire', for file names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "country"


def export_filename(fmt: ExportFormat, today: date, country: str | None = None) -> str:
    if fmt is ExportFormat.MARKDOWN and country:
        return f"briefing-{slug(normalise_country(country))}-{today.isoformat()}.md"
    middle = f"-{slug(normalise_country(country))}" if country else ""
    return f"attache{middle}-{today.isoformat()}{fmt.suffix}"


def render_export(
    bundle: Bundle, fmt: ExportFormat | str, settings: GuildSettings, *, now: datetime,
    country: str | None = None, briefing: Briefing | None = None,
) -> ExportFile:
    """The file for `fmt` from every record of a server (`bundle`), optionally one country's.

    A Markdown export for a country is that country's briefing, which the caller builds
    (build_briefing reads the store) and passes in.
    """
    fmt = fmt if isinstance(fmt, ExportFormat) else ExportFormat.parse(fmt)
    today = now.astimezone(zone_info(settings.timezone)).date()
    name = normalise_country(country) if country else None
    chosen = filter_country(bundle, name) if name else bundle
    filename = export_filename(fmt, today, name)
    about = f" involving {name}" if name else ""
    if name and not any(involves(r, name) for kind in RecordType for r in chosen.section(kind)):
        about += f" (nothing is recorded for {name}, so the file is empty)"
    records = _count(len(chosen), "record")
    if fmt is ExportFormat.JSON:
        note = (f"JSON export of {records}{about} (schema version {SCHEMA_VERSION}); "
                "/import reads it back.")
        return ExportFile(filename, json_export(chosen), note)
    if fmt is ExportFormat.CSV:
        note = (f"CSV export of {records}{about}: one file per record type, zipped; lists are "
                "separated by semicolons and links name records by uid.")
        return ExportFile(filename, csv_export(chosen, today=today), note)
    if fmt is ExportFormat.ICS:
        visits = _visits(bundle, name)
        note = (f"Calendar of {_count(len(visits), 'visit')}{about}; visits without a "
                "day yet are all-day spans marked tentative.")
        return ExportFile(filename, ics_export(bundle, settings, now=now, country=name), note)
    if name:
        if briefing is None:
            raise ValueError("a country's Markdown export needs its briefing")
        return ExportFile(filename, briefing_text(briefing).encode("utf-8"),
                          f"Briefing on {name} as Markdown.")
    text = digest_markdown(chosen, today=today, zone=settings.timezone)
    return ExportFile(filename, text.encode("utf-8"), f"Markdown digest of {records}.")


async def build_export(
    desk: DeskService, store: RecordStore, guild_id: int, fmt: ExportFormat | str, *,
    now: datetime, country: str | None = None, in_thread: bool = False,
) -> ExportFile:
    """Reads a server's records and renders one export; what the command and the CLI call."""
    fmt = fmt if isinstance(fmt, ExportFormat) else ExportFormat.parse(fmt)
    settings = await desk.settings(guild_id)
    bundle = await store.export_bundle(guild_id)
    briefing = None
    if fmt is ExportFormat.MARKDOWN and country:
        briefing = await build_briefing(desk, guild_id, country)
    if in_thread:
        # Rendering 100,000 records takes seconds of CPU: never on the event loop.
        return await asyncio.to_thread(render_export, bundle, fmt, settings, now=now,
                                       country=country, briefing=briefing)
    return render_export(bundle, fmt, settings, now=now, country=country, briefing=briefing)


# The least a JSON export writes per record beyond its text (keys, dates, quoting).
JSON_BYTES_PER_RECORD = 150


class ExportTooLarge(UserError):
    """The export cannot be uploaded to Discord here; the CLI can write it."""


def too_large_text(fmt: ExportFormat, size: int, limit: int) -> str:
    return (f"The {fmt.value} export would be at least {size / 1024 / 1024:.1f} MB, more than "
            f"the {limit / 1024 / 1024:.0f} MB Discord lets the bot upload here. Export one "
            "country at a time, or use `python -m bot export` on the bot's machine.")


class TransferService:
    """Exports and imports for one bot: the store for whole bundles, the desk for the rules."""

    def __init__(
        self, desk: DeskService, store: RecordStore, changes: ChangePipeline,
        clock: Callable[[], datetime],
    ) -> None:
        self._desk = desk
        self._store = store
        self._changes = changes
        self._clock = clock

    async def check_fits(
        self, guild_id: int, fmt: ExportFormat, *, country: str | None, limit: int
    ) -> None:
        """Refuses an export that cannot be uploaded, before anything is read or rendered.

        JSON writes every character of every record at least once, so this lower bound
        already tells; the other formats are compressed or hold only some records, and are
        checked once rendered.
        """
        if country or fmt is not ExportFormat.JSON:
            return
        records, chars = await self._store.text_bytes(guild_id)
        least = chars + records * JSON_BYTES_PER_RECORD
        if least > limit:
            raise ExportTooLarge(too_large_text(fmt, least, limit))

    async def export(
        self, guild_id: int, fmt: ExportFormat | str, *, country: str | None = None,
    ) -> ExportFile:
        """One export, rendered off the event loop."""
        return await build_export(self._desk, self._store, guild_id, fmt, now=self._clock(),
                                  country=country, in_thread=True)

    async def check_import(self, actor: Actor, filename: str, size: int) -> None:
        """Refuses early, before the file is read: rights first, then its name and size."""
        await self._desk.check_editor(actor)
        check_upload(filename, size)

    async def import_file(self, actor: Actor, filename: str, data: bytes) -> ImportReport:
        """All of the file or none of it; ImportRejected lists every problem row by row."""
        await self.check_import(actor, filename, len(data))
        value = read_upload(filename, data)
        return await import_data(self._changes, actor.guild_id, value, actor_id=actor.user_id)
