"""Follow-ups on Discord: the card, list lines, the deadline and follow-up pickers, the
"Follow-ups" button under a visit's or plan's card, and follow-up reminder posts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from bot.domain.dateparse import Facing, parse_fuzzy_date, settle_year
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.markup import escape, escape_line
from bot.domain.records import FollowUp, Owner, Plan, Record, RecordType, Visit
from bot.domain.registry import spec_of
from bot.domain.syntax import Topic, pointing_to
from bot.services.followups import (
    ANCHOR_NOUNS,
    Entry,
    anchor_of,
    deadline_of,
    may_mention,
    parse_relative,
    rule_text,
)
from bot.services.reminders import Batch
from bot.ui.render import (
    CHOICE_NAME_LIMIT,
    COLOURS,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    NO_PINGS,
    TITLE_LIMIT,
    EmbedBuilder,
    card_footer,
    clip,
)
from bot.ui.transformers import CLEARED, RecordTransformer, desk_of, is_clear

if TYPE_CHECKING:
    from bot.bot import AttacheBot
    from bot.services.desk import RecordLinks

COLOUR = COLOURS[RecordType.FOLLOWUP]
STATUS_MARKS = {"open": "⬜", "done": "✅", "dropped": "✖️"}


def _md(text: str) -> str:
    """Stored text shown as typed, on one line (the one escaper every renderer uses)."""
    return escape_line(text)


# --- text ------------------------------------------------------------------------------


def owner_text(owner: Owner | None) -> str:
    """'@Desk editors' — a name, never a mention: showing an owner pings nobody."""
    return f"@{_md(owner.name)}" if owner is not None else "no owner"


def deadline_line(entry: Entry, today: date) -> str:
    """'early November 2025 — before the visit · day still unconfirmed'."""
    text = _md(entry.deadline.text)
    countdown = entry.deadline.countdown(today) if entry.followup.is_open else ""
    mark = "⚠️ " if entry.overdue else ""
    return f"{mark}{text}" + (f" · {countdown}" if countdown else "")


def followup_line(entry: Entry, today: date) -> str:
    """One follow-up on one line of a list."""
    f = entry.followup
    mark = STATUS_MARKS.get(f.status.value, "")
    return (f"{mark} `#{f.id}` **{_md(clip(f.what, 120))}** · {owner_text(f.owned_by)}"
            f" · {deadline_line(entry, today)}")


def choice_label(f: FollowUp) -> str:
    status = "" if f.is_open else f" ({f.status.label})"
    return clip(f"#{f.id} {f.what}{status}", CHOICE_NAME_LIMIT)


def followup_card(entry: Entry, links: RecordLinks, today: date) -> discord.Embed:
    """The full card of one follow-up, as /followup show displays it."""
    f = entry.followup
    rule = rule_text(f)
    deadline = deadline_line(entry, today)
    if rule and entry.deadline.by is not None and not entry.deadline.by.is_exact_day:
        deadline += "\n(moves with the date: exact once the day is set)"
    return (
        EmbedBuilder(escape_line(f.what), COLOUR, escape(f.notes))
        .add("Status", f.status.label)
        .add("Owner", owner_text(f.owned_by))
        .add("Due", deadline, inline=False)
        .add("Visit", links.link(RecordType.VISIT, f.visit), inline=False)
        .add("Plan", links.link(RecordType.PLAN, f.plan), inline=False)
        .add("Meeting", links.link(RecordType.MEETING, f.meeting), inline=False)
        .add("Person", links.link(RecordType.PERSON, f.person), inline=False)
        .add("Source", links.link(RecordType.SOURCE, f.source), inline=False)
        .add("Reminders", f"own lead times: {f.leads}" if f.leads else None)
        .footer(card_footer(f))
    )


def entry_of(followup: FollowUp, links: RecordLinks, today: date) -> Entry:
    """The follow-up with its deadline, from the records its links already read."""
    deadline = deadline_of(followup, anchor_of(followup, links.linked))
    return Entry(followup, deadline, followup.is_open and deadline.overdue(today))


def card_of(followup: FollowUp, links: RecordLinks, today: date) -> discord.Embed:
    """The card from a follow-up alone, for generic paths such as render.record_card."""
    return followup_card(entry_of(followup, links, today), links, today)


def list_embed(title: str, lines: Sequence[str], *, page: int, pages: int, total: int,
               empty: str) -> discord.Embed:
    embed = discord.Embed(title=clip(title, TITLE_LIMIT), colour=COLOUR,
                          description=clip("\n".join(lines) if lines else empty,
                                           DESCRIPTION_LIMIT))
    spec = spec_of(RecordType.FOLLOWUP)
    noun = spec.noun if total == 1 else spec.nouns
    embed.set_footer(text=f"Page {page} of {pages} · {total} {noun} · overdue first")
    return embed


# --- pickers -----------------------------------------------------------------------------


class FollowUpTransformer(RecordTransformer):
    """A follow-up, by autocomplete, #number, uid or a unique word of what is to be done."""

    def __init__(self, clearable: bool = False) -> None:
        super().__init__(RecordType.FOLLOWUP, clearable)

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        records = await desk_of(interaction).suggest(interaction.guild_id, self.kind, value)
        return [app_commands.Choice(name=choice_label(r), value=str(r.id))
                for r in records if isinstance(r, FollowUp)]


@dataclass(frozen=True)
class DueInput:
    """A deadline as typed: a date of its own, or relative to the linked visit or plan."""

    due: FuzzyDate | None = None
    before: str = ""  # "visit" or "plan"
    offset: str = ""
    echo: str = ""  # how it was read, for the reply


class DueTransformer(app_commands.Transformer):
    """'15 October 2025', 'November 2025', 'before the visit', '2 weeks before signing'."""

    def __init__(self, clearable: bool = False) -> None:
        self.clearable = clearable

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: str) -> Any:
        assert interaction.guild_id is not None
        if self.clearable and is_clear(value):
            return CLEARED
        # "3 weeks before the visit": the forms are told on the follow-ups help page.
        with pointing_to(Topic.FOLLOWUPS):
            relative = parse_relative(value)
        if relative is not None:
            before, offset = relative
            probe = FollowUp("", due_before=before, due_offset=offset)
            return DueInput(before=before, offset=offset, echo=f"Due: {rule_text(probe)}")
        desk = desk_of(interaction)
        settings = await desk.settings(interaction.guild_id)
        today = await desk.today(interaction.guild_id)
        parsed = parse_fuzzy_date(value, today=today, zone=settings.timezone,
                                  day_first=settings.day_first)
        # A deadline is still to come: "15 March" is the next 15 March.
        parsed = settle_year(parsed, Facing.AHEAD, today)
        return DueInput(due=parsed.date, echo=f"Due: {parsed.interpretation}")


FollowUpOption = app_commands.Transform[Record, FollowUpTransformer]
# The transformers module has no clearable plan picker; a follow-up's edit needs one.
PlanEdit = app_commands.Transform[Any, RecordTransformer(RecordType.PLAN, clearable=True)]
DueOption = app_commands.Transform[DueInput, DueTransformer]
DueEdit = app_commands.Transform[Any, DueTransformer(clearable=True)]


def owner_of(who: discord.Member | discord.User | discord.Role) -> Owner:
    """The owner a member or role picked in a command stands for."""
    if isinstance(who, discord.Role):
        return Owner("role", who.id, who.name)
    return Owner("member", who.id, who.display_name)


def resolved(owner: Owner | None, guild: discord.Guild | None) -> Owner | None:
    """The owner with its id found in the server when a file named it only by name (a role
    of that name), and a role's current name."""
    if owner is None or guild is None or not owner.is_role:
        return owner
    if owner.id is None:
        role = discord.utils.find(lambda r: r.name.casefold() == owner.name.casefold(),
                                  guild.roles)
        return Owner("role", role.id, role.name) if role is not None else owner
    role = guild.get_role(owner.id)
    return Owner("role", role.id, role.name) if role is not None else owner


# --- the button under a visit's or plan's card -------------------------------------------


class FollowUpsButton(discord.ui.Button["discord.ui.View"]):
    """Lists the follow-ups of the visit or plan whose card it sits under, privately."""

    def __init__(self, record: Visit | Plan) -> None:
        super().__init__(label="Follow-ups", style=discord.ButtonStyle.secondary,
                         custom_id="followups")
        self.record = record

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        bot = cast("AttacheBot", interaction.client)
        service = bot.services.followups
        entries = await service.about(interaction.guild_id, self.record)
        today = await bot.desk.today(interaction.guild_id)
        kind = self.record.TYPE.value
        adding = (f"Add one with `/followup add {kind}:#{self.record.id}`, e.g. due:before "
                  f"{ANCHOR_NOUNS[kind]}.")
        lines = [followup_line(e, today) for e in entries]
        body = "\n".join(lines) if lines else f"No follow-ups yet. {adding}"
        embed = discord.Embed(
            title=clip(f"Follow-ups: {kind} #{self.record.id} "
                       f"{escape_line(self.record.heading)}", TITLE_LIMIT),
            colour=COLOUR, description=clip(body, DESCRIPTION_LIMIT))
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NO_PINGS)


def attach_followups(view: discord.ui.View, record: Record) -> None:
    """Adds the Follow-ups button under a visit's or a plan's card (nothing for others)."""
    if isinstance(record, Visit | Plan) and record.id is not None:
        view.add_item(FollowUpsButton(record))


# --- reminder posts ------------------------------------------------------------------------


def followup_reminder(
    batch: Batch, guild: discord.Guild | None
) -> tuple[str, discord.AllowedMentions]:
    """The text of one follow-up reminder post and exactly whom it may ping: an owner is
    mentioned only when it is the reminder role or a member who opted in; otherwise it is
    written by name."""
    late = " (late — the bot was offline)" if batch.late else ""
    lines: list[str] = []
    roles: list[discord.Object] = []
    users: list[discord.Object] = []
    for row in batch.rows:
        f = batch.followups.get(row.record_id)
        deadline = batch.deadlines.get(row.record_id)
        if f is None or deadline is None:
            continue
        owner = resolved(f.owned_by, guild)
        if may_mention(owner, reminder_role_id=batch.role_id, opted_in=batch.opted_in):
            assert owner is not None and owner.id is not None
            who = f"<@&{owner.id}>" if owner.is_role else f"<@{owner.id}>"
            (roles if owner.is_role else users).append(discord.Object(owner.id))
        else:
            who = owner_text(owner)
        lines.append(f"**{_md(clip(f.what, 150))}** (#{f.id}) — {who} — {row.headline}"
                     f" · {_md(deadline.text)}{late}")
    head = "Follow-up due" if len(lines) == 1 else f"{len(lines)} follow-ups due"
    content = clip(f"📌 {head}:\n" + "\n".join(lines)
                   + "\n`/followup done` when it is done.", CONTENT_LIMIT)
    mentions = discord.AllowedMentions(everyone=False, replied_user=False,
                                       roles=roles or False, users=users or False)
    return content, mentions
