"""The zipped CSV export: one table per record type, its columns read from the registry."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle
from bot.domain.records import Record, RecordType
from bot.domain.registry import EXPORT_ORDER, Field, FieldKind, spec_of

LIST_JOIN = "; "


def _date_cells(value: FuzzyDate | None) -> list[str]:
    if value is None:
        return ["", "", ""]
    return [value.value, value.precision.value, value.zone or ""]


def _date_headers(name: str) -> list[str]:
    return [name, f"{name}_precision", f"{name}_zone"]


def _joined(items: Iterable[str]) -> str:
    return LIST_JOIN.join(items)


def _with_note(uid: str, note: str) -> str:
    return f"{uid} ({note})" if note else uid


def _headers(kind: RecordType) -> list[str]:
    out = ["uid"]
    for f in spec_of(kind).fields:
        out += _date_headers(f.name) if f.kind is FieldKind.DATE else [f.name]
    return out


CSV_HEADERS: dict[RecordType, list[str]] = {kind: _headers(kind) for kind in EXPORT_ORDER}

# The order of the files inside the zip.
CSV_ORDER = EXPORT_ORDER


def _cells(f: Field, value: Any) -> list[str]:
    if f.kind is FieldKind.DATE:
        return _date_cells(value)
    if f.kind is FieldKind.LIST:
        return [_joined(value)]
    if f.kind is FieldKind.PEOPLE:
        assert f.people is not None
        role = f.people.role
        return [_joined(_with_note(p.person, getattr(p, role)) for p in value)]
    if f.kind is FieldKind.CHOICE:
        return [value.value]
    return [value or ""]


def _csv_row(record: Record) -> list[str]:
    row = [record.uid]
    for f in spec_of(record).fields:
        row += _cells(f, getattr(record, f.name))
    return row


def csv_table(bundle: Bundle, kind: RecordType) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS[kind])
    writer.writerows(_csv_row(r) for r in bundle.section(kind))
    return out.getvalue().encode("utf-8-sig")


def csv_export(bundle: Bundle, *, today: date) -> bytes:
    """One CSV per record type in a zip; the same records on the same day give the same bytes."""
    buffer = io.BytesIO()
    # Every member is dated the export day at midnight, not the moment it was written.
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in CSV_ORDER:
            info = zipfile.ZipInfo(f"{kind.plural}.csv", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, csv_table(bundle, kind))
    return buffer.getvalue()
