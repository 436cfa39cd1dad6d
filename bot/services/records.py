"""Cleaning a record before it is stored: countries normalised, lists de-duplicated."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.countries import normalise_country
from bot.domain.records import Meeting, Person, Plan, Record, Visit


def _unique(items: list[str]) -> list[str]:
    """Keeps the first of each entry, ignoring case, in the order given."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def clean_record(record: Record) -> Record:
    """The same record with every country in its canonical spelling.

    Plan parties may be ministries or organisations; normalise_country leaves any name it
    does not know as written, so only real country names change.
    """
    if isinstance(record, Person):
        return replace(record, country=normalise_country(record.country))
    if isinstance(record, Meeting):
        return replace(
            record,
            countries=_unique([normalise_country(c) for c in record.countries]),
            topics=_unique(record.topics),
        )
    if isinstance(record, Plan):
        return replace(
            record,
            parties=_unique([normalise_country(p) for p in record.parties]),
            fields=_unique(record.fields),
        )
    if isinstance(record, Visit):
        return replace(
            record,
            from_country=normalise_country(record.from_country),
            to_country=normalise_country(record.to_country),
        )
    return record
