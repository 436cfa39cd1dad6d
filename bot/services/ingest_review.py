"""Reviewing an ingest proposal: matching it to stored records, saving what a person keeps."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from bot.domain.dateparse import MAX_LENGTH as DATE_MAX
from bot.domain.dateparse import parse_fuzzy_date
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.interchange import SECTIONS, Bundle, bundle_to_json, record_to_dict
from bot.domain.records import (
    LIST_MAX,
    NAME_MAX,
    SHORT_MAX,
    TITLE_MAX,
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
from bot.domain.registry import FieldKind, links_of, spec_of
from bot.services.access import Actor
from bot.services.changes import ChangePipeline, validate
from bot.services.desk import DeskService
from bot.services.ingest import Proposal, propose
from bot.services.ingest.guard import MAX_BYTES
from bot.services.interchange import ImportReport, import_data
from bot.services.lists import split_list
from bot.services.records import clean_record
from bot.stores.records import RecordFilter

UPLOAD_SUFFIXES = (".txt", ".md")
# The cards show records in the order a reader cares about: what happened, then who, then where
# it was read.
REVIEW_ORDER = (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT, RecordType.PERSON,
                RecordType.SOURCE)
# Text a person may have written by hand; a report never overwrites it, only fills it in.
_KEPT_TEXT = {"summary", "notes", "purpose", "text"}
_CANDIDATES = 200


class DatelineOrigin(StrEnum):
    GIVEN = "the dateline you gave"
    TEXT = "the dateline in the text"
    TODAY = "today, as the text gives no dateline"


@dataclass
class ReviewItem:
    """One proposed record as it would be saved; `existing` is the stored record it updates."""

    key: str
    record: Record
    existing: Record | None = None
    edited: bool = False  # changed by hand in the review, so the card says so

    @property
    def kind(self) -> RecordType:
        return self.record.TYPE

    @property
    def unchanged(self) -> bool:
        return self.existing is not None and (
            record_to_dict(self.existing) == record_to_dict(self.record)
        )

    @property
    def mark(self) -> str:
        """'new', 'updates #12', or 'same as #12' when saving would change nothing."""
        if self.existing is None:
            return "new"
        return f"{'same as' if self.unchanged else 'updates'} #{self.existing.id}"


@dataclass
class Review:
    """Everything a reviewer sees before saving: the items, the dateline used and warnings."""

    items: list[ReviewItem]
    dateline: date
    dateline_origin: DatelineOrigin
    warnings: list[str] = field(default_factory=list)

    def item(self, key: str) -> ReviewItem:
        for item in self.items:
            if item.key == key:
                return item
        raise UserError("That record is no longer part of this proposal.")

    @property
    def choosable(self) -> list[ReviewItem]:
        """What a reviewer picks from; the source comes along with whatever is kept."""
        return [i for i in self.items if i.kind is not RecordType.SOURCE]

    def counts(self) -> tuple[int, int]:
        """(new, matching a stored record)."""
        new = sum(1 for i in self.items if i.existing is None)
        return new, len(self.items) - new


@dataclass
class SaveResult:
    report: ImportReport
    saved: list[ReviewItem]
    added: list[ReviewItem]  # kept because a chosen record needs them (people, the source)


def check_upload(filename: str, size: int) -> None:
    """Refuses before downloading: only plain text files, and no larger than ingest reads."""
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        raise UserError(f"{filename!r} is not a .txt or .md file. Attach the report as plain "
                        "text, or run /ingest without a file and paste it.")
    if size == 0:
        raise UserError(f"{filename!r} is empty. Attach a press release or news report as a "
                        ".txt or .md file (up to 200 KB).")
    if size > MAX_BYTES:
        raise UserError(f"{filename!r} is {size // 1000} KB; at most {MAX_BYTES // 1000} KB can "
                        "be read at once. Split it into separate reports.")


def decode_upload(filename: str, data: bytes) -> str:
    check_upload(filename, len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{filename!r} looks like a binary file, not UTF-8 text. Attach a plain "
                        ".txt or .md file, or paste the text of the report.") from None


def dateline_day(value: FuzzyDate | None) -> date | None:
    if value is None:
        return None
    if value.precision is not Precision.DAY:
        raise UserError(f"The dateline must be one day, e.g. 2025-09-10; {value.render()!r} is "
                        f"a {value.precision.value}.")
    return value.start


class IngestReviewService:
    """Proposals turned into review items, and the chosen items saved all at once or not at all.

    Saving goes through the interchange importer, so a proposal obeys the same rules and the
    same single transaction as a JSON import.
    """

    def __init__(self, desk: DeskService, changes: ChangePipeline) -> None:
        self._desk = desk
        self._changes = changes

    async def check_editor(self, actor: Actor) -> None:
        await self._desk.check_editor(actor)

    async def review(self, actor: Actor, text: str, *, dateline: date | None) -> Review:
        await self._desk.check_editor(actor)
        today = await self._desk.today(actor.guild_id)
        proposal = propose(text, dateline=dateline, today=today)
        return await self.review_proposal(actor.guild_id, proposal, given=dateline is not None)

    async def review_proposal(self, guild_id: int, proposal: Proposal, *, given: bool) -> Review:
        bundle = proposal.bundle
        if given:
            origin = DatelineOrigin.GIVEN
        elif any(s.published is not None for s in bundle.sources):
            origin = DatelineOrigin.TEXT
        else:
            origin = DatelineOrigin.TODAY
        matched = await _Matcher(self._desk, guild_id).match(bundle)
        ordered = [(r, matched.get(r.uid)) for kind in REVIEW_ORDER for r in bundle.section(kind)]
        items = [ReviewItem(str(n), r, e) for n, (r, e) in enumerate(ordered)]
        return Review(items, proposal.dateline, origin, list(proposal.warnings))

    async def save(
        self, actor: Actor, review: Review, keys: Iterable[str] | None = None
    ) -> SaveResult:
        """Saves the chosen items (all when `keys` is None) with the people and source they
        cite; a reference to anything neither saved nor stored rejects the whole save."""
        await self._desk.check_editor(actor)
        chosen = review.items if keys is None else [review.item(k) for k in dict.fromkeys(keys)]
        if not chosen:
            raise UserError("Nothing was chosen, so nothing was saved. Pick at least one record.")
        kept, added = _with_what_they_cite(review, chosen)
        bundle = Bundle()
        for item in kept:
            bundle.section(item.kind).append(item.record)
        report = await import_data(self._changes, actor.guild_id, bundle_to_json(bundle),
                                   actor_id=actor.user_id)
        return SaveResult(report, chosen, added)

    async def edit(
        self, actor: Actor, review: Review, key: str, values: dict[str, str]
    ) -> ReviewItem:
        """Replaces one proposed record with its hand-edited version (same uid); nothing is
        stored until the review is saved. Dates are read against the proposal's dateline."""
        item = review.item(key)
        settings = await self._desk.settings(actor.guild_id)
        record = apply_edits(item.record, values, today=review.dateline,
                             zone=settings.timezone, day_first=settings.day_first)
        if record != item.record:
            item.record = record
            item.edited = True
        return item


# --- editing a proposed record -----------------------------------------------------------


@dataclass(frozen=True)
class EditField:
    """One field of a proposed record a reviewer may correct; `name` is the record's field."""

    name: str
    label: str
    max_length: int
    required: bool = False
    hint: str = ""


_LIST_TEXT_MAX = LIST_MAX * (NAME_MAX + 2)
_DATE_HINT = "e.g. 15 November 2025, November 2025, Q4 2025, next Tuesday"


def _statuses(enum: type[Labelled]) -> str:
    return ", ".join(m.label for m in enum)


# At most five: a Discord form holds no more text fields than that.
EDIT_FIELDS: dict[RecordType, tuple[EditField, ...]] = {
    RecordType.MEETING: (
        EditField("title", "Title", TITLE_MAX, required=True),
        EditField("date", "Date", DATE_MAX, required=True, hint=_DATE_HINT),
        EditField("place", "Place", NAME_MAX),
        EditField("countries", "Countries", _LIST_TEXT_MAX, hint="Separated by commas"),
    ),
    RecordType.PLAN: (
        EditField("title", "Title", TITLE_MAX, required=True),
        EditField("status", "Status", SHORT_MAX, required=True, hint=_statuses(PlanStatus)),
        EditField("date", "Date (signed or expected)", DATE_MAX, hint=_DATE_HINT),
        EditField("fields", "Fields of cooperation", _LIST_TEXT_MAX,
                  hint="Separated by commas"),
    ),
    RecordType.VISIT: (
        EditField("visitor_role", "Visitor role", SHORT_MAX),
        EditField("date", "Date", DATE_MAX, required=True, hint=_DATE_HINT),
        EditField("status", "Status", SHORT_MAX, required=True, hint=_statuses(VisitStatus)),
        EditField("place", "Place", NAME_MAX),
    ),
    RecordType.PERSON: (
        EditField("name", "Name", NAME_MAX, required=True),
        EditField("title", "Title or office", SHORT_MAX),
        EditField("country", "Country", NAME_MAX),
    ),
}


def edit_form(record: Record) -> list[tuple[EditField, str]]:
    """The editable fields of a record with the text each starts with."""
    return [(f, _as_text(getattr(record, f.name))) for f in EDIT_FIELDS.get(record.TYPE, ())]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, FuzzyDate):
        return value.render()
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def apply_edits(
    record: Record, values: dict[str, str], *, today: date, zone: str = "UTC",
    day_first: bool = True,
) -> Record:
    """The record with the edited fields read back; raises UserError, changing nothing, if a
    value cannot be read. A field left as it was shown keeps its value exactly, so a date is
    not re-read (and perhaps shifted) just because another field changed."""
    what = record.TYPE.value
    if record.TYPE not in EDIT_FIELDS:
        raise UserError(f"A {what} cannot be edited in the review; only meetings, plans, "
                        "visits and people can.")
    changes: dict[str, Any] = {}
    for spec, shown in edit_form(record):
        text = " ".join((values.get(spec.name) or "").split()) if spec.name in values else shown
        if text == shown:
            continue
        if not text and spec.required:
            raise UserError(f"Nothing was changed: the {what}'s {spec.label.lower()} cannot be "
                            "empty.")
        old = getattr(record, spec.name)
        if spec.name == "date":
            changes["date"] = _read_date(text, today=today, zone=zone, day_first=day_first)
        elif isinstance(old, Labelled):
            changes[spec.name] = _read_choice(type(old), text, spec)
        elif isinstance(old, list):
            changes[spec.name] = split_list(text, what=spec.label.lower())
        else:
            changes[spec.name] = text
    if not changes:
        return record
    return validate(clean_record(replace(record, **changes)))


def _read_date(text: str, *, today: date, zone: str, day_first: bool) -> FuzzyDate | None:
    if not text:
        return None
    try:
        return parse_fuzzy_date(text, today=today, zone=zone, day_first=day_first,
                                news=True).date
    except UserError as exc:
        dateline = FuzzyDate.day(today.year, today.month, today.day).render()
        raise UserError(f"Nothing was changed: {exc.message} Words like “Tuesday” are read "
                        f"against the report's dateline, {dateline}.") from None


def _read_choice(enum: type[Labelled], text: str, spec: EditField) -> Labelled:
    try:
        return enum.parse(text)
    except ValueError:
        raise UserError(f"Nothing was changed: {text!r} is not a {spec.label.lower()}. "
                        f"Use one of: {spec.hint}.") from None


def _with_what_they_cite(
    review: Review, chosen: list[ReviewItem]
) -> tuple[list[ReviewItem], list[ReviewItem]]:
    """The chosen items plus the people and source they need; optional links to a proposed
    record that is left out (and not already stored) are dropped rather than left dangling."""
    by_uid = {(i.kind, i.record.uid): i for i in review.items}
    kept = {i.key: i for i in chosen}
    added: dict[str, ReviewItem] = {}
    for item in list(kept.values()):
        for kind, uid in _needed(item.record):
            need = by_uid.get((kind, uid))
            if need is not None and need.key not in kept and need.key not in added:
                added[need.key] = need
    out = list(kept.values()) + list(added.values())
    present = {(i.kind, i.record.uid) for i in out}
    fixed = [_drop_missing_links(i, by_uid, present) for i in out]
    return fixed, list(added.values())


def _drop_missing_links(
    item: ReviewItem, by_uid: dict[tuple[RecordType, str], ReviewItem],
    present: set[tuple[RecordType, str]],
) -> ReviewItem:
    record = item.record
    changes: dict[str, Any] = {}
    # Links to other events (a visit, a meeting) are optional: one to a record that is
    # neither saved nor stored is dropped rather than refusing the save.
    for name, kind, uid in links_of(record):
        if kind in _CITED:
            continue
        target = by_uid.get((kind, uid))
        if target is not None and (kind, uid) not in present and target.existing is None:
            changes[name] = None
    return replace(item, record=replace(record, **changes)) if changes else item


# What a saved record needs saved with it: the people it names and the source it cites.
_CITED = (RecordType.SOURCE, RecordType.PERSON)


def _needed(record: Record) -> list[tuple[RecordType, str]]:
    return [(kind, uid) for _, kind, uid in links_of(record) if kind in _CITED]


# --- matching ------------------------------------------------------------------------------


class _Matcher:
    """Finds the stored record each proposed one describes, and rewrites the proposal so it
    updates that record (its uid kept) rather than adding a duplicate."""

    def __init__(self, desk: DeskService, guild_id: int) -> None:
        self._desk = desk
        self._guild = guild_id
        self._claimed: set[tuple[RecordType, int]] = set()

    async def match(self, bundle: Bundle) -> dict[str, Record]:
        """Rewrites `bundle` in place; returns the stored record by the (new) uid it updates."""
        found: dict[str, Record] = {}
        for kind in SECTIONS:  # sources and people first, so later matches see their uids
            section = bundle.section(kind)
            renamed: dict[str, str] = {}
            for index, record in enumerate(section):
                existing = await self._find(record)
                if existing is None:
                    continue
                self._claimed.add((kind, existing.id or 0))
                renamed[record.uid] = existing.uid
                section[index] = _merged(existing, record)
                found[existing.uid] = existing
            if renamed:
                _rename(bundle, kind, renamed)
        return found

    async def _find(self, record: Record) -> Record | None:
        kind = record.TYPE
        same_uid = await self._desk.linked(self._guild, kind, record.uid)
        if same_uid is not None:
            return same_uid
        for candidate in await self._candidates(record):
            if (kind, candidate.id or 0) not in self._claimed and _same(candidate, record):
                return candidate
        return None

    async def _candidates(self, record: Record) -> list[Record]:
        kind = record.TYPE
        if isinstance(record, Person):
            flt = RecordFilter(title_words=record.name, limit=_CANDIDATES)
        elif isinstance(record, Source):
            flt = RecordFilter(title_words=record.title, limit=_CANDIDATES)
        elif isinstance(record, Visit):
            start = record.date.start.replace(day=1)
            end = FuzzyDate.month(start.year, start.month).end
            flt = RecordFilter(date_from=start, date_to=end, limit=_CANDIDATES)
        elif isinstance(record, Meeting | Plan) and record.date is not None:
            flt = RecordFilter(date_from=record.date.start, date_to=record.date.end,
                               limit=_CANDIDATES)
        else:
            flt = RecordFilter(title_words=record.heading, limit=_CANDIDATES)
        return (await self._desk.page(self._guild, kind, flt)).items


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _same_day(a: FuzzyDate | None, b: FuzzyDate | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return (a.start, a.precision) == (b.start, b.precision)


def _same(stored: Record, proposed: Record) -> bool:
    """The rules by which a report describes a record the server already holds."""
    if isinstance(stored, Person) and isinstance(proposed, Person):
        return _fold(stored.name) == _fold(proposed.name)
    if isinstance(stored, Source) and isinstance(proposed, Source):
        return _fold(stored.title) == _fold(proposed.title) and _same_day(
            stored.published, proposed.published)
    if isinstance(stored, Meeting) and isinstance(proposed, Meeting):
        return _fold(stored.title) == _fold(proposed.title) and _same_day(stored.date,
                                                                            proposed.date)
    if isinstance(stored, Plan) and isinstance(proposed, Plan):
        return _fold(stored.title) == _fold(proposed.title) and _same_day(stored.date,
                                                                            proposed.date)
    if isinstance(stored, Visit) and isinstance(proposed, Visit):
        same_who = (
            (stored.visitor is not None and stored.visitor == proposed.visitor)
            or (bool(stored.visitor_role)
                and _fold(stored.visitor_role) == _fold(proposed.visitor_role))
        )
        return (
            same_who
            and _fold(stored.from_country) == _fold(proposed.from_country)
            and _fold(stored.to_country) == _fold(proposed.to_country)
            and (stored.date.start.year, stored.date.start.month)
            == (proposed.date.start.year, proposed.date.start.month)
        )
    return False


def _merged(stored: Record, proposed: Record) -> Record:
    """The stored record brought up to date by the report, keeping what a person wrote.

    Hand-written text stays; lists gain the report's new entries; a date the store knows more
    precisely than the report (a day inside the reported month) is kept; everything else the
    report states replaces what was stored. The record cites the new source.
    """
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(stored):
        name = f.name
        if name in ("id", "uid"):
            continue
        old, new = getattr(stored, name), getattr(proposed, name)
        if name in _KEPT_TEXT:
            changes[name] = old or new
        elif isinstance(old, FuzzyDate) or isinstance(new, FuzzyDate):
            changes[name] = _keep_precise(old, new)
        elif isinstance(old, list):
            changes[name] = _union(old, new)
        elif isinstance(new, MeetingKind | PlanKind):
            changes[name] = old if new.value == "other" else new
        elif isinstance(old, str) and isinstance(new, str):
            changes[name] = old if _fold(old) == _fold(new) or not new else new
        else:
            changes[name] = new if new not in (None, "") else old
    return replace(stored, **changes)


def _keep_precise(old: FuzzyDate | None, new: FuzzyDate | None) -> FuzzyDate | None:
    if old is None or new is None:
        return new or old
    narrower = (old.end - old.start) < (new.end - new.start)
    if narrower and new.start <= old.start and old.end <= new.end:
        return old
    return new


def _union(old: list[Any], new: list[Any]) -> list[Any]:
    def key(value: Any) -> Any:
        if isinstance(value, Participant | Signatory):
            return value.person
        return _fold(value) if isinstance(value, str) else value

    seen = {key(v) for v in old}
    return list(old) + [v for v in new if key(v) not in seen]


def _rename(bundle: Bundle, kind: RecordType, renamed: dict[str, str]) -> None:
    """Points every reference to a matched record at the stored record's uid."""

    def swap(uid: str | None) -> str | None:
        return renamed.get(uid, uid) if uid else uid

    for section in SECTIONS:
        records = bundle.section(section)
        for index, record in enumerate(records):
            changes: dict[str, Any] = {}
            for f in spec_of(record).fields:
                value = getattr(record, f.name)
                if f.kind is FieldKind.REF and f.target is kind and value:
                    changes[f.name] = swap(value)
                elif f.kind is FieldKind.PEOPLE and kind is RecordType.PERSON:
                    changes[f.name] = _dedupe(
                        [replace(link, person=swap(link.person) or link.person)
                         for link in value])
            if changes:
                records[index] = replace(record, **changes)


def _dedupe(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.person not in seen:
            seen.add(item.person)
            out.append(item)
    return out
