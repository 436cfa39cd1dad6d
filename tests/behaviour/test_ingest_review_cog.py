"""/ingest never damages stored records, and never holds up other servers: through the real
discord.py client, offline."""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any

import pytest

from bot.domain.records import Person, RecordType
from bot.services import ingest_review
from bot.services.access import Actor
from tests.behaviour.conftest import Desk, form_field_id

# Written for these tests.
REPORT = (
    "ASTANA, 3 March 2026 — Kazakh Foreign Minister Murat Nurtleu held talks with his "
    "Uzbek counterpart, Bakhtiyor Saidov, on Monday, says the "
    "[Official statement](https://evil.example). The President of Uzbekistan is "
    "expected to visit Kazakhstan in May 2026."
)
FULL_TITLE = "Deputy Prime Minister and Foreign Minister"


def messages(res: Any) -> list[Any]:
    return [res.response, *res.followups]


def card(res: Any, author: str) -> Any:
    return next(e for m in messages(res) for e in m.embeds if e.author.name.startswith(author))


def components(message: Any) -> list[dict[str, Any]]:
    return [c for row in message.components for c in row["components"]]


async def pasted(desk: Desk, member: Any, text: str = REPORT) -> Any:
    shown = await member.slash(desk.channel, "ingest")
    return await member.submit_modal(shown, {form_field_id(shown): text})


async def stored_person(desk: Desk) -> Person:
    [person] = [p for p in (await desk.bot.records.export_bundle(desk.guild.id)).people
                if p.name == "Murat Nurtleu"]
    return person


async def seed_person(desk: Desk) -> Person:
    admin = Actor(desk.guild.id, desk.admin.id, can_manage_guild=True)
    saved = await desk.bot.desk.add(admin, Person("Murat Nurtleu", FULL_TITLE, "Kazakhstan",
                                                  notes="Prefers French."))
    assert isinstance(saved, Person)
    return saved


async def test_an_update_card_shows_each_change_and_keeps_the_fuller_title(desk: Desk) -> None:
    person = await seed_person(desk)
    res = await pasted(desk, desk.editor)
    shown = card(res, f"Updates #{person.id} · person")
    assert {f.name: f.value for f in shown.fields}["Title"] == FULL_TITLE
    [changes] = [f for f in shown.fields if f.name.startswith("Stored → report")]
    assert (f"· **Title**: {FULL_TITLE} → Foreign Minister — keeps stored, the report's is "
            "less specific") in changes.value
    await desk.editor.click(messages(res)[-1], custom_id="save_all")
    saved = await stored_person(desk)
    assert (saved.title, saved.notes) == (FULL_TITLE, "Prefers French.")


async def test_the_reviewer_chooses_per_field_and_the_card_follows(desk: Desk) -> None:
    person = await seed_person(desk)
    res = await pasted(desk, desk.editor)
    last = messages(res)[-1]
    picker = await desk.editor.click(last, custom_id="fields")
    assert picker.ephemeral
    [menu] = components(picker.response)
    option = next(o for o in menu["options"] if o["label"].startswith("Person: Murat Nurtleu"))
    choice = await desk.editor.select(picker.response, [option["value"]],
                                      custom_id=menu["custom_id"])
    assert "ticked fields take the report's value" in choice.response.content
    [fields] = components(choice.response)
    title = next(o for o in fields["options"] if o["value"] == "title")
    assert not title.get("default")  # kept by default
    done = await desk.editor.select(choice.response, ["title"], custom_id="fields_take")
    assert "Chosen" in done.response.content
    redrawn = desk.env.backend.get_message(desk.channel.id, last.id)
    [embed] = [e for e in redrawn.embeds
               if e["author"]["name"].startswith(f"Updates #{person.id} · person")]
    values = {f["name"]: f["value"] for f in embed["fields"]}
    assert values["Title"] == "Foreign Minister"
    changes = next(v for k, v in values.items() if k.startswith("Stored → report"))
    assert f"✓ **Title**: {FULL_TITLE} → Foreign Minister — report, your choice" in changes
    await desk.editor.click(last, custom_id="save_all")
    assert (await stored_person(desk)).title == "Foreign Minister"


async def test_a_save_after_a_concurrent_edit_is_refused_with_nothing_written(
    desk: Desk
) -> None:
    person = await seed_person(desk)
    res = await pasted(desk, desk.editor)
    # While the review is open, the admin corrects the person by hand.
    edited = await desk.admin.slash(desk.channel, "person edit", person=str(person.id),
                                    country="Kazakhstan", notes="Met in Astana.")
    assert edited.response.content == f"Updated person #{person.id}."
    before = await desk.bot.records.export_bundle(desk.guild.id)
    refused = await desk.editor.click(messages(res)[-1], custom_id="save_all")
    assert refused.ephemeral
    text = refused.response.content
    assert text.startswith("Nothing was saved: since this review opened, “updates "
                           f"#{person.id} · person Murat Nurtleu")
    assert "was edited (notes)" in text and "Run /ingest again" in text
    assert len(desk.user_errors()) == 1
    after = await desk.bot.records.export_bundle(desk.guild.id)
    assert [len(after.section(k)) for k in RecordType] == [len(before.section(k))
                                                           for k in RecordType]
    assert (await stored_person(desk)).notes == "Met in Astana."


async def test_a_masked_link_in_a_pasted_report_is_stored_as_text(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    await desk.editor.click(messages(res)[-1], custom_id="save_all")
    [source] = (await desk.bot.records.export_bundle(desk.guild.id)).sources
    assert "Official statement (https://evil.example)" in source.text
    assert re.search(r"\[[^\]]*\]\([^)]*\)", source.text) is None


async def test_other_servers_are_answered_while_a_report_is_read(
    desk: Desk, other_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    real = ingest_review.propose

    def slow_propose(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        assert release.wait(10), "the test never released the reading"
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_review, "propose", slow_propose)
    reading = asyncio.create_task(pasted(desk, desk.editor))
    try:
        assert await asyncio.to_thread(entered.wait, 10)
        # The report is being read in its thread, and the event loop is free: the other
        # server's records are read and its briefing built meanwhile.
        other = Actor(other_desk.guild.id, other_desk.admin.id, can_manage_guild=True)
        await other_desk.bot.desk.add(other, Person("Ishaq Dar", "Foreign Minister",
                                                    "Pakistan"))
        assert await other_desk.bot.records.count(other_desk.guild.id, RecordType.PERSON) == 1
        assert not reading.done()
    finally:
        release.set()
    res = await reading
    assert "Proposed from this report" in res.response.content
