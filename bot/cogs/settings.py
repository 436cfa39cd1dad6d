"""/settings: the server's time zone, how numeric dates are read, and who may edit records.

Everyone can read the settings (they say how dates are read), so the group carries no
default_permissions, which would hide `show` too; DeskService refuses changes from anyone
without Manage Server.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import DeskCog, actor_of, bot_of
from bot.domain.errors import UserError
from bot.domain.fuzzydate import zone_info
from bot.domain.records import GuildSettings
from bot.domain.syntax import SyntaxRefusal, Topic
from bot.domain.timezones import HELP as ZONE_HELP
from bot.domain.timezones import ZoneReading, read_zone, suggest_zones
from bot.services.onboarding import never_set_up
from bot.ui.onboarding import setup_embed, unset
from bot.ui.render import CHOICE_NAME_LIMIT, NO_PINGS, EmbedBuilder, clip

if TYPE_CHECKING:
    from bot.bot import AttacheBot

DateOrder = Literal["day-first", "month-first"]


class ZoneTransformer(app_commands.Transformer):
    """A zone as people name it (IANA name, city, country, abbreviation, offset), read once
    into an IANA zone; what names none, or several, is refused with the candidates."""

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: str) -> ZoneReading:
        try:
            return read_zone(value, now=bot_of(interaction).clock())
        except UserError as exc:
            # Zones are told on the settings page; the reader's own pointer names another.
            text = exc.message.replace(ZONE_HELP, "").strip()
            raise SyntaxRefusal(text, topic=Topic.SETTINGS) from exc

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        now = bot_of(interaction).clock()
        return [app_commands.Choice(name=clip(f"{z} ({zone_offset(z, now)} now)",
                                              CHOICE_NAME_LIMIT), value=z)
                for z in suggest_zones(value)]


def zone_offset(zone: str, now: datetime) -> str:
    """'UTC+05:00': the zone's offset from UTC at `now`."""
    offset = now.astimezone(zone_info(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}"


ZoneOption = app_commands.Transform[ZoneReading, ZoneTransformer]


def settings_embed(settings: GuildSettings, *, default_zone: str = "UTC") -> discord.Embed:
    if settings.day_first:
        order = "day first: 05/03/2025 is 5 March 2025"
    else:
        order = "month first: 05/03/2025 is 3 May 2025"
    if settings.editor_role_id is not None:
        editors = f"Manage Server, or the <@&{settings.editor_role_id}> role"
    else:
        editors = "Manage Server only (name a role with /settings editor-role)"
    todo = unset(settings, default_zone=default_zone)
    return (
        EmbedBuilder("Settings for this server", discord.Colour.greyple())
        .add("Time zone", f"{settings.timezone} (dates and times without a zone are read here)"
             + (" — the default, not chosen yet" if settings.timezone == default_zone else ""),
             inline=False)
        .add("Date order", order, inline=False)
        .add("Who can edit records", editors, inline=False)
        .add("Visits in Events", _events_line(settings), inline=False)
        .add(f"Still to set up ({len(todo)})",
             "\n".join(f"☐ {s.name}: {s.now} → `{s.command}`" for s in todo), inline=False)
        .footer("Changing settings needs the Manage Server permission. /help topic:Settings "
                "explains each.")
    )


def _events_line(settings: GuildSettings) -> str:
    if not settings.events_enabled:
        return "off (/settings events switch:on mirrors visits with a known day)"
    if settings.events_problem:
        return f"stopped: {settings.events_problem}"
    return "on: visits with a known day appear in this server's Events"


@app_commands.guild_only()
class SettingsCog(DeskCog, commands.GroupCog, group_name="settings",
                  group_description="This server's time zone, date order, editor role and Events"):
    async def _reply(self, interaction: discord.Interaction, settings: GuildSettings,
                     note: str = "", *, checklist: bool = False) -> None:
        zone = self.bot.settings.default_timezone
        embeds = [settings_embed(settings, default_zone=zone)]
        if checklist:
            embeds.append(setup_embed(settings, default_zone=zone))
        await interaction.response.send_message(
            content=note or None, embeds=embeds, allowed_mentions=NO_PINGS
        )

    @app_commands.command(name="show", description="Show this server's settings")
    async def show_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.desk.settings(interaction.guild_id)
        zone = self.bot.settings.default_timezone
        # A server nobody has set up gets the whole checklist, each step a command; once
        # something is chosen, the settings' own "Still to set up" field says what is left.
        fresh = never_set_up(settings, default_zone=zone)
        if fresh and interaction.permissions.manage_guild and settings.setup_posted_at is None:
            # An admin has now seen the checklist: no channel post is owed any more.
            await self.bot.services.setup.claim(interaction.guild_id)
        await self._reply(interaction, settings, checklist=fresh)

    @app_commands.command(name="timezone", description="Set the time zone dates are read in")
    @app_commands.describe(zone="A city (Karachi), IANA zone (Asia/Karachi), abbreviation (PKT) "
                                "or offset (UTC+05:00)")
    async def timezone(self, interaction: discord.Interaction, zone: ZoneOption) -> None:
        saved = await self.desk.update_settings(actor_of(interaction), timezone=zone.zone)
        how = "" if zone.how == zone.zone else f" ({zone.how})"
        now = self.bot.clock()
        note = (f"Time zone set to {saved.timezone}{how}. It is "
                f"{now.astimezone(zone_info(saved.timezone)):%H:%M} there now "
                f"({zone_offset(saved.timezone, now)}).")
        await self._reply(interaction, saved, note=note)

    @app_commands.command(name="date-order", description="How to read numeric dates like 05/03")
    @app_commands.describe(order="day-first: 05/03 is 5 March; month-first: 05/03 is 3 May")
    async def date_order(self, interaction: discord.Interaction, order: DateOrder) -> None:
        saved = await self.desk.update_settings(actor_of(interaction),
                                                day_first=order == "day-first")
        await self._reply(interaction, saved, note=f"Numeric dates are now read {order}.")

    @app_commands.command(name="editor-role", description="Name the role that may edit records")
    @app_commands.describe(role="Members with this role may add and change records; "
                                "leave empty to clear it (then only Manage Server can)")
    async def editor_role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        saved = await self.desk.update_settings(actor_of(interaction),
                                                editor_role_id=role.id if role else None)
        if role is None:
            note = "Editor role cleared: only members with Manage Server can change records now."
        elif role.is_default():
            note = "Every member of this server can now add and change records."
        else:
            note = f"Editor role set to {role.mention}."
        await self._reply(interaction, saved, note=note)

    @app_commands.command(name="events", description="Mirror visits in this server's Events")
    @app_commands.describe(switch="on: visits with a known day appear as Events; off: removed")
    async def events(self, interaction: discord.Interaction,
                     switch: Literal["on", "off"]) -> None:
        assert interaction.guild is not None
        on = switch == "on"
        if on and not interaction.guild.me.guild_permissions.manage_events:
            await interaction.response.send_message(
                "Not switched on: the bot needs the Manage Events permission in this server.",
                ephemeral=True, allowed_mentions=NO_PINGS)
            return
        self.desk.check_admin(actor_of(interaction))
        # Creating or removing one event per visit can outlast Discord's three seconds.
        await interaction.response.defer(thinking=True)
        count = await self.bot.services.events.switch(actor_of(interaction), on)
        text = (f"Visits with a known day now appear in this server's Events ({count} so far)."
                if on else f"Events are off; {count} event(s) created by Attaché were removed.")
        await interaction.followup.send(text, allowed_mentions=NO_PINGS)


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(SettingsCog(bot))
