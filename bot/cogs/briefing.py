"""/briefing: where things stand with one country, in one reply."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.cogs.base import DeskCog, answer_in_time, send_answer, understood
from bot.cogs.timeline import send_timeline
from bot.domain.fuzzydate import FuzzyDate
from bot.services.briefing import Briefing, briefing_text, build_and_render
from bot.services.desk import DeskService
from bot.services.timeline import attachment_name, build_timeline
from bot.ui.render import NO_PINGS, briefing_embeds, briefing_empty
from bot.ui.transformers import CountryOption, DateOption
from bot.ui.views import OwnedView

if TYPE_CHECKING:
    from bot.bot import AttacheBot

FORMATS = [
    app_commands.Choice(name="Embeds in the channel (default)", value="embed"),
    app_commands.Choice(name="Markdown file (.md) to forward or paste", value="markdown"),
]


class TimelineButton(OwnedView):
    """A button under a brief that posts the same country's timeline picture."""

    def __init__(
        self, desk: DeskService, owner_id: int, country: str, since: FuzzyDate | None
    ) -> None:
        super().__init__(owner_id, timeout=600)
        self.desk = desk
        self.country = country
        self.since = since

    @discord.ui.button(label="Timeline", style=discord.ButtonStyle.secondary,
                       custom_id="timeline", emoji="📈")
    async def timeline(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        assert interaction.guild_id is not None
        # Built when pressed, not when the brief was, so the picture shows today's records.
        await send_timeline(interaction, build_timeline(
            self.desk, interaction.guild_id, self.country, since=self.since
        ))


def _has_engagements(result: Briefing) -> bool:
    totals = result.totals
    return totals.meetings + totals.plans + totals.visits > 0


class BriefingCog(DeskCog):
    @app_commands.command(name="briefing", description="Where we stand with a country")
    @app_commands.guild_only()
    @app_commands.describe(
        country="The country: a name, code or adjective (Kazakhstan, KZ, Kazakh)",
        since="Count and list from this date on: 2024, March 2025… (default: the last 12 months)",
        format="Embeds in the channel, or the same brief as a Markdown file",
    )
    @app_commands.choices(format=FORMATS)
    async def briefing(
        self,
        interaction: discord.Interaction,
        country: CountryOption,
        since: DateOption | None = None,
        format: str = "embed",
    ) -> None:
        assert interaction.guild_id is not None
        # A country with thousands of records can take longer than Discord's 3 seconds.
        render = briefing_text if format == "markdown" else briefing_embeds

        def rendered(brief: Briefing) -> Any:
            return None if brief.is_empty else render(brief)

        # Rendered on the worker thread that assembles the brief: one trip off the loop.
        result, answer = await answer_in_time(interaction, build_and_render(
            self.desk, interaction.guild_id, country, rendered,
            since=since.date.start if since else None,
        ))
        if result.is_empty:
            await send_answer(interaction, content=briefing_empty(result),
                              allowed_mentions=NO_PINGS)
            return
        note = understood("Since", since)
        view = None
        if _has_engagements(result):
            view = TimelineButton(self.desk, interaction.user.id, result.country,
                                  since.date if since else None)
        if format == "markdown":
            document = discord.File(
                io.BytesIO(answer.encode("utf-8")),
                filename=attachment_name("briefing", result.country, "md"),
            )
            message = await _send(
                interaction, content=note or f"Briefing on {result.country}, as Markdown.",
                file=document, view=view or discord.utils.MISSING, allowed_mentions=NO_PINGS,
            )
        else:
            message = await _send(
                interaction, content=note or None, embeds=answer,
                view=view or discord.utils.MISSING, allowed_mentions=NO_PINGS,
            )
        if view is not None:
            view.message = message


async def _send(
    interaction: discord.Interaction, **kwargs: Any
) -> discord.InteractionMessage | discord.WebhookMessage:
    """Sends the answer (a follow-up if answer_in_time deferred) and returns the message,
    which the button needs to retire itself. Discord hands it back with the answer, so no
    second request asks for it."""
    if interaction.response.is_done():
        return await interaction.followup.send(wait=True, **kwargs)
    callback = await interaction.response.send_message(**kwargs)
    if isinstance(callback.resource, discord.InteractionMessage):
        return callback.resource
    return await interaction.original_response()


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(BriefingCog(bot))
