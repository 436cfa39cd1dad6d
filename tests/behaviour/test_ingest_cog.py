"""/ingest through the real discord.py client, offline: paste or attach, review, save or discard."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, RecordType, Visit, VisitStatus
from bot.services.ingest import propose
from tests.behaviour.conftest import Desk, form_field_id

TEXTS = Path(__file__).resolve().parent.parent / "data" / "ingest"
# A statement written for the project: a cancelled visit, an MoU now expected in April, an
# earlier meeting and a visit known only to the month.
TALLINN = (TEXTS / "05-tallinn-cancelled-visit.txt").read_text("utf-8")
# A longer report, attached as a file; it opens with its own dateline.
DOHA = (TEXTS / "02-doha-philippines-mous.txt").read_text("utf-8")


async def stored(desk: Desk) -> dict[str, int]:
    bundle = await desk.bot.records.export_bundle(desk.guild.id)
    return {kind.plural: len(bundle.section(kind)) for kind in RecordType}


async def pasted(desk: Desk, member: Any, text: str = TALLINN, **options: Any) -> Any:
    shown = await member.slash(desk.channel, "ingest", **options)
    assert shown.modal is not None and shown.modal["title"] == "Ingest a report"
    return await member.submit_modal(shown, {form_field_id(shown): text})


def messages(res: Any) -> list[Any]:
    return [res.response, *res.followups]


def cards(res: Any) -> list[Any]:
    return [embed for message in messages(res) for embed in message.embeds]


def components(message: Any) -> list[dict[str, Any]]:
    return [c for row in message.components for c in row["components"]]


async def test_pasted_text_is_shown_as_cards_and_saved_all_with_its_source(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    assert not res.ephemeral
    head = res.response.content
    assert "Proposed from this report" in head
    assert "Dates were read against **12 September 2025**, today" in head
    assert "No dateline found" in head  # the engine's warning is echoed
    shown = cards(res)
    assert len(shown) == len(res.response.embeds) + sum(len(f.embeds) for f in res.followups)
    assert all(len(m.embeds) <= 10 for m in messages(res))
    assert all(e.author.name.startswith("New · ") for e in shown)
    titles = [e.title for e in shown]
    assert any("Denmark → Estonia" in (t or "") for t in titles)
    assert await stored(desk) == dict.fromkeys(await stored(desk), 0)  # nothing yet

    saved = await desk.editor.click(messages(res)[-1], custom_id="save_all")
    content = saved.response.content
    assert content.startswith(f"Saved by editor{desk.guild.id % 1000}: {len(shown)} records")
    assert f"({len(shown)} new, 0 updated, 0 unchanged)" in content
    counts = await stored(desk)
    assert sum(counts.values()) == len(shown) and counts["sources"] == 1
    bundle = await desk.bot.records.export_bundle(desk.guild.id)
    [source] = bundle.sources
    assert all(r.source == source.uid
               for r in [*bundle.people, *bundle.meetings, *bundle.plans, *bundle.visits])
    [cancelled] = [v for v in bundle.visits if v.status is VisitStatus.CANCELLED]
    assert cancelled.from_country == "Denmark" and cancelled.to_country == "Estonia"


async def test_ingesting_again_offers_updates_of_the_stored_records(desk: Desk) -> None:
    first = await pasted(desk, desk.editor)
    await desk.editor.click(messages(first)[-1], custom_id="save_all")
    before = await stored(desk)
    again = await pasted(desk, desk.editor)
    assert "0 new" in again.response.content
    assert all(e.author.name.startswith("Same as #") for e in cards(again))
    saved = await desk.editor.click(messages(again)[-1], custom_id="save_all")
    assert "0 new, 0 updated" in saved.response.content
    assert await stored(desk) == before


async def test_save_selected_keeps_only_the_ticked_records(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    last = messages(res)[-1]
    [menu] = [c for c in components(last) if c["custom_id"] == "keep_0"]
    meeting = next(o for o in menu["options"] if o["label"].startswith("Meeting: "))
    assert all(o.get("default") for o in menu["options"])
    await desk.editor.select(last, [meeting["value"]], custom_id="keep_0")
    saved = await desk.editor.click(last, custom_id="save_selected")
    assert "Also saved, as the chosen records name them" in saved.response.content
    counts = await stored(desk)
    assert counts["meetings"] == 1 and counts["sources"] == 1
    assert counts["plans"] == counts["visits"] == 0
    [stored_meeting] = (await desk.bot.records.export_bundle(desk.guild.id)).meetings
    assert isinstance(stored_meeting, Meeting) and stored_meeting.source is not None


async def test_discard_stores_nothing(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    done = await desk.editor.click(messages(res)[-1], custom_id="discard")
    assert done.response.content == "Discarded: nothing from this report was saved."
    assert done.response.components == []
    assert sum((await stored(desk)).values()) == 0


async def test_an_attached_report_with_a_dateline_option(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "ingest", file=("doha.txt", DOHA.encode()),
                                 dateline="2025-11-03")
    assert "Dates were read against **3 November 2025**, the dateline you gave" in (
        res.response.content)
    shown = cards(res)
    assert any(e.title == "Qatar–Philippines political consultations" for e in shown)
    # A card for every record proposed (thirteen, and the follow-up the report sets), which do
    # not fit Discord's 6000 characters a message: the rest follow, the buttons under the last.
    proposed = propose(DOHA, dateline=date(2025, 11, 3), today=date(2025, 11, 3)).bundle
    first, rest = messages(res)
    assert len(first.embeds) + len(rest.embeds) == len(shown) == len(proposed) >= 13
    assert any((e.author.name or "").endswith("· follow-up") for e in shown)
    assert all(sum(len(e) for e in m.embeds) <= 6000 for m in (first, rest))
    assert first.components == [] and components(rest)
    await desk.admin.click(messages(res)[-1], custom_id="save_all")
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    assert visits and all(isinstance(v, Visit) for v in visits)
    meetings = await desk.bot.records.list_records(desk.guild.id, RecordType.MEETING)
    assert {m.date.start.isoformat() for m in meetings if isinstance(m, Meeting)} >= {
        "2025-11-02"}


async def test_a_reader_is_refused_before_the_form_opens(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "ingest")
    assert res.modal is None and res.ephemeral
    assert "Nothing was changed" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_empty_and_binary_attachments_are_explained(desk: Desk) -> None:
    empty = await desk.editor.slash(desk.channel, "ingest", file=("blank.txt", b""))
    assert empty.ephemeral and "is empty" in empty.response.content
    binary = await desk.editor.slash(desk.channel, "ingest",
                                     file=("scan.txt", b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 20))
    assert binary.ephemeral and "binary" in binary.response.content
    nul = await desk.editor.slash(desk.channel, "ingest",
                                  file=("nul.md", b"DOHA \x00\x00\x00\x00 text" * 10))
    assert nul.ephemeral and "binary" in nul.response.content
    pdf = await desk.editor.slash(desk.channel, "ingest", file=("report.pdf", b"%PDF-1.7"))
    assert pdf.ephemeral and ".txt or .md" in pdf.response.content
    assert len(desk.user_errors()) == 4
    assert sum((await stored(desk)).values()) == 0


async def test_pasting_nothing_diplomatic_is_explained(desk: Desk) -> None:
    res = await pasted(desk, desk.editor, text="The weather in the capital was mild and the "
                       "markets were quiet; the football season starts on Saturday.")
    assert res.ephemeral and "No meetings, agreements or visits" in res.response.content
    assert len(desk.user_errors()) == 1
    assert sum((await stored(desk)).values()) == 0


async def test_another_member_cannot_press_the_buttons(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    last = messages(res)[-1]
    other = await desk.admin.click(last, custom_id="save_all")
    assert other.ephemeral and "Only the person who ran the command" in other.response.content
    assert sum((await stored(desk)).values()) == 0
    # The owner still can.
    await desk.editor.click(last, custom_id="discard")


async def test_the_buttons_are_disabled_when_the_review_times_out(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    await desk.env.advance_time(601)
    last = desk.env.backend.get_message(desk.channel.id, messages(res)[-1].id)
    assert "expired unsaved" in last.content
    assert all(c.get("disabled") for row in last.components for c in row["components"])
    assert sum((await stored(desk)).values()) == 0


async def edit_form_for(desk: Desk, member: Any, res: Any, label: str) -> Any:
    """Presses Edit, picks the record whose menu entry starts with `label`; the form shown."""
    picker = await member.click(messages(res)[-1], custom_id="edit")
    assert picker.ephemeral
    [menu] = components(picker.response)
    option = next(o for o in menu["options"] if o["label"].startswith(label))
    return await member.select(picker.response, [option["value"]], custom_id=menu["custom_id"])


def form_values(shown: Any) -> dict[str, str]:
    return {c["custom_id"]: c.get("value", "")
            for row in shown.modal["components"] for c in row["components"]}


async def test_edit_a_visit_known_to_the_month_to_a_day_then_save(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    shown = await edit_form_for(desk, desk.editor, res, "Visit: Foreign Minister of Denmark")
    assert shown.modal is not None
    assert form_values(shown) == {"visitor_role": "Foreign Minister of Denmark",
                                  "date": "May 2024", "status": "completed", "place": ""}
    done = await desk.editor.submit_modal(shown, {**form_values(shown), "date": "12 May 2024",
                                                  "place": "Tallinn"})
    assert done.ephemeral and "Edited visit" in done.response.content
    # The card is redrawn in place, marked as edited; nothing is stored yet.
    redrawn = [desk.env.backend.get_message(desk.channel.id, m.id) for m in messages(res)]
    [card] = [e for m in redrawn for e in m.embeds
              if "Edited" in (e.get("author") or {}).get("name", "")]
    assert "12 May 2024" in str(card) and "Tallinn" in str(card)
    assert sum((await stored(desk)).values()) == 0

    await desk.editor.click(messages(res)[-1], custom_id="save_all")
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    [may] = [v for v in visits if isinstance(v, Visit) and v.date.start.year == 2024]
    assert may.date == FuzzyDate.day(2024, 5, 12) and may.place == "Tallinn"
    assert may.uid.startswith("foreign-minister-of-denmark-visit-2024-05")  # uid kept


async def test_a_bad_date_in_the_edit_form_is_explained_and_changes_nothing(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    before = [desk.env.backend.get_message(desk.channel.id, m.id).embeds for m in messages(res)]
    shown = await edit_form_for(desk, desk.editor, res, "Visit: Foreign Minister of Denmark")
    bad = await desk.editor.submit_modal(shown, {**form_values(shown), "date": "sometime soonish"})
    assert bad.ephemeral
    text = bad.response.content
    assert 'Could not read "sometime soonish" as a date' in text and "November 2025" in text
    assert "Nothing was changed" in text
    status = await edit_form_for(desk, desk.editor, res, "Visit: Foreign Minister of Denmark")
    wrong = await desk.editor.submit_modal(status, {**form_values(status), "status": "maybe"})
    assert "is not a status" in wrong.response.content and "cancelled" in wrong.response.content
    assert len(desk.user_errors()) == 2
    after = [desk.env.backend.get_message(desk.channel.id, m.id).embeds for m in messages(res)]
    assert after == before
    await desk.editor.click(messages(res)[-1], custom_id="save_all")
    visits = await desk.bot.records.list_records(desk.guild.id, RecordType.VISIT)
    [may] = [v for v in visits if isinstance(v, Visit) and v.date.start.year == 2024]
    assert may.date == FuzzyDate.month(2024, 5) and may.status is VisitStatus.COMPLETED


async def test_another_member_cannot_press_edit(desk: Desk) -> None:
    res = await pasted(desk, desk.editor)
    other = await desk.admin.click(messages(res)[-1], custom_id="edit")
    assert other.ephemeral and "Only the person who ran the command" in other.response.content
    assert other.modal is None and not components(other.response)


async def test_editing_a_card_in_the_first_of_two_messages_redraws_it_and_the_menu(
    desk: Desk,
) -> None:
    res = await desk.admin.slash(desk.channel, "ingest", file=("doha.txt", DOHA.encode()),
                                 dateline="2025-11-03")
    first, rest = messages(res)
    shown = await edit_form_for(desk, desk.admin, res, "Meeting: Qatar–Philippines political")
    await desk.admin.submit_modal(shown, {**form_values(shown),
                                          "title": "Political consultations, second round"})
    first_now = desk.env.backend.get_message(desk.channel.id, first.id)
    assert any(e["title"] == "Political consultations, second round"
               and "Edited" in e["author"]["name"] for e in first_now.embeds)
    rest_now = desk.env.backend.get_message(desk.channel.id, rest.id)
    labels = [o["label"] for row in rest_now.components for c in row["components"]
              for o in c.get("options", [])]
    assert "Meeting: Political consultations, second round" in labels


# Written for the project: work directed before a visit the same report announces.
PREPARED = (
    "VALLETTA, 4 March 2026 — Maltese Foreign Minister Carmel Vella met Tunisian Foreign "
    "Minister Hedi Ben Salem in Valletta on Wednesday. Tunisian President Moncef Jaziri will "
    "pay a state visit to Malta in May 2026. The ministers directed their officials to "
    "finalise a programme of cultural exchanges before the President's visit."
)


async def test_a_follow_up_the_report_sets_is_a_card_and_is_saved_tied_to_its_visit(
    desk: Desk,
) -> None:
    res = await pasted(desk, desk.editor, PREPARED)
    [card] = [e for e in cards(res) if (e.author.name or "") == "New · follow-up"]
    assert card.title == "Finalise a programme of cultural exchanges"
    due = next(f.value for f in card.fields if f.name == "Due")
    assert "before the visit" in due and "May 2026" in due
    last = messages(res)[-1]
    menu = next(c for c in components(last) if c["custom_id"] == "keep_0")
    [option] = [o for o in menu["options"] if o["label"].startswith("Follow-up: ")]
    # Only the follow-up is kept: the visit its deadline hangs on is saved with it.
    await desk.editor.select(last, [option["value"]], custom_id="keep_0")
    saved = await desk.editor.click(last, custom_id="save_selected")
    assert "Also saved, as the chosen records name them" in saved.response.content
    bundle = await desk.bot.records.export_bundle(desk.guild.id)
    [followup] = bundle.followups
    [visit] = bundle.visits
    assert (followup.due_before, followup.visit) == ("visit", visit.uid)
    assert visit.date == FuzzyDate.month(2026, 5) and followup.owner == ""
    # Through the change pipeline like every save: its history has the ingest's write.
    history = await desk.bot.records.history(desk.guild.id, RecordType.FOLLOWUP,
                                             followup.id or 0)
    assert history
