"""Choosing what to export: the records that involve a country, and everything they link to."""

from __future__ import annotations

from bot.domain.countries import normalise_country
from bot.domain.interchange import Bundle
from bot.domain.records import Meeting, Person, Plan, Record, RecordType, Visit


def _same_country(a: str, b: str) -> bool:
    return bool(a) and normalise_country(a).casefold() == b.casefold()


def involves(record: Record, country: str) -> bool:
    """Whether a record is about `country` (already in its canonical spelling)."""
    if isinstance(record, Visit):
        return _same_country(record.from_country, country) or _same_country(
            record.to_country, country)
    if isinstance(record, Meeting):
        return any(_same_country(c, country) for c in record.countries)
    if isinstance(record, Plan):
        return any(_same_country(p, country) for p in record.parties)
    if isinstance(record, Person):
        return _same_country(record.country, country)
    return False


def _links(record: Record) -> list[tuple[RecordType, str]]:
    """Every record this one refers to, as (kind, uid)."""
    out: list[tuple[RecordType, str]] = []
    source = getattr(record, "source", None)
    if source:
        out.append((RecordType.SOURCE, source))
    if isinstance(record, Visit) and record.visitor:
        out.append((RecordType.PERSON, record.visitor))
    if isinstance(record, Meeting):
        out += [(RecordType.PERSON, p.person) for p in record.participants]
        if record.visit:
            out.append((RecordType.VISIT, record.visit))
    if isinstance(record, Plan):
        out += [(RecordType.PERSON, s.person) for s in record.signatories]
        if record.visit:
            out.append((RecordType.VISIT, record.visit))
        if record.meeting:
            out.append((RecordType.MEETING, record.meeting))
    return out


def filter_country(bundle: Bundle, country: str) -> Bundle:
    """The records involving `country` and everything they link to, each in bundle order."""
    name = normalise_country(country)
    by_uid = {(kind, r.uid): r for kind in RecordType for r in bundle.section(kind)}
    keep: set[tuple[RecordType, str]] = set()
    todo = [(kind, r.uid) for kind in RecordType for r in bundle.section(kind)
            if involves(r, name)]
    while todo:
        key = todo.pop()
        if key in keep or key not in by_uid:
            continue
        keep.add(key)
        todo.extend(_links(by_uid[key]))
    out = Bundle()
    for kind in RecordType:
        out.section(kind).extend(r for r in bundle.section(kind) if (kind, r.uid) in keep)
    return out
