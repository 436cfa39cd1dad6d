"""/visit through the real discord.py client, offline."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType, Visit, VisitStatus
from tests.behaviour.conftest import Desk


async def test_add_a_month_precision_visit(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel,
        "visit add",
        from_country="Kazakh",
        to_country="PK",
        date="November 2025",
        visitor_role="President",
    )
    assert not res.ephemeral
    assert "November 2025 — month only, no day set" in res.response.content
    embed = res.response.embeds[0]
    assert embed.title == "President: Kazakhstan → Pakistan"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["When"] == "November 2025 — day not yet set"
    assert fields["Status"] == "planned"
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    assert [(v.from_country, v.to_country, v.status) for v in visits] == [
        ("Kazakhstan", "Pakistan", VisitStatus.PLANNED)
    ]


async def test_reader_cannot_add(desk: Desk) -> None:
    res = await desk.reader.slash(
        desk.channel,
        "visit add",
        from_country="Kazakhstan",
        to_country="Pakistan",
        date="November 2025",
        visitor_role="President",
    )
    assert res.ephemeral
    assert "Manage Server" in res.response.content and "Nothing was changed" in res.response.content
    assert len(desk.user_errors()) == 1
    assert await desk.bot.records.count(desk.guild.id, RecordType.VISIT) == 0


async def test_bad_date_is_explained(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel,
        "visit add",
        from_country="Kazakhstan",
        to_country="Pakistan",
        date="sometime soonish",
        visitor_role="President",
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


async def _sample_visit(desk: Desk, uid: str) -> Visit:
    visit = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.VISIT, uid)
    assert isinstance(visit, Visit)
    return visit


async def test_show_names_visitor_and_expected_plans(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await desk.reader.slash(desk.channel, "visit show", visit=str(visit.id))
    embed = res.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Kassym-Jomart Tokayev: Kazakhstan → Pakistan"
    assert fields["When"] == "November 2025 — day not yet set"
    assert fields["Visitor"] == "Kassym-Jomart Tokayev, President"
    assert "Agreements and MoUs for the Kazakh President's visit (expected)" in fields["Plans"]
    assert f"Visit #{visit.id}" in embed.footer.text


async def test_show_accepts_a_typed_reference_and_explains_a_miss(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2003")
    res = await desk.reader.slash(desk.channel, "visit show", visit=f"#{visit.id}")
    assert res.response.embeds[0].fields[0].value.startswith("2003")
    res = await desk.reader.slash(desk.channel, "visit show", visit="#999")
    assert res.ephemeral and "No visit matches '#999'" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_autocomplete_by_word_and_country(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    choices = await desk.reader.autocomplete(desk.channel, "visit show", "visit", "presid")
    names = [c["name"] for c in choices]
    assert len(names) == 2 and all("Kazakhstan → Pakistan" in n for n in names)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    assert str(visit.id) in [c["value"] for c in choices]
    assert await desk.reader.autocomplete(desk.channel, "visit show", "visit", "zzz") == []


async def test_edit_changes_only_given_fields_and_echoes_the_date(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await desk.editor.slash(
        desk.channel, "visit edit", visit=str(visit.id), date="24/11/2025", status="confirmed"
    )
    assert "24 November 2025 — exact day, no time set" in res.response.content
    edited = await _sample_visit(desk, "president-visit-2025-11")
    assert edited.date == FuzzyDate.day(2025, 11, 24)
    assert edited.status is VisitStatus.CONFIRMED
    assert edited.notes == visit.notes and edited.visitor == visit.visitor
    trail = await desk.bot.records.history(desk.guild.id, RecordType.VISIT, visit.id)
    assert trail[-1].action == "update" and trail[-1].actor_id == desk.editor.id


async def test_edit_with_nothing_to_change_is_refused(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await desk.editor.slash(desk.channel, "visit edit", visit=str(visit.id))
    assert res.ephemeral and "Nothing to change" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_edit_refuses_an_end_before_the_start(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await desk.editor.slash(
        desk.channel, "visit edit", visit=str(visit.id), end_date="2025-10-01"
    )
    assert res.ephemeral and "ends (1 October 2025) before it starts" in res.response.content
    assert (await _sample_visit(desk, "president-visit-2025-11")).end_date is None
    assert len(desk.user_errors()) == 1


async def test_postpone_without_and_with_a_new_date(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await desk.editor.slash(
        desk.channel, "visit postpone", visit=str(visit.id), reason="schedules clash"
    )
    assert "postponed; no new date yet" in res.response.content
    postponed = await _sample_visit(desk, "president-visit-2025-11")
    assert postponed.status is VisitStatus.POSTPONED
    assert postponed.notes.endswith("2025-09-12: postponed, no new date yet. schedules clash")
    res = await desk.editor.slash(
        desk.channel, "visit postpone", visit=str(visit.id), new_date="Q1 2026"
    )
    assert "Q1 2026 — quarter only" in res.response.content
    moved = await _sample_visit(desk, "president-visit-2025-11")
    assert moved.status is VisitStatus.PLANNED and moved.date == FuzzyDate.quarter(2026, 1)
    assert "postponed from November 2025 to Q1 2026" in moved.notes


async def test_cancel_and_what_cannot_be_cancelled(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await desk.editor.slash(desk.channel, "visit cancel", visit=str(visit.id))
    assert f"Visit #{visit.id} cancelled." in res.response.content
    assert (await _sample_visit(desk, "president-visit-2025-11")).status is VisitStatus.CANCELLED
    res = await desk.editor.slash(desk.channel, "visit cancel", visit=str(visit.id))
    assert res.ephemeral and "is cancelled; only a visit still ahead" in res.response.content
    assert len(desk.user_errors()) == 1


@pytest.mark.parametrize("command", ["visit edit", "visit postpone", "visit cancel"])
async def test_every_write_is_refused_to_readers(
    desk: Desk, sample_data: dict[str, Any], command: str
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    options: dict[str, str] = {"visit": str(visit.id)}
    if command == "visit edit":
        options["place"] = "Islamabad"
    res = await desk.reader.slash(desk.channel, command, **options)
    assert res.ephemeral and "needs the Manage Server permission" in res.response.content
    assert await _sample_visit(desk, "president-visit-2025-11") == visit
    assert len(desk.user_errors()) == 1


async def test_delete_asks_first_and_keeps_history(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2003")
    res = await desk.reader.slash(desk.channel, "visit delete", visit=str(visit.id))
    assert res.ephemeral and "Manage Server" in res.response.content
    assert len(desk.user_errors()) == 1
    res = await desk.editor.slash(desk.channel, "visit delete", visit=str(visit.id))
    assert res.ephemeral and "Delete visit" in res.response.content
    cancelled = await desk.editor.click(res.response, custom_id="cancel")
    assert cancelled.response.content == "Nothing was deleted."
    assert await desk.bot.records.get(desk.guild.id, RecordType.VISIT, visit.id) is not None
    res = await desk.editor.slash(desk.channel, "visit delete", visit=str(visit.id))
    done = await desk.editor.click(res.response, custom_id="confirm")
    assert "Deleted visit" in done.response.content
    assert await desk.bot.records.get(desk.guild.id, RecordType.VISIT, visit.id) is None
    trail = await desk.bot.records.history(desk.guild.id, RecordType.VISIT, visit.id)
    assert trail[-1].action == "delete" and trail[-1].before["date"]["value"] == "2003"


async def test_unanswered_delete_times_out_and_deletes_nothing(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2003")
    res = await desk.editor.slash(desk.channel, "visit delete", visit=str(visit.id))
    await desk.env.advance_time(61)
    assert all(c.get("disabled") for row in res.response.components for c in row["components"])
    assert await desk.bot.records.get(desk.guild.id, RecordType.VISIT, visit.id) is not None


async def test_list_filters_and_orders(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(
        desk.channel, "visit list", status="completed", order="newest first"
    )
    lines = res.response.embeds[0].description.splitlines()
    assert [line.split(" · ")[0].split("` ")[1] for line in lines] == [
        "9 September 2025 (<t:1757376000:R>)", "2003 (month and day not recorded)"]
    res = await desk.reader.slash(desk.channel, "visit list", after="2025", before="2026")
    assert len(res.response.embeds[0].description.splitlines()) == 2
    res = await desk.reader.slash(desk.channel, "visit list", country="Japan")
    assert res.response.embeds[0].description == "No visits match these filters."
    assert res.response.embeds[0].title.startswith("Visits · Japan")


async def test_pages_past_25_visits(desk: Desk) -> None:
    for n in range(27):
        await desk.bot.records.add(
            desk.guild.id,
            Visit(
                visitor=None,
                visitor_role=f"Envoy {n:02d}",
                from_country="Kazakhstan",
                to_country="Pakistan",
                date=FuzzyDate.day(2026, 1, 1 + n),
                status=VisitStatus.PLANNED,
            ),
            actor_id=None,
        )
    res = await desk.reader.slash(desk.channel, "visit upcoming")
    first = res.response.embeds[0]
    assert first.footer.text == "Page 1 of 3 · 27 visits"
    assert "Envoy 00" in first.description and "Envoy 10" not in first.description
    other = await desk.editor.click(res.response, custom_id="next")
    assert other.ephemeral and "Only the person who ran the command" in other.response.content
    await desk.reader.click(res.response, custom_id="next")
    third = await desk.reader.click(res.response, custom_id="next")
    page = third.response.embeds[0] if third.response else None
    shown = await desk.reader.click(res.response, custom_id="previous")
    assert page is not None and page.footer.text.startswith("Page 3 of 3")
    assert "Envoy 26" in page.description
    assert shown.response.embeds[0].footer.text.startswith("Page 2 of 3")
    await desk.env.advance_time(301)
    assert all(c.get("disabled") for row in res.response.components for c in row["components"])


async def test_stored_mentions_never_ping(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel,
        "visit add",
        from_country="Kazakhstan",
        to_country="Pakistan",
        date="2026-02-01",
        visitor_role="@everyone <@&5> <@7>",
        purpose="@here ping them all",
    )
    assert "@everyone" in res.response.embeds[0].title
    posts = [r for r in desk.env.http_requests if r.method == "POST" and "callback" in r.path]
    assert posts and all(r.json["data"]["allowed_mentions"] == {"parse": []} for r in posts), [
        r.json for r in posts
    ]


async def test_a_second_server_sees_nothing(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    visit = await _sample_visit(desk, "president-visit-2025-11")
    res = await other_desk.reader.slash(other_desk.channel, "visit upcoming")
    assert res.response.embeds[0].description.startswith("No visits ahead")
    res = await other_desk.reader.slash(other_desk.channel, "visit show", visit=str(visit.id))
    assert res.ephemeral and "No visit matches" in res.response.content
    assert (
        await other_desk.reader.autocomplete(other_desk.channel, "visit show", "visit", "presid")
        == []
    )
    res = await other_desk.admin.slash(other_desk.channel, "visit cancel", visit=str(visit.id))
    assert res.ephemeral
    assert (await _sample_visit(desk, "president-visit-2025-11")).status is VisitStatus.PLANNED
    assert len(other_desk.user_errors()) == 2
