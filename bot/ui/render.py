"""Rendering records to Discord: embeds within Discord's limits, dates as <t:…> timestamps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar, overload

import discord

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.markup import escape, escape_line
from bot.domain.records import (
    AuditEntry,
    FollowUp,
    Meeting,
    Person,
    Plan,
    PlanStatus,
    Record,
    RecordType,
    Source,
    Visit,
)
from bot.domain.registry import Line, headline, line_of, spec_of
from bot.services.briefing import (
    CONCLUDED,
    Briefing,
    MeetingItem,
    PastOpenVisit,
    PersonRef,
    PlanItem,
    VisitLevel,
    counted,
)
from bot.services.briefing import VisitItem as BriefingVisit
from bot.services.desk import RecordLinks
from bot.services.reminders import Batch

# Discord's limits on one embed and on one message.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_LIMIT = 1024
FIELDS_PER_EMBED = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
CHOICE_NAME_LIMIT = 100

COLOURS = {
    RecordType.MEETING: discord.Colour.blue(),
    RecordType.PLAN: discord.Colour.green(),
    RecordType.VISIT: discord.Colour.gold(),
    RecordType.PERSON: discord.Colour.light_grey(),
    RecordType.SOURCE: discord.Colour.dark_teal(),
    RecordType.FOLLOWUP: discord.Colour.orange(),
}

# No message the bot sends may ping anyone; the reminder role is the one opt-in elsewhere.
NO_PINGS = discord.AllowedMentions.none()


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters, marked with an ellipsis when anything was cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# What is still unknown of a date known only to the month, quarter or year.
_UNSET = {
    Precision.MONTH: "day",
    Precision.QUARTER: "month and day",
    Precision.YEAR: "month and day",
}


def stamp(moment: datetime, style: str = "f") -> str:
    """A Discord timestamp: each reader's client shows it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def when(fd: FuzzyDate | None, zone: str = "UTC", today: date | None = None, *,
         compact: bool = False) -> str:
    """A date as every reader should see it, wherever they are.

    - An exact time: `<t:…:f>` and a relative `<t:…:R>`, which each reader's client shows
      in their own zone.
    - A day without a time: the calendar day as recorded (a day has no one instant that
      is the same date for every reader) and a relative `<t:…:R>` to its start in the
      server's zone; "today" on the day itself.
    - A month, quarter or year: its words and what is not set yet, "November 2025 — day
      not yet set" (or "not recorded" once the period is over), so nobody mistakes it for
      a fixed day. `compact` puts that in brackets, for one line of a list.
    """
    if fd is None:
        return "date not set"
    if fd.has_time:
        moment = fd.start_instant()
        return f"{stamp(moment)} ({stamp(moment, 'R')})"
    if fd.is_exact_day:
        if today is not None and fd.start == today:
            return f"{fd.render()} (today)"
        return f"{fd.render()} ({stamp(fd.start_instant(zone), 'R')})"
    over = today is not None and fd.end <= today
    note = f"{_UNSET[fd.precision]} {'not recorded' if over else 'not yet set'}"
    return f"{fd.render()} ({note})" if compact else f"{fd.render()} — {note}"


def short_when(fd: FuzzyDate | None) -> str:
    """A date as plain words, where Discord shows no markup (autocomplete, labels)."""
    return fd.render() if fd is not None else "undated"


def line_when(fd: FuzzyDate | None, zone: str, today: date | None) -> str:
    """A date for one line of a list: timestamps for times and days, words for the rest."""
    return when(fd, zone, today, compact=True) if fd is not None else "undated"


def person_label(uid: str | None, people: dict[str, Person]) -> str:
    """A person as shown in a card: their name and title, escaped."""
    if not uid:
        return "unnamed"
    person = people.get(uid)
    return escape_line(person.heading if person else uid)


def link_label(ctx: RecordLinks, kind: RecordType, uid: str | None) -> str | None:
    """'#12 Title' for a linked record, its title escaped like all stored text."""
    label = ctx.link(kind, uid)
    return escape_line(label) if label else None


def listed(items: Iterable[str]) -> str:
    """Stored words (countries, topics, fields) as one escaped, comma-separated line."""
    return ", ".join(escape_line(item) for item in items)


class EmbedBuilder:
    """Adds fields while keeping the embed inside every one of Discord's limits."""

    def __init__(self, title: str, colour: discord.Colour, description: str = "") -> None:
        """`title` and `description` are shown as they are: escape stored text first."""
        self.embed = discord.Embed(
            title=clip(title, TITLE_LIMIT),
            colour=colour,
            description=clip(description, DESCRIPTION_LIMIT) if description else None,
        )

    def add(self, name: str, value: str | None, *, inline: bool = True) -> EmbedBuilder:
        if not value or not value.strip():
            return self
        if len(self.embed.fields) >= FIELDS_PER_EMBED:
            return self
        name = clip(name, FIELD_NAME_LIMIT)
        value = clip(value, FIELD_LIMIT)
        room = EMBED_TOTAL_LIMIT - len(self.embed) - len(name) - 64
        if room <= 0:
            return self
        self.embed.add_field(name=name, value=clip(value, min(FIELD_LIMIT, room)), inline=inline)
        return self

    def footer(self, text: str) -> discord.Embed:
        self.embed.set_footer(text=clip(text, FOOTER_LIMIT))
        return self.embed


def bullet(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items if item)


def record_card(record: Record, ctx: RecordLinks, today: date | None = None) -> discord.Embed:
    """The full card for one record, as /… show displays it; `today` in the server's zone."""
    if isinstance(record, Meeting):
        return _meeting_card(record, ctx, today)
    if isinstance(record, Plan):
        return _plan_card(record, ctx, today)
    if isinstance(record, Visit):
        return _visit_card(record, ctx, today)
    if isinstance(record, Person):
        return _person_card(record, ctx)
    if isinstance(record, Source):
        return _source_card(record, ctx, today)
    if isinstance(record, FollowUp) and today is not None:
        # Follow-ups are drawn by their own module, which imports this one.
        from bot.ui.followups import card_of

        return card_of(record, ctx, today)
    # A type without a card of its own here still shows its heading.
    return EmbedBuilder(escape_line(record.heading), discord.Colour.default()).footer(
        card_footer(record))


def card_footer(record: Record) -> str:
    """'Follow-up #12 · uid followup-…': the type by its noun, the number and the uid."""
    return f"{spec_of(record).noun.capitalize()} #{record.id} · uid {record.uid}"


def _meeting_card(m: Meeting, ctx: RecordLinks, today: date | None = None) -> discord.Embed:
    participants = [
        f"{person_label(p.person, ctx.people)}" + (f" — {escape_line(p.part)}" if p.part else "")
        for p in m.participants
    ]
    return (
        EmbedBuilder(escape_line(m.title), COLOURS[RecordType.MEETING], escape(m.summary))
        .add("When", when(m.date, ctx.zone, today))
        .add("Kind", m.kind.label)
        .add("Where", escape_line(m.place))
        .add("Countries", listed(m.countries))
        .add("Participants", bullet(participants), inline=False)
        .add("Topics", listed(m.topics), inline=False)
        .add("During visit", link_label(ctx, RecordType.VISIT, m.visit), inline=False)
        .add("Source", link_label(ctx, RecordType.SOURCE, m.source), inline=False)
        .footer(card_footer(m))
    )


def _plan_card(p: Plan, ctx: RecordLinks, today: date | None = None) -> discord.Embed:
    signatories = [
        person_label(s.person, ctx.people)
        + (f" — for {escape_line(s.on_behalf_of)}" if s.on_behalf_of else "")
        for s in p.signatories
    ]
    return (
        EmbedBuilder(escape_line(p.title), COLOURS[RecordType.PLAN], escape(p.summary))
        .add("Status", p.status.label)
        .add("Kind", p.kind.label)
        .add(plan_date_label(p.status), when(p.date, ctx.zone, today) if p.date else None)
        .add("Where", escape_line(p.place))
        .add("Parties", listed(p.parties), inline=False)
        .add("Signatories", bullet(signatories), inline=False)
        .add(f"Fields of cooperation ({len(p.fields)})", listed(p.fields), inline=False)
        .add("Signed at", link_label(ctx, RecordType.MEETING, p.meeting), inline=False)
        .add("Visit", link_label(ctx, RecordType.VISIT, p.visit), inline=False)
        .add("Source", link_label(ctx, RecordType.SOURCE, p.source), inline=False)
        .footer(card_footer(p))
    )


def plan_date_label(status: PlanStatus) -> str:
    """A concluded plan's date is the day of signing; the others', when signing is expected."""
    return "Signed" if status.is_concluded else "Expected"


def shown_visit_title(v: Visit, people: dict[str, Person]) -> str:
    """'Kassym-Jomart Tokayev: Kazakhstan → Pakistan', escaped to be shown."""
    return escape_line(headline(v, people))


def _visit_card(v: Visit, ctx: RecordLinks, today: date | None = None) -> discord.Embed:
    visitor = person_label(v.visitor, ctx.people) if v.visitor else None
    expected = [f"#{p.id} {escape_line(p.title)} ({p.status.label})" for p in ctx.related_plans]
    return (
        EmbedBuilder(shown_visit_title(v, ctx.people), COLOURS[RecordType.VISIT],
                     escape(v.purpose))
        .add("When", when(v.date, ctx.zone, today))
        .add("Until", when(v.end_date, ctx.zone, today) if v.end_date else None)
        .add("Status", v.status.label)
        .add("Visitor", visitor or escape_line(v.visitor_role))
        .add("Role", escape_line(v.visitor_role) if visitor else None)
        .add("Where", escape_line(v.place))
        .add("Plans", bullet(expected), inline=False)
        .add("Notes", escape(v.notes), inline=False)
        .add("Source", link_label(ctx, RecordType.SOURCE, v.source), inline=False)
        .footer(card_footer(v))
    )


def _person_card(p: Person, ctx: RecordLinks) -> discord.Embed:
    return (
        EmbedBuilder(escape_line(p.name), COLOURS[RecordType.PERSON], escape(p.notes))
        .add("Title", escape_line(p.title))
        .add("Country", escape_line(p.country))
        .add("Source", link_label(ctx, RecordType.SOURCE, p.source), inline=False)
        .footer(card_footer(p))
    )


def _source_card(s: Source, ctx: RecordLinks, today: date | None = None) -> discord.Embed:
    return (
        EmbedBuilder(escape_line(s.title), COLOURS[RecordType.SOURCE], escape(s.summary))
        .add("Published", when(s.published, ctx.zone, today) if s.published else None)
        .add("Address", escape_line(s.url), inline=False)
        .add("Text", f"{len(s.text):,} characters kept" if s.text else None)
        .footer(card_footer(s))
    )


def list_line(record: Record | Line, people: Mapping[str, Person] | None = None, *,
              zone: str = "UTC", today: date | None = None) -> str:
    """One record on one line of a list; its stored text escaped, so it cannot add markup.
    A full record's linked people are looked up in `people`; a Line has them already."""
    line = record if isinstance(record, Line) else line_of(record, people or {})
    head = f"`#{line.id}`"
    kind = line.type
    if kind is RecordType.MEETING:
        place = line["place"]
        where = f" ({escape_line(place)})" if place else ""
        return (f"{head} {line_when(line['date'], zone, today)} · "
                f"**{escape_line(line.headline)}**{where}")
    if kind is RecordType.PLAN:
        return (f"{head} {line_when(line['date'], zone, today)} · "
                f"**{escape_line(line.headline)}** · {line['status'].label}")
    if kind is RecordType.VISIT:
        return (f"{head} {line_when(line['date'], zone, today)} · "
                f"**{escape_line(line.headline)}** · {line['status'].label}")
    if kind is RecordType.PERSON:
        extra = ", ".join(escape_line(x) for x in (line["title"], line["country"]) if x)
        return f"{head} **{escape_line(line['name'])}**" + (f" · {extra}" if extra else "")
    if kind is RecordType.SOURCE:
        return (f"{head} {line_when(line['published'], zone, today)} · "
                f"**{escape_line(line.headline)}**")
    return f"{head} **{escape_line(line.headline)}**"


def choice_label(record: Record | Line, people: Mapping[str, Person] | None = None) -> str:
    """What autocomplete shows for a record: plain text, at most 100 characters."""
    if isinstance(record, FollowUp):
        from bot.ui.followups import choice_label as followup_choice

        return followup_choice(record)
    line = record if isinstance(record, Line) else line_of(record, people or {})
    text = f"#{line.id} {line.headline}"
    if line.type in _DATED_CHOICES:
        text += f", {short_when(line['date'])}"
    return clip(text, CHOICE_NAME_LIMIT)


# The types whose suggestions add their date to the heading (a source's shows its title).
_DATED_CHOICES = (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT)


def list_embed(
    title: str, kind: RecordType, lines: Sequence[str], *, page: int, pages: int, total: int,
    empty: str, more: bool = False,
) -> discord.Embed:
    body = "\n".join(lines) if lines else empty
    embed = discord.Embed(title=clip(title, TITLE_LIMIT), colour=COLOURS[kind],
                          description=clip(body, DESCRIPTION_LIMIT))
    spec = spec_of(kind)
    noun = spec.noun if total == 1 and not more else spec.nouns
    if more:
        # Counting stopped: a filter (country, dates, status) narrows the list.
        embed.set_footer(text=f"Page {page} of {pages}+ · {total:,}+ {noun}; narrow it "
                              "with a filter to see older ones")
    else:
        embed.set_footer(text=f"Page {page} of {pages} · {total} {noun}")
    return embed


def history_lines(entries: Sequence[AuditEntry]) -> list[str]:
    lines = []
    for entry in entries:
        stamp = int(entry.at.timestamp())
        who = f"<@{entry.actor_id}>" if entry.actor_id else "the command line"
        changed = changed_fields(entry)
        detail = f": {listed(changed)}" if changed else ""
        lines.append(f"<t:{stamp}:f> · **{entry.action}** by {who}{detail}")
    return lines


def changed_fields(entry: AuditEntry) -> list[str]:
    if entry.before is None or entry.after is None:
        return []
    keys = dict.fromkeys([*entry.before, *entry.after])
    return [k for k in keys if entry.before.get(k) != entry.after.get(k)]


# --- briefing -------------------------------------------------------------------------------

# Discord counts the 6000 characters over every embed of a message, so the briefing's parts
# share them: overview, plans, meetings, then people and sources. What a part leaves unused
# passes on to the next; the rest is a margin for Discord's own counting.
BRIEFING_SHARES = (1700, 2000, 1500, 700)
# One entry of a list is cut here, so one plan with 25 long fields cannot crowd out the rest.
ENTRY_LIMIT = 600
# An entry cut shorter than this says too little to be worth showing.
MIN_ENTRY = 40


# A brief repeats the same few routes, roles and names many times over.
@lru_cache(maxsize=2048)
def _md(text: str) -> str:
    """User text shown as written: no character of it is formatting (bot.domain.markup)."""
    return escape_line(text)


def fit_entries(entries: Sequence[str], limit: int, hint: str = "") -> str:
    """As many whole entries as fit in `limit` characters, then a count of the rest.

    Entries are read only as far as they fit, so a lazy sequence (see Lazy) renders only
    what is shown, however many there are."""
    if limit <= 0 or not entries:
        return ""
    total = len(entries)

    def line(index: int) -> str:
        return clip(entries[index], min(ENTRY_LIMIT, limit))

    def more(count: int) -> str:
        return f"… and {count} more" + (f" ({hint})" if hint else "")

    kept: list[str] = []
    used = 0
    for index in range(total):
        entry = line(index)
        rest = total - index - 1
        cost = used + (1 if kept else 0) + len(entry)
        # An entry stays only if the note about those after it still fits behind it.
        if cost + (len(more(rest)) + 1 if rest else 0) > limit:
            break
        kept.append(entry)
        used = cost
    if not kept:
        # Better the first entry cut short than a field that only says how many are hidden.
        rest = total - 1
        room = limit - (len(more(rest)) + 1 if rest else 0)
        if room >= MIN_ENTRY:
            kept.append(clip(line(0), room))
    left = total - len(kept)
    return clip("\n".join([*kept, more(left)] if left else kept), limit)


T = TypeVar("T")


class Lazy(Sequence[str]):
    """Entries rendered when first read: a brief with 200 levels renders the few that fit."""

    def __init__(self, items: Sequence[T], render: Callable[[T], str]) -> None:
        self._items: Sequence[Any] = items
        self._render: Callable[[Any], str] = render
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index not in self._done:
            self._done[index] = self._render(self._items[index])
        return self._done[index]


class _BriefingPart:
    """One embed of the briefing, kept within its share of the message's characters."""

    def __init__(self, title: str, colour: discord.Colour, budget: int) -> None:
        self.embed = discord.Embed(title=clip(title, TITLE_LIMIT), colour=colour)
        self.budget = budget

    @property
    def room(self) -> int:
        return self.budget - len(self.embed)

    def describe(self, text: str) -> None:
        room = min(DESCRIPTION_LIMIT, self.room)
        if room >= MIN_ENTRY:
            self.embed.description = clip(text, room)

    def fields(self, items: Sequence[tuple[str, Sequence[str], str]]) -> None:
        """(name, entries, hint) fields sharing the room evenly; what one leaves, the next uses."""
        items = [item for item in items if item[1]][: FIELDS_PER_EMBED - len(self.embed.fields)]
        for index, (name, entries, hint) in enumerate(items):
            name = clip(name, FIELD_NAME_LIMIT)
            share = self.room // (len(items) - index) - len(name)
            value = fit_entries(entries, min(FIELD_LIMIT, share), hint)
            if value:
                self.embed.add_field(name=name, value=value, inline=False)

    def footer(self, text: str) -> None:
        if len(text) <= self.room:
            self.embed.set_footer(text=clip(text, FOOTER_LIMIT))

    @property
    def used(self) -> int:
        return len(self.embed)


def _upcoming_entry(v: BriefingVisit, zone: str) -> str:
    parts = [f"**{_md(v.who)}**", _md(v.route), when(v.date, zone), v.status.label]
    if v.place:
        parts.append(_md(v.place))
    return " · ".join(parts)


def _levels_name(b: Briefing) -> str:
    """The levels' field name, saying how many there are when the brief shows only some
    (its "… and N more" counts only within those it holds)."""
    if b.levels_total is None:
        return f"Last visit at each level ({len(b.levels)} most relevant)"
    if b.levels_total > len(b.levels):
        return f"Last visit at each level ({len(b.levels)} of {b.levels_total:,})"
    return "Last visit at each level"


def _level_entry(level: VisitLevel) -> str:
    line = level.line
    return f"{_md(level.route)}: {_md(line[:1].upper() + line[1:])}"


def _past_open_entry(past: PastOpenVisit) -> str:
    question = past.question
    return (f"{_md(past.route)}: {_md(question[:1].upper() + question[1:])} "
            f"`{past.command}` (or postponed, cancelled)")


def _person_entry(p: PersonRef, *, part: bool = True) -> str:
    text = f"{_md(p.name)}, {_md(p.title)}" if p.title else _md(p.name)
    return f"{text} — {_md(p.part)}" if part and p.part else text


def _plan_entry(p: PlanItem, zone: str, today: date | None = None) -> str:
    head = [f"**{_md(clip(p.title, 120))}**", p.kind]
    if p.date is not None:
        verb = "" if p.status in CONCLUDED else "expected "
        head.append(verb + when(p.date, zone, today))
    if p.place:
        head.append(_md(clip(p.place, 60)))
    lines = [" · ".join(head)]
    if p.signatories:
        names = "; ".join(
            f"{_md(s.name)} ({_md(s.part)})" if s.part else _md(s.name) for s in p.signatories
        )
        lines.append(clip(f"Signed by {names}", 200))
    if p.fields:
        lines.append(clip(f"Fields ({len(p.fields)}): {_md(', '.join(p.fields))}", 250))
    return "\n".join(lines)


def _meeting_lines(m: MeetingItem, zone: str, today: date | None = None) -> list[str]:
    """The date line, then one line per participant, so a long list loses whole people."""
    head = [when(m.date, zone, today), m.kind]
    if m.place:
        head.append(_md(clip(m.place, 80)))
    return [" · ".join(head), *(clip(_person_entry(p), 150) for p in m.participants)]


def briefing_empty(b: Briefing) -> str:
    """The answer when a server has nothing on the country: a pointer, not an error."""
    return (
        f"Nothing is recorded for **{_md(b.country)}** in this server yet. Add what you know "
        "with `/meeting add`, `/plan add`, `/visit add` and `/person add` (Manage Server or "
        "the editor role), or have an admin import a JSON file with `attache import`; then "
        f"`/briefing country:{b.country.replace('`', '')}` will show it."
    )


def briefing_embeds(b: Briefing) -> list[discord.Embed]:
    """The briefing as at most four embeds that together stay within one message's limits."""
    shares = list(BRIEFING_SHARES)
    carry = 0
    parts: list[_BriefingPart] = []

    def part(title: str, colour: discord.Colour) -> _BriefingPart:
        nonlocal carry
        made = _BriefingPart(title, colour, shares[len(parts)] + carry)
        parts.append(made)
        return made

    def close(made: _BriefingPart) -> None:
        nonlocal carry
        carry = max(0, made.budget - made.used)

    h = b.headline
    overview = part(f"Briefing: {_md(b.country)}", discord.Colour.blurple())
    overview.describe(
        f"As of {b.today.day} {b.today:%B %Y} · {h.period}: "
        f"**{counted(h.meetings)}** meeting{'' if h.meetings == 1 else 's'} · "
        f"**{counted(h.plans_signed)}** plan{'' if h.plans_signed == 1 else 's'} signed · "
        f"**{counted(h.visits)}** visit{'' if h.visits == 1 else 's'}"
    )
    # Lists are rendered lazily: only the entries that fit are ever built.
    upcoming = Lazy(b.upcoming, lambda v: _upcoming_entry(v, b.zone))
    overview.fields([
        (f"Upcoming visits ({len(b.upcoming)})",
         upcoming or ["None recorded; add one with `/visit add`."], "/visit upcoming"),
        ("Preparations for the visit", Lazy(b.preparations, lambda p: _md(p.line)),
         "/followup list"),
        (_levels_name(b), Lazy(b.levels, _level_entry), "/visit list"),
        ("Was it held?", Lazy(b.past_open, _past_open_entry), "/visit upcoming"),
    ])
    close(overview)

    if b.plans:
        plans = part(f"Plans and agreements with {_md(b.country)}", COLOURS[RecordType.PLAN])
        plans.fields([
            (f"{group.label} ({counted(group.total)})",
             Lazy(group.plans, lambda p: _plan_entry(p, b.zone, b.today)),
             "/plan list")
            for group in b.plans
        ])
        close(plans)

    if b.meetings:
        meetings = part("Latest meetings", COLOURS[RecordType.MEETING])
        # The footer goes first so the fields leave room for it.
        if b.totals.meetings > len(b.meetings):
            meetings.footer(f"The {len(b.meetings)} latest of {counted(b.totals.meetings)}"
                            " meetings recorded; /meeting list shows them all.")
        meetings.fields([
            (clip(_md(m.title), 120), _meeting_lines(m, b.zone, b.today), "") for m in b.meetings
        ])
        close(meetings)

    if b.people or b.sources:
        who = part(f"People and sources: {_md(b.country)}", COLOURS[RecordType.PERSON])
        sources = Lazy(b.sources, lambda s: _md(s.title) + (
            f" ({s.published.render()})" if s.published else ""))
        who.fields([
            (f"Key people from {_md(b.country)}",
             Lazy(b.people, lambda p: _person_entry(p, part=False)),
             "/person list"),
            ("Sources", sources, "/source list"),
        ])
        close(who)
    return [p.embed for p in parts]


# --- reminders --------------------------------------------------------------------------


def reminder_message(batch: Batch) -> tuple[str, list[discord.Embed]]:
    """The text and cards of one reminder post; several due at once make one digest."""
    late = " (late — the bot was offline)" if batch.late else ""
    lines = []
    for row in batch.rows:
        visit = batch.visits.get(row.visit_id)
        if visit is None:
            continue
        title = shown_visit_title(visit, batch.links.people)
        lines.append(f"**{title}** — {row.headline}{late}")
    head = "Reminder" if len(lines) == 1 else f"{len(lines)} reminders"
    ping = f"<@&{batch.role_id}> " if batch.role_id else ""
    content = clip(f"{ping}⏰ {head}:\n" + "\n".join(lines), CONTENT_LIMIT)
    embeds = [
        reminder_card(visit, batch.links, batch.plans.get(visit.uid, []))
        for visit in list(batch.visits.values())[:10]
    ]
    return content, embeds


def reminder_card(visit: Visit, links: RecordLinks, plans: Sequence[Plan]) -> discord.Embed:
    expected = [f"{escape_line(p.title)} ({p.status.label})" for p in plans]
    who = (person_label(visit.visitor, links.people) if visit.visitor
           else escape_line(visit.visitor_role))
    return (
        EmbedBuilder(shown_visit_title(visit, links.people), COLOURS[RecordType.VISIT],
                     escape(visit.purpose))
        .add("When", when(visit.date, links.zone))
        .add("Who", who)
        .add("Where", escape_line(visit.place or visit.to_country))
        .add("Status", visit.status.label)
        .add("Plans expected", bullet(expected), inline=False)
        .footer(f"Visit #{visit.id} · /visit show visit:#{visit.id}")
    )


def reminder_mentions(batch: Batch) -> discord.AllowedMentions:
    """The reminder role, and only it, may be pinged; stored text never pings anyone."""
    if batch.role_id is None:
        return NO_PINGS
    return discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                   roles=[discord.Object(batch.role_id)])
