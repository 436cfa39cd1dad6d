"""/history: who created, changed or deleted one record, and when, deleted records included.

One subcommand per kind of record (`/history person record:…`) rather than a kind option
plus a record option: the record's autocomplete then always knows the kind, whatever order
the options are filled in, and the command reads as a sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import PAGE_SIZE, DeskCog
from bot.domain.errors import UserError
from bot.domain.interchange import RowInvalid, record_from_dict
from bot.domain.markup import escape_line
from bot.domain.records import AuditEntry, RecordType
from bot.domain.registry import spec_of
from bot.domain.textinput import record_number
from bot.services.desk import DeskService
from bot.ui.render import COLOURS, DESCRIPTION_LIMIT, TITLE_LIMIT, clip, history_lines
from bot.ui.transformers import RecordTransformer
from bot.ui.views import send_pages

if TYPE_CHECKING:
    from bot.bot import AttacheBot


def typed_number(value: str) -> int | None:
    """12 for '12' or '#12': the way to name a record that no longer exists. A number past
    the range records are numbered in is refused, saying the range."""
    return record_number(value)


class HistoryRecordTransformer(RecordTransformer):
    """A record's id: picked from live records, or typed as #id for one already deleted."""

    async def transform(self, interaction: discord.Interaction, value: str) -> int:  # type: ignore[override]
        number = typed_number(value)
        if number is not None:
            return number
        record = await super().transform(interaction, value)
        assert record.id is not None
        return record.id

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        choices = await super().autocomplete(interaction, value)
        try:
            number = typed_number(value)
        except UserError:
            number = None  # out of range: offered nothing, and refused if sent
        if number is not None and str(number) not in {c.value for c in choices}:
            # Deleted records are gone from the suggestions, but their history is not.
            by_number = app_commands.Choice(
                name=f"#{number} (by number; deleted records too)", value=str(number))
            choices = [by_number, *choices][:25]
        return choices


def heading_of(kind: RecordType, entries: list[AuditEntry]) -> str:
    """The record's name from its last known state, which a deleted record still has."""
    last = entries[-1]
    state = last.after if last.after is not None else last.before
    try:
        return record_from_dict(kind, state).heading
    except (RowInvalid, TypeError):
        return last.record_uid


PersonRecord = app_commands.Transform[int, HistoryRecordTransformer(RecordType.PERSON)]
SourceRecord = app_commands.Transform[int, HistoryRecordTransformer(RecordType.SOURCE)]
MeetingRecord = app_commands.Transform[int, HistoryRecordTransformer(RecordType.MEETING)]
PlanRecord = app_commands.Transform[int, HistoryRecordTransformer(RecordType.PLAN)]
VisitRecord = app_commands.Transform[int, HistoryRecordTransformer(RecordType.VISIT)]
FollowUpRecord = app_commands.Transform[int, HistoryRecordTransformer(RecordType.FOLLOWUP)]
RECORD_HELP = "Start typing to pick one, or give its number (#12), even if it was deleted"


@app_commands.guild_only()
class HistoryCog(DeskCog, commands.GroupCog, group_name="history",
                 group_description="The change log of one record: who did what, and when"):
    @app_commands.command(name="meeting", description="Every change to one meeting")
    @app_commands.describe(record=RECORD_HELP)
    async def meeting(self, interaction: discord.Interaction, record: MeetingRecord) -> None:
        await self._send(interaction, RecordType.MEETING, record)

    @app_commands.command(name="plan", description="Every change to one plan")
    @app_commands.describe(record=RECORD_HELP)
    async def plan(self, interaction: discord.Interaction, record: PlanRecord) -> None:
        await self._send(interaction, RecordType.PLAN, record)

    @app_commands.command(name="visit", description="Every change to one visit")
    @app_commands.describe(record=RECORD_HELP)
    async def visit(self, interaction: discord.Interaction, record: VisitRecord) -> None:
        await self._send(interaction, RecordType.VISIT, record)

    @app_commands.command(name="person", description="Every change to one person")
    @app_commands.describe(record=RECORD_HELP)
    async def person(self, interaction: discord.Interaction, record: PersonRecord) -> None:
        await self._send(interaction, RecordType.PERSON, record)

    @app_commands.command(name="source", description="Every change to one source")
    @app_commands.describe(record=RECORD_HELP)
    async def source(self, interaction: discord.Interaction, record: SourceRecord) -> None:
        await self._send(interaction, RecordType.SOURCE, record)

    @app_commands.command(name="followup", description="Every change to one follow-up")
    @app_commands.describe(record=RECORD_HELP)
    async def followup(self, interaction: discord.Interaction, record: FollowUpRecord) -> None:
        await self._send(interaction, RecordType.FOLLOWUP, record)

    async def _send(
        self, interaction: discord.Interaction, kind: RecordType, record_id: int
    ) -> None:
        await send_history(self.desk, interaction, kind, record_id)


async def send_history(
    desk: DeskService, interaction: discord.Interaction, kind: RecordType, record_id: int
) -> None:
    """One record's change log, ten changes a page: the same for every type, whichever
    command asks (`/history followup` and `/followup history` alike)."""
    assert interaction.guild_id is not None
    entries = await desk.history(interaction.guild_id, kind, record_id)
    lines = history_lines(entries)
    gone = " (deleted)" if entries[-1].action == "delete" else ""
    heading = escape_line(heading_of(kind, entries))
    noun = spec_of(kind).noun
    title = clip(f"History of {noun} #{record_id}: {heading}{gone}", TITLE_LIMIT)
    pages = max(1, -(-len(lines) // PAGE_SIZE))

    async def load(index: int) -> discord.Embed:
        chunk = lines[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]
        embed = discord.Embed(title=title, colour=COLOURS[kind],
                              description=clip("\n".join(chunk), DESCRIPTION_LIMIT))
        noun = "change" if len(lines) == 1 else "changes"
        embed.set_footer(
            text=f"Page {index + 1} of {pages} · {len(lines)} {noun}, oldest first")
        return embed

    await send_pages(interaction, pages, load)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(HistoryCog(bot))
