"""The week ahead as one Discord message: a headline line and one card, within Discord's
limits; an empty week is the headline and one line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.domain.markup import escape_line
from bot.services.digest import Digest, DigestVisit, describe
from bot.stores.preferences import DigestSchedule
from bot.ui.render import CONTENT_LIMIT, EmbedBuilder, clip

COLOUR = discord.Colour.dark_gold()
SHOWN = 10


def _md(text: str) -> str:
    """Stored text shown as typed, on one line (the one escaper every renderer uses)."""
    return escape_line(text)


def _visit(v: DigestVisit) -> str:
    when = v.date.render() + (f" ({v.countdown})" if v.countdown else "")
    return f"`#{v.number}` **{_md(v.who)}** · {_md(v.route)} · {when} · {v.status}"


def _lines(items: Sequence[str], more: str) -> str:
    shown = list(items[:SHOWN])
    if len(items) > SHOWN:
        shown.append(f"… and {len(items) - SHOWN} more ({more})")
    return "\n".join(shown)


def headline(digest: Digest, *, late: bool = False) -> str:
    d = digest.today
    tail = " (late — the bot was offline)" if late else ""
    return f"📅 **The week ahead** — {d.day} {d:%B %Y}{tail}"


def digest_message(digest: Digest, *, late: bool = False) -> tuple[str, list[discord.Embed]]:
    """The text and card of one digest post; an empty week is one line and no card."""
    head = headline(digest, late=late)
    if digest.empty:
        return clip(f"{head}\n{digest.empty_line}", CONTENT_LIMIT), []
    near = [f"`#{n.visit.number}` **{_md(n.visit.who)}** · {_md(n.visit.route)} · {n.text}"
            for n in digest.near]
    plans = [f"`#{p.number}` **{_md(clip(p.title, 120))}** · expected {p.date.render()}"
             for p in digest.plans]
    followups = [f"{'⚠️ ' if f.overdue else ''}`#{f.number}` **{_md(clip(f.what, 120))}** · "
                 f"{_md(f.owner)} · {_md(f.deadline)} · {f.countdown}"
                 for f in digest.followups]
    held = [f"`#{v.number}` **{_md(v.who)}** · {_md(v.route)} · {v.date.render()} — still "
            f"marked {v.status}: `/visit edit visit:#{v.number} status:completed` if it was held"
            for v in digest.held]
    card = (
        EmbedBuilder("The week ahead", COLOUR)
        .add("Visits in the next 7 days", _lines([_visit(v) for v in digest.this_week],
                                                 "/visit upcoming"), inline=False)
        .add("Visits in the next 30 days", _lines([_visit(v) for v in digest.this_month],
                                                  "/visit upcoming"), inline=False)
        .add("Month known, day not yet", _lines(near, "/visit upcoming"), inline=False)
        .add("Plans expected to be signed", _lines(plans, "/plan list"), inline=False)
        .add("Follow-ups due or overdue", _lines(followups, "/followup list"), inline=False)
        .add("Was it held?", _lines(held, "/visit upcoming"), inline=False)
        .add("Quiet", ("No contact at ministerial level or above recorded in 12 months with "
                       + ", ".join(_md(c) for c in digest.quiet) + ".") if digest.quiet else None,
             inline=False)
        .footer("/digest preview shows it now · /followup mine lists what is yours")
    )
    return clip(head, CONTENT_LIMIT), [card]


def schedule_text(schedule: DigestSchedule, zone: str, next_at: datetime | None) -> str:
    """'The week ahead is posted every Monday at 08:00 (Europe/London); next <t:…:F>.'"""
    if not schedule.enabled:
        return "The weekly digest is off; turn it on with /digest schedule."
    skip = " Empty weeks are skipped." if schedule.skip_empty else ""
    upcoming = f" Next: <t:{int(next_at.timestamp())}:F>." if next_at else ""
    return (f"The week ahead is posted {describe(schedule)} ({zone}) in the reminder "
            f"channel.{upcoming}{skip}")
