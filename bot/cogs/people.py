"""/person: add, show, list, edit and delete the people a desk follows."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import DeskCog, actor_of, confirm_delete, confirmed, duplicate_warning
from bot.cogs.edits import CLEARS, Changes
from bot.domain.errors import UserError
from bot.domain.records import NAME_MAX, SHORT_MAX, Person, RecordType
from bot.stores.records import RecordFilter
from bot.ui.transformers import (
    CountryOption,
    NationEdit,
    NationOption,
    PersonOption,
    SourceEdit,
    SourceOption,
)

if TYPE_CHECKING:
    from bot.bot import AttacheBot

@app_commands.guild_only()
class PeopleCog(DeskCog, commands.GroupCog, group_name="person",
                group_description="People: ministers, envoys and officials the desk follows"):
    @app_commands.command(name="add", description="Record a person")
    @app_commands.describe(
        name="Full name, e.g. Murat Nurtleu",
        title="Their office, e.g. Deputy Prime Minister and Foreign Minister",
        country="The country they serve",
        notes="A short note (longer notes: the button under the card)",
        source="The report or communiqué this comes from",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, NAME_MAX],
        title: app_commands.Range[str, 1, SHORT_MAX],
        country: NationOption,
        notes: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        source: SourceOption | None = None,
    ) -> None:
        person = Person(name=name, title=title, country=country, notes=notes or "",
                        source=source.uid if source else None)
        assert interaction.guild_id is not None
        warning = await duplicate_warning(self.desk, interaction.guild_id, person)
        answer = await confirmed(interaction, [warning] if warning else [])
        if answer is None:
            return
        saved = await self.desk.add(actor_of(answer), person)
        await self.show(answer, saved, note=f"Saved person #{saved.id}.")

    @app_commands.command(name="show", description="Everything about one person")
    @app_commands.describe(person="The person (start typing any part of the name)")
    async def show_(self, interaction: discord.Interaction, person: PersonOption) -> None:
        await self.show(interaction, person)

    @app_commands.command(name="list", description="List people alphabetically")
    @app_commands.describe(
        country="Only people of this country",
        name="Only names with words starting like this, e.g. 'nurt' or 'murat'",
    )
    async def list_(
        self,
        interaction: discord.Interaction,
        country: CountryOption | None = None,
        name: app_commands.Range[str, 1, NAME_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        if name is not None and not re.search(r"\w", name):
            raise UserError(f"Cannot filter names by {name!r}: give the start of a name, "
                            "e.g. 'nurt' or 'murat'.")
        title = "People" + (f" of {country}" if country else "")
        empty = ("No people match." if country or name
                 else "No people yet. Add one with /person add.")
        flt = RecordFilter(country=country, title_words=name)
        await self.send_list(interaction, RecordType.PERSON, title, flt, empty=empty)

    @app_commands.command(name="edit", description="Change some fields of a person; - clears one")
    @app_commands.describe(
        person="The person to change",
        name="New full name",
        title="New office" + CLEARS,
        country="New country" + CLEARS,
        notes="New short note, replacing the notes (longer: the button under the card)" + CLEARS,
        source="New source" + CLEARS,
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        person: PersonOption,
        name: app_commands.Range[str, 1, NAME_MAX] | None = None,
        title: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        country: NationEdit | None = None,
        notes: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        source: SourceEdit | None = None,
    ) -> None:
        changes = Changes(RecordType.PERSON)
        changes.text("name", name)
        changes.text("title", title)
        changes.text("country", country)
        changes.text("notes", notes)
        changes.link("source", source)
        assert person.id is not None
        saved = await self.desk.edit(actor_of(interaction), RecordType.PERSON, person.id,
                                     **changes.fields)
        await self.show(interaction, saved,
                        note=f"Updated person #{saved.id}.{changes.cleared_note()}")

    @app_commands.command(name="delete", description="Delete a person (asks first)")
    @app_commands.describe(person="The person to delete")
    async def delete(self, interaction: discord.Interaction, person: PersonOption) -> None:
        await confirm_delete(self, interaction, person)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(PeopleCog(bot))
