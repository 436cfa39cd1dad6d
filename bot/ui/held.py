"""'Was it held?': a past visit still marked open, asked about with Held / Postponed / Cancelled.

The buttons are DynamicItems: their custom_id carries the visit and the answer, so a question
posted in the reminder channel can be answered days later, after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.cogs.base import actor_of, bot_of
from bot.domain.errors import UserError
from bot.domain.records import Person, Visit
from bot.services.desk import people_of
from bot.services.held import ANSWERS
from bot.services.reminders import PAST_OPEN_LIMIT
from bot.ui.errors import reply_privately, report_error
from bot.ui.render import CONTENT_LIMIT, NO_PINGS, clip, list_line

if TYPE_CHECKING:
    from bot.bot import AttacheBot

# Visits listed in one message; those past it are counted, with where to see them all.
LISTED = 10

STYLES = {
    "held": discord.ButtonStyle.success,
    "postponed": discord.ButtonStyle.secondary,
    "cancelled": discord.ButtonStyle.danger,
}
PATTERN = r"attache:held:(?P<visit>[0-9]{1,16}):(?P<answer>held|postponed|cancelled)"


class HeldButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=PATTERN):
    """One answer for one visit; any editor may press it, once for the visit."""

    def __init__(self, visit_id: int, answer: str, *, row: int | None = None,
                 disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(
            label=f"#{visit_id}: {answer}", style=STYLES[answer], row=row, disabled=disabled,
            custom_id=f"attache:held:{visit_id}:{answer}",
        ))
        self.visit_id = visit_id
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> HeldButton:
        disabled = isinstance(item, discord.ui.Button) and item.disabled
        return cls(int(match["visit"]), match["answer"], row=item.row, disabled=disabled)

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        try:
            visit, changed = await bot_of(interaction).reminders.answer_held(
                actor_of(interaction), self.visit_id, self.answer)
        except UserError as exc:
            await reply_privately(interaction, exc.message)  # e.g. a reader pressing
            return
        except Exception as exc:
            await report_error(interaction, exc)
            return
        who = interaction.user.mention
        note = (f"#{visit.id} marked **{visit.status.label}** by {who}." if changed else
                f"#{visit.id} was already marked **{visit.status.label}**; nothing changed.")
        message = interaction.message
        content = message.content if message is not None else ""
        await interaction.response.edit_message(
            content=clip(f"{content}\n✓ {note}", CONTENT_LIMIT),
            view=_answered(message, self.visit_id), allowed_mentions=NO_PINGS)


def _answered(message: discord.Message | None, visit_id: int) -> discord.ui.View:
    """The message's buttons again, those of the answered visit disabled."""
    view = discord.ui.View(timeout=None)
    if message is None:
        return view
    for row, action_row in enumerate(message.components):
        for component in getattr(action_row, "children", []):
            match = re.fullmatch(PATTERN, getattr(component, "custom_id", None) or "")
            if match is None:
                continue
            visit = int(match["visit"])
            view.add_item(HeldButton(visit, match["answer"], row=row,
                                     disabled=component.disabled or visit == visit_id))
    return view


def register(bot: AttacheBot) -> None:
    """Lets buttons posted before a restart be pressed after it (idempotent)."""
    bot.add_dynamic_items(HeldButton)


def question(
    visits: Sequence[Visit], people: dict[str, Person], *, ask: Sequence[Visit] = (),
    editors: bool = True, complete: bool = True,
) -> tuple[str, discord.ui.View | None]:
    """The 'Was it held?' message: every visit listed, buttons for those in `ask`.

    `complete` is False when `visits` are only the latest of more (the service reads a
    bounded number): the message then says "more" without a count it does not know.
    """
    asked = {v.id for v in ask}
    shown = list(visits[:LISTED])
    shown += [v for v in ask if v not in shown]
    lines = [list_line(v, people) for v in shown]
    if not complete:
        lines.append(f"…and more than {len(visits) - len(shown)} others; `/visit list` "
                     "shows them all.")
    elif len(visits) > len(shown):
        lines.append(f"…and {len(visits) - len(shown)} more; `/visit list` shows them all.")
    if asked:
        hint = ("These visits' dates have passed, but they are still marked open. An editor "
                "can say what happened with the buttons, or with `/visit edit`.")
    elif editors:
        hint = ("These visits' dates have passed, but they are still marked open. Mark them "
                "with `/visit edit visit:#N status:completed` (or postponed, cancelled).")
    else:
        hint = ("These visits' dates have passed, but they are still marked open; an editor "
                "can mark them with `/visit edit`.")
    content = clip("**Was it held?** " + hint + "\n" + "\n".join(lines), CONTENT_LIMIT)
    if not asked:
        return content, None
    view = discord.ui.View(timeout=None)
    for row, visit in enumerate(v for v in shown if v.id in asked):
        assert visit.id is not None
        for answer in ANSWERS:
            view.add_item(HeldButton(visit.id, answer, row=row))
    return content, view


async def follow_up(interaction: discord.Interaction, country: str | None) -> None:
    """After /visit upcoming: the visits of the same filter that passed still marked open.

    An editor who runs it is asked about those nobody was asked about yet; a reader, or an
    editor asked already, sees the lines without buttons.
    """
    assert interaction.guild_id is not None
    guild_id = interaction.guild_id
    bot = bot_of(interaction)
    visits = await bot.reminders.past_open(guild_id, country)
    if not visits:
        return
    editor = await bot.reminders.may_answer(actor_of(interaction))
    ask = await bot.reminders.claim_questions(guild_id, visits) if editor else []
    people = await bot.desk.people(guild_id, people_of([*visits[:LISTED], *ask]))
    content, view = question(visits, people, ask=ask, editors=editor,
                             complete=len(visits) < PAST_OPEN_LIMIT)
    try:
        message = await interaction.followup.send(
            content, view=view or discord.utils.MISSING, wait=True, allowed_mentions=NO_PINGS)
    except Exception:
        await bot.reminders.questions_not_posted(guild_id, ask)
        raise
    await bot.reminders.questions_posted(guild_id, ask, message.channel.id, message.id)
