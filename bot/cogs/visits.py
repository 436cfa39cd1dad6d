"""/visit: add, list, upcoming, show, edit, postpone, cancel and delete visits."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import (
    DeskCog,
    Order,
    actor_of,
    ahead_warning,
    confirm_delete,
    confirmed,
    duplicate_warning,
    understood,
    with_qualifier,
)
from bot.cogs.edits import CLEARS, Changes, settled
from bot.domain.dateparse import Facing, ParsedDate
from bot.domain.errors import UserError
from bot.domain.facing import visit_facing
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    LONG_MAX,
    NAME_MAX,
    OPEN_VISIT_STATUSES,
    SHORT_MAX,
    Person,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.stores.records import RecordFilter
from bot.ui import held
from bot.ui.transformers import (
    ChoiceTransformer,
    Cleared,
    CountryOption,
    DateEdit,
    DateOption,
    DateRangeEdit,
    DateRangeOption,
    PersonEdit,
    PersonOption,
    SideEdit,
    SideOption,
    SourceEdit,
    SourceOption,
    VisitOption,
)

if TYPE_CHECKING:
    from bot.bot import AttacheBot

StatusOption = app_commands.Transform[VisitStatus, ChoiceTransformer(VisitStatus)]


def parsed(value: ParsedDate | Cleared | None) -> ParsedDate | None:
    """The date typed into an edit option, if one was (not left out, not cleared)."""
    return value if isinstance(value, ParsedDate) else None


def last_day(date: ParsedDate, end_date: ParsedDate | Cleared | None) -> FuzzyDate | None:
    """The visit's last day: the end of a range typed as its date, or the end_date option;
    both at once would say the same thing twice, so that is refused."""
    if date.end is not None:
        if isinstance(end_date, ParsedDate):
            raise UserError(f"Not saved: “{date.text}” already gives the last day "
                            f"({date.end.render()}); leave end_date out, or give the date as "
                            "one day. See /help topic:dates.")
        return date.end
    return end_date.date if isinstance(end_date, ParsedDate) else None


def _stamp(note: str, reason: str | None, today: str) -> str:
    """Appends a dated line to a visit's notes, so the reason for a change is kept."""
    if not reason:
        return note
    line = f"{today}: {reason}"
    return f"{note}\n{line}" if note else line


@app_commands.guild_only()
class VisitsCog(DeskCog, commands.GroupCog, group_name="visit",
                group_description="Visits: who goes where, and when"):
    @app_commands.command(name="add", description="Record a visit, past or planned")
    @app_commands.describe(
        from_country="The visitor's country",
        to_country="The country visited",
        date="When: 15 Nov 2025, 24–26 Nov 2025, late November 2025, Q4 2025, H1 2026…",
        visitor="The person visiting, if known (add them with /person add)",
        visitor_role="Their role for this visit, e.g. President, Foreign Minister",
        status="How settled the visit is (default: planned)",
        end_date="The last day, if known",
        place="City or venue",
        purpose="What the visit is for",
        source="The report or communiqué this comes from",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        from_country: SideOption,
        to_country: SideOption,
        date: DateRangeOption,
        visitor: PersonOption | None = None,
        visitor_role: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        status: StatusOption = VisitStatus.PLANNED,
        end_date: DateOption | None = None,
        place: app_commands.Range[str, 1, NAME_MAX] | None = None,
        purpose: app_commands.Range[str, 1, LONG_MAX] | None = None,
        source: SourceOption | None = None,
    ) -> None:
        role = visitor_role or (visitor.title if isinstance(visitor, Person) else "")
        if visitor is None and not role:
            raise UserError("Say who is visiting: pick a visitor, or give a visitor_role "
                            "such as 'President'.")
        # "15 March" for a planned visit is the next 15 March; for one held, the last.
        today = await self.desk.today(visit_guild(interaction))
        date = settled(date, visit_facing(status), today)
        end_date = settled(end_date, Facing.AHEAD, date.date.start, anchor="the start")
        last = last_day(date, end_date)
        visit = Visit(
            visitor=visitor.uid if visitor else None, visitor_role=role,
            from_country=from_country, to_country=to_country, date=date.date,
            end_date=last, status=status, place=place or "",
            purpose=purpose or "", source=source.uid if source else None,
            notes=with_qualifier("", date),
        )
        warnings = [await duplicate_warning(self.desk, visit_guild(interaction), visit),
                    ahead_warning(visit, today)]
        answer = await confirmed(interaction, [w for w in warnings if w])
        if answer is None:
            return
        saved = await self.desk.add(actor_of(answer), visit)
        echo = "\n".join(filter(None, [understood("Date", date, kept_in="visit's notes"),
                                       understood("Until", end_date)]))
        await self.show(answer, saved, note=f"Saved visit #{saved.id}.\n{echo}")

    @app_commands.command(name="list", description="List visits, filtered as you like")
    @app_commands.describe(
        country="Visits from or to this country",
        status="Only visits with this status",
        after="Only visits on or after this date",
        before="Only visits before this date",
        order="Oldest or newest first (default: oldest first)",
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        country: CountryOption | None = None,
        status: StatusOption | None = None,
        after: DateOption | None = None,
        before: DateOption | None = None,
        order: Order = "oldest first",
    ) -> None:
        await self.send_filtered(interaction, RecordType.VISIT, country=country, status=status,
                                 after=after, before=before, order=order)

    @app_commands.command(name="upcoming", description="Visits still ahead, soonest first")
    @app_commands.describe(
        country="Visits from or to this country",
        days="How far ahead to look, in days (default: all)",
    )
    async def upcoming(
        self,
        interaction: discord.Interaction,
        country: CountryOption | None = None,
        days: app_commands.Range[int, 1, 3660] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        today = await self.desk.today(interaction.guild_id)
        flt = RecordFilter(
            country=country, statuses=OPEN_VISIT_STATUSES, date_from=today,
            date_to=today + timedelta(days=days + 1) if days else None,
        )
        title = "Upcoming visits" + (f" in the next {days} days" if days else "")
        await self.send_list(interaction, RecordType.VISIT, title, flt,
                             empty="No visits ahead. Add one with /visit add.")
        # Then, on their own, visits that passed still marked open: was each one held?
        await held.follow_up(interaction, country)

    @app_commands.command(name="show", description="Everything about one visit")
    @app_commands.describe(visit="The visit (start typing a name or country)")
    async def show_(self, interaction: discord.Interaction, visit: VisitOption) -> None:
        await self.show(interaction, visit)

    @app_commands.command(name="edit", description="Change some fields of a visit; - clears one")
    @app_commands.describe(
        visit="The visit to change",
        date="New date (the reply says how it was read)",
        end_date="New last day" + CLEARS,
        status="New status",
        visitor="New visitor" + CLEARS,
        visitor_role="New role for the visit" + CLEARS,
        from_country="New visitor's country",
        to_country="New country visited",
        place="New city or venue" + CLEARS,
        purpose="New purpose" + CLEARS,
        source="New source" + CLEARS,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        visit: VisitOption,
        date: DateRangeEdit | None = None,
        end_date: DateEdit | None = None,
        status: StatusOption | None = None,
        visitor: PersonEdit | None = None,
        visitor_role: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        from_country: SideEdit | None = None,
        to_country: SideEdit | None = None,
        place: app_commands.Range[str, 1, NAME_MAX] | None = None,
        purpose: app_commands.Range[str, 1, LONG_MAX] | None = None,
        source: SourceEdit | None = None,
    ) -> None:
        assert isinstance(visit, Visit) and visit.id is not None
        today = await self.desk.today(visit_guild(interaction))
        date = settled(date, visit_facing(status or visit.status), today)
        start = date.date if isinstance(date, ParsedDate) else visit.date
        end_date = settled(end_date, Facing.AHEAD, start.start, anchor="the start")
        changes = Changes(RecordType.VISIT)
        changes.date("date", date)
        if isinstance(date, ParsedDate) and date.end is not None:
            changes.fields["end_date"] = last_day(date, end_date)
        else:
            changes.date("end_date", end_date)
        if isinstance(date, ParsedDate) and date.qualifier:
            changes.fields["notes"] = with_qualifier(visit.notes, date)
        changes.choice("status", status)
        changes.link("visitor", visitor)
        changes.text("visitor_role", visitor_role)
        changes.text("from_country", from_country)
        changes.text("to_country", to_country)
        changes.text("place", place)
        changes.text("purpose", purpose)
        changes.link("source", source)
        if not changes.fields.get("visitor", visit.visitor) and not changes.fields.get(
                "visitor_role", visit.visitor_role):
            raise UserError("Not saved: a visit needs someone visiting. Keep the visitor or "
                            "the visitor_role, or give a new one. Nothing was changed.")
        after = replace(visit, **cast("dict[str, Any]", changes.fields))
        warning = ahead_warning(after, today) if "status" in changes.fields or \
            "date" in changes.fields else None
        answer = await confirmed(interaction, [warning] if warning else [])
        if answer is None:
            return
        saved = await self.desk.edit(actor_of(answer), RecordType.VISIT, visit.id,
                                     **changes.fields)
        echo = "\n".join(filter(None, [understood("Date", parsed(date), kept_in="visit's notes"),
                                       understood("Until", parsed(end_date))]))
        await self.show(answer, saved,
                        note=f"Updated visit #{saved.id}.{changes.cleared_note()}\n{echo}")

    @app_commands.command(name="postpone", description="Postpone a visit, with a new date if known")
    @app_commands.describe(
        visit="The visit to postpone",
        new_date="The new date, if one is set (the visit is then planned again for it)",
        reason="Why, kept in the visit's notes",
    )
    async def postpone(
        self,
        interaction: discord.Interaction,
        visit: VisitOption,
        new_date: DateOption | None = None,
        reason: app_commands.Range[str, 1, SHORT_MAX] | None = None,
    ) -> None:
        assert isinstance(visit, Visit) and visit.id is not None
        self._require_open(visit, "postpone")
        today = await self.desk.today(visit_guild(interaction))
        new_date = settled(new_date, Facing.AHEAD, today)  # planned again: ahead
        if new_date is None:
            note = _stamp(visit.notes, f"postponed, no new date yet. {reason or ''}".strip(),
                          today.isoformat())
            changes: dict[str, object] = {"status": VisitStatus.POSTPONED, "notes": note}
        else:
            line = f"postponed from {visit.date} to {new_date.date}. {reason or ''}".strip()
            changes = {"date": new_date.date, "status": VisitStatus.PLANNED,
                       "notes": _stamp(visit.notes, line, today.isoformat())}
        saved = await self.desk.edit(actor_of(interaction), RecordType.VISIT, visit.id, **changes)
        what = (f"Visit #{saved.id} postponed" +
                (f"; new date read as {new_date.interpretation}." if new_date else
                 "; no new date yet."))
        await self.show(interaction, saved, note=what)

    @app_commands.command(name="cancel", description="Cancel a visit")
    @app_commands.describe(visit="The visit to cancel", reason="Why, kept in the visit's notes")
    async def cancel(
        self,
        interaction: discord.Interaction,
        visit: VisitOption,
        reason: app_commands.Range[str, 1, SHORT_MAX] | None = None,
    ) -> None:
        assert isinstance(visit, Visit) and visit.id is not None
        self._require_open(visit, "cancel")
        today = await self.desk.today(visit_guild(interaction))
        note = _stamp(visit.notes, f"cancelled. {reason or ''}".strip(), today.isoformat())
        saved = await self.desk.edit(actor_of(interaction), RecordType.VISIT, visit.id,
                                     status=VisitStatus.CANCELLED, notes=note)
        await self.show(interaction, saved, note=f"Visit #{saved.id} cancelled.")

    @staticmethod
    def _require_open(visit: Visit, verb: str) -> None:
        if visit.status in (VisitStatus.COMPLETED, VisitStatus.CANCELLED):
            raise UserError(f"Visit #{visit.id} is {visit.status.label}; only a visit still "
                            f"ahead can be {verb}d. Use /visit edit to change its status.")

    @app_commands.command(name="delete", description="Delete a visit (asks first)")
    @app_commands.describe(visit="The visit to delete")
    async def delete(self, interaction: discord.Interaction, visit: VisitOption) -> None:
        await confirm_delete(self, interaction, visit)


def visit_guild(interaction: discord.Interaction) -> int:
    assert interaction.guild_id is not None
    return interaction.guild_id


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(VisitsCog(bot))

