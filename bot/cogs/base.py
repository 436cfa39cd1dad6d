"""What every cog shares: who is asking, showing a record card, editing long text in a form."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import discord
from discord.ext import commands

from bot.domain.dateparse import ParsedDate
from bot.domain.errors import UserError
from bot.domain.markup import escape_line
from bot.domain.records import (
    LONG_MAX,
    Labelled,
    Person,
    Plan,
    PlanStatus,
    Record,
    RecordType,
    Source,
    Visit,
    VisitStatus,
)
from bot.domain.registry import date_of, spec_of
from bot.services.access import Actor
from bot.services.desk import DeskService
from bot.stores.records import RecordFilter
from bot.ui.followups import attach_followups
from bot.ui.render import NO_PINGS, list_embed, list_line, record_card
from bot.ui.views import ConfirmView, LongTextModal, OwnedView, send_pages

if TYPE_CHECKING:
    from bot.bot import AttacheBot


# Discord drops an interaction not answered within 3 seconds; past this, the bot defers.
DEFER_AFTER = 2.0


async def answer_in_time(interaction: discord.Interaction, work: Awaitable[T]) -> T:
    """Runs slow work without missing Discord's 3-second deadline.

    The usual case answers directly; only when the work is still running after
    DEFER_AFTER seconds is the interaction deferred (a public "thinking…"), so the answer
    that follows edits it in place.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(thinking=True)
    return await task


async def send_answer(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Sends the answer whether or not answer_in_time had to defer."""
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def actor_of(interaction: discord.Interaction) -> Actor:
    assert interaction.guild_id is not None
    user = interaction.user
    roles = frozenset(r.id for r in user.roles) if isinstance(user, discord.Member) else frozenset()
    return Actor(
        guild_id=interaction.guild_id,
        user_id=user.id,
        can_manage_guild=interaction.permissions.manage_guild,
        role_ids=roles,
    )


def understood(label: str, parsed: ParsedDate | None, *, kept_in: str = "") -> str:
    """The echo of how a typed date was read, e.g. 'Date: November 2025 — month only…';
    `kept_in` names the field a qualifier ("late November 2025") was written into."""
    if parsed is None:
        return ""
    kept = (f"; “{parsed.qualifier}” is kept in the {kept_in}"
            if parsed.qualifier and kept_in else "")
    return f"{label}: {escape_line(parsed.interpretation)}{kept}"


def with_qualifier(text: str, parsed: ParsedDate | None) -> str:
    """`text` with a line keeping what the date itself cannot say ("late November 2025")."""
    if parsed is None or not parsed.qualifier:
        return text
    line = f"Date given as “{parsed.qualifier}”."
    if line in text:
        return text
    return f"{text}\n{line}" if text else line


T = TypeVar("T")
# The summary typed into a slash option is meant to be short; the card's "Edit summary"
# form takes the full 4000 characters, which no one should have to type into one line.
SUMMARY_OPTION_MAX = 1000
# A list option holds up to 25 entries of up to 100 characters each, with their parts.
LIST_TEXT_MAX = LONG_MAX
Order = Literal["oldest first", "newest first"]
PAGE_SIZE = 10
# A list counts its matches only this far ("1,000+"); narrow it with filters to see more.
COUNT_CAP = 1000


def filter_title(noun: str, *parts: str | None, after: ParsedDate | None,
                 before: ParsedDate | None) -> str:
    """'Meetings · Kazakhstan · from September 2025': the list's title says what it holds."""
    shown = [p for p in parts if p]
    if after is not None:
        shown.append(f"from {after.date.render()}")
    if before is not None:
        shown.append(f"before {before.date.render()}")
    return " · ".join([noun, *shown])


class DeskCog(commands.Cog):
    def __init__(self, bot: AttacheBot) -> None:
        self.bot = bot

    @property
    def desk(self) -> DeskService:
        return self.bot.desk

    async def show(
        self, interaction: discord.Interaction, record: Record, *, note: str = "",
        edited: bool = False,
    ) -> None:
        """Sends (or, after a form, replaces) a record's card with a button for its long text."""
        assert interaction.guild_id is not None
        links = await self.desk.links(interaction.guild_id, [record])
        embed = record_card(record, links, await self.desk.today(interaction.guild_id))
        view = LongTextButton(self, interaction.user.id, record)
        attach_followups(view, record)  # a visit's or plan's card lists its follow-ups
        if edited:
            await interaction.response.edit_message(content=note or None, embed=embed, view=view)
        else:
            await interaction.response.send_message(
                content=note or None, embed=embed, view=view, allowed_mentions=NO_PINGS
            )
        view.message = await interaction.original_response()


    async def send_filtered(
        self, interaction: discord.Interaction, kind: RecordType, *,
        country: str | None = None, of_kind: Labelled | None = None,
        status: Labelled | None = None, after: ParsedDate | None = None,
        before: ParsedDate | None = None, order: Order = "oldest first",
    ) -> None:
        """`/<type> list` with the filters every list offers; its title says what it holds."""
        flt = RecordFilter(
            country=country, kinds=[of_kind.value] if of_kind else [],
            statuses=[status.value] if status else [],
            date_from=after.date.start if after else None,
            date_to=before.date.start if before else None,
            newest_first=order == "newest first",
        )
        nouns = spec_of(kind).nouns
        title = filter_title(nouns.capitalize(), country,
                             of_kind.label if of_kind else None,
                             status.label if status else None, after=after, before=before)
        filtered = any((country, of_kind, status, after, before))
        empty = (f"No {nouns} match these filters." if filtered
                 else f"No {nouns} yet. Add one with /{kind.value} add.")
        await self.send_list(interaction, kind, title, flt, empty=empty)

    async def send_list(
        self, interaction: discord.Interaction, kind: RecordType, title: str,
        flt: RecordFilter, *, empty: str,
    ) -> None:
        """A filtered list, PAGE_SIZE records a page, each page read when it is shown."""
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        flt = replace(flt, limit=PAGE_SIZE, offset=0)
        # One read for the page, its count and its visitors' names; the zone is kept.
        first = await self.desk.line_page(guild_id, kind, flt, cap=COUNT_CAP)
        zone = (await self.desk.settings(guild_id)).timezone
        today = self.desk.today_in(zone)

        async def load(index: int) -> discord.Embed:
            page = first if index == 0 else await self.desk.line_page(
                guild_id, kind, replace(flt, offset=index * PAGE_SIZE), counted=False)
            lines = [list_line(r, zone=zone, today=today) for r in page.items]
            return list_embed(title, kind, lines, page=index + 1, pages=first.pages,
                              total=first.shown_total, more=first.more, empty=empty)

        await send_pages(interaction, first.pages, load)


class LongTextButton(OwnedView):
    """One button under a card that opens a form for the record's summary or notes."""

    def __init__(self, cog: DeskCog, owner_id: int, record: Record) -> None:
        super().__init__(owner_id, timeout=600)
        self.cog = cog
        self.record = record
        spec = spec_of(record)
        self.field = spec.note
        self.edit_text.label = f"Edit {spec.note_label.lower()}"

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary, custom_id="long_text")
    async def edit_text(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        # Refuse before the form opens, so nobody types 4000 characters only to be told no.
        await self.cog.desk.check_editor(actor_of(interaction))
        kind = self.record.TYPE
        label = spec_of(kind).note_label

        async def save(submitted: discord.Interaction, text: str) -> None:
            assert self.record.id is not None
            changes = {self.field: text}
            record = await self.cog.desk.edit(actor_of(submitted), kind, self.record.id, **changes)
            self.record = record
            await self.cog.show(submitted, record, note=f"{label} saved.", edited=True)

        await interaction.response.send_modal(LongTextModal(
            title=f"{label}: {self.record.heading}"[:45].strip(), label=label,
            default=getattr(self.record, self.field), on_text=save,
        ))


async def confirm_delete(
    cog: DeskCog, interaction: discord.Interaction, record: Record
) -> None:
    """Asks before deleting; the audit log keeps the full record either way."""
    assert record.id is not None
    await cog.desk.check_editor(actor_of(interaction))
    kind = record.TYPE
    view = ConfirmView(interaction.user.id, confirm_label=f"Delete {spec_of(kind).noun}")
    await interaction.response.send_message(
        f"Delete {spec_of(kind).noun} #{record.id} **{escape_line(record.heading)}**? "
        "Its full content stays in `/history`.",
        view=view, ephemeral=True, allowed_mentions=NO_PINGS,
    )
    view.message = await interaction.original_response()
    await view.wait()
    if view.confirmed is None:
        return  # on_timeout already disabled the buttons
    answer = view.interaction
    if not view.confirmed:
        await answer.response.edit_message(content="Nothing was deleted.", view=None)
        return
    try:
        deleted = await cog.desk.delete(actor_of(answer), kind, record.id)
    except UserError as exc:
        await answer.response.edit_message(content=exc.message, view=None)
        return
    name = escape_line(deleted.heading)
    await answer.response.edit_message(
        content=f"Deleted {spec_of(kind).noun} #{deleted.id} **{name}**. `/history` still shows"
        " it.",
        view=None,
    )


async def confirmed(
    interaction: discord.Interaction, warnings: list[str], *, label: str = "Save anyway",
) -> discord.Interaction | None:
    """The interaction to go on with: `interaction` itself when there is nothing to warn
    about; else the warnings are put to the member privately, and the press of their
    "Save anyway" button is returned — or None when they cancel or do not answer."""
    if not warnings:
        return interaction
    view = ConfirmView(interaction.user.id, confirm_label=label)
    view.confirm.style = discord.ButtonStyle.primary
    question = "\n".join(f"⚠ {w}" for w in warnings) + "\nSave it anyway?"
    await interaction.response.send_message(question, view=view, ephemeral=True,
                                            allowed_mentions=NO_PINGS)
    view.message = await interaction.original_response()
    await view.wait()
    if view.confirmed is None:
        return None  # on_timeout disabled the buttons; nothing was saved
    answer = view.interaction
    if not view.confirmed:
        await answer.response.edit_message(content=f"{question}\nNothing was saved.", view=None)
        return None
    await interaction.edit_original_response(content=f"{question}\nSaved anyway.", view=None)
    return answer


async def duplicate_warning(desk: DeskService, guild_id: int, record: Record) -> str | None:
    """'Visit #3 … is already recorded for November 2025.' when a record of the same type,
    with the same title (or the same sides, for a visit) and the same date, exists."""
    existing = await _same_as(desk, guild_id, record)
    if existing is None:
        return None
    kind = record.TYPE.value
    dated = date_of(existing)
    on = f" for {dated.render()}" if dated is not None else ""
    return (f"{kind.capitalize()} #{existing.id} “{escape_line(existing.heading)}” is already "
            f"recorded{on}. `/{kind} show {kind}:#{existing.id}` shows it; "
            f"`/{kind} edit` changes it.")


def ahead_warning(record: Record, today: date) -> str | None:
    """A status that says something happened, on a date still ahead: a plan signed or in
    force, a visit completed."""
    if isinstance(record, Plan) and record.date is not None and record.date.start > today \
            and record.status in (PlanStatus.SIGNED, PlanStatus.IN_FORCE):
        return (f"The plan is marked {record.status.label}, but its date, "
                f"{record.date.render()}, is still ahead (today is {_day(today)}).")
    if isinstance(record, Visit) and record.date.start > today \
            and record.status is VisitStatus.COMPLETED:
        return (f"The visit is marked {record.status.label}, but it starts "
                f"{record.date.render()}, still ahead (today is {_day(today)}).")
    return None


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


async def _same_as(desk: DeskService, guild_id: int, record: Record) -> Record | None:
    kind = record.TYPE
    when = date_of(record)
    if isinstance(record, Visit):
        flt = RecordFilter(country=record.from_country, limit=50)
    elif isinstance(record, Person):
        flt = RecordFilter(title_words=record.name, limit=50)
    else:
        flt = RecordFilter(title_words=record.heading, limit=50)
    if when is not None and not isinstance(record, Source):
        # (A source's filter reads its publication's start only; its title narrows enough.)
        flt = replace(flt, date_from=when.start, date_to=when.end)
    for other in (await desk.page(guild_id, kind, flt)).items:
        if isinstance(record, Visit) and isinstance(other, Visit):
            # Two visitors on one day are two visits: the same visitor (or role) is one.
            who = (record.visitor or "", _fold(record.visitor_role))
            same = (other.from_country, other.to_country, other.date) == (
                record.from_country, record.to_country, record.date) and (
                (other.visitor or "", _fold(other.visitor_role)) == who
                or bool(record.visitor and other.visitor == record.visitor))
        elif isinstance(record, Person) and isinstance(other, Person):
            same = (_fold(other.name), other.country) == (_fold(record.name), record.country)
        else:
            same = _fold(other.heading) == _fold(record.heading) and date_of(other) == when
        if same:
            return other
    return None


def bot_of(interaction: discord.Interaction) -> AttacheBot:
    return cast("AttacheBot", interaction.client)
