"""The Markdown digest: every record of a server in one readable file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.domain.countries import normalise_country
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle
from bot.domain.markup import escape_line
from bot.domain.records import Person
from bot.services.exports.calendar import date_note, visit_dates, visitor_label


def _md(text: str) -> str:
    """User text inside Markdown: no character of it is formatting (bot.domain.markup)."""
    return escape_line(text)


def _address(url: str) -> str:
    """A source's address as a link when it is one plain address, else as escaped text."""
    if url.startswith(("http://", "https://")) and not any(
            c.isspace() or c in "<>" for c in url):
        return f"<{url}>"
    return escape_line(url)


def _day(d: date) -> str:
    return FuzzyDate(d).render()


def _by_date(records: Iterable[Any], attr: str = "date") -> list[Any]:
    dated = [r for r in records if getattr(r, attr) is not None]
    undated = [r for r in records if getattr(r, attr) is None]
    return sorted(dated, key=lambda r: getattr(r, attr)) + undated


def _person_name(uid: str, people: dict[str, Person]) -> str:
    person = people.get(uid)
    return _md(person.name if person else uid)


def digest_markdown(bundle: Bundle, *, today: date, zone: str, country: str | None = None) -> str:
    """Every record in one readable file, one section per record type."""
    people = {p.uid: p for p in bundle.people}
    title = "# Attaché records" + (f": {_md(normalise_country(country))}" if country else "")
    out = [title, "", f"As of {_day(today)} (server time zone {zone}); {len(bundle)} records."]
    if not len(bundle):
        out += ["", "Nothing is recorded yet."]
        return "\n".join(out) + "\n"

    out += ["", f"## Visits ({len(bundle.visits)})"]
    for v in _by_date(bundle.visits):
        when = visit_dates(v) + (f" ({date_note(v)})" if date_note(v) else "")
        place = f", {_md(v.place)}" if v.place else ""
        visitor = _md(visitor_label(v, people))
        out.append(f"- **{visitor}: {_md(v.from_country)} → {_md(v.to_country)}**"
                   f" — {when}, {v.status.label}{place}")
        out += _sub("Purpose", v.purpose) + _sub("Notes", v.notes)

    out += ["", f"## Meetings ({len(bundle.meetings)})"]
    for m in _by_date(bundle.meetings):
        place = f", {_md(m.place)}" if m.place else ""
        out.append(f"- {m.date.render()} — **{_md(m.title)}** ({m.kind.label}{place})")
        who = [_person_name(p.person, people) + (f" ({_md(p.part)})" if p.part else "")
               for p in m.participants]
        out += _sub("Participants", "; ".join(who), escape=False)
        out += _sub("Countries", ", ".join(m.countries)) + _sub("Topics", ", ".join(m.topics))
        out += _sub("Summary", m.summary)

    out += ["", f"## Plans and agreements ({len(bundle.plans)})"]
    for p in _by_date(bundle.plans):
        head = ", ".join(filter(None, [p.kind.label, p.status.label,
                                       p.date.render() if p.date else "undated", _md(p.place)]))
        out.append(f"- **{_md(p.title)}** ({head})")
        signed = [_person_name(s.person, people) + (f" ({_md(s.on_behalf_of)})"
                                                    if s.on_behalf_of else "")
                  for s in p.signatories]
        out += _sub("Parties", ", ".join(p.parties))
        out += _sub("Signatories", "; ".join(signed), escape=False)
        if p.fields:
            out += _sub(f"Fields of cooperation ({len(p.fields)})", ", ".join(p.fields))
        out += _sub("Summary", p.summary)

    out += ["", f"## People ({len(bundle.people)})"]
    for person in sorted(bundle.people, key=lambda x: x.name.casefold()):
        extra = ", ".join(_md(x) for x in (person.title, person.country) if x)
        out.append(f"- **{_md(person.name)}**" + (f", {extra}" if extra else ""))
        out += _sub("Notes", person.notes)

    out += ["", f"## Sources ({len(bundle.sources)})"]
    for s in _by_date(bundle.sources, "published"):
        dated = f" ({s.published.render()})" if s.published else ""
        link = f" {_address(s.url)}" if s.url else ""
        out.append(f"- {_md(s.title)}{dated}{link}")
        out += _sub("Summary", s.summary)
    return "\n".join(out) + "\n"


def _sub(label: str, text: str, *, escape: bool = True) -> list[str]:
    if not text.strip():
        return []
    return [f"  - {label}: {_md(text) if escape else text}"]
