"""The records a briefing desk keeps: people, meetings, signed plans, visits, sources and
follow-ups."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.fuzzydate import FuzzyDate


class Labelled(StrEnum):
    """An enum whose values are interchange slugs and whose labels are for people."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " "))

    @classmethod
    def parse(cls, text: str) -> Labelled:
        """Accepts the slug or the label in any case; ValueError lists what is accepted."""
        try:
            return cls(text)  # the slug itself, as every export writes it
        except ValueError:
            pass
        key = _slug(text)
        for member in cls:
            if key in (member.value, _slug(member.label)):
                return member
        accepted = ", ".join(m.value for m in cls)
        raise ValueError(f"{text!r} is not one of: {accepted}")


def _slug(text: str) -> str:
    """'Tête-à-tête' -> 'tete_a_tete': accents, case, spaces and hyphens do not matter."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", plain.strip().lower())


_LABELS = {
    "tete_a_tete": "tête-à-tête",
    "delegation_level_talks": "delegation-level talks",
    "mou": "MoU",
}


class MeetingKind(Labelled):
    BILATERAL_TALKS = "bilateral_talks"
    DELEGATION_LEVEL_TALKS = "delegation_level_talks"
    TETE_A_TETE = "tete_a_tete"
    JOINT_WORKING_GROUP = "joint_working_group"
    BUSINESS_MEETING = "business_meeting"
    SITE_VISIT = "site_visit"
    OTHER = "other"


class PlanKind(Labelled):
    ACTION_PLAN = "action_plan"
    MOU = "mou"
    AGREEMENT = "agreement"
    TREATY = "treaty"
    JOINT_STATEMENT = "joint_statement"
    ROADMAP = "roadmap"
    OTHER = "other"


class PlanStatus(Labelled):
    UNDER_NEGOTIATION = "under_negotiation"
    EXPECTED = "expected"
    SIGNED = "signed"
    IN_FORCE = "in_force"
    EXPIRED = "expired"

    @property
    def is_concluded(self) -> bool:
        """Signed, whatever became of it since (in force, or expired)."""
        return self in (PlanStatus.SIGNED, PlanStatus.IN_FORCE, PlanStatus.EXPIRED)


class VisitStatus(Labelled):
    PROPOSED = "proposed"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still expected to happen, so worth reminding about."""
        return self in (VisitStatus.PROPOSED, VisitStatus.PLANNED, VisitStatus.CONFIRMED)


# The open statuses as a record filter asks for them (RecordFilter.statuses).
OPEN_VISIT_STATUSES: tuple[str, ...] = tuple(s.value for s in VisitStatus if s.is_open)


class FollowUpStatus(Labelled):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class RecordType(StrEnum):
    PERSON = "person"
    MEETING = "meeting"
    PLAN = "plan"
    VISIT = "visit"
    SOURCE = "source"
    FOLLOWUP = "followup"

    @property
    def plural(self) -> str:
        return "people" if self is RecordType.PERSON else f"{self.value}s"


def new_uid(kind: RecordType) -> str:
    """A fresh identity for a record typed in by hand; imports bring their own."""
    return f"{kind.value}-{secrets.token_hex(4)}"


# Discord's own limits bound what can be shown, so they bound what is stored.
TITLE_MAX = 256
NAME_MAX = 100
SHORT_MAX = 200
LONG_MAX = 4000
LIST_MAX = 25
UID_MAX = 100
URL_MAX = 1000
SOURCE_TEXT_MAX = 200_000


def person_heading(name: str, title: str) -> str:
    """'Mohammad Ishaq Dar, Foreign Minister': a person's name, and their title if known."""
    return f"{name}, {title}" if title else name


def visit_heading(who: str | None, from_country: str, to_country: str) -> str:
    """'Kassym-Jomart Tokayev: Kazakhstan → Pakistan': who travels (else just 'Visit') and
    the route, however the visitor is known."""
    return f"{who or 'Visit'}: {from_country} → {to_country}"


@dataclass
class Participant:
    """A person's part in a meeting, by the person's uid; `part` is e.g. 'co-chair'."""

    person: str
    part: str = ""


@dataclass
class Signatory:
    """A person who signed a plan, and on whose behalf (e.g. 'Ministry of Foreign Affairs')."""

    person: str
    on_behalf_of: str = ""


@dataclass
class Person:
    name: str
    title: str = ""
    country: str = ""
    notes: str = ""
    source: str | None = None
    uid: str = ""
    id: int | None = None

    TYPE = RecordType.PERSON

    @property
    def heading(self) -> str:
        return person_heading(self.name, self.title)


@dataclass
class Source:
    title: str
    url: str = ""
    published: FuzzyDate | None = None
    summary: str = ""
    text: str = ""
    uid: str = ""
    id: int | None = None

    TYPE = RecordType.SOURCE

    @property
    def heading(self) -> str:
        return self.title


@dataclass
class Meeting:
    title: str
    kind: MeetingKind
    date: FuzzyDate
    place: str = ""
    countries: list[str] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    summary: str = ""
    visit: str | None = None
    source: str | None = None
    uid: str = ""
    id: int | None = None

    TYPE = RecordType.MEETING

    @property
    def heading(self) -> str:
        return self.title


@dataclass
class Plan:
    title: str
    kind: PlanKind
    status: PlanStatus
    date: FuzzyDate | None = None
    place: str = ""
    parties: list[str] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    summary: str = ""
    meeting: str | None = None
    visit: str | None = None
    source: str | None = None
    uid: str = ""
    id: int | None = None

    TYPE = RecordType.PLAN

    @property
    def heading(self) -> str:
        return self.title


@dataclass
class Visit:
    visitor: str | None
    visitor_role: str
    from_country: str
    to_country: str
    date: FuzzyDate
    status: VisitStatus
    end_date: FuzzyDate | None = None
    place: str = ""
    purpose: str = ""
    notes: str = ""
    source: str | None = None
    uid: str = ""
    id: int | None = None

    TYPE = RecordType.VISIT

    @property
    def heading(self) -> str:
        """By the role the visitor travels in: the visitor's name needs their record (see
        registry.headline)."""
        return visit_heading(self.visitor_role, self.from_country, self.to_country)


OWNER_KINDS = ("member", "role")
_OWNER = re.compile(r"(member|role)(?::([1-9][0-9]{0,19}))?")


@dataclass(frozen=True)
class Owner:
    """Who owns a follow-up: a Discord member or role, by id, and the name shown for it.

    A file made elsewhere may name an owner without its id ("role", "Desk editors"); such an
    owner is shown by name and matched by name where a name is all there is.
    """

    kind: str  # "member" or "role"
    id: int | None
    name: str

    @property
    def ref(self) -> str:
        """The stored form: 'role:123', or just 'role' when the id is not known."""
        return f"{self.kind}:{self.id}" if self.id is not None else self.kind

    @property
    def is_role(self) -> bool:
        return self.kind == "role"

    @classmethod
    def parse(cls, ref: str, name: str) -> Owner | None:
        """The owner a follow-up stores, or None for none; ValueError for what is not one."""
        if not ref:
            return None
        match = _OWNER.fullmatch(ref)
        if match is None:
            raise ValueError(
                f"owner {ref!r} must be member:<id>, role:<id>, member or role")
        return cls(match[1], int(match[2]) if match[2] else None, name)


@dataclass
class FollowUp:
    """Preparation work: what is to be done, by whom, by when.

    The deadline is its own date (`due`), or relative to the linked visit or plan
    (`due_before` is "visit" or "plan"; `due_offset` how long before, e.g. "2w"), worked out
    from that record whenever it is read, so it follows the anchor's date.
    """

    what: str
    status: FollowUpStatus = FollowUpStatus.OPEN
    owner: str = ""  # Owner.ref: "member:<id>", "role:<id>"; "" for no owner
    owner_name: str = ""
    due: FuzzyDate | None = None
    due_before: str = ""  # "", "visit" or "plan"
    due_offset: str = ""  # "" (just before) or a lead such as "2w", "3d"
    leads: str = ""  # its own reminder lead times; "" for the server's
    visit: str | None = None
    plan: str | None = None
    meeting: str | None = None
    person: str | None = None
    notes: str = ""
    source: str | None = None
    uid: str = ""
    id: int | None = None

    TYPE = RecordType.FOLLOWUP

    @property
    def heading(self) -> str:
        return self.what

    @property
    def owned_by(self) -> Owner | None:
        try:
            return Owner.parse(self.owner, self.owner_name)
        except ValueError:
            return None

    @property
    def is_open(self) -> bool:
        return self.status is FollowUpStatus.OPEN


Record = Person | Source | Meeting | Plan | Visit | FollowUp


@dataclass
class AuditEntry:
    """One change to one record: who did what, with the record before and after as JSON."""

    id: int
    actor_id: int | None
    action: str
    record_type: RecordType
    record_id: int
    record_uid: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    at: datetime


@dataclass
class GuildSettings:
    """Per-server preferences; defaults apply until an admin changes them."""

    guild_id: int
    timezone: str = "UTC"
    day_first: bool = True
    editor_role_id: int | None = None
    reminder_channel_id: int | None = None
    reminder_leads: str = "7d 1d 2h"
    reminder_role_id: int | None = None
    reminders_paused: bool = False
    reminder_problem: str | None = None
    events_enabled: bool = False
    events_problem: str | None = None
    # When the set-up checklist was posted (aware UTC), None while it is still owed. Only
    # the store's claim writes it, so no settings change can undo or repeat the post.
    setup_posted_at: datetime | None = None
