"""/meeting: add, list, show, edit and delete meetings, who took part and what was discussed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import (
    LIST_TEXT_MAX,
    SUMMARY_OPTION_MAX,
    DeskCog,
    Order,
    actor_of,
    confirm_delete,
    confirmed,
    duplicate_warning,
    understood,
    with_qualifier,
)
from bot.cogs.edits import CLEARS, Changes, people_change, settled
from bot.domain.dateparse import ParsedDate
from bot.domain.facing import meeting_facing
from bot.domain.organisations import read_sides
from bot.domain.records import (
    NAME_MAX,
    TITLE_MAX,
    Meeting,
    MeetingKind,
    Participant,
    RecordType,
    Visit,
)
from bot.services.lists import split_list
from bot.ui.transformers import (
    ChoiceTransformer,
    CountryOption,
    DateEdit,
    DateOption,
    MeetingOption,
    SourceEdit,
    SourceOption,
    VisitEdit,
    VisitOption,
)

if TYPE_CHECKING:
    from bot.bot import AttacheBot

KindOption = app_commands.Transform[MeetingKind, ChoiceTransformer(MeetingKind)]


@app_commands.guild_only()
class MeetingsCog(DeskCog, commands.GroupCog, group_name="meeting",
                  group_description="Meetings: talks, working groups, site visits"):
    @app_commands.command(name="add", description="Record a meeting, past or planned")
    @app_commands.describe(
        title="A short title, e.g. Pakistan–Kazakhstan delegation-level talks",
        kind="What sort of meeting it was",
        date="When: 9 Sep 2025, September 2025, Q4 2025, last Tuesday…",
        place="City or venue",
        countries="Countries taking part, separated by commas: Pakistan, Kazakhstan",
        participants="People and their part: Ishaq Dar (co-chair); Murat Nurtleu (co-chair)",
        topics="Topics discussed, separated by commas: trade, agriculture, tourism",
        visit="The visit during which it took place",
        source="The report or communiqué this comes from",
        summary="A short summary (the card's Edit summary button takes up to 4000 characters)",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, TITLE_MAX],
        kind: KindOption,
        date: DateOption,
        place: app_commands.Range[str, 1, NAME_MAX] | None = None,
        countries: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        participants: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        topics: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        visit: VisitOption | None = None,
        source: SourceOption | None = None,
        summary: app_commands.Range[str, 1, SUMMARY_OPTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        date = settled(date, meeting_facing(visit.status if isinstance(visit, Visit) else None),
                       await self.desk.today(interaction.guild_id))
        meeting = Meeting(
            title=title, kind=kind, date=date.date, place=place or "",
            countries=read_sides(split_list(countries, what="countries")),
            participants=await self._participants(interaction.guild_id, participants) or [],
            topics=split_list(topics, what="topics"),
            summary=with_qualifier(summary or "", date),
            visit=visit.uid if visit else None, source=source.uid if source else None,
        )
        warning = await duplicate_warning(self.desk, interaction.guild_id, meeting)
        answer = await confirmed(interaction, [warning] if warning else [])
        if answer is None:
            return
        saved = await self.desk.add(actor_of(answer), meeting)
        note = f"Saved meeting #{saved.id}.\n{understood('Date', date, kept_in='summary')}"
        await self.show(answer, saved, note=note.strip())

    async def _participants(self, guild_id: int, text: str | None) -> list[Participant] | None:
        return await people_change(self.desk, guild_id, text, Participant)

    @app_commands.command(name="list", description="List meetings, filtered as you like")
    @app_commands.describe(
        country="Meetings this country took part in",
        kind="Only meetings of this kind",
        after="Only meetings on or after this date",
        before="Only meetings before this date",
        order="Oldest or newest first (default: oldest first)",
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        country: CountryOption | None = None,
        kind: KindOption | None = None,
        after: DateOption | None = None,
        before: DateOption | None = None,
        order: Order = "oldest first",
    ) -> None:
        await self.send_filtered(interaction, RecordType.MEETING, country=country, of_kind=kind,
                                 after=after, before=before, order=order)

    @app_commands.command(name="show", description="Everything about one meeting")
    @app_commands.describe(meeting="The meeting (start typing its title)")
    async def show_(self, interaction: discord.Interaction, meeting: MeetingOption) -> None:
        await self.show(interaction, meeting)

    @app_commands.command(name="edit", description="Change some fields of a meeting; - clears one")
    @app_commands.describe(
        meeting="The meeting to change",
        title="New title",
        kind="New kind",
        date="New date (the reply says how it was read)",
        place="New city or venue" + CLEARS,
        countries="Replaces all countries: Pakistan, Kazakhstan" + CLEARS,
        participants="Replaces all participants: Ishaq Dar (co-chair); …" + CLEARS,
        topics="Replaces all topics: trade, agriculture" + CLEARS,
        visit="New visit during which it took place" + CLEARS,
        source="New source" + CLEARS,
        summary="Replaces the summary (the card's Edit summary takes 4000)" + CLEARS,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        meeting: MeetingOption,
        title: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        kind: KindOption | None = None,
        date: DateEdit | None = None,
        place: app_commands.Range[str, 1, NAME_MAX] | None = None,
        countries: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        participants: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        topics: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        visit: VisitEdit | None = None,
        source: SourceEdit | None = None,
        summary: app_commands.Range[str, 1, SUMMARY_OPTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None and isinstance(meeting, Meeting)
        assert meeting.id is not None
        if isinstance(date, ParsedDate):
            during = visit if visit is not None else await self.desk.linked(
                interaction.guild_id, RecordType.VISIT, meeting.visit)
            facing = meeting_facing(during.status if isinstance(during, Visit) else None)
            date = settled(date, facing, await self.desk.today(interaction.guild_id))
        changes = Changes(RecordType.MEETING)
        changes.text("title", title)
        changes.choice("kind", kind)
        changes.date("date", date)
        changes.text("place", place)
        changes.items("countries", countries, "countries", read_sides)
        changes.people("participants",
                       await self._participants(interaction.guild_id, participants))
        changes.items("topics", topics, "topics")
        changes.link("visit", visit)
        changes.link("source", source)
        changes.text("summary", summary)
        if isinstance(date, ParsedDate) and date.qualifier:
            kept = changes.fields.get("summary", meeting.summary)
            changes.fields["summary"] = with_qualifier(str(kept), date)
        saved = await self.desk.edit(actor_of(interaction), RecordType.MEETING, meeting.id,
                                     **changes.fields)
        parsed = date if isinstance(date, ParsedDate) else None
        echo = understood("Date", parsed, kept_in="summary")
        note = f"Updated meeting #{saved.id}: {changes.summary()}.\n{echo}"
        await self.show(interaction, saved, note=note.strip())

    @app_commands.command(name="delete", description="Delete a meeting (asks first)")
    @app_commands.describe(meeting="The meeting to delete")
    async def delete(self, interaction: discord.Interaction, meeting: MeetingOption) -> None:
        await confirm_delete(self, interaction, meeting)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(MeetingsCog(bot))
