"""Reviewing an ingest proposal: matching it to stored records, saving what a person keeps."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from bot.domain.dateparse import MAX_LENGTH as DATE_MAX
from bot.domain.dateparse import parse_fuzzy_date
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.interchange import (
    SECTIONS,
    Bundle,
    bundle_from_json,
    bundle_to_json,
    record_to_dict,
)
from bot.domain.records import (
    LIST_MAX,
    LONG_MAX,
    NAME_MAX,
    SHORT_MAX,
    TITLE_MAX,
    FollowUp,
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
from bot.domain.registry import Field, FieldKind, links_of, spec_of
from bot.services.access import Actor
from bot.services.changes import ChangePipeline, validate
from bot.services.desk import DeskService
from bot.services.ingest import Proposal, propose
from bot.services.ingest.guard import MAX_BYTES
from bot.services.interchange import ImportRejected, ImportReport, check_bundle
from bot.services.lists import split_list
from bot.services.records import clean_record
from bot.stores.records import ChangedSinceRead, RecordFilter

UPLOAD_SUFFIXES = (".txt", ".md")
# The cards show records in the order a reader cares about: what happened, then who, then where
# it was read.
REVIEW_ORDER = (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT, RecordType.FOLLOWUP,
                RecordType.PERSON, RecordType.SOURCE)
# Text a person may have written by hand; a report never overwrites it, only fills it in.
_KEPT_TEXT = {"summary", "notes", "purpose", "text"}
# A follow-up's progress and owner are the desk's: a report read again never reopens done
# work or takes it from its owner.
_DESK_KEPT = {"status", "owner", "owner_name", "leads", "due_offset"}
_CANDIDATES = 200
READERS = 2  # reports read at once, each in its own thread


class DatelineOrigin(StrEnum):
    GIVEN = "the dateline you gave"
    TEXT = "the dateline in the text"
    TODAY = "today, as the text gives no dateline"


class Choice(StrEnum):
    """For one field of a stored record the report speaks of: what the save writes."""

    KEEP = "keep"  # the stored value
    TAKE = "take"  # the report's (for a list: the report's entries added)


@dataclass(frozen=True)
class FieldChange:
    """One field where the report differs from what is stored, as the card shows it."""

    name: str  # the record's field
    label: str
    before: Any  # as stored
    after: Any  # as saved if the report's value is taken
    default: Choice
    why: str  # why the default: "the report's is less specific", "adds 2 entries"


@dataclass
class ReviewItem:
    """One proposed record as it would be saved; `existing` is the stored record it updates,
    as read when the review opened (the save is refused if it has changed since)."""

    key: str
    record: Record
    existing: Record | None = None
    edited: bool = False  # changed by hand in the review, so the card says so
    report: Record | None = None  # what the report says of a stored record, under its uid
    changes: list[FieldChange] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # fields whose report value is saved
    typed: dict[str, Any] = field(default_factory=dict)  # fields corrected in the Edit form

    @classmethod
    def matched(cls, key: str, existing: Record, report: Record) -> ReviewItem:
        item = cls(key, existing, existing, report=report)
        item.changes = field_changes(existing, report)
        item.taken = {c.name for c in item.changes if c.default is Choice.TAKE}
        item.compose()
        return item

    def compose(self) -> None:
        """The record to save: the stored one, the chosen report values, then what was typed."""
        if self.existing is None or self.report is None:
            return
        values: dict[str, Any] = {}
        for change in self.changes:
            if change.name in self.taken:
                values[change.name] = change.after
        values.update(self.typed)
        self.record = replace(self.existing, **values) if values else self.existing

    def choose(self, taken: Iterable[str]) -> None:
        names = {c.name for c in self.changes}
        unknown = set(taken) - names
        if unknown:
            raise UserError("That field is not one the report changes; nothing was chosen.")
        self.taken = set(taken)
        self.compose()

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

    @property
    def label(self) -> str:
        """How the card is named in messages: “updates #12 · meeting Kazakh–Uzbek talks”."""
        return f"“{self.mark} · {self.kind.value} {self.record.heading}”"


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
        # Reading a report is CPU work in a thread; a few at once, so that many servers
        # ingesting together do not take every core from the bot.
        self._readers = asyncio.Semaphore(READERS)

    async def check_editor(self, actor: Actor) -> None:
        await self._desk.check_editor(actor)

    async def review(self, actor: Actor, text: str, *, dateline: date | None) -> Review:
        await self._desk.check_editor(actor)
        today = await self._desk.today(actor.guild_id)
        async with self._readers:
            # Off the event loop: the bot keeps answering every server while a long report
            # is read.
            proposal = await asyncio.to_thread(propose, text, dateline=dateline, today=today)
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
        items = [ReviewItem(str(n), r) if e is None else ReviewItem.matched(str(n), e, r)
                 for n, (r, e) in enumerate(ordered)]
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
        # What the review saw of each record, re-checked inside the write: a record edited
        # (or saved, or deleted) since the review opened refuses the whole save.
        expected = {(i.kind, i.record.uid): None if i.existing is None
                    else record_to_dict(i.existing) for i in kept}
        try:
            report = await self._import(actor, bundle, expected)
        except ChangedSinceRead as changed:
            raise UserError(_changed_text(review, changed)) from None
        return SaveResult(report, chosen, added)

    async def _import(
        self, actor: Actor, bundle: Bundle,
        expected: dict[tuple[RecordType, str], dict[str, Any] | None],
    ) -> ImportReport:
        """As a JSON import: the same reader, the same reference check, one transaction."""
        read, errors = bundle_from_json(bundle_to_json(bundle))
        if not errors:
            errors = await check_bundle(self._changes.records, actor.guild_id, read)
        if errors:
            raise ImportRejected(errors)
        for kind in SECTIONS:
            section = read.section(kind)
            section[:] = [clean_record(r) for r in section]
        counts = await self._changes.import_bundle(actor.guild_id, read, actor_id=actor.user_id,
                                                   expected=expected)
        return ImportReport(counts, len(read))

    def choose(self, review: Review, key: str, taken: Iterable[str]) -> ReviewItem:
        """Which of a stored record's fields take the report's value; the rest keep theirs."""
        item = review.item(key)
        if item.existing is None:
            raise UserError("That record is new: there is no stored value to keep.")
        item.choose(taken)
        return item

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
            if item.existing is not None:
                # Typed values stand whatever is later chosen between stored and report.
                for spec in EDIT_FIELDS.get(record.TYPE, ()):
                    if getattr(record, spec.name) != getattr(item.record, spec.name):
                        item.typed[spec.name] = getattr(record, spec.name)
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
    # The owner is a member or role, set with /followup edit once saved; a report names none.
    RecordType.FOLLOWUP: (
        EditField("what", "What is to be done", TITLE_MAX, required=True),
        EditField("notes", "Notes", LONG_MAX),
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
                        "visits, follow-ups and people can.")
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
    # What an added record needs comes too: a follow-up's visit brings its visitor.
    waiting = list(kept.values())
    while waiting:
        item = waiting.pop()
        for kind, uid in _needed(item.record):
            need = by_uid.get((kind, uid))
            if need is not None and need.key not in kept and need.key not in added:
                added[need.key] = need
                waiting.append(need)
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
    needed = [(kind, uid) for _, kind, uid in links_of(record) if kind in _CITED]
    if isinstance(record, FollowUp) and record.due_before:
        # "Before the visit": the deadline is worked out from the visit, so it comes along.
        anchor = getattr(record, record.due_before)
        if anchor:
            needed.append((RecordType(record.due_before), anchor))
    return needed


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
                # The report's version, under the stored record's identity; the card compares
                # it field by field with the stored one.
                section[index] = replace(record, uid=existing.uid, id=existing.id)
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
    if isinstance(stored, FollowUp) and isinstance(proposed, FollowUp):
        # The same work for the same visit or plan (or the same deadline): read again.
        return (_fold(stored.what) == _fold(proposed.what)
                and (stored.visit, stored.plan) == (proposed.visit, proposed.plan)
                and (bool(stored.due_before) or _same_day(stored.due, proposed.due)))
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


def _changed_text(review: Review, refused: ChangedSinceRead) -> str:
    """Which cards changed since the review opened, and how, for the refusal."""
    by_uid = {(i.kind, i.record.uid): i for i in review.items}
    parts = []
    for changed in refused.changed:
        item = by_uid.get((changed.kind, changed.uid))
        name = item.label if item is not None else f"{changed.kind.value} {changed.uid}"
        if changed.now is None:
            parts.append(f"{name} was deleted")
        elif item is not None and item.existing is None:
            parts.append(f"{name} was saved by someone else as #{changed.number}")
        else:
            fields = ", ".join(f.replace("_", " ") for f in changed.fields if f != "uid")
            parts.append(f"{name} was edited ({fields})")
    return ("Nothing was saved: since this review opened, " + "; ".join(parts) + ". No "
            "record was written, so no newer edit was undone. Run /ingest again to review "
            "the report against what is stored now.")


def field_changes(stored: Record, report: Record) -> list[FieldChange]:
    """Every field the report would change, with the default choice: the stored value is kept
    where the report says less (an office named in part, a month for a known day, a kind
    merely "other"), where a person wrote it (notes, summaries) and where a link is already
    set (the source already cited); otherwise the report's value is taken, lists gaining the
    report's new entries and never losing stored ones."""
    out = []
    for spec in spec_of(stored).fields:
        name = spec.name
        old, new = getattr(stored, name), getattr(report, name)
        after = _taken(old, new)
        if _same_value(old, after):
            continue
        default, why = ((Choice.KEEP, "the desk's own is kept")
                        if isinstance(stored, FollowUp) and name in _DESK_KEPT
                        else _default(spec, name, old, new, after))
        out.append(FieldChange(name, name.replace("_", " ").capitalize(), old, after, default,
                               why))
    return out


def _taken(old: Any, new: Any) -> Any:
    """The value saved when the report's is chosen; an empty report value erases nothing."""
    if isinstance(old, list):
        return _union(old, new)
    return old if new in (None, "") else new


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _fold(a) == _fold(b)
    return bool(a == b)


def _default(spec: Field, name: str, old: Any, new: Any, after: Any) -> tuple[Choice, str]:
    if old in (None, "", []):
        return Choice.TAKE, "fills in what is not stored"
    if name in _KEPT_TEXT:
        return Choice.KEEP, "stored text is kept"
    if spec.kind is FieldKind.REF:
        return Choice.KEEP, "the stored link is kept" if name != "source" else (
            "the source already cited is kept")
    if isinstance(old, list):
        added = len(after) - len(old)
        return Choice.TAKE, f"adds {added} {'entry' if added == 1 else 'entries'}"
    if isinstance(old, FuzzyDate) and isinstance(new, FuzzyDate):
        if _keep_precise(old, new) == old:
            return Choice.KEEP, "the stored date is more precise"
        return Choice.TAKE, "the report's date"
    if isinstance(new, MeetingKind | PlanKind) and new.value == "other":
        return Choice.KEEP, "the report's kind is less specific"
    if isinstance(old, str) and isinstance(new, str) and _words(new) <= _words(old):
        return Choice.KEEP, "the report's is less specific"
    return Choice.TAKE, "the report's value"


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


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
