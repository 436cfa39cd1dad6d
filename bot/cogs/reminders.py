"""/reminders settings and the poster: one task that sleeps until the next post is due
(visit reminders, follow-up reminders and the weekly digest alike)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.base import DeskCog, actor_of
from bot.domain.records import FollowUp, Visit
from bot.domain.syntax import SyntaxRefusal, Topic, pointing_to
from bot.services.desk import people_of
from bot.services.interchange import finish_interrupted
from bot.services.preview import Preview, reminder_preview
from bot.services.reminders import Batch, ReminderService
from bot.stores.deliveries import DIGEST, FOLLOWUP, Delivery, Status
from bot.ui import held
from bot.ui.channels import admin_channels
from bot.ui.digest import digest_message
from bot.ui.followups import FollowUpOption, followup_line, followup_reminder
from bot.ui.render import NO_PINGS, clip, reminder_mentions, reminder_message
from bot.ui.transformers import VisitOption

if TYPE_CHECKING:
    from bot.bot import AttacheBot

log = logging.getLogger(__name__)

# Without these in the channel, nothing can be posted there.
NEEDED = ("view_channel", "send_messages", "embed_links")


class ReminderPoster:
    """Sleeps until the earliest planned reminder, wakes early when plans change, posts."""

    # With nothing planned the poster naps this long; any change wakes it at once.
    IDLE = 365 * 86400.0

    def __init__(self, bot: AttacheBot, service: ReminderService) -> None:
        self.bot = bot
        self.service = service
        self.task: asyncio.Task[None] | None = None
        self._nap: asyncio.Task[None] | None = None
        self._woken = False
        # "Was it held?" questions go out each morning (and once at start, to catch up);
        # a change of settings may bring a server, or a zone, with an earlier morning.
        self._questions_at: datetime | None = None
        self._caught_up = False
        self._questions_moved = False
        service.on_change(self.wake)

    def wake(self) -> None:
        """Plans changed: cut the current nap short so the next due time is read again."""
        self._woken = True
        self._questions_moved = True
        if self._nap is not None:
            self._nap.cancel()

    async def _sleep(self, seconds: float) -> None:
        """Sleeps in a child task that `wake` cancels.

        A plain timer (rather than an Event) keeps the wait visible as a timer to test
        harnesses that run virtual time, and cancelling only the child never cancels the
        poster itself.
        """
        if self._woken:
            self._woken = False
            return
        self._nap = asyncio.create_task(asyncio.sleep(seconds))
        try:
            await self._nap
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the poster itself is being stopped
        finally:
            self._nap = None
            self._woken = False

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="attache-reminders")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        try:
            # Plans written by another process (a command-line import, another shard's
            # process) wake this poster as this process's own changes do.
            await self.bot.services.deliveries.on_plans_changed(self.wake)
        except Exception:
            log.exception("could not listen for other processes' plans; this process "
                          "reads them when its own next change or due send wakes it")
        try:
            # An import cut short (the process killed part way) is finished before the
            # plan is reconciled, so that reconciling sees all of it (bot/stores/imports.py).
            await finish_interrupted(self.bot.services.changes)
        except Exception:
            log.exception("could not finish an interrupted import; the next import into "
                          "its server tries again")
        try:
            for batch in await self.service.recover():
                await self._deliver(batch)
            await self.service.reconcile()
            await self.bot.services.digest.reconcile()
        except Exception:
            log.exception("reminder recovery failed; carrying on with what is planned")
        while True:
            try:
                await self._tick()
            except Exception:
                # The poster never dies; after an error it waits for a change or a minute.
                log.exception("reminder poster hit an error")
                await self._sleep(60)

    async def _tick(self) -> None:
        now = self.bot.clock()
        if not self._caught_up or (self._questions_at is not None and self._questions_at <= now):
            self._caught_up = True
            await self._ask_held()
            self._questions_at = await self.service.next_questions()
        elif self._questions_moved:
            self._questions_at = await self.service.next_questions()
        self._questions_moved = False
        due = await self.service.next_due()
        wake_at = min((t for t in (due, self._questions_at) if t is not None), default=None)
        if wake_at is None:
            await self._sleep(self.IDLE)
            return
        delay = (wake_at - now).total_seconds()
        if delay > 0:
            await self._sleep(delay)
            return
        for batch in await self.service.claim_due():
            await self._deliver(batch)

    async def _ask_held(self) -> None:
        """Asks in each reminder channel about visits that have passed still marked open."""
        try:
            due = await self.service.questions_due()
        except Exception:
            log.exception("could not find the visits to ask about")
            return
        for settings, visits in due:
            try:
                channel = self.bot.get_channel(settings.reminder_channel_id or 0) or (
                    await self.bot.fetch_channel(settings.reminder_channel_id or 0))
                if not isinstance(channel, discord.abc.Messageable):
                    raise TypeError("the reminder channel is not a text channel")
                people = await self.bot.desk.people(settings.guild_id, people_of(visits))
                content, view = held.question(visits, people, ask=visits)
                message = await channel.send(content, view=view or discord.utils.MISSING,
                                             allowed_mentions=NO_PINGS)
            except Exception as exc:
                # Asked another morning instead; failing reminders tell the admins themselves.
                log.warning("guild %s: could not ask whether visits were held: %r",
                            settings.guild_id, exc)
                await self.service.questions_not_posted(settings.guild_id, visits)
                continue
            await self.service.questions_posted(settings.guild_id, visits, message.channel.id,
                                                message.id)

    async def _deliver(self, batch: Batch) -> None:
        """Sends one batch; its outcome is always recorded, and one failure stops no other."""
        try:
            channel = self.bot.get_channel(batch.channel_id) or await self.bot.fetch_channel(
                batch.channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                await self._failed(batch, GONE)  # e.g. a category or a voice channel now
                return
            composed = await self._compose(batch)
            if composed is None:
                return
            content, embeds, mentions = composed
            message = await channel.send(content, embeds=embeds, nonce=batch.nonce,
                                         allowed_mentions=mentions)
        except discord.Forbidden:
            await self._failed(batch, FORBIDDEN)
            return
        except discord.NotFound:
            await self._failed(batch, GONE)
            return
        except discord.HTTPException as exc:
            await self.service.retry(batch, f"Discord answered {exc.status}: {exc.text[:200]}")
            return
        except Exception as exc:
            log.exception("reminder batch %s could not be sent", batch.nonce)
            await self.service.retry(batch, f"unexpected error: {type(exc).__name__}")
            return
        await self.service.sent(batch, message.channel.id, message.id)

    async def _compose(
        self, batch: Batch
    ) -> tuple[str, list[discord.Embed], discord.AllowedMentions] | None:
        """What one batch says and whom it may ping; None when it is not to be posted (an
        empty week while empty digests are skipped)."""
        if batch.record_type == FOLLOWUP:
            content, mentions = followup_reminder(batch, self.bot.get_guild(batch.guild_id))
            return content, [], mentions
        if batch.record_type == DIGEST:
            digests = self.bot.services.digest
            digest = await digests.build(batch.guild_id)
            if digest.empty and (await digests.schedule(batch.guild_id)).skip_empty:
                await self.service.skip_batch(batch, "nothing this week (skip-empty is on)")
                return None
            content, embeds = digest_message(digest, late=batch.late)
            return content, embeds, NO_PINGS
        content, embeds = reminder_message(batch)
        return content, embeds, reminder_mentions(batch)

    async def _failed(self, batch: Batch, reason: str) -> None:
        if await self.service.failed(batch, reason):
            await self._tell_admins(batch, reason)

    async def _tell_admins(self, batch: Batch, reason: str) -> None:
        """Once per problem, where an admin will see it: the reminder channel if it still
        takes posts, else a channel admins read, else a direct message to the owner."""
        guild = self.bot.get_guild(batch.guild_id)
        if guild is None:
            return
        text = (f"Attaché could not post a reminder in <#{batch.channel_id}>: {reason} "
                "Fix it with /reminders channel; /reminders status shows what is waiting.")
        # Discord said the channel is gone; its cached copy would only fail again.
        gone = reason == GONE
        for channel in admin_channels(guild, batch.channel_id, reminder_channel=not gone):
            try:
                await channel.send(text, allowed_mentions=NO_PINGS)
                return
            except discord.HTTPException:
                continue  # refused here as well: try the next place
        try:
            owner = guild.owner or await self.bot.fetch_user(guild.owner_id or 0)
            await owner.send(
                f"In **{discord.utils.escape_markdown(guild.name)}**: {text}",
                allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            # DMs closed and no channel left: /reminders status still shows the problem.
            log.warning("could not tell anyone in guild %s about: %s", guild.id, reason)


FORBIDDEN = "the bot lacks permission to post in the reminder channel."
GONE = "the reminder channel no longer exists."


def _reason(exc: Exception) -> str:
    return FORBIDDEN if isinstance(exc, discord.Forbidden) else GONE


@app_commands.guild_only()
class RemindersCog(DeskCog, commands.GroupCog, group_name="reminders",
                   group_description="Reminder posts before visits: where, when, and who"):
    def __init__(self, bot: AttacheBot) -> None:
        super().__init__(bot)
        self.service = bot.reminders
        self.poster = ReminderPoster(bot, bot.reminders)

    async def cog_load(self) -> None:
        held.register(self.bot)
        self.poster.start()

    async def cog_unload(self) -> None:
        await self.poster.stop()

    @app_commands.command(name="channel", description="Choose the channel reminders go to")
    @app_commands.describe(channel="A text channel the bot can post in")
    async def channel(self, interaction: discord.Interaction,
                      channel: discord.TextChannel) -> None:
        # Refused before the channel is inspected: a member who may not choose it learns
        # nothing about the bot's permissions there.
        self.service.check_admin(actor_of(interaction))
        me = channel.guild.me
        missing = [p for p in NEEDED if not getattr(channel.permissions_for(me), p)]
        if missing:
            names = ", ".join(p.replace("_", " ").title() for p in missing)
            await interaction.response.send_message(
                f"Not saved: the bot needs {names} in {channel.mention}. Give it those, then "
                "run this again.", ephemeral=True, allowed_mentions=NO_PINGS)
            return
        await self.service.configure(actor_of(interaction), reminder_channel_id=channel.id)
        await interaction.response.send_message(
            f"Reminders will be posted in {channel.mention}.", allowed_mentions=NO_PINGS)

    @app_commands.command(name="leads", description="How long before a visit reminders go out")
    @app_commands.describe(leads="For example 30d 7d 1d 2h (d days, w weeks, h hours, m minutes)")
    async def leads(self, interaction: discord.Interaction,
                    leads: app_commands.Range[str, 1, 100]) -> None:
        # The service reads the lead times; what it cannot read is a question of syntax.
        with pointing_to(Topic.REMINDERS):
            saved = await self.service.configure(actor_of(interaction), reminder_leads=leads)
        await interaction.response.send_message(
            f"Lead times set to **{saved.reminder_leads}**; planned reminders were redone.",
            allowed_mentions=NO_PINGS)

    @app_commands.command(name="role", description="The one role reminders may ping")
    @app_commands.describe(role="The role to ping; leave empty to ping no one")
    async def role(self, interaction: discord.Interaction,
                   role: discord.Role | None = None) -> None:
        await self.service.configure(actor_of(interaction),
                                     reminder_role_id=role.id if role else None)
        text = (f"Reminders will ping {role.mention}." if role
                else "Reminders will ping no one.")
        await interaction.response.send_message(text, allowed_mentions=NO_PINGS)

    @app_commands.command(name="pause", description="Stop posting reminders until resumed")
    async def pause(self, interaction: discord.Interaction) -> None:
        await self.service.configure(actor_of(interaction), reminders_paused=True)
        await interaction.response.send_message(
            "Reminders paused. Anything due meanwhile goes out marked late when you resume, "
            "if its visit has not started.", allowed_mentions=NO_PINGS)

    @app_commands.command(name="resume", description="Post reminders again")
    async def resume(self, interaction: discord.Interaction) -> None:
        await self.service.configure(actor_of(interaction), reminders_paused=False)
        await interaction.response.send_message("Reminders resumed.", allowed_mentions=NO_PINGS)

    @app_commands.command(name="status", description="Settings, what is planned, what went wrong")
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        report = await self.service.status(interaction.guild_id)
        s = report.settings
        lines = [
            f"Channel: {f'<#{s.reminder_channel_id}>' if s.reminder_channel_id else 'not set'}"
            + (" (paused)" if s.reminders_paused else ""),
            f"Lead times: {s.reminder_leads}",
            f"Role pinged: {f'<@&{s.reminder_role_id}>' if s.reminder_role_id else 'none'}",
            "Counts: " + (", ".join(f"{n} {k}" for k, n in sorted(report.counts.items()))
                          or "nothing planned yet"),
        ]
        if s.reminder_problem:
            lines.append(f"⚠️ Problem: {s.reminder_problem}")
        embed = discord.Embed(title="Reminders", description="\n".join(lines))
        if report.upcoming:
            embed.add_field(name="Next", value=clip("\n".join(
                _line(row) for row in report.upcoming), 1024), inline=False)
        if report.problems:
            embed.add_field(name="Not sent", value=clip("\n".join(
                f"{_line(row)} — {row.last_error or row.reason}" for row in report.problems),
                1024), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    @app_commands.command(name="preview",
                          description="The reminders a visit, or a follow-up's owner, will get")
    @app_commands.describe(visit="A visit: its reminders, and those of the follow-ups for it",
                           followup="A follow-up: the reminders its owner will get")
    async def preview(self, interaction: discord.Interaction, visit: VisitOption | None = None,
                      followup: FollowUpOption | None = None) -> None:
        assert interaction.guild_id is not None
        record = visit if followup is None else followup
        if (visit is None) == (followup is None) or not isinstance(record, Visit | FollowUp):
            raise SyntaxRefusal("Name one visit or one follow-up to preview, e.g. "
                                "`/reminders preview visit:#2` or `followup:#1`.",
                                topic=Topic.REMINDERS)
        found = await reminder_preview(self.service, self.bot.services.followups,
                                       interaction.guild_id, record)
        today = await self.desk.today(interaction.guild_id)
        await interaction.response.send_message(clip(preview_text(found, today), 2000),
                                                ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="notify-me",
                          description="Be pinged by reminders about follow-ups you own")
    @app_commands.describe(setting="on: reminders mention you; off: they show your name only")
    async def notify_me(self, interaction: discord.Interaction,
                        setting: Literal["on", "off"]) -> None:
        assert interaction.guild_id is not None
        followups = self.bot.services.followups
        await followups.set_notify(interaction.guild_id, interaction.user.id, setting == "on")
        text = ("Reminders about follow-ups you own will mention you." if setting == "on"
                else "Reminders about follow-ups you own will show your name without a ping.")
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="test", description="Post a test message in the reminder channel")
    async def test(self, interaction: discord.Interaction) -> None:
        settings = await self.service.test_target(actor_of(interaction))
        channel = self.bot.get_channel(settings.reminder_channel_id or 0)
        if not isinstance(channel, discord.abc.Messageable):
            await interaction.response.send_message(
                "The reminder channel no longer exists; choose another with /reminders channel.",
                ephemeral=True)
            return
        try:
            await channel.send("Attaché test: reminders will appear here.",
                               allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            await interaction.response.send_message(
                f"The test post failed: {_reason(exc)}", ephemeral=True)
            return
        await interaction.response.send_message("Test message posted.", ephemeral=True)


def preview_text(found: Preview, today: date) -> str:
    """A visit's reminders, then each open follow-up for it with its owner's reminders; or
    one follow-up's. Every row says when and in what state (planned, sent, skipped…)."""
    record = found.record
    if isinstance(record, FollowUp):
        assert found.entry is not None
        body = "\n".join(_said(row) for row in found.rows) or (
            "None: the follow-up is not open, has no deadline yet, or every lead time has "
            "already passed.")
        return (f"Reminders to the owner of follow-up #{record.id}:\n"
                f"{followup_line(found.entry, today)}\n{body}")
    assert isinstance(record, Visit)
    lines = [f"Reminders for visit #{record.id} ({record.date}):",
             *(_said(row) for row in found.rows)]
    if not found.rows:
        lines.append("None: the visit is not open, or every lead time has already passed.")
    if found.followups:
        lines += ["", f"Its follow-ups ({len(found.followups)} open), and their owners' "
                      "reminders:"]
        for sends in found.followups:
            lines.append(followup_line(sends.entry, today))
            lines += [f"  {_said(row)}" for row in sends.rows] or [
                "  none planned (no deadline yet, or every lead time has passed)"]
    return "\n".join(lines)


def _said(row: Delivery) -> str:
    """A preview's row: a send that will not happen says why ("the follow-up is done")."""
    line = _line(row)
    why = row.reason if row.status in (Status.SUPERSEDED, Status.SKIPPED) else None
    return f"{line[:-1]}: {clip(why, 120)})" if why else line


def _line(row: Delivery) -> str:
    stamp = int(row.due.timestamp())
    what = ("weekly digest" if row.record_type == DIGEST
            else f"{'follow-up' if row.record_type == FOLLOWUP else 'visit'} #{row.record_id}")
    return f"<t:{stamp}:f> · {what} · {row.headline} ({row.status})"


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(RemindersCog(bot))
