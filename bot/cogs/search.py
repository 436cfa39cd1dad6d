"""/search: full-text search over every record of the server, as a paginated list of hits."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.cogs.base import PAGE_SIZE, DeskCog
from bot.domain.markup import escape_line, highlight, query_words
from bot.domain.records import RecordType
from bot.domain.registry import REGISTRY
from bot.stores.records import SearchHit
from bot.ui.render import DESCRIPTION_LIMIT, FOOTER_LIMIT, TITLE_LIMIT, clip
from bot.ui.views import send_pages

if TYPE_CHECKING:
    from bot.bot import AttacheBot

QUERY_MAX = 200
SNIPPET_MAX = 160
# Every record type, from the registry: a new type is searchable without a change here.
KIND_CHOICES = [app_commands.Choice(name=spec.type.value, value=spec.type.value)
                for spec in REGISTRY.values()]


def snippet_text(snippet: str, limit: int, words: list[str]) -> str:
    """A snippet clipped, all of it escaped but the index's own ** marks around `words`.

    The cut is made on the snippet as stored, before escaping, and a mark pair it splits
    is dropped, so a cut never leaves a bold run open into the next line.
    """
    text = clip(" ".join(snippet.split()), limit)
    if text.count("**") % 2:
        head, _, tail = text.rpartition("**")
        text = head + tail
    return highlight(text, words)


def search_line(hit: SearchHit, words: list[str]) -> str:
    """One hit: "`#id` kind · **title** — snippet", the snippet keeping the index's ** marks."""
    title = escape_line(clip(" ".join(hit.title.split()), 80))
    snippet = snippet_text(hit.snippet, SNIPPET_MAX, words)
    tail = f" — {snippet}" if snippet else ""
    return f"`#{hit.record_id}` {hit.record_type.value} · **{title}**{tail}"


def quoted(text: str) -> str:
    """The user's query as shown back: escaped, so `*` or `_` print as typed."""
    return f"“{escape_line(clip(text, 100))}”"


class SearchCog(DeskCog):
    @app_commands.command(name="search", description="Search every record for some words")
    @app_commands.describe(
        query="Words to look for; every word must appear (punctuation is ignored)",
        kind="Only this kind of record",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    @app_commands.guild_only()
    async def search(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, QUERY_MAX],
        kind: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        kinds = [RecordType(kind)] if kind else []
        # The store turns the text into quoted words, so FTS5 syntax typed here is just words.
        hits = await self.desk.search(interaction.guild_id, query, kinds)
        words = query_words(query)
        pages = max(1, -(-len(hits) // PAGE_SIZE))
        what = f"{RecordType(kind).plural} " if kind else ""
        title = clip(f"Search {what}for {quoted(query)}", TITLE_LIMIT)

        async def load(index: int) -> discord.Embed:
            chunk = hits[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]
            body = "\n".join(search_line(h, words) for h in chunk)
            if not hits:
                body = (f"Nothing found for {quoted(query)}. Try fewer or shorter words; "
                        "every word must appear in the record.")
            embed = discord.Embed(title=title, colour=discord.Colour.blurple(),
                                  description=clip(body, DESCRIPTION_LIMIT))
            more = " (the best 100)" if len(hits) >= 100 else ""
            noun = "hit" if len(hits) == 1 else "hits"
            embed.set_footer(text=clip(f"Page {index + 1} of {pages} · {len(hits)} {noun}{more}"
                                       " · open one with its /… show command", FOOTER_LIMIT))
            return embed

        await send_pages(interaction, pages, load)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(SearchCog(bot))
