"""Every refusal about how something was written points to the /help page that tells how,
once, whichever layer refused it (a transformer, a service, a parser), and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.records import RecordType
from bot.domain.syntax import Topic, help_pointer
from bot.ui.help import TOPICS
from tests.behaviour.conftest import Desk

# (who types it, the command, its options, the page that tells the accepted forms)
BAD_INPUT: list[tuple[str, str, dict[str, Any], Topic]] = [
    ("editor", "visit add", {"from_country": "Kazakhstan", "to_country": "Pakistan",
                             "date": "32 November 2025", "visitor_role": "President"},
     Topic.DATES),
    ("editor", "meeting add", {"title": "Talks", "kind": "other",
                               "date": "24–26 November 2025"}, Topic.DATES),
    ("editor", "meeting add", {"title": "Talks", "kind": "other", "date": "10:00"},
     Topic.DATES),
    ("editor", "meeting add", {"title": "Talks", "kind": "other", "date": "9 September 2025",
                               "participants": "Ishaq Dar (co-chair"}, Topic.MEETINGS),
    ("editor", "plan add", {"title": "MoU on water", "kind": "mou", "status": "expected",
                            "date": "Q5 2026"}, Topic.DATES),
    ("admin", "reminders leads", {"leads": "soon"}, Topic.REMINDERS),
    ("admin", "reminders leads", {"leads": "1d 2d 3d 4d 5d 6d 7d 8d 9d 10d 11d"},
     Topic.REMINDERS),
    ("admin", "reminders preview", {}, Topic.REMINDERS),
    ("editor", "followup add", {"what": "Draft the note", "leads": "fortnightly"},
     Topic.REMINDERS),
    ("editor", "followup add", {"what": "Draft the note", "visit": "#2",
                                "due": "2000 weeks before the visit"}, Topic.FOLLOWUPS),
    ("editor", "followup add", {"what": "Draft the note", "due": "tomorrowish"}, Topic.DATES),
    ("editor", "followup edit", {"followup": "#1", "leads": "3 moons"}, Topic.REMINDERS),
    ("editor", "followup edit", {"followup": "#1", "owner": "ROLE", "clear_owner": True},
     Topic.FOLLOWUPS),
    ("admin", "settings timezone", {"zone": "Narnia"}, Topic.SETTINGS),
    ("admin", "settings timezone", {"zone": "UTC+15"}, Topic.SETTINGS),
    ("admin", "settings timezone", {"zone": "CST"}, Topic.SETTINGS),
    ("editor", "visit add", {"from_country": "Kazakhstan", "to_country": "Narnia",
                             "date": "November 2025", "visitor_role": "President"},
     Topic.COUNTRIES),
    ("admin", "digest schedule", {"time": "25:00"}, Topic.REMINDERS),
    ("editor", "meeting add", {"title": "Talks", "kind": "other", "date": "9 September 2025",
                               "countries": ", ".join(f"C{n}" for n in range(60))},
     Topic.MEETINGS),
]


def test_every_topic_a_refusal_names_is_a_help_page() -> None:
    assert {t.value for t in Topic} <= {t.key for t in TOPICS}


async def _written(desk: Desk) -> dict[str, object]:
    """What the server holds: a bad input must change none of it."""
    counts = {kind.value: await desk.bot.records.count(desk.guild.id, kind)
              for kind in RecordType}
    settings = await desk.bot.guild_settings.get(desk.guild.id)
    return {**counts, "leads": settings.reminder_leads, "zone": settings.timezone}


@pytest.mark.parametrize(("who", "command", "options", "topic"), BAD_INPUT,
                         ids=[f"{c[1]}:{'/'.join(map(str, c[2].values()))}" for c in BAD_INPUT])
async def test_a_refusal_of_syntax_points_to_its_help_page(
    desk: Desk, sample_data: dict[str, Any], who: str, command: str,
    options: dict[str, Any], topic: Topic,
) -> None:
    await desk.load_sample(sample_data)
    options = {k: desk.editor_role if v == "ROLE" else v for k, v in options.items()}
    before = await _written(desk)
    res = await getattr(desk, who).slash(desk.channel, command, **options)
    content = res.response.content or ""
    assert res.ephemeral, content
    assert f"/help topic:{topic.value}" in content, content
    assert content.count("/help") == 1, content  # one pointer, never two
    assert await _written(desk) == before
    assert desk.user_errors()


async def test_the_pointer_is_said_the_same_way_everywhere(
    desk: Desk, sample_data: dict[str, Any],
) -> None:
    """Refusals made as SyntaxRefusal (dates, people lists, leads, deadlines, owners,
    previews) end with the very same words, made in one place."""
    await desk.load_sample(sample_data)
    made_here = BAD_INPUT
    for who, command, options, topic in made_here:
        options = {k: desk.editor_role if v == "ROLE" else v for k, v in options.items()}
        res = await getattr(desk, who).slash(desk.channel, command, **options)
        assert (res.response.content or "").endswith(f"({help_pointer(topic)}.)"), (
            command, res.response.content)
    assert len(desk.user_errors()) == len(made_here)
