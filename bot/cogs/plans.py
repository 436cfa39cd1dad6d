"""/plan: add, list, show, edit and delete signed or expected plans, agreements and MoUs."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import (
    LIST_TEXT_MAX,
    SUMMARY_OPTION_MAX,
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
from bot.cogs.edits import CLEARS, Changes, people_change, settled
from bot.domain.dateparse import ParsedDate
from bot.domain.facing import plan_facing
from bot.domain.organisations import read_parties
from bot.domain.records import (
    NAME_MAX,
    TITLE_MAX,
    Plan,
    PlanKind,
    PlanStatus,
    RecordType,
    Signatory,
)
from bot.services.lists import split_list
from bot.ui.render import plan_date_label
from bot.ui.transformers import (
    ChoiceTransformer,
    CountryOption,
    DateEdit,
    DateOption,
    MeetingEdit,
    MeetingOption,
    PlanOption,
    SourceEdit,
    SourceOption,
    VisitEdit,
    VisitOption,
)

if TYPE_CHECKING:
    from bot.bot import AttacheBot

KindOption = app_commands.Transform[PlanKind, ChoiceTransformer(PlanKind)]
StatusOption = app_commands.Transform[PlanStatus, ChoiceTransformer(PlanStatus)]


@app_commands.guild_only()
class PlansCog(DeskCog, commands.GroupCog, group_name="plan",
               group_description="Plans: action plans, agreements and MoUs, signed or expected"):
    @app_commands.command(name="add", description="Record a plan, agreement or MoU")
    @app_commands.describe(
        title="Its title, e.g. Pakistan–Kazakhstan Action Plan of Cooperation",
        kind="What sort of document it is",
        status="Where it stands: under negotiation, expected, signed, in force, expired",
        date="When it was signed, or is expected to be: 9 Sep 2025, November 2025…",
        place="Where it was or will be signed",
        parties="The parties, separated by commas: Pakistan, Kazakhstan",
        signatories="Who signed, for whom: Ishaq Dar (Ministry of Foreign Affairs of Pakistan); …",
        fields="Fields of cooperation, separated by commas: trade, culture, tourism",
        meeting="The meeting at which it was signed",
        visit="The visit during which it was or is expected to be signed",
        source="The report or communiqué this comes from",
        summary="A short summary (the card's Edit summary button takes up to 4000 characters)",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, TITLE_MAX],
        kind: KindOption,
        status: StatusOption,
        date: DateOption | None = None,
        place: app_commands.Range[str, 1, NAME_MAX] | None = None,
        parties: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        signatories: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        fields: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        meeting: MeetingOption | None = None,
        visit: VisitOption | None = None,
        source: SourceOption | None = None,
        summary: app_commands.Range[str, 1, SUMMARY_OPTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        # "15 March" for an expected plan is the next 15 March; for a signed one, the last.
        today = await self.desk.today(interaction.guild_id)
        date = settled(date, plan_facing(status), today)
        plan = Plan(
            title=title, kind=kind, status=status, date=date.date if date else None,
            place=place or "", parties=read_parties(split_list(parties, what="parties")),
            signatories=await self._signatories(interaction.guild_id, signatories) or [],
            fields=split_list(fields, what="fields of cooperation"),
            summary=with_qualifier(summary or "", date),
            meeting=meeting.uid if meeting else None, visit=visit.uid if visit else None,
            source=source.uid if source else None,
        )
        warnings = [await duplicate_warning(self.desk, interaction.guild_id, plan),
                    ahead_warning(plan, today)]
        answer = await confirmed(interaction, [w for w in warnings if w])
        if answer is None:
            return
        saved = await self.desk.add(actor_of(answer), plan)
        echo = understood(plan_date_label(status), date, kept_in="summary")
        note = f"Saved plan #{saved.id}.\n{echo}"
        await self.show(answer, saved, note=note.strip())

    async def _signatories(self, guild_id: int, text: str | None) -> list[Signatory] | None:
        return await people_change(self.desk, guild_id, text, Signatory)

    @app_commands.command(name="list", description="List plans, filtered as you like")
    @app_commands.describe(
        country="Plans this country is a party to",
        kind="Only plans of this kind",
        status="Only plans with this status",
        after="Only plans dated on or after this date",
        before="Only plans dated before this date",
        order="Oldest or newest first (default: oldest first)",
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        country: CountryOption | None = None,
        kind: KindOption | None = None,
        status: StatusOption | None = None,
        after: DateOption | None = None,
        before: DateOption | None = None,
        order: Order = "oldest first",
    ) -> None:
        await self.send_filtered(interaction, RecordType.PLAN, country=country, of_kind=kind,
                                 status=status, after=after, before=before, order=order)

    @app_commands.command(name="show", description="Everything about one plan")
    @app_commands.describe(plan="The plan (start typing its title)")
    async def show_(self, interaction: discord.Interaction, plan: PlanOption) -> None:
        await self.show(interaction, plan)

    @app_commands.command(name="edit", description="Change some fields of a plan; - clears one")
    @app_commands.describe(
        plan="The plan to change",
        title="New title",
        kind="New kind",
        status="New status, e.g. signed once the expected plan is signed",
        date="New date (the reply says how it was read)" + CLEARS,
        place="New place of signing" + CLEARS,
        parties="Replaces all parties: Pakistan, Kazakhstan" + CLEARS,
        signatories="Replaces all signatories: Ishaq Dar (Ministry of …); …" + CLEARS,
        fields="Replaces all fields of cooperation: trade, culture" + CLEARS,
        meeting="New meeting at which it was signed" + CLEARS,
        visit="New visit during which it was or is expected to be signed" + CLEARS,
        source="New source" + CLEARS,
        summary="Replaces the summary (the card's Edit summary takes 4000)" + CLEARS,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        plan: PlanOption,
        title: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        kind: KindOption | None = None,
        status: StatusOption | None = None,
        date: DateEdit | None = None,
        place: app_commands.Range[str, 1, NAME_MAX] | None = None,
        parties: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        signatories: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        fields: app_commands.Range[str, 1, LIST_TEXT_MAX] | None = None,
        meeting: MeetingEdit | None = None,
        visit: VisitEdit | None = None,
        source: SourceEdit | None = None,
        summary: app_commands.Range[str, 1, SUMMARY_OPTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None and isinstance(plan, Plan)
        assert plan.id is not None
        today = await self.desk.today(interaction.guild_id)
        date = settled(date, plan_facing(status or plan.status), today)
        changes = Changes(RecordType.PLAN)
        changes.text("title", title)
        changes.choice("kind", kind)
        changes.choice("status", status)
        changes.date("date", date)
        changes.text("place", place)
        changes.items("parties", parties, "parties", read_parties)
        changes.people("signatories", await self._signatories(interaction.guild_id, signatories))
        changes.items("fields", fields, "fields of cooperation")
        changes.link("meeting", meeting)
        changes.link("visit", visit)
        changes.link("source", source)
        changes.text("summary", summary)
        if isinstance(date, ParsedDate) and date.qualifier:
            kept = changes.fields.get("summary", plan.summary)
            changes.fields["summary"] = with_qualifier(str(kept), date)
        warning = None
        if "status" in changes.fields or "date" in changes.fields:
            warning = ahead_warning(replace(plan, **cast("dict[str, Any]", changes.fields)),
                                    today)
        answer = await confirmed(interaction, [warning] if warning else [])
        if answer is None:
            return
        saved = await self.desk.edit(actor_of(answer), RecordType.PLAN, plan.id,
                                     **changes.fields)
        assert isinstance(saved, Plan)
        echo = understood(plan_date_label(saved.status),
                          date if isinstance(date, ParsedDate) else None, kept_in="summary")
        note = f"Updated plan #{saved.id}: {changes.summary()}.\n{echo}"
        await self.show(answer, saved, note=note.strip())

    @app_commands.command(name="delete", description="Delete a plan (asks first)")
    @app_commands.describe(plan="The plan to delete")
    async def delete(self, interaction: discord.Interaction, plan: PlanOption) -> None:
        await confirm_delete(self, interaction, plan)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(PlansCog(bot))
