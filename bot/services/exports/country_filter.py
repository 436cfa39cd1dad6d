"""Choosing what to export: the records that involve a country, and everything they link to."""

from __future__ import annotations

from bot.domain.countries import normalise_country
from bot.domain.interchange import Bundle
from bot.domain.records import Record, RecordType
from bot.domain.registry import countries_of, links_of, spec_of


def _same_country(a: str, b: str) -> bool:
    return bool(a) and normalise_country(a).casefold() == b.casefold()


def involves(record: Record, country: str) -> bool:
    """Whether a record is about `country` (already in its canonical spelling)."""
    return any(_same_country(c, country) for c in countries_of(record))


def _links(record: Record) -> list[tuple[RecordType, str]]:
    """Every record this one refers to, as (kind, uid)."""
    return [(kind, uid) for _, kind, uid in links_of(record)]


def filter_country(bundle: Bundle, country: str) -> Bundle:
    """The records involving `country` and everything they link to, each in bundle order."""
    name = normalise_country(country)
    by_uid = {(kind, r.uid): r for kind in RecordType for r in bundle.section(kind)}
    keep: set[tuple[RecordType, str]] = set()
    todo = [(kind, r.uid) for kind in RecordType for r in bundle.section(kind)
            if involves(r, name)]
    # Records about what they link to (a follow-up about a visit) come along with it (the
    # source they cite is not what they are about); they link only to records of other
    # types, so one more pass settles them.
    about = [(kind, r) for kind in RecordType if spec_of(kind).about_links
             for r in bundle.section(kind)]
    for rounds in range(2):
        while todo:
            key = todo.pop()
            if key in keep or key not in by_uid:
                continue
            keep.add(key)
            todo.extend(_links(by_uid[key]))
        if rounds == 0:
            todo = [(kind, r.uid) for kind, r in about
                    if any(link in keep for link in _links(r)
                           if link[0] is not RecordType.SOURCE)]
    out = Bundle()
    for kind in RecordType:
        out.section(kind).extend(r for r in bundle.section(kind) if (kind, r.uid) in keep)
    return out
