"""/search, /history and /settings through the real discord.py client, offline."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Person, RecordType, Visit
from bot.services.access import Actor
from tests.behaviour.conftest import Desk

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently


# --- helpers ------------------------------------------------------------------------------


def admin_of(desk: Desk) -> Actor:
    return Actor(desk.guild.id, desk.admin.id, can_manage_guild=True)


async def add_person(desk: Desk, name: str, notes: str = "") -> Person:
    """Setting up through the service: these tests are about the commands under test."""
    saved = await desk.bot.desk.add(
        admin_of(desk), Person(name=name, title="Minister", country="Pakistan", notes=notes))
    assert isinstance(saved, Person)
    return saved


def refused(desk: Desk, res: Any, *words: str) -> None:
    assert res.ephemeral
    for word in words:
        assert word in res.response.content, res.response.content
    assert len(desk.user_errors()) >= 1


def hit_lines(res: Any) -> list[str]:
    return res.response.embeds[0].description.splitlines()


def callback_payloads(desk: Desk) -> list[dict[str, Any]]:
    return [r.json for r in desk.env.http_requests
            if r.method == "POST" and r.path.endswith("/callback") and r.json]


# --- /search ------------------------------------------------------------------------------


async def test_search_lists_hits_with_snippets(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "search", query="action plan")
    assert not res.ephemeral
    embed = res.response.embeds[0]
    assert embed.title == "Search for “action plan”"
    lines = hit_lines(res)
    assert any(re.match(r"^`#\d+` plan · \*\*Pakistan–Kazakhstan Action Plan", line)
               for line in lines), lines
    assert all(re.match(r"^`#\d+` (meeting|plan|visit|person|source) · \*\*", line)
               for line in lines)
    # The index's ** marks survive, balanced on every line.
    assert any("**action**" in line.lower() for line in lines)
    assert all(line.count("**") % 2 == 0 for line in lines)
    assert embed.footer.text.startswith(f"Page 1 of 1 · {len(lines)} hits")


async def test_search_by_kind(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "search", query="Nurtleu", kind="person")
    assert res.response.embeds[0].title == "Search people for “Nurtleu”"
    lines = hit_lines(res)
    assert len(lines) == 1 and " person · **Murat Nurtleu**" in lines[0]
    res = await desk.reader.slash(desk.channel, "search", query="action", kind="plan")
    lines = hit_lines(res)
    assert lines and all(" plan · " in line for line in lines)


async def test_search_pages_through_many_hits(desk: Desk) -> None:
    for n in range(13):
        await add_person(desk, f"Envoy {n:02d}", notes="Posted to Astana.")
    res = await desk.reader.slash(desk.channel, "search", query="astana")
    assert len(hit_lines(res)) == 10
    assert res.response.embeds[0].footer.text.startswith("Page 1 of 2 · 13 hits")
    page2 = await desk.reader.click(res.response, custom_id="next")
    assert len(hit_lines(page2)) == 3


async def test_search_clips_long_snippets(desk: Desk) -> None:
    await add_person(desk, "Long Notes", notes=("filler " * 100) + "needle " + ("filler " * 100))
    res = await desk.reader.slash(desk.channel, "search", query="needle")
    [line] = hit_lines(res)
    assert "**needle**" in line
    assert len(line) < 300


@pytest.mark.parametrize("query", ['"unbalanced', "NEAR(", "a AND", "*", "(((", "OR",
                                   "title:Dar", "^plan", "-", "Dar OR 1=1; --", "'"])
async def test_search_never_reads_user_text_as_fts_syntax(
    desk: Desk, sample_data: dict[str, Any], query: str
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "search", query=query)
    assert not res.ephemeral
    assert desk.env.errors == []
    body = res.response.embeds[0].description
    assert body.startswith("Nothing found for “") or body.startswith("`#"), body


async def test_search_echo_escapes_markdown(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "search", query="*bold* _x_")
    assert res.response.embeds[0].description.startswith(r"Nothing found for “\*bold\* \_x\_”")


async def test_search_with_no_words_is_explained(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "search", query="   ")
    refused(desk, res, "Type at least one word")


# --- /history -----------------------------------------------------------------------------


async def test_history_shows_who_changed_what(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "person add", name="Murat Nurtleu",
                                  title="Foreign Minister", country="Kazakhstan")
    [person] = await desk.bot.records.list_records(desk.guild.id, RecordType.PERSON)
    await desk.env.advance_time(3600)
    await desk.admin.slash(desk.channel, "person edit", person=str(person.id),
                           title="Deputy Prime Minister and Foreign Minister", notes="Senator.")
    res = await desk.reader.slash(desk.channel, "history person", record=str(person.id))
    assert not res.ephemeral
    embed = res.response.embeds[0]
    assert embed.title == (f"History of person #{person.id}: Murat Nurtleu, "
                           "Deputy Prime Minister and Foreign Minister")
    created, updated = embed.description.splitlines()
    assert re.fullmatch(rf"<t:\d+:f> · \*\*create\*\* by <@{desk.editor.id}>", created)
    assert re.fullmatch(rf"<t:\d+:f> · \*\*update\*\* by <@{desk.admin.id}>: title, notes",
                        updated)
    stamps = [int(s) for s in re.findall(r"<t:(\d+):f>", embed.description)]
    assert stamps[1] - stamps[0] == 3600
    assert embed.footer.text == "Page 1 of 1 · 2 changes, oldest first"
    [payload] = [p for p in callback_payloads(desk)
                 if "History of person" in str(p.get("data", {}).get("embeds"))]
    assert payload["data"]["allowed_mentions"] == {"parse": []}


async def test_history_of_a_deleted_record_by_number(desk: Desk) -> None:
    person = await add_person(desk, "Gone Person")
    res = await desk.admin.slash(desk.channel, "person delete", person=str(person.id))
    await desk.admin.click(res.response, custom_id="confirm")
    assert await desk.reader.autocomplete(desk.channel, "history person", "record", "gone") == []
    choices = await desk.reader.autocomplete(
        desk.channel, "history person", "record", f"#{person.id}")
    assert choices[0] == {"name": f"#{person.id} (by number; deleted records too)",
                          "value": str(person.id)}
    res = await desk.reader.slash(desk.channel, "history person", record=f"#{person.id}")
    embed = res.response.embeds[0]
    assert embed.title == f"History of person #{person.id}: Gone Person, Minister (deleted)"
    assert [line.split("**")[1] for line in embed.description.splitlines()] == [
        "create", "delete"]
    assert f"by <@{desk.admin.id}>" in embed.description.splitlines()[1]


async def test_history_autocomplete_follows_the_subcommand(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    meetings = await desk.reader.autocomplete(desk.channel, "history meeting", "record", "work")
    assert sorted(c["name"].split(" ", 1)[1] for c in meetings) == [
        "Joint Working Group on agriculture, September 2025",
        "Joint Working Group on information technology, September 2025",
    ]
    people = await desk.reader.autocomplete(desk.channel, "history person", "record", "work")
    assert people == []
    visits = await desk.reader.autocomplete(desk.channel, "history visit", "record", "")
    assert 1 <= len(visits) <= 25
    res = await desk.reader.slash(desk.channel, "history meeting", record=meetings[0]["value"])
    # Imported without a member behind it, the change is the command line's.
    assert "**import** by the command line" in res.response.embeds[0].description


async def test_history_pages(desk: Desk) -> None:
    person = await add_person(desk, "Often Edited")
    for n in range(11):
        await desk.bot.desk.edit(admin_of(desk), RecordType.PERSON, person.id or 0,
                                 notes=f"Edit {n}")
    res = await desk.reader.slash(desk.channel, "history person", record=str(person.id))
    assert res.response.embeds[0].footer.text == "Page 1 of 2 · 12 changes, oldest first"
    page2 = await desk.reader.click(res.response, custom_id="next")
    assert len(page2.response.embeds[0].description.splitlines()) == 2


@pytest.mark.parametrize("record", ["#999", "999", "nobody at all"])
async def test_history_of_an_unknown_record(desk: Desk, record: str) -> None:
    res = await desk.reader.slash(desk.channel, "history person", record=record)
    assert res.ephemeral
    assert "person" in res.response.content and ("999" in res.response.content
                                                 or "nobody at all" in res.response.content)
    assert len(desk.user_errors()) == 1


# --- /settings ----------------------------------------------------------------------------


def setting_fields(res: Any) -> dict[str, str]:
    return {f.name: f.value for f in res.response.embeds[0].fields}


async def test_settings_show_for_everyone(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "settings show")
    assert not res.ephemeral
    shown = setting_fields(res)
    assert shown["Time zone"].startswith("UTC")
    assert shown["Date order"] == "day first: 05/03/2025 is 5 March 2025"
    assert shown["Who can edit records"] == (
        f"Manage Server, or the <@&{desk.editor_role.id}> role")
    [payload] = [p for p in callback_payloads(desk)
                 if "Settings for this server" in str(p.get("data", {}).get("embeds"))]
    assert payload["data"]["allowed_mentions"] == {"parse": []}


async def test_settings_timezone(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "settings timezone", zone="asia/karachi")
    assert res.response.content == (
        "Time zone set to Asia/Karachi. It is 14:00 there now (UTC+05:00).")
    assert setting_fields(res)["Time zone"].startswith("Asia/Karachi")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).timezone == "Asia/Karachi"


async def test_settings_timezone_unknown_is_refused(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "settings timezone", zone="Mars/Olympus_Mons")
    refused(desk, res, "“Mars/Olympus_Mons” is not a time zone I know", "Asia/Karachi",
            "/help")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).timezone == "UTC"


async def test_settings_timezone_autocomplete(desk: Desk) -> None:
    names = [c["value"] for c in await desk.admin.autocomplete(
        desk.channel, "settings timezone", "zone", "karachi")]
    assert names == ["Asia/Karachi"]
    names = [c["value"] for c in await desk.admin.autocomplete(
        desk.channel, "settings timezone", "zone", "new york")]
    assert names[0] == "America/New_York"
    for typed in ("america", "", "a"):
        choices = await desk.admin.autocomplete(desk.channel, "settings timezone", "zone", typed)
        assert 1 <= len(choices) <= 25
    assert await desk.admin.autocomplete(desk.channel, "settings timezone", "zone", "zzzz") == []


@pytest.mark.parametrize("member", ["editor", "reader"])
async def test_only_admins_change_the_timezone(desk: Desk, member: str) -> None:
    res = await getattr(desk, member).slash(desk.channel, "settings timezone", zone="Asia/Almaty")
    refused(desk, res, "Manage Server", "Nothing was changed")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).timezone == "UTC"


async def visit_date(desk: Desk, typed: str) -> FuzzyDate:
    # A visitor of their own each time, so the same day twice is not a duplicate to confirm.
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                            to_country="Pakistan", date=typed,
                            visitor_role=f"Envoy {len(visits) + 1}")
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT,)
    last = max((v for v in visits if isinstance(v, Visit)), key=lambda v: v.id or 0)
    return last.date


async def test_date_order_changes_how_visit_dates_are_read(desk: Desk) -> None:
    assert await visit_date(desk, "05/03/2025") == FuzzyDate.day(2025, 3, 5)
    res = await desk.admin.slash(desk.channel, "settings date-order", order="month-first")
    assert res.response.content == "Numeric dates are now read month-first."
    assert setting_fields(res)["Date order"] == "month first: 05/03/2025 is 3 May 2025"
    assert await visit_date(desk, "05/03/2025") == FuzzyDate.day(2025, 5, 3)
    await desk.admin.slash(desk.channel, "settings date-order", order="day-first")
    assert await visit_date(desk, "05/03/2025") == FuzzyDate.day(2025, 3, 5)


async def test_date_order_bad_choice_never_reaches_the_bot(desk: Desk) -> None:
    with pytest.raises(Exception, match="only allows"):
        await desk.admin.slash(desk.channel, "settings date-order", order="year-first")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).day_first is True


@pytest.mark.parametrize("member", ["editor", "reader"])
async def test_only_admins_change_the_date_order(desk: Desk, member: str) -> None:
    res = await getattr(desk, member).slash(desk.channel, "settings date-order",
                                            order="month-first")
    refused(desk, res, "Manage Server", "Nothing was changed")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).day_first is True


async def test_editor_role_set_and_cleared(desk: Desk) -> None:
    analysts = desk.guild.create_role("Analysts")
    res = await desk.admin.slash(desk.channel, "settings editor-role", role=analysts)
    assert res.response.content == f"Editor role set to <@&{analysts.id}>."
    assert (await desk.bot.guild_settings.get(desk.guild.id)).editor_role_id == analysts.id
    # The old editor role no longer grants writing.
    res = await desk.editor.slash(desk.channel, "person add", name="X", title="Y",
                                  country="Pakistan")
    refused(desk, res, f"<@&{analysts.id}>")
    res = await desk.admin.slash(desk.channel, "settings editor-role")
    assert res.response.content.startswith("Editor role cleared")
    assert setting_fields(res)["Who can edit records"].startswith("Manage Server only")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).editor_role_id is None
    assert await desk.bot.records.count(desk.guild.id, RecordType.PERSON) == 0


@pytest.mark.parametrize("member", ["editor", "reader"])
async def test_only_admins_change_the_editor_role(desk: Desk, member: str) -> None:
    res = await getattr(desk, member).slash(desk.channel, "settings editor-role")
    refused(desk, res, "Manage Server", "Nothing was changed")
    assert (await desk.bot.guild_settings.get(desk.guild.id)).editor_role_id == desk.editor_role.id


async def test_the_editor_role_can_add_records_but_not_change_settings(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "person add", name="Murat Nurtleu",
                                  title="Foreign Minister", country="Kazakhstan")
    assert not res.ephemeral
    res = await desk.editor.slash(desk.channel, "settings editor-role", role=desk.editor_role)
    refused(desk, res, "Changing this server's settings needs the Manage Server permission")


# --- one server never sees another's ------------------------------------------------------


async def test_another_server_sees_no_search_hits_history_or_settings(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    await desk.admin.slash(desk.channel, "settings timezone", zone="Asia/Karachi")
    [murat] = [p for p in await desk.bot.records.list_records(desk.guild.id, RecordType.PERSON)
               if p.uid == "murat-nurtleu"]
    other = other_desk.reader
    res = await other.slash(other_desk.channel, "search", query="Nurtleu")
    assert res.response.embeds[0].description.startswith("Nothing found for “Nurtleu”")
    assert await other.autocomplete(other_desk.channel, "history person", "record", "murat") == []
    res = await other.slash(other_desk.channel, "history person", record=f"#{murat.id}")
    assert res.ephemeral and "no person" in res.response.content.lower()
    assert len(other_desk.user_errors()) == 1
    res = await other.slash(other_desk.channel, "settings show")
    assert setting_fields(res)["Time zone"].startswith("UTC")
