"""Outputs people look at, through the real client: the calendar file and the Markdown brief."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar

from tests.behaviour.conftest import Desk


async def _file(res: Any) -> tuple[str, bytes]:
    [attachment] = res.response.attachments
    return attachment.filename, await attachment.read()


async def test_the_calendar_export_reads_back_with_the_statuses_a_calendar_means(
    desk: Desk, sample_data: dict[str, Any],
) -> None:
    await desk.load_sample(sample_data)
    await desk.editor.slash(desk.channel, "visit add", from_country="Pakistan",
                            to_country="Kazakhstan", date="1 October 2025",
                            visitor_role="Foreign Minister", status="confirmed")
    res = await desk.reader.slash(desk.channel, "export", format="ics", country="Kazakhstan")
    _, data = await _file(res)
    calendar = Calendar.from_ical(data)
    assert not calendar.errors
    statuses = {str(e["summary"]).split(":")[0]: str(e["status"]) for e in calendar.events}
    assert statuses == {
        "Murat Nurtleu, Deputy Prime Minister and Foreign Minister": "CONFIRMED",  # held
        "Kassym-Jomart Tokayev, President of Kazakhstan": "TENTATIVE",  # planned, a month
        "Foreign Minister": "CONFIRMED",
    }
    november = next(e for e in calendar.events if "Tokayev" in str(e["summary"]))
    assert len(november.walk("VALARM")) == 2  # the month-before and month-of nudges


async def test_a_country_with_nothing_to_export_is_told_so(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "export", format="ics", country="Uzbekistan")
    assert desk.user_errors()
    # A message saying why, and no calendar file without a single event in it.
    assert not res.response.attachments
    assert "No visits involving Uzbekistan to put in a calendar" in res.response.content


async def test_the_markdown_brief_reads_as_prose(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan",
                                  format="markdown")
    _, data = await _file(res)
    assert ("- Kassym-Jomart Tokayev, President of Kazakhstan, Kazakhstan → Pakistan: "
            "November 2025, day not yet set; planned.") in data.decode("utf-8")
