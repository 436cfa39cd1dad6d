"""Importing and exporting a server's records as the versioned JSON interchange format."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.errors import UserError
from bot.domain.interchange import (
    SECTIONS,
    Bundle,
    RowError,
    bundle_from_json,
    bundle_to_json,
)
from bot.domain.registry import links_of
from bot.services.changes import ChangePipeline
from bot.services.records import clean_record
from bot.stores.imports import ImportOptions, ImportRunning, Interrupted, forget, interrupted
from bot.stores.records import ImportCounts, RecordStore

log = logging.getLogger(__name__)


class ImportRejected(UserError):
    """The file was not imported; `errors` lists every row that is wrong and why."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        count = len(errors)
        head = f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found."
        lines = [str(e) for e in errors[:20]]
        if count > 20:
            lines.append(f"… and {count - 20} more")
        super().__init__("\n".join([head, *lines]))


@dataclass
class ImportReport:
    counts: ImportCounts
    total: int
    # What became of earlier imports into the server that had stopped part way.
    earlier: list[str] = field(default_factory=list)

    def summary(self) -> str:
        created = sum(self.counts.created.values())
        updated = sum(self.counts.updated.values())
        parts = [f"{created} created", f"{updated} updated", f"{self.counts.unchanged} unchanged"]
        return "\n".join([*self.earlier,
                          f"Imported {self.total} records: {', '.join(parts)}."])


def parse_json_text(text: str) -> Any:
    """The file's JSON, or a UserError saying why it cannot be read.

    Beyond syntax errors, json refuses integers of more than 4,300 digits (ValueError) and
    a deeply nested document exhausts the parser's recursion (RecursionError); both are the
    file's fault, not a crash.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise UserError("The file nests lists or objects too deeply to be an Attaché export "
                        "(its records nest only a few levels).") from None
    except ValueError as exc:
        raise UserError(f"The file holds a value that cannot be read: {exc}.") from None


async def check_bundle(store: RecordStore, guild_id: int, bundle: Bundle) -> list[RowError]:
    """Every reference must name a record in the file or already in this server."""
    known = {kind: {r.uid for r in bundle.section(kind)} for kind in SECTIONS}
    for kind in SECTIONS:
        known[kind] |= await store.existing_uids(guild_id, kind)
    errors = []
    for kind in SECTIONS:
        for index, record in enumerate(bundle.section(kind)):
            for field_name, target, uid in links_of(record):
                if uid not in known[target]:
                    errors.append(RowError(
                        kind.plural, index, record.uid,
                        f"{field_name} refers to {target.value} {uid!r}, which is neither in "
                        "the file nor in this server",
                    ))
    return errors


def _checked(data: Any) -> Bundle:
    """The file as records, each cleaned as every write is; ImportRejected if any row is
    wrong (references aside, which need the store: check_bundle)."""
    bundle, errors = bundle_from_json(data)
    if errors:
        raise ImportRejected(errors)
    for kind in SECTIONS:
        section = bundle.section(kind)
        section[:] = [clean_record(r) for r in section]
    return bundle


async def import_data(
    changes: ChangePipeline, guild_id: int, data: Any, *, actor_id: int | None,
    text: str | None = None, between: Callable[[int], Awaitable[None]] | None = None,
) -> ImportReport:
    """Validates the whole file first, then writes all of it, or nothing if any row is
    wrong; the change pipeline then plans the reminders and events of what was written.

    A big file is written in batches other writes go between, journalled so that an import
    cut short is finished by the next one (bot/stores/imports.py): an earlier import into
    this server that stopped part way is finished first, and the report says so.
    `text` is the file as read, if the caller has it (the journal keeps it rather than
    writing `data` out again); `between`: see ImportOptions (tests).
    """
    earlier = await finish_interrupted(changes, guild_id)
    bundle = _checked(data)
    errors = await check_bundle(changes.records, guild_id, bundle)
    if errors:
        raise ImportRejected(errors)
    # What a finishing run reads back: the file as given, which _checked reads the same way.
    def source() -> bytes:
        if text is not None:
            return text.encode("utf-8")
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    options = ImportOptions(source=source, between=between)
    counts = await changes.import_bundle(guild_id, bundle, actor_id=actor_id, options=options)
    return ImportReport(counts, len(bundle), earlier)


async def finish_interrupted(
    changes: ChangePipeline, guild_id: int | None = None, *,
    between: Callable[[int], Awaitable[None]] | None = None,
) -> list[str]:
    """Finishes every import (of one server, or all) that stopped part way and that no live
    process is writing, from its journal; returns a line on each for the user or the log.

    One whose file no longer fits the server (a record it refers to was deleted since) is
    given up: what it wrote stays, and the line says so. `between`: see ImportOptions.
    """
    lines = []
    for job in await interrupted(changes.records, guild_id):
        lines.append(await _finish(changes, job, between))
        log.info("guild %s: %s", job.guild_id, lines[-1])
    return lines


async def _finish(changes: ChangePipeline, job: Interrupted,
                  between: Callable[[int], Awaitable[None]] | None) -> str:
    head = (f"An earlier import of {job.total} records into this server stopped after "
            f"{job.done}")
    try:
        bundle = _checked(json.loads(job.source))
        if len(bundle) != job.total:
            raise UserError("its file reads differently now")
        counts = await changes.import_bundle(
            job.guild_id, bundle, actor_id=job.actor_id,
            options=ImportOptions(resume=job, between=between))
    except ImportRejected as exc:
        await forget(changes.records, job)
        return f"{head}; it could not be finished ({exc.errors[0]}), so it was left as it was."
    except ImportRunning:
        return f"{head}; another process is finishing it."
    except UserError as exc:
        await forget(changes.records, job)
        return f"{head}; it could not be finished ({exc}), so it was left as it was."
    created = sum(counts.created.values())
    return f"{head}; it has now been finished ({created} more created)."


async def export_data(store: RecordStore, guild_id: int) -> dict[str, Any]:
    return bundle_to_json(await store.export_bundle(guild_id))


def dumps(data: dict[str, Any]) -> str:
    """The one way exports are written, so two exports of the same data are byte-identical."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
