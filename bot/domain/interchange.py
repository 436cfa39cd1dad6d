"""The versioned JSON interchange format: records to plain dicts and back, with row-level errors.

Both directions are driven by the record-type registry, and reading a row collects every
problem of every field at once, so a file is fixed in one round rather than one per error.
The same reader checks records typed in through commands and saved from an ingest review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    LIST_MAX,
    UID_MAX,
    FollowUp,
    Meeting,
    Person,
    Plan,
    Record,
    RecordType,
    Source,
    Visit,
)
from bot.domain.registry import EXPORT_ORDER, SECTIONS, Field, FieldKind, spec_of
from bot.domain.textinput import text_problem

SCHEMA_VERSION = 1

# The years a record may carry: wide enough for any diplomatic history or plan, narrow
# enough that every date can be turned into an instant and a reminder without overflow.
YEAR_MIN = 1900
YEAR_MAX = 2200


@dataclass
class Bundle:
    """Every record of one server, as exported or about to be imported."""

    sources: list[Source] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)

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
    """Raised while reading one row; the caller adds the row's position.

    `problems` lists each problem on its own, the message joins them.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


# --- records to dicts ------------------------------------------------------------------


def _to_json(f: Field, value: Any) -> Any:
    if f.kind is FieldKind.DATE:
        return value.to_json() if value is not None else None
    if f.kind is FieldKind.CHOICE:
        return value.value
    if f.kind is FieldKind.LIST:
        return list(value)
    if f.kind is FieldKind.PEOPLE:
        assert f.people is not None
        return [{"person": link.person, f.people.role: getattr(link, f.people.role)}
                for link in value]
    return value


def _plain(f: Field) -> bool:
    """Whether a field's value is its own interchange form (text, a link's uid)."""
    return f.kind not in (FieldKind.DATE, FieldKind.CHOICE, FieldKind.LIST, FieldKind.PEOPLE)


# Per record class, each field's name and whether it needs _to_json: a big import or export
# turns every record into its dict (the audit log keeps one per record), so the registry's
# fields are walked once per type, not once per record.
_SHAPES: dict[type, tuple[tuple[str, Field, bool], ...]] = {}


def record_to_dict(record: Record) -> dict[str, Any]:
    """The interchange form of one record; also what the audit log keeps."""
    shape = _SHAPES.get(type(record))
    if shape is None:
        shape = _SHAPES[type(record)] = tuple(
            (f.name, f, _plain(f)) for f in spec_of(record).fields)
    values = record.__dict__
    out: dict[str, Any] = {"uid": record.uid}
    for name, f, plain in shape:
        value = values[name]
        out[name] = value if plain else _to_json(f, value)
    return out


def bundle_to_json(bundle: Bundle) -> dict[str, Any]:
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for kind in EXPORT_ORDER:
        out[kind.plural] = [record_to_dict(r) for r in bundle.section(kind)]
    return out


# --- dicts to records --------------------------------------------------------------------


def shown(text: str) -> str:
    """Text from a file made safe to quote in a message: invalid characters escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class _Row:
    """Typed reads of one JSON object; each problem is noted, naming the field and what it
    accepts, and reading goes on so that every problem of the row is reported at once."""

    def __init__(self, data: Any, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise RowInvalid("each row must be a JSON object")
        self.data = data
        self.problems: list[str] = []
        unknown = sorted(shown(str(k)) for k in set(data) - allowed)
        if unknown:
            self.problems.append(f"unknown field(s) {', '.join(unknown)}")

    def _text_value(self, key: str, value: Any, limit: int, *, multiline: bool,
                    required: bool = False) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problems.append(f"{key} must be text")
            return ""
        value = value.strip()
        problem = text_problem(value, multiline=multiline)
        if problem:
            self.problems.append(f"{key} {problem}")
            return ""
        if required and not value:
            self.problems.append(f"{key} is required")
        if len(value) > limit:
            self.problems.append(
                f"{key} is {len(value)} characters; at most {limit} are allowed")
        return value

    def text(self, key: str, limit: int, *, required: bool = False,
             multiline: bool = False) -> str:
        return self._text_value(key, self.data.get(key), limit, multiline=multiline,
                                required=required)

    def ref(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if (not isinstance(value, str) or len(value) > UID_MAX
                or text_problem(value, multiline=False)):
            self.problems.append(
                f"{key} must be the uid of a record (text up to {UID_MAX} chars)")
            return None
        return value

    def _list(self, key: str) -> list[Any]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self.problems.append(f"{key} must be a list")
            return []
        if len(value) > LIST_MAX:
            self.problems.append(
                f"{key} has {len(value)} entries; at most {LIST_MAX} are allowed")
            return []
        return value

    def strings(self, key: str, limit: int) -> list[str]:
        value = self._list(key)
        if not all(isinstance(v, str) for v in value):
            self.problems.append(f"{key} must be a list of text")
            return []
        out = []
        for v in value:
            v = v.strip()
            if not v:
                continue
            problem = text_problem(v, multiline=False)
            if problem:
                self.problems.append(f"an entry of {key} {problem}")
            elif len(v) > limit:
                self.problems.append(f"an entry of {key} is longer than {limit} characters")
            else:
                out.append(v)
        return out

    def people(self, key: str, role: str, role_limit: int, make: type) -> list[Any]:
        out = []
        for item in self._list(key):
            if not isinstance(item, dict):
                self.problems.append(f"each entry of {key} must be a JSON object")
                continue
            unknown = sorted(shown(str(k)) for k in set(item) - {"person", role})
            if unknown:
                self.problems.append(f"an entry of {key} has unknown field(s) "
                                     f"{', '.join(unknown)}")
            person = item.get("person")
            if not isinstance(person, str) or not person or len(person) > UID_MAX:
                self.problems.append(f"every entry of {key} needs a person uid")
                continue
            part = self._text_value(f"{key}.{role}", item.get(role), role_limit,
                                    multiline=False)
            out.append(make(person, part))
        return out

    def date(self, key: str, *, required: bool = False) -> FuzzyDate | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(f"{key} is required")
            return None
        try:
            found = FuzzyDate.from_json(value)
        except (ValueError, TypeError, OverflowError) as exc:
            self.problems.append(f"{key}: {exc}")
            return None
        if not YEAR_MIN <= found.start.year <= YEAR_MAX:
            self.problems.append(
                f"{key}: the year {found.start.year} is outside {YEAR_MIN}–{YEAR_MAX}")
            return None
        return found

    def choice(self, key: str, enum: Any, *, required: bool) -> Any:
        value = self.data.get(key)
        accepted = ", ".join(m.value for m in enum)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            self.problems.append(f"{key} is required (one of: {accepted})")
            return None
        try:
            return enum.parse(value)
        except ValueError as exc:
            self.problems.append(f"{key}: {exc}")
            return None


def _read(row: _Row, f: Field) -> Any:
    if f.kind in (FieldKind.TEXT, FieldKind.LONG):
        return row.text(f.name, f.limit, required=f.required,
                        multiline=f.kind is FieldKind.LONG)
    if f.kind is FieldKind.REF:
        return row.ref(f.name)
    if f.kind is FieldKind.LIST:
        return row.strings(f.name, f.limit)
    if f.kind is FieldKind.PEOPLE:
        assert f.people is not None
        link = f.people
        return row.people(f.name, link.role, link.role_limit, link.make)
    if f.kind is FieldKind.DATE:
        return row.date(f.name, required=f.required)
    return row.choice(f.name, f.choices, required=f.required)


def rule_problems(record: Record) -> list[str]:
    """The rules that span fields, the same for every way a record comes in."""
    problems = []
    if isinstance(record, Visit):
        if record.from_country.casefold() == record.to_country.casefold():
            problems.append("a visit goes from one country to another; both are "
                            f"{record.from_country}")
        if record.end_date is not None and record.end_date.end <= record.date.start:
            problems.append(
                f"the visit ends ({record.end_date}) before it starts ({record.date})")
    rules = spec_of(record).rules
    if rules is not None:
        problems.extend(rules(record))
    return problems


def record_from_dict(kind: RecordType, data: Any) -> Record:
    """One record from its interchange form; RowInvalid lists everything that is wrong."""
    spec = spec_of(kind)
    row = _Row(data, spec.allowed_keys)
    uid = row.text("uid", UID_MAX, required=True)
    values = {f.name: _read(row, f) for f in spec.fields}
    if row.problems:
        raise RowInvalid(row.problems)
    record: Record = spec.cls(uid=uid, **values)
    problems = rule_problems(record)
    if problems:
        raise RowInvalid(problems)
    return record


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
        errors.append(RowError(shown(str(key)), None, "", "unknown section"))
    for kind in SECTIONS:
        rows = data.get(kind.plural, [])
        if not isinstance(rows, list):
            errors.append(RowError(kind.plural, None, "", "must be a list of objects"))
            continue
        seen: set[str] = set()
        for index, row in enumerate(rows):
            uid = row.get("uid", "") if isinstance(row, dict) else ""
            uid = shown(uid)[:UID_MAX] if isinstance(uid, str) else ""
            try:
                record = record_from_dict(kind, row)
            except RowInvalid as exc:
                errors.extend(RowError(kind.plural, index, uid, p) for p in exc.problems)
                continue
            if record.uid in seen:
                errors.append(RowError(kind.plural, index, uid, "this uid appears twice"))
                continue
            seen.add(record.uid)
            bundle.section(kind).append(record)
    return bundle, errors
