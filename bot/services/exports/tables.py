"""The zipped CSV export: one table per record type."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle
from bot.domain.records import Meeting, Person, Plan, Record, RecordType, Visit

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


CSV_HEADERS: dict[RecordType, list[str]] = {
    RecordType.PERSON: ["uid", "name", "title", "country", "notes", "source"],
    RecordType.MEETING: [
        "uid", "title", "kind", *_date_headers("date"), "place", "countries", "participants",
        "topics", "summary", "visit", "source",
    ],
    RecordType.PLAN: [
        "uid", "title", "kind", "status", *_date_headers("date"), "place", "parties",
        "signatories", "fields", "summary", "meeting", "visit", "source",
    ],
    RecordType.VISIT: [
        "uid", "visitor", "visitor_role", "from_country", "to_country", *_date_headers("date"),
        *_date_headers("end_date"), "status", "place", "purpose", "notes", "source",
    ],
    RecordType.SOURCE: ["uid", "title", "url", *_date_headers("published"), "summary", "text"],
}

# The order of the files inside the zip.
CSV_ORDER = (RecordType.PERSON, RecordType.MEETING, RecordType.PLAN, RecordType.VISIT,
             RecordType.SOURCE)


def _csv_row(record: Record) -> list[str]:
    if isinstance(record, Person):
        return [record.uid, record.name, record.title, record.country, record.notes,
                record.source or ""]
    if isinstance(record, Meeting):
        return [
            record.uid, record.title, record.kind.value, *_date_cells(record.date), record.place,
            _joined(record.countries),
            _joined(_with_note(p.person, p.part) for p in record.participants),
            _joined(record.topics), record.summary, record.visit or "", record.source or "",
        ]
    if isinstance(record, Plan):
        return [
            record.uid, record.title, record.kind.value, record.status.value,
            *_date_cells(record.date), record.place, _joined(record.parties),
            _joined(_with_note(s.person, s.on_behalf_of) for s in record.signatories),
            _joined(record.fields), record.summary, record.meeting or "", record.visit or "",
            record.source or "",
        ]
    if isinstance(record, Visit):
        return [
            record.uid, record.visitor or "", record.visitor_role, record.from_country,
            record.to_country, *_date_cells(record.date), *_date_cells(record.end_date),
            record.status.value, record.place, record.purpose, record.notes, record.source or "",
        ]
    return [record.uid, record.title, record.url, *_date_cells(record.published),
            record.summary, record.text]


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
