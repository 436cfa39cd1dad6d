"""Stored text cannot mislead, end to end: what the bot sends Discord carries no live markup.

A record of every type whose every text field is a hostile string is imported; then the
commands that show it run through the real discord.py client, and every payload the bot
sent (replies, pages, follow-ups, reminder posts, scheduled events) is read the way
Discord's markdown reads it.
"""

from __future__ import annotations

import pytest

from bot.domain.records import RecordType
from tests.behaviour.conftest import Desk
from tests.markup_check import hostile_bundle, masked_links, payload_texts, problems

DAY = 86400
# Masked links plain, nested, split by the search highlight, and hidden by a zero-width space.
CORPUS = [
    "[Official MFA statement](https://evil.example)",
    "[a [nested](https://x.example) link](https://evil.example/p)",
    "[Official **MFA** statement](https://evil.example)",
    "[Offi\u200bcial](https://evil.example) ||spoiler|| `code`",
]


def _sent(desk: Desk, since: int) -> list[str]:
    """Every markdown text of every payload the bot sent after request number `since`."""
    texts: list[str] = []
    for request in desk.env.http_requests[since:]:
        if request.json is None:
            continue
        payload = request.json
        if "scheduled-events" in request.path:
            texts.append(payload.get("description") or "")
        else:
            texts += payload_texts(payload)
    return [t for t in texts if t]


@pytest.mark.parametrize("typed", CORPUS)
async def test_commands_send_no_live_markup_from_stored_text(desk: Desk, typed: str) -> None:
    await desk.admin.slash(desk.channel, "settings events", switch="on")
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    start = len(desk.env.http_requests)
    await desk.load_sample(hostile_bundle(typed))
    [visit] = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    for command, options in [
        ("visit list", {}), ("visit upcoming", {}), ("visit show", {"visit": f"#{visit.id}"}),
        ("meeting list", {}), ("meeting show", {"meeting": "#1"}), ("plan list", {}),
        ("plan show", {"plan": "#1"}), ("person list", {}), ("person show", {"person": "#1"}),
        ("source list", {}), ("source show", {"source": "#1"}),
        ("search", {"query": "Official"}), ("search", {"query": "MFA"}),
        ("briefing", {"country": "Kazakhstan"}), ("history visit", {"record": f"#{visit.id}"}),
    ]:
        res = await desk.reader.slash(desk.channel, command, **options)
        assert not res.ephemeral, (command, res.response.content)
    # The 7-day reminder of the visit on 24 November, posted in the channel.
    await desk.env.advance_time(67 * DAY)
    sent = _sent(desk, start)
    posts = [m for m in desk.channel.history() if m.author.bot and m.interaction_metadata is None]
    assert posts, "the reminder was not posted"
    assert any("scheduled-events" in r.path for r in desk.env.http_requests[start:])
    for text in sent:
        assert masked_links(text) == [], text
    everything = "\n".join(sent)
    assert problems(everything, typed) == []
