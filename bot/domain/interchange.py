"""The versioned JSON interchange format: records to plain dicts and back, with row-level errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    LIST_MAX,
    LONG_MAX,
    NAME_MAX,
    SHORT_MAX,
    SOURCE_TEXT_MAX,
    TITLE_MAX,
    UID_MAX,
    URL_MAX,
    Labelled,
    Meeting,
    MeetingKind,
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
)

SCHEMA_VERSION = 1

E = TypeVar("E", bound=Labelled)

# Sections in the order they must be written: each refers only to sections before it.
SECTIONS: tuple[RecordType, ...] = (
    RecordType.SOURCE,
    RecordType.PERSON,
    RecordType.VISIT,
    RecordType.MEETING,
    RecordType.PLAN,
)


@dataclass
class Bundle:
    """Every record of one server, as exported or about to be imported."""

    sources: list[Source] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)

    def section(self, kind: RecordType) -> list[Any]:
        return getattr(self, kind.plural)  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return sum(len(self.section(kind)) for kind in SECTIONS)


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of an import, and where it is."""

    section: str
    index: int | None
    uid: str
    message: str

    def __str__(self) -> str:
        where = self.section if self.index is None else f"{self.section}[{self.index}]"
        if self.uid:
            where += f" ({self.uid})"
        return f"{where}: {self.message}"


class RowInvalid(ValueError):
    """Raised while reading one row; the caller adds the row's position."""


# --- records to dicts ------------------------------------------------------------------


def _date(value: FuzzyDate | None) -> dict[str, Any] | None:
    return value.to_json() if value is not None else None


def record_to_dict(record: Record) -> dict[str, Any]:
    """The interchange form of one record; also what the audit log keeps."""
    if isinstance(record, Person):
        return {
            "uid": record.uid,
            "name": record.name,
            "title": record.title,
            "country": record.country,
            "notes": record.notes,
            "source": record.source,
        }
    if isinstance(record, Source):
        return {
            "uid": record.uid,
            "title": record.title,
            "url": record.url,
            "published": _date(record.published),
            "summary": record.summary,
            "text": record.text,
        }
    if isinstance(record, Meeting):
        return {
            "uid": record.uid,
            "title": record.title,
            "kind": record.kind.value,
            "date": _date(record.date),
            "place": record.place,
            "countries": list(record.countries),
            "participants": [{"person": p.person, "part": p.part} for p in record.participants],
            "topics": list(record.topics),
            "summary": record.summary,
            "visit": record.visit,
            "source": record.source,
        }
    if isinstance(record, Plan):
        return {
            "uid": record.uid,
            "title": record.title,
            "kind": record.kind.value,
            "status": record.status.value,
            "date": _date(record.date),
            "place": record.place,
            "parties": list(record.parties),
            "signatories": [
                {"person": s.person, "on_behalf_of": s.on_behalf_of} for s in record.signatories
            ],
            "fields": list(record.fields),
            "summary": record.summary,
            "meeting": record.meeting,
            "visit": record.visit,
            "source": record.source,
        }
    return {
        "uid": record.uid,
        "visitor": record.visitor,
        "visitor_role": record.visitor_role,
        "from_country": record.from_country,
        "to_country": record.to_country,
        "date": _date(record.date),
        "end_date": _date(record.end_date),
        "status": record.status.value,
        "place": record.place,
        "purpose": record.purpose,
        "notes": record.notes,
        "source": record.source,
    }


def bundle_to_json(bundle: Bundle) -> dict[str, Any]:
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for kind in (RecordType.PERSON, RecordType.MEETING, RecordType.PLAN, RecordType.VISIT,
                 RecordType.SOURCE):
        out[kind.plural] = [record_to_dict(r) for r in bundle.section(kind)]
    return out


# --- dicts to records --------------------------------------------------------------------


class _Row:
    """Typed reads of one JSON object, each failure naming the field and what it accepts."""

    def __init__(self, data: Any, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise RowInvalid("each row must be a JSON object")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise RowInvalid(f"unknown field(s) {', '.join(unknown)}")
        self.data = data

    def text(self, key: str, limit: int, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise RowInvalid(f"{key} must be text")
        value = value.strip()
        if required and not value:
            raise RowInvalid(f"{key} is required")
        if len(value) > limit:
            raise RowInvalid(f"{key} is {len(value)} characters; at most {limit} are allowed")
        return value

    def ref(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > UID_MAX:
            raise RowInvalid(f"{key} must be the uid of a record (text up to {UID_MAX} chars)")
        return value

    def strings(self, key: str, limit: int) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RowInvalid(f"{key} must be a list of text")
        if len(value) > LIST_MAX:
            raise RowInvalid(f"{key} has {len(value)} entries; at most {LIST_MAX} are allowed")
        out = [v.strip() for v in value if v.strip()]
        for v in out:
            if len(v) > limit:
                raise RowInvalid(f"an entry of {key} is longer than {limit} characters")
        return out

    def objects(self, key: str) -> list[_Row]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            raise RowInvalid(f"{key} must be a list")
        if len(value) > LIST_MAX:
            raise RowInvalid(f"{key} has {len(value)} entries; at most {LIST_MAX} are allowed")
        return [_Row(item, {"person", "part", "on_behalf_of"}) for item in value]

    def date(self, key: str, *, required: bool = False) -> FuzzyDate | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise RowInvalid(f"{key} is required")
            return None
        try:
            return FuzzyDate.from_json(value)
        except ValueError as exc:
            raise RowInvalid(f"{key}: {exc}") from None

    def choice(self, key: str, enum: type[E]) -> E:
        value = self.data.get(key)
        if not isinstance(value, str):
            accepted = ", ".join(m.value for m in enum)
            raise RowInvalid(f"{key} is required (one of: {accepted})")
        try:
            return enum.parse(value)  # type: ignore[return-value]
        except ValueError as exc:
            raise RowInvalid(f"{key}: {exc}") from None


def _person(row: _Row) -> Person:
    return Person(
        uid=row.text("uid", UID_MAX, required=True),
        name=row.text("name", NAME_MAX, required=True),
        title=row.text("title", SHORT_MAX),
        country=row.text("country", NAME_MAX),
        notes=row.text("notes", LONG_MAX),
        source=row.ref("source"),
    )


def _source(row: _Row) -> Source:
    return Source(
        uid=row.text("uid", UID_MAX, required=True),
        title=row.text("title", TITLE_MAX, required=True),
        url=row.text("url", URL_MAX),
        published=row.date("published"),
        summary=row.text("summary", LONG_MAX),
        text=row.text("text", SOURCE_TEXT_MAX),
    )


def _meeting(row: _Row) -> Meeting:
    participants = []
    for item in row.objects("participants"):
        person = item.ref("person")
        if person is None:
            raise RowInvalid("every participant needs a person uid")
        participants.append(Participant(person, item.text("part", NAME_MAX)))
    date = row.date("date", required=True)
    assert date is not None
    return Meeting(
        uid=row.text("uid", UID_MAX, required=True),
        title=row.text("title", TITLE_MAX, required=True),
        kind=row.choice("kind", MeetingKind),
        date=date,
        place=row.text("place", NAME_MAX),
        countries=row.strings("countries", NAME_MAX),
        participants=participants,
        topics=row.strings("topics", NAME_MAX),
        summary=row.text("summary", LONG_MAX),
        visit=row.ref("visit"),
        source=row.ref("source"),
    )


def _plan(row: _Row) -> Plan:
    signatories = []
    for item in row.objects("signatories"):
        person = item.ref("person")
        if person is None:
            raise RowInvalid("every signatory needs a person uid")
        signatories.append(Signatory(person, item.text("on_behalf_of", SHORT_MAX)))
    return Plan(
        uid=row.text("uid", UID_MAX, required=True),
        title=row.text("title", TITLE_MAX, required=True),
        kind=row.choice("kind", PlanKind),
        status=row.choice("status", PlanStatus),
        date=row.date("date"),
        place=row.text("place", NAME_MAX),
        parties=row.strings("parties", SHORT_MAX),
        signatories=signatories,
        fields=row.strings("fields", NAME_MAX),
        summary=row.text("summary", LONG_MAX),
        meeting=row.ref("meeting"),
        visit=row.ref("visit"),
        source=row.ref("source"),
    )


def _visit(row: _Row) -> Visit:
    date = row.date("date", required=True)
    assert date is not None
    return Visit(
        uid=row.text("uid", UID_MAX, required=True),
        visitor=row.ref("visitor"),
        visitor_role=row.text("visitor_role", SHORT_MAX),
        from_country=row.text("from_country", NAME_MAX, required=True),
        to_country=row.text("to_country", NAME_MAX, required=True),
        date=date,
        end_date=row.date("end_date"),
        status=row.choice("status", VisitStatus),
        place=row.text("place", NAME_MAX),
        purpose=row.text("purpose", LONG_MAX),
        notes=row.text("notes", LONG_MAX),
        source=row.ref("source"),
    )


_READERS: dict[RecordType, tuple[Callable[[_Row], Any], set[str]]] = {
    RecordType.PERSON: (_person, {"uid", "name", "title", "country", "notes", "source"}),
    RecordType.SOURCE: (_source, {"uid", "title", "url", "published", "summary", "text"}),
    RecordType.MEETING: (
        _meeting,
        {"uid", "title", "kind", "date", "place", "countries", "participants", "topics",
         "summary", "visit", "source"},
    ),
    RecordType.PLAN: (
        _plan,
        {"uid", "title", "kind", "status", "date", "place", "parties", "signatories", "fields",
         "summary", "meeting", "visit", "source"},
    ),
    RecordType.VISIT: (
        _visit,
        {"uid", "visitor", "visitor_role", "from_country", "to_country", "date", "end_date",
         "status", "place", "purpose", "notes", "source"},
    ),
}


def record_from_dict(kind: RecordType, data: Any) -> Record:
    """One record from its interchange form; RowInvalid says what is wrong."""
    reader, allowed = _READERS[kind]
    return reader(_Row(data, allowed))  # type: ignore[no-any-return]


def bundle_from_json(data: Any) -> tuple[Bundle, list[RowError]]:
    """Reads a whole file, collecting every row's error rather than stopping at the first."""
    errors: list[RowError] = []
    bundle = Bundle()
    if not isinstance(data, dict):
        return bundle, [RowError("file", None, "", "the file must hold one JSON object")]
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        message = f"schema_version must be {SCHEMA_VERSION} (found {version!r})"
        return bundle, [RowError("schema_version", None, "", message)]
    known = {"schema_version", *(kind.plural for kind in SECTIONS)}
    for key in sorted(set(data) - known):
        errors.append(RowError(key, None, "", "unknown section"))
    for kind in SECTIONS:
        rows = data.get(kind.plural, [])
        if not isinstance(rows, list):
            errors.append(RowError(kind.plural, None, "", "must be a list of objects"))
            continue
        seen: set[str] = set()
        for index, row in enumerate(rows):
            uid = row.get("uid", "") if isinstance(row, dict) else ""
            uid = uid if isinstance(uid, str) else ""
            try:
                record = record_from_dict(kind, row)
            except RowInvalid as exc:
                errors.append(RowError(kind.plural, index, uid, str(exc)))
                continue
            if record.uid in seen:
                errors.append(RowError(kind.plural, index, uid, "this uid appears twice"))
                continue
            seen.add(record.uid)
            bundle.section(kind).append(record)
    return bundle, errors
