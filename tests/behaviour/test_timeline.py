"""/timeline through the real discord.py client, offline: the PNG attachment and its errors."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from PIL import Image

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, MeetingKind, Person
from bot.services.timeline import MARKS_BEFORE
from tests.behaviour.conftest import Desk

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def picture(message: Any, name: str) -> Image.Image:
    """The one attachment under `message`, checked to be the named PNG, decoded."""
    [attachment] = message.attachments
    assert attachment.filename == name
    assert attachment.content_type == "image/png"
    data = await attachment.read()
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def test_timeline_of_the_sample(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "timeline", country="Kazakhstan")
    assert not res.ephemeral
    image = await picture(res.response, "timeline-kazakhstan.png")
    assert image.size == (1200, 600)
    [attachment] = res.response.attachments
    assert attachment.description == "Kazakhstan: engagements since 2003"
    assert desk.user_errors() == []


async def test_any_spelling_gives_the_same_picture(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    by_name = await desk.reader.slash(desk.channel, "timeline", country="Kazakhstan")
    by_code = await desk.reader.slash(desk.channel, "timeline", country="KZ")
    [first] = by_name.response.attachments
    [second] = by_code.response.attachments
    assert second.filename == "timeline-kazakhstan.png"
    assert await first.read() == await second.read()


async def test_since_is_echoed_and_titles_the_picture(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "timeline", country="Kazakhstan", since="2025")
    assert res.response.content.startswith("Since: 2025 — year only")
    [attachment] = res.response.attachments
    assert attachment.description == "Kazakhstan: engagements since 2025"
    assert (await picture(res.response, "timeline-kazakhstan.png")).size == (1200, 600)


async def test_a_busy_country_says_what_is_not_drawn(desk: Desk) -> None:
    for i in range(MARKS_BEFORE + 5):
        await desk.bot.records.add(desk.guild.id, Meeting(
            title=f"Round {i}", kind=MeetingKind.BILATERAL_TALKS,
            date=FuzzyDate(date(2020, 1, 1) + timedelta(days=i)), countries=["Kazakhstan"],
            uid=f"round-{i}"), actor_id=None)
    res = await desk.reader.slash(desk.channel, "timeline", country="KZ")
    assert not res.ephemeral
    assert (await picture(res.response, "timeline-kazakhstan.png")).size == (1200, 600)
    [attachment] = res.response.attachments
    # The newest MARKS_BEFORE are drawn, from the sixth round on.
    assert attachment.description == (
        "Kazakhstan: latest engagements since 6 January 2020. Not drawn: 5 earlier meetings")
    assert desk.user_errors() == []


async def test_since_in_the_future_is_refused(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "timeline", country="Kazakhstan", since="2027")
    assert res.ephemeral
    assert "after today" in res.response.content
    assert res.response.attachments == []
    assert len(desk.user_errors()) == 1


async def test_nothing_to_draw_is_explained_privately(desk: Desk) -> None:
    # A person alone is no engagement: there is nothing to put on a time axis.
    await desk.bot.records.add(desk.guild.id, Person(
        name="Envoy", country="Atlantis", uid="envoy"), actor_id=None)
    res = await desk.reader.slash(desk.channel, "timeline", country="Atlantis")
    assert res.ephemeral
    assert res.response.content.startswith("Nothing to draw for **Atlantis**")
    assert "/meeting add" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_another_server_gets_nothing(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await other_desk.admin.slash(other_desk.channel, "timeline", country="Kazakhstan")
    assert res.ephemeral
    assert res.response.content.startswith("Nothing to draw for **Kazakhstan**")
    assert len(other_desk.user_errors()) == 1


async def test_country_autocomplete(desk: Desk) -> None:
    choices = await desk.reader.autocomplete(desk.channel, "timeline", "country", "kaz")
    assert "Kazakhstan" in [c["value"] for c in choices]
