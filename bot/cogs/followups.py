"""/followup: preparation work with an owner and a deadline, often relative to a visit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import PAGE_SIZE, DeskCog, LongTextButton, actor_of, confirm_delete
from bot.cogs.edits import CLEARS, Changes
from bot.cogs.history import send_history
from bot.domain.markup import escape_line
from bot.domain.records import (
    TITLE_MAX,
    FollowUp,
    FollowUpStatus,
    Plan,
    Record,
    RecordType,
)
from bot.domain.syntax import SyntaxRefusal, Topic, pointing_to
from bot.domain.textinput import record_number
from bot.services.followups import Entry, FollowUpService, canonical_leads, rule_text
from bot.ui.followups import (
    DueEdit,
    DueInput,
    DueOption,
    FollowUpOption,
    FollowUpTransformer,
    PlanEdit,
    followup_card,
    followup_line,
    list_embed,
    owner_of,
    owner_text,
)
from bot.ui.render import NO_PINGS
from bot.ui.transformers import (
    Cleared,
    MeetingEdit,
    MeetingOption,
    PersonEdit,
    PersonOption,
    PlanOption,
    SourceEdit,
    SourceOption,
    VisitEdit,
    VisitOption,
    is_clear,
)
from bot.ui.views import send_pages

if TYPE_CHECKING:
    from bot.bot import AttacheBot

NOTES_OPTION_MAX = 1000
Shown = Literal["open", "done", "dropped", "all"]
Owner = discord.Member | discord.Role
DUE_HELP = ("When it is due: a date (15 October 2025, November 2025) or before the visit, "
            "2 weeks before the visit, before signing")


class FollowUpNumber(FollowUpTransformer):
    """A follow-up by number even once deleted (its history outlives it), or by name."""

    async def transform(self, interaction: discord.Interaction, value: str) -> int:  # type: ignore[override]
        number = record_number(value)
        if number is not None:
            return number
        record = await super().transform(interaction, value)
        assert record.id is not None
        return int(record.id)


FollowUpRecord = app_commands.Transform[int, FollowUpNumber]


def read_leads(text: str | None) -> None:
    """A follow-up's own lead times, refused before anything is saved, pointing to where
    lead times are told ("-" clears them)."""
    if text is not None and not is_clear(text):
        with pointing_to(Topic.REMINDERS):
            canonical_leads(text)


@app_commands.guild_only()
class FollowUpsCog(DeskCog, commands.GroupCog, group_name="followup",
                   group_description="Follow-ups: who must do what before a visit or signing"):
    @property
    def followups(self) -> FollowUpService:
        return self.bot.services.followups

    async def show(
        self, interaction: discord.Interaction, record: Record, *, note: str = "",
        edited: bool = False,
    ) -> None:
        """A follow-up's card with the Edit notes button (the same form as other cards)."""
        assert interaction.guild_id is not None and isinstance(record, FollowUp)
        entry = await self.followups.entry(interaction.guild_id, record)
        links = await self.desk.links(interaction.guild_id, [record])
        today = await self.desk.today(interaction.guild_id)
        embed = followup_card(entry, links, today)
        view = LongTextButton(self, interaction.user.id, record)
        if edited:
            await interaction.response.edit_message(content=note or None, embed=embed, view=view)
        else:
            await interaction.response.send_message(content=note or None, embed=embed,
                                                    view=view, allowed_mentions=NO_PINGS)
        view.message = await interaction.original_response()

    # --- add --------------------------------------------------------------------------------

    @app_commands.command(name="add", description="Record preparation work: what, who, by when")
    @app_commands.describe(
        what="What is to be done, e.g. Finalise the MoUs for the President's visit",
        owner="The member or role who owns it (shown by name; pinged only as reminders allow)",
        due=DUE_HELP,
        visit="The visit it prepares (a deadline 'before the visit' follows its date)",
        plan="The plan or MoU it concerns (a deadline 'before signing' follows its date)",
        meeting="The meeting it came out of",
        person="The person it concerns",
        leads="Its own reminder lead times, e.g. 14d 3d (default: the server's)",
        source="The report or communiqué this comes from",
        notes="Notes (the card's Edit notes button takes up to 4000 characters)",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        what: app_commands.Range[str, 1, TITLE_MAX],
        owner: Owner | None = None,
        due: DueOption | None = None,
        visit: VisitOption | None = None,
        plan: PlanOption | None = None,
        meeting: MeetingOption | None = None,
        person: PersonOption | None = None,
        leads: app_commands.Range[str, 1, 100] | None = None,
        source: SourceOption | None = None,
        notes: app_commands.Range[str, 1, NOTES_OPTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        read_leads(leads)
        who = owner_of(owner) if owner is not None else None
        visit_uid = visit.uid if visit else None
        if due is not None and due.before == "visit" and visit_uid is None \
                and isinstance(plan, Plan) and plan.visit:
            visit_uid = plan.visit  # "before the visit" of the plan's own visit
        followup = FollowUp(
            what=what, owner=who.ref if who else "", owner_name=who.name if who else "",
            due=due.due if due else None, due_before=due.before if due else "",
            due_offset=due.offset if due else "", leads=leads or "",
            visit=visit_uid, plan=plan.uid if plan else None,
            meeting=meeting.uid if meeting else None, person=person.uid if person else None,
            notes=notes or "", source=source.uid if source else None,
        )
        saved = await self.followups.add(actor_of(interaction), followup)
        await self.show(interaction, saved, note=await self._note(
            interaction, f"Saved follow-up #{saved.id}.", saved, due))

    async def _note(self, interaction: discord.Interaction, head: str, saved: FollowUp,
                    due: DueInput | None) -> str:
        """The reply's first lines: what was saved and how the deadline was read."""
        assert interaction.guild_id is not None
        if due is None:
            return head
        if not due.before:
            return f"{head}\n{due.echo}"
        entry = await self.followups.entry(interaction.guild_id, saved)
        return f"{head}\nDue: {rule_text(saved)} — now {entry.deadline.text}."

    # --- lists ------------------------------------------------------------------------------

    async def _send_entries(
        self, interaction: discord.Interaction, title: str, entries: list[Entry], *,
        empty: str, ephemeral: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        today = await self.desk.today(interaction.guild_id)
        lines = [followup_line(e, today) for e in entries]
        pages = max(1, -(-len(lines) // PAGE_SIZE))

        async def load(index: int) -> discord.Embed:
            chunk = lines[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]
            return list_embed(title, chunk, page=index + 1, pages=pages, total=len(lines),
                              empty=empty)

        await send_pages(interaction, pages, load, ephemeral=ephemeral)

    @app_commands.command(name="list", description="Follow-ups, overdue first")
    @app_commands.describe(
        status="Which ones (default: open)",
        visit="Only those about this visit",
        plan="Only those about this plan",
        owner="Only those this member or role owns",
    )
    async def list_(
        self, interaction: discord.Interaction, status: Shown = "open",
        visit: VisitOption | None = None, plan: PlanOption | None = None,
        owner: Owner | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        statuses = tuple(FollowUpStatus) if status == "all" else (FollowUpStatus(status),)
        entries = await self.followups.listing(
            interaction.guild_id, statuses=statuses, visit=visit.uid if visit else None,
            plan=plan.uid if plan else None, owner=owner_of(owner) if owner else None)
        about = [f"visit #{visit.id}" if visit else "", f"plan #{plan.id}" if plan else "",
                 owner_text(owner_of(owner)) if owner else ""]
        scope = ", ".join(a for a in about if a)
        title = f"Follow-ups ({status})" + (f": {scope}" if scope else "")
        filtered = visit or plan or owner or status != "open"
        empty = ("No follow-ups match." if filtered
                 else "No open follow-ups. Add one with /followup add.")
        await self._send_entries(interaction, title, entries, empty=empty)

    @app_commands.command(name="mine", description="Open follow-ups you or your roles own")
    async def mine(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        user = interaction.user
        roles = user.roles if isinstance(user, discord.Member) else []
        entries = await self.followups.mine(interaction.guild_id, user.id,
                                            [r.id for r in roles], [r.name for r in roles])
        await self._send_entries(
            interaction, "Your follow-ups", entries, ephemeral=True,
            empty="Nothing open is yours or your roles'. /followup list shows everyone's.")

    @app_commands.command(name="show", description="Everything about one follow-up")
    @app_commands.describe(followup="The follow-up (start typing what it is)")
    async def show_(self, interaction: discord.Interaction, followup: FollowUpOption) -> None:
        await self.show(interaction, followup)

    # --- changes ----------------------------------------------------------------------------

    @app_commands.command(name="edit",
                          description="Change some fields of a follow-up; - clears one")
    @app_commands.describe(
        followup="The follow-up to change",
        what="What is to be done",
        owner="New owner (member or role)",
        clear_owner="True to leave it without an owner",
        due=DUE_HELP + CLEARS,
        status="open, done or dropped",
        visit="The visit it prepares" + CLEARS,
        plan="The plan it concerns" + CLEARS,
        meeting="The meeting it came out of" + CLEARS,
        person="The person it concerns" + CLEARS,
        leads="Its own reminder lead times, e.g. 14d 3d" + CLEARS,
        source="The source" + CLEARS,
        notes="Replaces the notes (the card's Edit notes takes 4000)" + CLEARS,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        followup: FollowUpOption,
        what: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        owner: Owner | None = None,
        clear_owner: bool = False,
        due: DueEdit | None = None,
        status: Literal["open", "done", "dropped"] | None = None,
        visit: VisitEdit | None = None,
        plan: PlanEdit | None = None,
        meeting: MeetingEdit | None = None,
        person: PersonEdit | None = None,
        leads: app_commands.Range[str, 1, 100] | None = None,
        source: SourceEdit | None = None,
        notes: app_commands.Range[str, 1, NOTES_OPTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None and isinstance(followup, FollowUp)
        assert followup.id is not None
        if owner is not None and clear_owner:
            raise SyntaxRefusal("Give a new owner or clear_owner, not both. Nothing was "
                                "changed.", topic=Topic.FOLLOWUPS)
        read_leads(leads)
        changes = Changes(RecordType.FOLLOWUP)
        changes.text("what", what)
        if owner is not None:
            who = owner_of(owner)
            changes.fields.update(owner=who.ref, owner_name=who.name)
        if clear_owner:
            changes.fields.update(owner="", owner_name="")
            changes.cleared.append("owner")
        if isinstance(due, Cleared):
            changes.fields.update(due=None, due_before="", due_offset="")
            changes.cleared.append("due")
        elif isinstance(due, DueInput):
            changes.fields.update(due=due.due, due_before=due.before, due_offset=due.offset)
        changes.choice("status", FollowUpStatus(status) if status else None)
        changes.link("visit", visit)
        changes.link("plan", plan)
        changes.link("meeting", meeting)
        changes.link("person", person)
        changes.text("leads", leads)
        changes.link("source", source)
        changes.text("notes", notes)
        saved = await self.followups.edit(actor_of(interaction), followup.id, **changes.fields)
        # The option names, not the columns a deadline or an owner is kept in.
        hidden = {"owner_name", "due_before", "due_offset"}
        named = dict.fromkeys("due" if n in hidden - {"owner_name"} else n
                              for n in changes.fields if n != "owner_name")
        said = ", ".join(f"{n} (cleared)" if n in changes.cleared else n for n in named)
        head = f"Updated follow-up #{saved.id}: {said}."
        await self.show(interaction, saved, note=await self._note(
            interaction, head, saved, due if isinstance(due, DueInput) else None))

    async def _status(self, interaction: discord.Interaction, followup: Record,
                      status: FollowUpStatus, verb: str) -> None:
        assert followup.id is not None
        saved, changed = await self.followups.set_status(actor_of(interaction), followup.id,
                                                         status)
        name = escape_line(saved.what)
        text = (f"Follow-up #{saved.id} **{name}** marked {verb}; its reminders stop."
                if changed else f"Follow-up #{saved.id} **{name}** was already {verb}.")
        await interaction.response.send_message(text, allowed_mentions=NO_PINGS)

    @app_commands.command(name="done", description="Mark a follow-up done")
    @app_commands.describe(followup="The follow-up that is done")
    async def done(self, interaction: discord.Interaction, followup: FollowUpOption) -> None:
        await self._status(interaction, followup, FollowUpStatus.DONE, "done")

    @app_commands.command(name="drop", description="Drop a follow-up that is no longer needed")
    @app_commands.describe(followup="The follow-up to drop")
    async def drop(self, interaction: discord.Interaction, followup: FollowUpOption) -> None:
        await self._status(interaction, followup, FollowUpStatus.DROPPED, "dropped")

    @app_commands.command(name="delete", description="Delete a follow-up (asks first)")
    @app_commands.describe(followup="The follow-up to delete")
    async def delete(self, interaction: discord.Interaction, followup: FollowUpOption) -> None:
        await confirm_delete(self, interaction, followup)

    @app_commands.command(name="history", description="Every change to one follow-up")
    @app_commands.describe(followup="Start typing to pick one, or give its number, even if "
                                    "it was deleted")
    async def history(self, interaction: discord.Interaction,
                      followup: FollowUpRecord) -> None:
        # The same log as /history followup, kept here where a follow-up's commands are.
        await send_history(self.desk, interaction, RecordType.FOLLOWUP, followup)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(FollowUpsCog(bot))
