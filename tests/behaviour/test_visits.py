"""/visit through the real discord.py client, offline."""

from __future__ import annotations

from typing import Any

from bot.domain.records import RecordType, VisitStatus
from tests.behaviour.conftest import Desk


async def test_add_a_month_precision_visit(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel, "visit add", from_country="Kazakh", to_country="PK",
        date="November 2025", visitor_role="President",
    )
    assert not res.ephemeral
    assert "November 2025 — month only, no day set" in res.response.content
    embed = res.response.embeds[0]
    assert embed.title == "President: Kazakhstan → Pakistan"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["When"] == "November 2025 (unconfirmed: month only)"
    assert fields["Status"] == "planned"
    visits = await desk.bot.records.list(desk.guild.id, RecordType.VISIT)
    assert [(v.from_country, v.to_country, v.status) for v in visits] == [
        ("Kazakhstan", "Pakistan", VisitStatus.PLANNED)
    ]


async def test_reader_cannot_add(desk: Desk) -> None:
    res = await desk.reader.slash(
        desk.channel, "visit add", from_country="Kazakhstan", to_country="Pakistan",
        date="November 2025", visitor_role="President",
    )
    assert res.ephemeral
    assert "Manage Server" in res.response.content and "Nothing was changed" in res.response.content
    assert len(desk.user_errors()) == 1
    assert await desk.bot.records.count(desk.guild.id, RecordType.VISIT) == 0


async def test_bad_date_is_explained(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel, "visit add", from_country="Kazakhstan", to_country="Pakistan",
        date="sometime soonish", visitor_role="President",
    )
    assert res.ephemeral
    assert 'Could not read "sometime soonish"' in res.response.content
    assert "Q4 2025" in res.response.content
    assert len(desk.user_errors()) == 1
    assert await desk.bot.records.count(desk.guild.id, RecordType.VISIT) == 0


async def test_upcoming_and_show(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "visit upcoming")
    embed = res.response.embeds[0]
    assert "Kassym-Jomart Tokayev: Kazakhstan → Pakistan" in embed.description
    assert "2003" not in embed.description
