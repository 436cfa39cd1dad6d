"""/person and /source through the real discord.py client, offline."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Person, RecordType, Source
from bot.services.access import Actor
from tests.behaviour.conftest import Desk, form_field_id

# --- helpers ------------------------------------------------------------------------------


async def add_person(desk: Desk, name: str, *, title: str = "Minister",
                     country: str = "Pakistan", notes: str = "") -> Person:
    """Setting up through the service: these tests are about the commands under test."""
    admin = Actor(desk.guild.id, desk.admin.id, can_manage_guild=True)
    saved = await desk.bot.desk.add(admin, Person(name=name, title=title, country=country,
                                                  notes=notes))
    assert isinstance(saved, Person)
    return saved


async def add_source(desk: Desk, title: str, published: FuzzyDate | None) -> Source:
    admin = Actor(desk.guild.id, desk.admin.id, can_manage_guild=True)
    saved = await desk.bot.desk.add(admin, Source(title=title, published=published))
    assert isinstance(saved, Source)
    return saved


async def people(desk: Desk) -> list[Person]:
    found = await desk.bot.records.list_records(desk.guild.id, RecordType.PERSON)
    return [p for p in found if isinstance(p, Person)]


async def sources(desk: Desk) -> list[Source]:
    found = await desk.bot.records.list_records(desk.guild.id, RecordType.SOURCE)
    return [s for s in found if isinstance(s, Source)]


def fields(res: Any) -> dict[str, str]:
    return {f.name: f.value for f in res.response.embeds[0].fields}


def refused(desk: Desk, res: Any, *words: str) -> None:
    """The reply is private, names what was wrong, and the error was the user's."""
    assert res.ephemeral
    for word in words:
        assert word in res.response.content
    assert len(desk.user_errors()) >= 1


def callback_payloads(desk: Desk) -> list[dict[str, Any]]:
    return [r.json for r in desk.env.http_requests
            if r.method == "POST" and r.path.endswith("/callback") and r.json]


# --- /person add --------------------------------------------------------------------------


async def test_person_add_saves_and_shows_the_card(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel, "person add", name="Murat Nurtleu",
        title="Deputy Prime Minister and Foreign Minister", country="KZ",
        notes="Led the delegation to Islamabad.",
    )
    assert not res.ephemeral
    assert res.response.content.startswith("Saved person #")
    embed = res.response.embeds[0]
    assert embed.title == "Murat Nurtleu"
    assert embed.description == "Led the delegation to Islamabad."
    assert fields(res) == {"Title": "Deputy Prime Minister and Foreign Minister",
                           "Country": "Kazakhstan"}
    [person] = await people(desk)
    assert (person.name, person.country, person.notes) == (
        "Murat Nurtleu", "Kazakhstan", "Led the delegation to Islamabad.")
    [entry] = await desk.bot.records.history(desk.guild.id, RecordType.PERSON, person.id or 0)
    assert (entry.action, entry.actor_id) == ("create", desk.editor.id)


async def test_person_add_with_a_source_links_it(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    [report] = await sources(desk)
    res = await desk.editor.slash(desk.channel, "person add", name="Ahsan Iqbal",
                                  title="Planning Minister", country="Pakistan",
                                  source=str(report.id))
    assert fields(res)["Source"] == f"#{report.id} {report.title}"
    found = [p for p in await people(desk) if p.name == "Ahsan Iqbal"]
    assert found[0].source == "report-2025-09-10"


async def test_person_add_with_an_unknown_source_is_refused(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "person add", name="Ahsan Iqbal",
                                  title="Planning Minister", country="Pakistan",
                                  source="no such report")
    refused(desk, res, "No source matches 'no such report'")
    assert await people(desk) == []


async def test_reader_cannot_add_a_person(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "person add", name="Ahsan Iqbal",
                                  title="Planning Minister", country="Pakistan")
    refused(desk, res, "Manage Server", "Nothing was changed")
    assert await people(desk) == []


async def test_notes_never_ping_anyone(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "person add", name="Pinger",
                                  title="Troll", country="Pakistan",
                                  notes="@everyone <@123> <@&456>")
    assert res.response.embeds[0].description == "@everyone <@123> <@&456>"
    [payload] = [p for p in callback_payloads(desk)
                 if "Pinger" in str(p.get("data", {}).get("embeds"))]
    assert payload["data"]["allowed_mentions"] == {"parse": []}


# --- /person show and autocomplete --------------------------------------------------------


async def test_person_show_by_autocomplete(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    for typed in ("nurt", "murat", "Murat N"):
        choices = await desk.reader.autocomplete(desk.channel, "person show", "person", typed)
        assert [c["name"] for c in choices][:1] == [
            f"#{choices[0]['value']} Murat Nurtleu, Deputy Prime Minister and Foreign Minister"
        ], typed
    res = await desk.reader.slash(desk.channel, "person show", person=choices[0]["value"])
    assert res.response.embeds[0].title == "Murat Nurtleu"
    assert fields(res)["Country"] == "Kazakhstan"


async def test_person_autocomplete_offers_at_most_25(desk: Desk) -> None:
    for n in range(30):
        await add_person(desk, f"Envoy Number{n:02d}")
    choices = await desk.reader.autocomplete(desk.channel, "person show", "person", "envoy")
    assert len(choices) == 25
    assert all("Envoy Number" in c["name"] for c in choices)
    assert len(await desk.reader.autocomplete(desk.channel, "person show", "person", "")) == 25
    # The name filter of /person list is not capped like autocomplete: it pages through all.
    res = await desk.reader.slash(desk.channel, "person list", name="envoy")
    assert res.response.embeds[0].footer.text == "Page 1 of 3 · 30 people"


async def test_person_show_by_typed_name_and_unknown(desk: Desk) -> None:
    dar = await add_person(desk, "Mohammad Ishaq Dar")
    res = await desk.reader.slash(desk.channel, "person show", person="mohammad ishaq dar")
    assert res.response.embeds[0].footer.text == f"Person #{dar.id} · uid {dar.uid}"
    res = await desk.reader.slash(desk.channel, "person show", person="#999")
    refused(desk, res, "No person matches '#999'", "#12")


# --- /person list -------------------------------------------------------------------------


async def test_person_list_is_alphabetical_and_paginated(desk: Desk) -> None:
    names = [f"Person {chr(ord('A') + i)}" for i in range(12)]
    for name in reversed(names):
        await add_person(desk, name)
    res = await desk.reader.slash(desk.channel, "person list")
    embed = res.response.embeds[0]
    assert embed.footer.text == "Page 1 of 2 · 12 people"
    lines = embed.description.splitlines()
    assert [line.split("**")[1] for line in lines] == names[:10]
    page2 = await desk.reader.click(res.response, custom_id="next")
    embed = page2.response.embeds[0]
    assert embed.footer.text == "Page 2 of 2 · 12 people"
    assert [line.split("**")[1] for line in embed.description.splitlines()] == names[10:]


async def test_person_list_by_country_and_name(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "person list", country="kazakh")
    embed = res.response.embeds[0]
    assert embed.title == "People of Kazakhstan"
    assert "Murat Nurtleu" in embed.description and "Kassym-Jomart Tokayev" in embed.description
    assert "Dar" not in embed.description
    res = await desk.reader.slash(desk.channel, "person list", name="nurt")
    assert [line.split("**")[1] for line in res.response.embeds[0].description.splitlines()] == [
        "Murat Nurtleu"]
    # 'deputy' is in two titles but in no name: a name filter must not match titles.
    res = await desk.reader.slash(desk.channel, "person list", name="deputy")
    assert res.response.embeds[0].description == "No people match."
    res = await desk.reader.slash(desk.channel, "person list", country="Pakistan", name="murat")
    assert res.response.embeds[0].description == "No people match."


@pytest.mark.parametrize("name", ["-", "  --  "])
async def test_person_list_name_filter_needs_a_name(desk: Desk, name: str) -> None:
    await add_person(desk, "Murat Nurtleu")
    res = await desk.reader.slash(desk.channel, "person list", name=name)
    refused(desk, res, "give the start of a name")


async def test_person_list_empty_server(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "person list")
    assert res.response.embeds[0].description == "No people yet. Add one with /person add."


# --- /person edit -------------------------------------------------------------------------


async def test_person_edit_changes_only_given_fields(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu", title="Foreign Minister",
                              country="Kazakhstan", notes="Keep me.")
    res = await desk.editor.slash(desk.channel, "person edit", person=str(person.id),
                                  title="Deputy Prime Minister and Foreign Minister")
    assert res.response.content == f"Updated person #{person.id}."
    [saved] = await people(desk)
    assert (saved.name, saved.title, saved.country, saved.notes) == (
        "Murat Nurtleu", "Deputy Prime Minister and Foreign Minister", "Kazakhstan", "Keep me.")


async def test_person_edit_with_nothing_to_change(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu")
    res = await desk.editor.slash(desk.channel, "person edit", person=str(person.id))
    refused(desk, res, "Nothing to change")


async def test_reader_cannot_edit_a_person(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu", title="Foreign Minister")
    res = await desk.reader.slash(desk.channel, "person edit", person=str(person.id),
                                  title="Emperor")
    refused(desk, res, "Nothing was changed")
    [saved] = await people(desk)
    assert saved.title == "Foreign Minister"


async def test_person_notes_form_saves_long_notes(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu")
    res = await desk.editor.slash(desk.channel, "person show", person=str(person.id))
    shown = await desk.editor.click(res.response, custom_id="long_text")
    long_notes = "Career diplomat. " * 200
    done = await desk.editor.submit_modal(shown, {form_field_id(shown): long_notes})
    assert done.response.content == "Notes saved."
    [saved] = await people(desk)
    assert saved.notes == long_notes.strip()


async def test_reader_cannot_open_the_notes_form(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu", notes="Original.")
    res = await desk.reader.slash(desk.channel, "person show", person=str(person.id))
    clicked = await desk.reader.click(res.response, custom_id="long_text")
    assert clicked.modal is None
    assert clicked.ephemeral
    assert "Nothing was changed" in clicked.response.content
    assert len(desk.user_errors()) == 1
    [saved] = await people(desk)
    assert saved.notes == "Original."


# --- /person delete -----------------------------------------------------------------------


async def test_person_delete_after_confirmation(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu")
    res = await desk.editor.slash(desk.channel, "person delete", person=str(person.id))
    assert res.ephemeral and "Delete person" in res.response.content
    done = await desk.editor.click(res.response, custom_id="confirm")
    assert done.response.content.startswith(
        f"Deleted person #{person.id} **Murat Nurtleu, Minister**")
    assert await people(desk) == []


async def test_person_delete_cancelled(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu")
    res = await desk.editor.slash(desk.channel, "person delete", person=str(person.id))
    done = await desk.editor.click(res.response, custom_id="cancel")
    assert done.response.content == "Nothing was deleted."
    assert len(await people(desk)) == 1


async def test_person_still_linked_cannot_be_deleted(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    dar = next(p for p in await people(desk) if p.uid == "ishaq-dar")
    res = await desk.editor.slash(desk.channel, "person delete", person=str(dar.id))
    done = await desk.editor.click(res.response, custom_id="confirm")
    assert done.response.content == (
        "Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister still appears in "
        "2 meetings, 1 plan; remove them there first, then delete the person."
    )
    assert any(p.uid == "ishaq-dar" for p in await people(desk))


async def test_reader_cannot_delete_a_person(desk: Desk) -> None:
    person = await add_person(desk, "Murat Nurtleu")
    res = await desk.reader.slash(desk.channel, "person delete", person=str(person.id))
    refused(desk, res, "Nothing was changed")
    assert res.response.components == []
    assert len(await people(desk)) == 1


# --- /source add --------------------------------------------------------------------------


async def test_source_add_saves_and_echoes_the_date(desk: Desk) -> None:
    res = await desk.editor.slash(
        desk.channel, "source add", title="Pakistan, Kazakhstan sign action plan",
        url="https://example.org/news/pk-kz", published="10 Sep 2025",
        summary="Action plan signed after delegation-level talks.",
    )
    assert not res.ephemeral
    assert res.response.content.startswith("Saved source #")
    assert "Published: 10 September 2025" in res.response.content
    embed = res.response.embeds[0]
    assert embed.title == "Pakistan, Kazakhstan sign action plan"
    assert fields(res)["Address"] == "https://example.org/news/pk-kz"
    [source] = await sources(desk)
    assert source.url == "https://example.org/news/pk-kz"
    assert source.published == FuzzyDate.day(2025, 9, 10)
    assert source.summary == "Action plan signed after delegation-level talks."


async def test_source_add_without_address_or_date(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "source add", title="Print edition, p. 3")
    assert res.response.content.startswith("Saved source #")
    [source] = await sources(desk)
    assert (source.url, source.published) == ("", None)


@pytest.mark.parametrize("url", ["www.example.org", "ftp://example.org/x", "javascript:alert(1)",
                                 "https://", "https://exa mple.org"])
async def test_source_add_refuses_what_is_not_a_web_address(desk: Desk, url: str) -> None:
    res = await desk.editor.slash(desk.channel, "source add", title="Report", url=url)
    refused(desk, res, "is not a web address", "http:// or https://")
    assert await sources(desk) == []


async def test_source_add_refuses_a_bad_date(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "source add", title="Report",
                                  published="the other day")
    refused(desk, res, 'Could not read "the other day"')
    assert await sources(desk) == []


async def test_reader_cannot_add_a_source(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "source add", title="Report")
    refused(desk, res, "Manage Server", "Nothing was changed")
    assert await sources(desk) == []


async def test_source_summary_form(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "source add", title="Report")
    shown = await desk.editor.click(res.response, custom_id="long_text")
    assert shown.modal is not None and shown.modal["title"].startswith("Summary")
    summary = "Paragraph. " * 300
    done = await desk.editor.submit_modal(shown, {form_field_id(shown): summary})
    assert done.response.content == "Summary saved."
    [source] = await sources(desk)
    assert source.summary == summary.strip()


# --- /source show, list -------------------------------------------------------------------


async def test_source_show_by_autocomplete(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    choices = await desk.reader.autocomplete(desk.channel, "source show", "source", "action")
    assert len(choices) == 1 and "Pakistan, Kazakhstan sign action plan" in choices[0]["name"]
    res = await desk.reader.slash(desk.channel, "source show", source=choices[0]["value"])
    assert fields(res)["Published"].startswith("10 September 2025")


async def test_source_show_unknown(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "source show", source="no such report")
    refused(desk, res, "No source matches 'no such report'")


async def test_source_list_newest_first(desk: Desk) -> None:
    await add_source(desk, "Old report", FuzzyDate.day(2003, 4, 1))
    await add_source(desk, "Undated note", None)
    await add_source(desk, "New report", FuzzyDate.day(2025, 9, 10))
    await add_source(desk, "Mid report", FuzzyDate.month(2024, 5))
    res = await desk.reader.slash(desk.channel, "source list")
    embed = res.response.embeds[0]
    assert [line.split("**")[1] for line in embed.description.splitlines()] == [
        "New report", "Mid report", "Old report", "Undated note"]
    assert embed.footer.text == "Page 1 of 1 · 4 sources"


async def test_source_list_empty(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "source list")
    assert res.response.embeds[0].description == "No sources yet. Add one with /source add."


# --- /source edit, delete -----------------------------------------------------------------


async def test_source_edit_changes_only_given_fields(desk: Desk) -> None:
    source = await add_source(desk, "Report", FuzzyDate.day(2025, 9, 10))
    res = await desk.editor.slash(desk.channel, "source edit", source=str(source.id),
                                  url="http://example.org/r")
    assert res.response.content.startswith(f"Updated source #{source.id}.")
    [saved] = await sources(desk)
    assert (saved.title, saved.url, saved.published) == (
        "Report", "http://example.org/r", FuzzyDate.day(2025, 9, 10))


async def test_source_edit_refuses_a_bad_address(desk: Desk) -> None:
    source = await add_source(desk, "Report", None)
    res = await desk.editor.slash(desk.channel, "source edit", source=str(source.id),
                                  url="example.org")
    refused(desk, res, "is not a web address")
    [saved] = await sources(desk)
    assert saved.url == ""


async def test_reader_cannot_edit_a_source(desk: Desk) -> None:
    source = await add_source(desk, "Report", None)
    res = await desk.reader.slash(desk.channel, "source edit", source=str(source.id),
                                  title="Retitled")
    refused(desk, res, "Nothing was changed")
    [saved] = await sources(desk)
    assert saved.title == "Report"


async def test_source_delete_unlinks_citing_records(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    [report] = await sources(desk)
    res = await desk.editor.slash(desk.channel, "source delete", source=str(report.id))
    done = await desk.editor.click(res.response, custom_id="confirm")
    assert done.response.content.startswith(f"Deleted source #{report.id}")
    assert await sources(desk) == []
    dar = next(p for p in await people(desk) if p.uid == "ishaq-dar")
    assert dar.source is None


async def test_source_delete_unknown(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "source delete", source="#42")
    refused(desk, res, "No source matches '#42'")


async def test_reader_cannot_delete_a_source(desk: Desk) -> None:
    source = await add_source(desk, "Report", None)
    res = await desk.reader.slash(desk.channel, "source delete", source=str(source.id))
    refused(desk, res, "Nothing was changed")
    assert len(await sources(desk)) == 1


# --- one server never sees another's ------------------------------------------------------


async def test_another_server_sees_no_people_or_sources(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    [report] = await sources(desk)
    murat = next(p for p in await people(desk) if p.uid == "murat-nurtleu")
    other = other_desk.reader
    assert await other.autocomplete(other_desk.channel, "person show", "person", "murat") == []
    assert await other.autocomplete(other_desk.channel, "person show", "person", "") == []
    assert await other.autocomplete(other_desk.channel, "source show", "source", "action") == []
    res = await other.slash(other_desk.channel, "person list")
    assert res.response.embeds[0].description == "No people yet. Add one with /person add."
    res = await other.slash(other_desk.channel, "source list")
    assert res.response.embeds[0].description == "No sources yet. Add one with /source add."
    res = await other.slash(other_desk.channel, "person show", person=str(murat.id))
    assert res.ephemeral and "No person matches" in res.response.content
    res = await other.slash(other_desk.channel, "source show", source="report-2025-09-10")
    assert res.ephemeral and "No source matches" in res.response.content
    # An editor there cannot change this server's records by number either.
    res = await other_desk.editor.slash(other_desk.channel, "person edit", person=str(murat.id),
                                        title="Changed")
    assert res.ephemeral
    assert len(other_desk.user_errors()) == 3
    assert (await desk.bot.records.get(desk.guild.id, RecordType.SOURCE, report.id or 0)) == report
    assert next(p for p in await people(desk) if p.uid == "murat-nurtleu").title == murat.title
