"""/source: add, show, list, edit and delete the reports and communiqués records cite."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import (
    DeskCog,
    actor_of,
    confirm_delete,
    confirmed,
    duplicate_warning,
    understood,
)
from bot.cogs.edits import CLEARS, Changes, settled
from bot.domain.dateparse import ParsedDate
from bot.domain.errors import UserError
from bot.domain.facing import PUBLISHED_FACING
from bot.domain.markup import escape_line
from bot.domain.records import SHORT_MAX, TITLE_MAX, URL_MAX, RecordType, Source
from bot.stores.records import RecordFilter
from bot.ui.transformers import DateEdit, DateOption, SourceOption, is_clear

if TYPE_CHECKING:
    from bot.bot import AttacheBot



def checked_url(url: str | None) -> str | None:
    """The address as given, if it is a web address; anything else is refused, not guessed at."""
    if url is None:
        return None
    url = url.strip()
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or any(c.isspace() for c in url):
        raise UserError(
            f"Not saved: “{escape_line(url[:100])}” is not a web address. "
            "Give the full address starting with http:// or https://, "
            "e.g. https://www.mofa.gov.pk/press-releases."
        )
    return url


@app_commands.guild_only()
class SourcesCog(DeskCog, commands.GroupCog, group_name="source",
                 group_description="Sources: the reports and communiqués records come from"):
    @app_commands.command(name="add", description="Record a source: a report, communiqué, speech")
    @app_commands.describe(
        title="Its headline or title",
        url="Its web address (http:// or https://), if it has one",
        published="When it was published or datelined, e.g. 10 Sep 2025",
        summary="A short summary (longer: the button under the card)",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, TITLE_MAX],
        url: app_commands.Range[str, 1, URL_MAX] | None = None,
        published: DateOption | None = None,
        summary: app_commands.Range[str, 1, SHORT_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        today = await self.desk.today(interaction.guild_id)
        published = settled(published, PUBLISHED_FACING, today)  # "10 Sep": the last one
        source = Source(title=title, url=checked_url(url) or "",
                        published=published.date if published else None, summary=summary or "")
        assert interaction.guild_id is not None
        warning = await duplicate_warning(self.desk, interaction.guild_id, source)
        answer = await confirmed(interaction, [warning] if warning else [])
        if answer is None:
            return
        saved = await self.desk.add(actor_of(answer), source)
        echo = understood("Published", published)
        await self.show(answer, saved, note=f"Saved source #{saved.id}.\n{echo}")

    @app_commands.command(name="show", description="Everything about one source")
    @app_commands.describe(source="The source (start typing its title)")
    async def show_(self, interaction: discord.Interaction, source: SourceOption) -> None:
        await self.show(interaction, source)

    @app_commands.command(name="list", description="List sources, newest first")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        flt = RecordFilter(newest_first=True)
        await self.send_list(interaction, RecordType.SOURCE, "Sources", flt,
                             empty="No sources yet. Add one with /source add.")

    @app_commands.command(name="edit", description="Change some fields of a source; - clears one")
    @app_commands.describe(
        source="The source to change",
        title="New title",
        url="New web address (http:// or https://)" + CLEARS,
        published="New publication date" + CLEARS,
        summary="New short summary, replacing it (longer: the button under the card)" + CLEARS,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        source: SourceOption,
        title: app_commands.Range[str, 1, TITLE_MAX] | None = None,
        url: app_commands.Range[str, 1, URL_MAX] | None = None,
        published: DateEdit | None = None,
        summary: app_commands.Range[str, 1, SHORT_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        today = await self.desk.today(interaction.guild_id)
        published = settled(published, PUBLISHED_FACING, today)
        changes = Changes(RecordType.SOURCE)
        changes.text("title", title)
        changes.text("url", url if is_clear(url) else checked_url(url))
        changes.date("published", published)
        changes.text("summary", summary)
        assert source.id is not None
        saved = await self.desk.edit(actor_of(interaction), RecordType.SOURCE, source.id,
                                     **changes.fields)
        parsed = published if isinstance(published, ParsedDate) else None
        echo = understood("Published", parsed)
        note = f"Updated source #{saved.id}.{changes.cleared_note()}\n{echo}"
        await self.show(interaction, saved, note=note.strip())

    @app_commands.command(name="delete", description="Delete a source (asks first)")
    @app_commands.describe(source="The source to delete")
    async def delete(self, interaction: discord.Interaction, source: SourceOption) -> None:
        await confirm_delete(self, interaction, source)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(SourcesCog(bot))
