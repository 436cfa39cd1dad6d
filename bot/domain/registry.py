"""The record-type registry: each kind of record described once, for every layer to read.

The store maps a record to columns, the interchange format to JSON, the validator checks
limits, and the renderers, exports and ingest review find a record's links, people and
countries — all from the description here, so a new record type is one entry (plus its
migration, cog and renderer) rather than a change in twenty files.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    LONG_MAX,
    NAME_MAX,
    SHORT_MAX,
    SOURCE_TEXT_MAX,
    TITLE_MAX,
    UID_MAX,
    URL_MAX,
    FollowUp,
    FollowUpStatus,
    Labelled,
    Meeting,
    MeetingKind,
    Owner,
    Participant,
    Person,
    Plan,
    PlanKind,
    PlanStatus,
    Record,
    RecordType,
    Signatory,
    Source,
    Visit,
    VisitStatus,
    person_heading,
    visit_heading,
)


class FieldKind(Enum):
    TEXT = "text"  # one line, up to `limit` characters
    LONG = "long"  # long text, edited in a form rather than a slash option
    LIST = "list"  # a list of short strings
    DATE = "date"  # a FuzzyDate
    CHOICE = "choice"  # one value of a Labelled enum
    REF = "ref"  # the uid of another record
    PEOPLE = "people"  # people linked with a part they played (rows of a link table)


@dataclass(frozen=True)
class PeopleLink:
    """How a list of people is kept: a link table owned by the record, one row a person."""

    table: str  # e.g. meeting_participants
    owner_column: str  # the owning record's internal id, e.g. meeting_id
    role: str  # the attribute, key and column saying in what capacity, e.g. "part"
    role_limit: int
    make: type  # Participant or Signatory


@dataclass(frozen=True)
class Field:
    name: str  # the record's attribute and the interchange key
    kind: FieldKind
    limit: int = 0  # characters (a list's: of each entry)
    required: bool = False
    choices: type[Labelled] | None = None
    target: RecordType | None = None  # what a REF points at
    people: PeopleLink | None = None
    column: str = ""  # the store's column (a date's column prefix); defaults to the name
    # A date may also store its first day ("start": sortable) and its end ("both": ranges).
    bounds: str = ""
    countries: bool = False  # the value names countries (normalised when stored)

    @property
    def store_column(self) -> str:
        if self.column:
            return self.column
        return f"{self.name}_id" if self.kind is FieldKind.REF else self.name


@dataclass(frozen=True)
class SearchText:
    """Which fields make a record's search text, in order, joined by spaces.

    A part is a field's name (a list gives its entries), or `link.field` for a field of the
    record a REF links to (a visit's `visitor.name`), read when the text is written and
    rewritten when that record changes. `title` parts weigh most in search; `names` adds
    parts beyond the title that the record answers to in pickers and autocomplete (a
    visit answers to its visitor's name).
    """

    title: tuple[str, ...]
    body: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def name_parts(self) -> tuple[str, ...]:
        return self.title + self.names

    @property
    def parts(self) -> tuple[str, ...]:
        return self.title + self.body + self.names


@dataclass(frozen=True)
class RecordSpec:
    type: RecordType
    cls: builtins.type[Any]
    table: str
    fields: tuple[Field, ...]
    title: str  # the field a person types to name the record ("name" or "title")
    code: int  # the search index's per-type code, as in migration 0002 (row key id * 8 + code)
    note: str  # the long-text field a card's button edits in a form
    # Rules that span fields, beyond each field's own limits: the problems, as the
    # interchange reader words them, of one record of this type.
    rules: Callable[[Any], list[str]] | None = None
    # A record with no countries of its own, about what it links to (a follow-up about a
    # visit): a country's export keeps it when it keeps what it links to.
    about_links: bool = False
    # A date field whose end, when later, closes the record's period (a visit's last day),
    # so lists and filters treat a three-day visit as under way until it ends.
    period_end: str = ""
    # What the search index holds (see SearchText); the store writes it from here.
    search: SearchText = SearchText(())
    # What one line of a list, a suggestion or a brief shows (see Line): field names, or
    # `link.field` for a field of the record a REF links to (a visit's `visitor.name`).
    # A list page reads only these columns, never the record's long text or link tables.
    line: tuple[str, ...] = ()
    # How sentences, titles and footers name the type, one and many ("follow-up",
    # "follow-ups"): the slug and the section are keys, not always words people write.
    noun: str = ""
    nouns: str = ""
    # The record's name as lists, pickers, cards and events show it, from its line parts
    # (a visit's is its visitor's name and route); None: the value of its `title` field.
    heading: Callable[[Mapping[str, Any]], str] | None = None

    def headline(self, values: Mapping[str, Any]) -> str:
        """The heading of a record of this type from its line parts (see `heading`)."""
        return self.heading(values) if self.heading else str(values[self.title])

    @property
    def note_label(self) -> str:
        return self.note.replace("_", " ").capitalize()

    @property
    def section(self) -> str:
        return self.type.plural

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.type.value} has no field {name!r}")

    def of(self, kind: FieldKind) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.kind is kind)

    @cached_property
    def long_fields(self) -> tuple[Field, ...]:
        return self.of(FieldKind.LONG)

    @cached_property
    def refs(self) -> tuple[Field, ...]:
        return self.of(FieldKind.REF)

    @cached_property
    def country_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.countries)

    @cached_property
    def main_date(self) -> Field | None:
        """The date lists sort and filter by (the first date field)."""
        dates = self.of(FieldKind.DATE)
        return dates[0] if dates else None

    @property
    def allowed_keys(self) -> set[str]:
        return {"uid", *(f.name for f in self.fields)}


def _text(name: str, limit: int, **kw: Any) -> Field:
    return Field(name, FieldKind.TEXT, limit, **kw)


def _long(name: str, limit: int = LONG_MAX, **kw: Any) -> Field:
    return Field(name, FieldKind.LONG, limit, **kw)


def _ref(name: str, target: RecordType, **kw: Any) -> Field:
    return Field(name, FieldKind.REF, UID_MAX, target=target, **kw)


_SOURCE_REF = _ref("source", RecordType.SOURCE)


def _person_heading(line: Mapping[str, Any]) -> str:
    return person_heading(line["name"], line["title"])


def _visit_heading(line: Mapping[str, Any]) -> str:
    # The visitor's name where the visitor is a stored person, else the role they travel in.
    return visit_heading(line["visitor.name"] or line["visitor_role"], line["from_country"],
                         line["to_country"])


PERSON = RecordSpec(
    RecordType.PERSON, Person, "people", title="name", code=1, note="notes",
    noun="person", nouns="people", heading=_person_heading, line=("name", "title", "country"),
    search=SearchText(title=("name",), body=("title", "country", "notes")), fields=(
        _text("name", NAME_MAX, required=True),
        _text("title", SHORT_MAX),
        _text("country", NAME_MAX, countries=True),
        _long("notes"),
        _SOURCE_REF,
    ),
)

SOURCE = RecordSpec(
    RecordType.SOURCE, Source, "sources", title="title", code=2, note="summary",
    noun="source", nouns="sources", line=("title", "published"),
    search=SearchText(title=("title",), body=("summary", "text")), fields=(
        _text("title", TITLE_MAX, required=True),
        _text("url", URL_MAX),
        Field("published", FieldKind.DATE, bounds="start"),
        _long("summary"),
        _long("text", SOURCE_TEXT_MAX, column="body"),
    ),
)

VISIT = RecordSpec(
    RecordType.VISIT, Visit, "visits", title="visitor_role", code=3, note="notes",
    period_end="end_date", noun="visit", nouns="visits", heading=_visit_heading,
    line=("visitor", "visitor.name", "visitor_role", "from_country", "to_country", "date",
          "status"),
    search=SearchText(title=("visitor_role", "from_country", "to_country"),
                      body=("place", "purpose", "notes", "visitor.name", "visitor.title"),
                      names=("visitor.name",)), fields=(
        _ref("visitor", RecordType.PERSON),
        _text("visitor_role", SHORT_MAX),
        _text("from_country", NAME_MAX, required=True, countries=True),
        _text("to_country", NAME_MAX, required=True, countries=True),
        Field("date", FieldKind.DATE, required=True, bounds="both"),
        Field("end_date", FieldKind.DATE, column="end"),
        Field("status", FieldKind.CHOICE, required=True, choices=VisitStatus),
        _text("place", NAME_MAX),
        _long("purpose"),
        _long("notes"),
        _SOURCE_REF,
    ),
)

MEETING = RecordSpec(
    RecordType.MEETING, Meeting, "meetings", title="title", code=4, note="summary",
    noun="meeting", nouns="meetings", line=("title", "date", "place"),
    search=SearchText(title=("title",), body=("place", "summary", "countries", "topics")),
    fields=(
        _text("title", TITLE_MAX, required=True),
        Field("kind", FieldKind.CHOICE, required=True, choices=MeetingKind),
        Field("date", FieldKind.DATE, required=True, bounds="both"),
        _text("place", NAME_MAX),
        Field("countries", FieldKind.LIST, NAME_MAX, countries=True),
        Field("participants", FieldKind.PEOPLE, people=PeopleLink(
            "meeting_participants", "meeting_id", "part", NAME_MAX, Participant)),
        Field("topics", FieldKind.LIST, NAME_MAX),
        _long("summary"),
        _ref("visit", RecordType.VISIT),
        _SOURCE_REF,
    ),
)

PLAN = RecordSpec(
    RecordType.PLAN, Plan, "plans", title="title", code=5, note="summary",
    noun="plan", nouns="plans", line=("title", "status", "date"),
    search=SearchText(title=("title",), body=("place", "summary", "parties", "fields")),
    fields=(
        _text("title", TITLE_MAX, required=True),
        Field("kind", FieldKind.CHOICE, required=True, choices=PlanKind),
        Field("status", FieldKind.CHOICE, required=True, choices=PlanStatus),
        Field("date", FieldKind.DATE, bounds="both"),
        _text("place", NAME_MAX),
        Field("parties", FieldKind.LIST, SHORT_MAX, countries=True),
        Field("signatories", FieldKind.PEOPLE, people=PeopleLink(
            "plan_signatories", "plan_id", "on_behalf_of", SHORT_MAX, Signatory)),
        Field("fields", FieldKind.LIST, NAME_MAX),
        _long("summary"),
        _ref("meeting", RecordType.MEETING),
        _ref("visit", RecordType.VISIT),
        _SOURCE_REF,
    ),
)

# How long before its anchor a relative deadline falls: days or weeks, e.g. "3d", "2w".
OFFSET = re.compile(r"[1-9][0-9]{0,2}[dw]")
# A follow-up's own lead times as typed after canonicalising (see reminder_policy).
_LEADS = re.compile(r"[1-9][0-9]*[wdhms](?: [1-9][0-9]*[wdhms])*")
ANCHORS = ("visit", "plan")


def followup_rules(f: FollowUp) -> list[str]:
    """A deadline is a date or relative to a linked visit or plan, never both; an owner is
    a member or role with a name."""
    problems = []
    if f.due_before not in ("", *ANCHORS):
        problems.append(f"due_before must be empty, visit or plan (found {f.due_before!r})")
    elif f.due_before:
        if getattr(f, f.due_before) is None:
            problems.append(f"the deadline is relative to the {f.due_before}, but no "
                            f"{f.due_before} is linked")
        if f.due is not None:
            problems.append("a deadline is either a date (due) or relative to a visit or plan "
                            "(due_before), not both")
    if f.due_offset and not f.due_before:
        problems.append("due_offset says how long before the visit or plan; it needs "
                        "due_before")
    elif f.due_offset and not OFFSET.fullmatch(f.due_offset):
        problems.append(f"due_offset must be days or weeks such as 3d or 2w (found "
                        f"{f.due_offset!r})")
    if f.leads and not _LEADS.fullmatch(f.leads):
        problems.append(f"leads must be lead times such as 7d 1d (found {f.leads!r})")
    try:
        owner = Owner.parse(f.owner, f.owner_name)
    except ValueError as exc:
        problems.append(str(exc))
    else:
        if owner is not None and not owner.name:
            problems.append("owner_name is required with an owner: the name shown for it")
        if owner is None and f.owner_name:
            problems.append("owner_name is set but there is no owner (member:<id> or "
                            "role:<id>)")
    return problems


FOLLOWUP = RecordSpec(
    RecordType.FOLLOWUP, FollowUp, "followups", title="what", code=6, note="notes",
    rules=followup_rules, about_links=True, line=("what", "status"),
    noun="follow-up", nouns="follow-ups",
    search=SearchText(title=("what",), body=("owner_name", "notes")), fields=(
        _text("what", TITLE_MAX, required=True),
        Field("status", FieldKind.CHOICE, required=True, choices=FollowUpStatus),
        _text("owner", 30),
        _text("owner_name", NAME_MAX),
        Field("due", FieldKind.DATE, bounds="start"),
        _text("due_before", 10),
        _text("due_offset", 10),
        _text("leads", 100),
        _ref("visit", RecordType.VISIT),
        _ref("plan", RecordType.PLAN),
        _ref("meeting", RecordType.MEETING),
        _ref("person", RecordType.PERSON),
        _long("notes"),
        _SOURCE_REF,
    ),
)

# In import order: each type refers only to types before it.
REGISTRY: dict[RecordType, RecordSpec] = {
    spec.type: spec for spec in (SOURCE, PERSON, VISIT, MEETING, PLAN, FOLLOWUP)
}
_BY_CLASS: dict[type, RecordSpec] = {spec.cls: spec for spec in REGISTRY.values()}

SECTIONS: tuple[RecordType, ...] = tuple(REGISTRY)
# The order of sections in an exported file (kept from the first version, so files diff).
EXPORT_ORDER: tuple[RecordType, ...] = (
    RecordType.PERSON, RecordType.MEETING, RecordType.PLAN, RecordType.VISIT, RecordType.SOURCE,
    RecordType.FOLLOWUP,
)


def spec_of(record: Record | RecordType) -> RecordSpec:
    """The description of a record's type, from the record or the type."""
    if isinstance(record, RecordType):
        return REGISTRY[record]
    return _BY_CLASS[type(record)]


def links_of(record: Record) -> Iterator[tuple[str, RecordType, str]]:
    """(field, type, uid) for every link the record makes to another record, people included."""
    for f in spec_of(record).fields:
        value = getattr(record, f.name)
        if f.kind is FieldKind.REF and value:
            assert f.target is not None
            yield f.name, f.target, value
        elif f.kind is FieldKind.PEOPLE:
            for link in value:
                yield f.name, RecordType.PERSON, link.person


def people_of(record: Record) -> Iterator[str]:
    """The uid of every person the record names (visitor, participants, signatories)."""
    for _, target, uid in links_of(record):
        if target is RecordType.PERSON:
            yield uid


def countries_of(record: Record) -> list[str]:
    """Every country (or party) the record names, in field order."""
    out: list[str] = []
    for f in spec_of(record).country_fields:
        value = getattr(record, f.name)
        out.extend(value if isinstance(value, list) else [value] if value else [])
    return out


@dataclass(frozen=True, slots=True)
class Line:
    """What one line of a list or a suggestion shows of a record: the parts its type's
    `RecordSpec.line` names, by part name (`line["title"]`, `line["visitor.name"]`), read
    from a few columns instead of the whole record with its links."""

    type: RecordType
    id: int
    uid: str
    values: Mapping[str, Any]

    def __getitem__(self, part: str) -> Any:
        return self.values[part]

    @property
    def headline(self) -> str:
        """The record's heading, as its type's entry words it (see RecordSpec.heading)."""
        return REGISTRY[self.type].headline(self.values)


def line_part(spec: RecordSpec, part: str) -> tuple[Field, Field | None]:
    """(the record's field, the linked record's field or None) a line part names."""
    head, _, tail = part.partition(".")
    own = spec.field(head)
    if not tail:
        return own, None
    if own.kind is not FieldKind.REF or own.target is None:
        raise KeyError(f"{spec.type.value}.{head} links to nothing, so {part!r} names nothing")
    return own, REGISTRY[own.target].field(tail)


def line_of(record: Record, people: Mapping[str, Person]) -> Line:
    """A full record's Line, as the store reads one: a part of a linked person is looked up
    in `people` (None when they are not there; parts of other linked types are None)."""
    spec = spec_of(record)
    assert record.id is not None
    return Line(spec.type, record.id, record.uid, _line_values(spec, record, people))


def headline(record: Record, people: Mapping[str, Person]) -> str:
    """The record's heading as lists and cards show it (a visit by its visitor's name when
    `people` has them), for a record saved or not yet."""
    spec = spec_of(record)
    return spec.headline(_line_values(spec, record, people))


def date_of(record: Record) -> FuzzyDate | None:
    """The record's main date (see RecordSpec.main_date): a meeting's, a source's
    publication, a follow-up's own deadline; None for a type without one."""
    main = spec_of(record).main_date
    return getattr(record, main.name) if main is not None else None


def answers_to(record: Record, people: Mapping[str, Person]) -> tuple[str, ...]:
    """The texts whose words name the record in a picker (its SearchText.name_parts: a
    visit answers to its role, its countries and its visitor's name, read from `people`)."""
    spec = spec_of(record)
    values = (_part_value(spec, record, part, people) for part in spec.search.name_parts)
    return tuple("" if value is None else str(value) for value in values)


def _line_values(spec: RecordSpec, record: Record, people: Mapping[str, Person]
                 ) -> dict[str, Any]:
    return {part: _part_value(spec, record, part, people) for part in spec.line}


def _part_value(spec: RecordSpec, record: Record, part: str, people: Mapping[str, Person]
                ) -> Any:
    """A field of the record, or of a person it links to (None when they are not in
    `people`; parts of other linked types are None)."""
    own, linked = line_part(spec, part)
    value = getattr(record, own.name)
    if linked is None:
        return value
    person = people.get(value) if value and own.target is RecordType.PERSON else None
    return getattr(person, linked.name) if person is not None else None


def _check_lines() -> None:
    """Every line part names a field (or a linked record's), and no list of people, which
    a line would need a link table for."""
    for spec in REGISTRY.values():
        for part in spec.line:
            own, linked = line_part(spec, part)
            if (linked or own).kind is FieldKind.PEOPLE:
                raise ValueError(f"{spec.type.value} line part {part!r} is a list of people")


_check_lines()
