"""Autocomplete and lists on a store of ten thousand meetings."""

from __future__ import annotations

from bot.domain.records import RecordType
from tests.behaviour.conftest import Desk
from tests.large_store import large_bundle


async def test_autocomplete_on_ten_thousand_meetings(desk: Desk) -> None:
    await desk.load_sample(large_bundle(10_000))
    assert await desk.bot.records.count(desk.guild.id, RecordType.MEETING) == 10_000
    choices = await desk.reader.autocomplete(desk.channel, "visit add", "visitor", "minis")
    assert len(choices) == 25
    assert all(c["name"].startswith("#") and len(c["name"]) <= 100 for c in choices)
    # By a word inside the name, not only its start.
    choices = await desk.reader.autocomplete(desk.channel, "visit add", "visitor", "00042")
    assert [c["name"] for c in choices] == ["#43 Minister 00042 of India, Minister"]
    found = await desk.bot.desk.suggest(desk.guild.id, RecordType.MEETING, "iran railw")
    assert len(found) == 25
    assert all("Iran" in m.title and "railways" in m.title for m in found)
    assert len(await desk.bot.desk.suggest(desk.guild.id, RecordType.MEETING, "")) == 25
