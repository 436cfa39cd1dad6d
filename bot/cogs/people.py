"""/person: add, show, list, edit and delete the people a desk follows."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import DeskCog, actor_of, confirm_delete
from bot.domain.errors import UserError
from bot.domain.records import NAME_MAX, SHORT_MAX, Person, RecordType
from bot.stores.records import RecordFilter
from bot.ui.render import list_embed, list_line
from bot.ui.transformers import CountryOption, PersonOption, SourceOption
from bot.ui.views import send_pages

if TYPE_CHECKING:
    from bot.bot import AttacheBot

PAGE_SIZE = 10
SUGGEST_CAP = 25  # what DeskService.suggest answers at most


def name_matches(person: Person, typed: str) -> bool:
    """True when every typed word starts a word of the name: 'nurt' and 'murat n' both fit.

    Search suggestions also match titles and notes; a name filter must not, or 'deputy'
    would list every deputy minister.
    """
    words = _fold(person.name).split()
    return all(any(w.startswith(t) for w in words) for t in _fold(typed).split())


def _fold(text: str) -> str:
    """Lower case without accents or hyphens, as the search index reads names."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold().replace("-", " ")


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
        country: CountryOption,
        notes: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        source: SourceOption | None = None,
    ) -> None:
        person = Person(name=name, title=title, country=country, notes=notes or "",
                        source=source.uid if source else None)
        saved = await self.desk.add(actor_of(interaction), person)
        await self.show(interaction, saved, note=f"Saved person #{saved.id}.")

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
        if name is not None and not _fold(name).split():
            raise UserError(f"Cannot filter names by {name!r}: give the start of a name, "
                            "e.g. 'nurt' or 'murat'.")
        guild_id = interaction.guild_id
        title = "People" + (f" of {country}" if country else "")
        empty = ("No people match." if country or name
                 else "No people yet. Add one with /person add.")
        if name:
            await self._send_named(interaction, guild_id, title, country, name, empty)
            return
        flt = RecordFilter(country=country, limit=PAGE_SIZE)
        first = await self.desk.page(guild_id, RecordType.PERSON, flt)

        async def load(index: int) -> discord.Embed:
            flt.offset = index * PAGE_SIZE
            page = first if index == 0 else await self.desk.page(guild_id, RecordType.PERSON, flt)
            lines = [list_line(r, {}) for r in page.items]
            return list_embed(title, RecordType.PERSON, lines, page=index + 1,
                              pages=first.pages, total=first.total, empty=empty)

        await send_pages(interaction, first.pages, load)

    async def _send_named(
        self, interaction: discord.Interaction, guild_id: int, title: str,
        country: str | None, name: str, empty: str,
    ) -> None:
        # The name filter rides on the search index's word prefixes, which answer at most
        # 25 records and also match titles and notes; past that cap the footer says so.
        found = await self.desk.suggest(guild_id, RecordType.PERSON, name)
        matches: list[Person] = sorted(
            (p for p in found if isinstance(p, Person) and name_matches(p, name)
             and (not country or p.country.casefold() == country.casefold())),
            key=lambda p: (p.name.casefold(), p.id or 0),
        )
        capped = len(found) >= SUGGEST_CAP
        title = f"{title} named '{name}'"
        pages = max(1, -(-len(matches) // PAGE_SIZE))

        async def load(index: int) -> discord.Embed:
            chunk = matches[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]
            embed = list_embed(title, RecordType.PERSON, [list_line(r, {}) for r in chunk],
                               page=index + 1, pages=pages, total=len(matches), empty=empty)
            if capped:
                embed.set_footer(text=f"{embed.footer.text} · among the first {SUGGEST_CAP} "
                                      "matches; type more of the name to narrow it")
            return embed

        await send_pages(interaction, pages, load)

    @app_commands.command(name="edit", description="Change some fields of a person")
    @app_commands.describe(
        person="The person to change",
        name="New full name",
        title="New office",
        country="New country",
        notes="New short note (replaces the notes; longer notes: the button under the card)",
        source="New source",
    )
    async def edit(
        self,
        interaction: discord.Interaction,
        person: PersonOption,
        name: app_commands.Range[str, 1, NAME_MAX] | None = None,
        title: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        country: CountryOption | None = None,
        notes: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        source: SourceOption | None = None,
    ) -> None:
        changes: dict[str, object] = {
            "name": name, "title": title, "country": country, "notes": notes,
            "source": source.uid if source else None,
        }
        given = {k: v for k, v in changes.items() if v is not None}
        assert person.id is not None
        saved = await self.desk.edit(actor_of(interaction), RecordType.PERSON, person.id, **given)
        await self.show(interaction, saved, note=f"Updated person #{saved.id}.")

    @app_commands.command(name="delete", description="Delete a person (asks first)")
    @app_commands.describe(person="The person to delete")
    async def delete(self, interaction: discord.Interaction, person: PersonOption) -> None:
        await confirm_delete(self, interaction, person)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(PeopleCog(bot))
