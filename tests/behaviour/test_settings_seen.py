"""A change of settings is seen by the very next command, though commands keep the
server's settings in the process instead of reading them every time."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.behaviour.conftest import Desk


def _midnight(zone_offset_hours: int) -> int:
    """20 November 2025 00:00 in a zone that many hours east of UTC, as a timestamp."""
    return int(datetime(2025, 11, 20, tzinfo=UTC).timestamp()) - zone_offset_hours * 3600


async def test_a_list_after_settings_timezone_counts_days_in_the_new_zone(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                                  to_country="Pakistan", date="20 November 2025",
                                  visitor_role="President")
    assert not res.ephemeral, res.response.content
    for zone, offset in (("Asia/Karachi", 5), ("Asia/Tokyo", 9), ("UTC", 0)):
        before = await desk.reader.slash(desk.channel, "visit upcoming")  # kept: the old zone
        assert before.response.embeds[0].description
        res = await desk.admin.slash(desk.channel, "settings timezone", zone=zone)
        assert f"Time zone set to {zone}" in (res.response.content or ""), res.response.content
        shown = await desk.reader.slash(desk.channel, "visit upcoming")
        line = shown.response.embeds[0].description or ""
        assert f"(<t:{_midnight(offset)}:R>)" in line, (zone, line)


async def test_a_new_editor_role_is_checked_by_the_next_command(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "meeting add", title="Talks", kind="other",
                                  date="1 October 2025")
    assert not res.ephemeral, res.response.content  # editors may add (the check is kept)
    others = desk.guild.create_role("Protocol")
    res = await desk.admin.slash(desk.channel, "settings editor-role", role=others)
    assert f"<@&{others.id}>" in (res.response.content or ""), res.response.content
    res = await desk.editor.slash(desk.channel, "meeting add", title="More talks",
                                  kind="other", date="2 October 2025")
    assert res.ephemeral, res.response.content
    [refusal] = desk.user_errors()
    assert f"<@&{others.id}> role" in refusal.message, refusal.message
