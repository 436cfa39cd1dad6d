"""Cleaning a record before it is stored: countries normalised, lists de-duplicated."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain.countries import normalise_country
from bot.domain.records import Record
from bot.domain.registry import FieldKind, spec_of


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
    """The same record with every country in its canonical spelling, lists de-duplicated.

    Plan parties may be ministries or organisations; normalise_country leaves any name it
    does not know as written, so only real country names change.
    """
    changes: dict[str, Any] = {}
    for f in spec_of(record).fields:
        value = getattr(record, f.name)
        if f.kind is FieldKind.LIST:
            changes[f.name] = _unique(
                [normalise_country(v) for v in value] if f.countries else value)
        elif f.countries:
            changes[f.name] = normalise_country(value)
    return replace(record, **changes)
