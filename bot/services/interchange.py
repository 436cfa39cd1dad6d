"""Importing and exporting a server's records as the versioned JSON interchange format."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
from bot.stores.records import ImportCounts, RecordStore


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

    def summary(self) -> str:
        created = sum(self.counts.created.values())
        updated = sum(self.counts.updated.values())
        parts = [f"{created} created", f"{updated} updated", f"{self.counts.unchanged} unchanged"]
        return f"Imported {self.total} records: {', '.join(parts)}."


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


async def import_data(
    changes: ChangePipeline, guild_id: int, data: Any, *, actor_id: int | None
) -> ImportReport:
    """Validates the whole file first; writes all of it in one transaction or nothing, then
    the change pipeline plans the reminders and events of what was written."""
    bundle, errors = bundle_from_json(data)
    if not errors:
        errors = await check_bundle(changes.records, guild_id, bundle)
    if errors:
        raise ImportRejected(errors)
    for kind in SECTIONS:
        section = bundle.section(kind)
        section[:] = [clean_record(r) for r in section]
    counts = await changes.import_bundle(guild_id, bundle, actor_id=actor_id)
    return ImportReport(counts, len(bundle))


async def export_data(store: RecordStore, guild_id: int) -> dict[str, Any]:
    return bundle_to_json(await store.export_bundle(guild_id))


def dumps(data: dict[str, Any]) -> str:
    """The one way exports are written, so two exports of the same data are byte-identical."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
