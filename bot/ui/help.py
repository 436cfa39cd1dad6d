"""What /help says: what the bot does, the commands by task, examples, how dates are read.

Every command line in backticks that starts with "/" is an example that works as typed on
the sample data; a test runs each of them through the real client.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.services.reminder_policy import MAX_LEADS
from bot.ui.render import CONTENT_LIMIT, DESCRIPTION_LIMIT, EmbedBuilder


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    text: str


OVERVIEW = """\
Attaché keeps this server's record of **meetings**, **plans** (action plans, agreements, \
MoUs) and **visits**, with the **people** and **sources** behind them, and posts **reminders** \
as visits approach. Dates may be known only to the month or year ("expected in November \
2025"); Attaché never invents a day. Everyone can read; adding and editing need Manage Server \
or the editor role.

**By task** (/help with a topic has more on each)
• Get a briefing on a country: `/briefing country:Kazakhstan`
• See what is coming: `/visit upcoming`
• Record a visit: `/visit add from_country:Pakistan to_country:Kazakhstan date:late November \
2025 visitor_role:Prime Minister`
• Record a meeting or a signed plan: see `/help topic:Meetings and plans`
• Find anything: `/search query:consular`
• Set up reminders: see `/help topic:Reminders`
• Prepare a visit (who does what by when): see `/help topic:Follow-ups`
• How dates are read: see `/help topic:Dates`"""

TOPICS: tuple[Topic, ...] = (
    Topic("visits", "Visits", """\
**Record a visit**
`/visit add from_country:Kazakhstan to_country:Pakistan date:24–26 November 2025 \
visitor_role:Foreign Minister place:Islamabad`
A range sets the first and last day; `late November 2025` keeps "late" in the notes.

**Look at them**
`/visit upcoming` · `/visit upcoming days:90` · `/visit list country:Kazakhstan` · \
`/visit show visit:#2`

**Change them**
`/visit edit visit:#2 status:confirmed` · `/visit postpone visit:#2 reason:schedules clash` · \
`/visit cancel visit:#2` (`-` clears a field: `/visit edit visit:#2 place:-`)
Visits are picked by number (`#2`), title or a word only one has (`visit:Tokayev`)."""),
    Topic("meetings", "Meetings and plans", """\
**Record a meeting**
`/meeting add title:Joint working group on trade kind:joint working group date:10 September \
2025 countries:Pakistan, Kazakhstan participants:Ishaq Dar (co-chair)`

**Record a plan or agreement**
`/plan add title:MoU on energy kind:MoU status:expected date:December 2025 parties:Pakistan, \
Kazakhstan`
A plan marked signed or in force on a date still ahead is asked about first.

**People and sources**
`/person add name:Aibek Smadiyarov title:Ambassador country:KZ`
`/source add title:MFA press release published:10 September 2025`
Lists: `/meeting list country:Kazakhstan` · `/plan list status:expected` · \
`/person list name:nurt`"""),
    Topic("briefing", "Briefings and search", """\
**Where things stand with a country**
`/briefing country:Kazakhstan` (embeds) or `/briefing country:Kazakhstan format:Markdown file \
(.md) to forward or paste`
`/timeline country:Kazakhstan` draws the engagements over time.

**Find and trace**
`/search query:consular` · `/search query:action plan kind:plan`
`/history visit record:#2` shows who changed what, deleted records too.
`/export format:Calendar (.ics) country:Kazakhstan` gives the visits as a calendar."""),
    Topic("reminders", "Reminders", f"""\
Reminders are posted in one channel as visits approach (an admin sets them up once):
`/reminders channel channel:#briefings` — where they go
`/reminders leads leads:30d 7d 1d` — how long before a visit (`d` days, `w` weeks, \
`h` hours, `m` minutes; at most {MAX_LEADS})
`/reminders role role:@Desk editors` — the one role a reminder may ping
`/reminders status` · `/reminders preview visit:#2` (its follow-ups' reminders too) · \
`/reminders preview followup:#1`
A visit known only to the month gets "expected next month" nudges instead; once a day is \
set, the lead times apply. `/settings events switch:on` mirrors visits in the server's \
Events.

**The week ahead**, posted in the same channel:
`/digest schedule day:Friday time:17:30` (a 24-hour time in the server's zone; default \
Monday 08:00) · `/digest preview` · `/digest off`"""),
    Topic("followups", "Follow-ups", """\
**Record preparation work**
`/followup add what:Send the note verbale due:2 weeks before the visit visit:#2`
An owner (a member or a role, picked from the list) is shown by name; a reminder pings them \
only if they are the reminder role, or a member who chose `/reminders notify-me setting:on`.

**Deadlines**
A date (`15 October 2025`, `November 2025`), or relative to the linked visit or plan: \
`before the visit`, `3 days before the visit`, `2 weeks before signing`. A relative deadline \
moves when the visit's date is refined or postponed, and is only as exact as that date \
("early November 2025 — before the visit").

**Follow them**
`/followup list` · `/followup mine` · `/followup show followup:#1` · \
`/reminders preview followup:#1` · `/history followup record:#1`
`leads:14d 3d` gives one its own reminder lead times."""),
    Topic("dates", "Dates", """\
Every date you type is echoed back as it was understood.
• A day: `2025-11-15`, `15 November 2025`, `Nov 15, 2025`
• A time: `15 Nov 2025 10:00` (the server's zone), `15 Nov 2025 10:00 Asia/Karachi`, \
`in 2 hours`
• Known only so far: `November 2025`, `Q4 2025`, `2026`; `late November 2025` and `H1 2026` \
are the month and the year, the qualifier kept in the notes
• A visit's days: `24–26 November 2025`, `24 November – 2 December 2025`
• Counted from today: `tomorrow`, `next Tuesday`, `in 3 days`, `next month`
• No year (`15 March`): the next one for something ahead, the last for something done
• `05/03/2025` is day-first unless `/settings date-order order:month-first`
Times show in each reader's own zone; months and years say "day not yet set"."""),
    Topic("countries", "Countries", """\
Countries are one name whatever you type: `KZ`, `Kazakh` and `kazakhstan` are Kazakhstan; \
`Britain`, `England` and `UK` are the United Kingdom. Organisations stand as sides of a visit, \
a meeting or a plan: UN, EU, ASEAN, GCC, African Union, SCO, OIC, CIS and more. A name that is \
neither (a typo) is refused with the closest matches; start typing and pick from the list. \
A plan's parties may also be a ministry of several words. Filters (`/visit list \
country:Kazakhstan`) take any name."""),
    Topic("settings", "Settings", """\
Admins (Manage Server) set these once; `/settings show` marks what is still unset.
`/settings timezone zone:Karachi` — also `Asia/Karachi`, `PKT`, `UTC+05:00`
`/settings editor-role role:@Desk editors` — who may add and edit
`/settings date-order order:day-first`
`/settings events switch:off`
Reminders have their own: see `/help topic:Reminders`."""),
)


def topic_named(name: str | None) -> Topic | None:
    if not name:
        return None
    key = name.strip().casefold()
    for topic in TOPICS:
        if key in (topic.key, topic.title.casefold()):
            return topic
    return None


def help_embed(topic: Topic | None) -> discord.Embed:
    """The overview, or one topic, as an embed within Discord's limits."""
    if topic is None:
        embed = EmbedBuilder("Attaché: what it does", discord.Colour.blurple(),
                             OVERVIEW[:DESCRIPTION_LIMIT])
        topics = " · ".join(t.title for t in TOPICS)
        return embed.footer(f"Topics: {topics}. Every date is echoed back as understood.")
    return EmbedBuilder(f"Help: {topic.title}", discord.Colour.blurple(),
                        topic.text[:DESCRIPTION_LIMIT]).footer(
        "/help shows every topic · Examples work as typed")


def all_text() -> str:
    """Everything /help can show, for tests and for the README."""
    return "\n\n".join([OVERVIEW, *(t.text for t in TOPICS)])[: CONTENT_LIMIT * 10]
