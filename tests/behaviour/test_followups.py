"""/followup through the real discord.py client: every command, deadlines that follow their
visit (refined, postponed, cancelled), owners, history, and the reminders owners get."""

from __future__ import annotations

from typing import Any

import pytest

from bot.bot import create_bot
from bot.domain.records import FollowUp, FollowUpStatus, RecordType, Visit
from tests.behaviour.conftest import Desk, form_field_id

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently

DAY = 86400
SAMPLE_FOLLOWUP = "finalise-mous-2025"


async def _followup(desk: Desk, uid: str | None = None, what: str | None = None) -> FollowUp:
    found = await desk.bot.records.list_records(desk.guild.id, RecordType.FOLLOWUP)
    for f in found:
        if isinstance(f, FollowUp) and (f.uid == uid or f.what == what):
            return f
    raise AssertionError(f"no follow-up {uid or what}")


def _posts(desk: Desk) -> list[Any]:
    return [m for m in desk.channel.history() if m.author.bot and m.interaction_metadata is None]


def _fields(res: Any) -> dict[str, str]:
    return {f.name: f.value for f in res.response.embeds[0].fields}


async def _reminder_channel(desk: Desk, leads: str = "1d") -> None:
    await desk.admin.slash(desk.channel, "reminders channel", channel=desk.channel)
    await desk.admin.slash(desk.channel, "reminders leads", leads=leads)


async def test_the_sample_follow_up_is_due_before_the_visit(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "followup show", followup="#1")
    card = res.response.embeds[0]
    assert card.title == "Finalise the MoUs for the President's visit"
    fields = _fields(res)
    assert fields["Owner"] == "@Desk editors"
    assert fields["Due"].startswith("early November 2025 — before the visit")
    assert "day still unconfirmed" in fields["Due"]
    assert fields["Visit"].startswith("#2 ")
    assert fields["Plan"] == "#2 Agreements and MoUs for the Kazakh President's visit"
    assert card.footer.text == f"Follow-up #1 · uid {SAMPLE_FOLLOWUP}"
    # Showing an owner never pings it.
    reply = [r for r in desk.env.http_requests if r.path.endswith("/callback")][-1]
    assert reply.json["data"]["allowed_mentions"] == {"parse": []}


async def test_add_reads_dates_and_relative_deadlines(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "followup add", what="Brief the press office",
                                  owner=desk.editor, due="2 weeks before the visit", visit="#2")
    assert not res.ephemeral, res.response.content
    assert res.response.content.startswith("Saved follow-up #2.")
    assert "Due: 2 weeks before the visit — now mid October 2025 — 2 weeks before the visit" \
        in res.response.content
    assert _fields(res)["Owner"] == f"@{desk.editor.name}"
    saved = await _followup(desk, what="Brief the press office")
    assert (saved.owner, saved.due_before, saved.due_offset) == (
        f"member:{desk.editor.id}", "visit", "2w")
    # A date of its own, with no year: the next such day.
    res = await desk.editor.slash(desk.channel, "followup add", what="Book the venue",
                                  due="15 March", owner=desk.editor_role)
    assert "Due: 15 March 2026 — the next 15 March" in res.response.content
    # "Before signing" takes the plan; "before the visit" a plan's own visit.
    res = await desk.editor.slash(desk.channel, "followup add", what="Translate the MoU texts",
                                  due="3 days before signing", plan="#2")
    assert "Due: 3 days before the signing — now late October 2025" in res.response.content
    res = await desk.editor.slash(desk.channel, "followup add", what="Draft the speech",
                                  due="before the visit", plan="#2")
    assert (await _followup(desk, what="Draft the speech")).visit == "president-visit-2025-11"
    # Relative to a visit that is not linked: refused, nothing saved.
    res = await desk.editor.slash(desk.channel, "followup add", what="Orphan",
                                  due="before the visit")
    assert res.ephemeral and "no visit is linked" in res.response.content
    res = await desk.editor.slash(desk.channel, "followup add", what="Never", due="soonish")
    assert res.ephemeral
    res = await desk.reader.slash(desk.channel, "followup add", what="Not mine to add")
    assert res.ephemeral and "Changing records needs" in res.response.content
    assert len(desk.user_errors()) == 3
    assert len(await desk.bot.records.list_records(desk.guild.id, RecordType.FOLLOWUP)) == 5


async def test_a_relative_deadline_follows_refine_postpone_and_cancel(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    await _reminder_channel(desk, leads="7d 1d")
    followup = await _followup(desk, SAMPLE_FOLLOWUP)
    service = desk.bot.reminders

    async def due() -> str:
        res = await desk.reader.slash(desk.channel, "followup show", followup="#1")
        return _fields(res)["Due"]

    async def planned() -> list[tuple[str, str]]:
        rows = await service.followup_preview(desk.guild.id, followup)
        return [(r.lead, r.due.date().isoformat()) for r in rows if r.status == "planned"]

    # While the visit is known only to November, so is the deadline; reminders count back
    # from its earliest day.
    assert (await due()).startswith("early November 2025 — before the visit")
    assert await planned() == [("7d", "2025-10-25"), ("1d", "2025-10-31")]
    # Refined to a day: the deadline is the day before, and the reminders move with it.
    await desk.editor.slash(desk.channel, "visit edit", visit="#2", date="24 November 2025")
    assert (await due()).startswith("23 November 2025 — before the visit · due in 72 days")
    assert await planned() == [("7d", "2025-11-16"), ("1d", "2025-11-22")]
    # Postponed: on hold, no reminders.
    await desk.editor.slash(desk.channel, "visit postpone", visit="#2")
    assert (await due()).startswith("on hold — the visit was postponed")
    assert await planned() == []
    # A new date: it follows again.
    await desk.editor.slash(desk.channel, "visit edit", visit="#2", date="8 December 2025",
                            status="planned")
    assert (await due()).startswith("7 December 2025 — before the visit")
    assert await planned() == [("7d", "2025-11-30"), ("1d", "2025-12-06")]
    # Cancelled: no deadline; the follow-up stays open for a person to drop.
    await desk.editor.slash(desk.channel, "visit cancel", visit="#2")
    assert (await due()).startswith("no deadline — the visit was cancelled")
    assert await planned() == []
    assert (await _followup(desk, SAMPLE_FOLLOWUP)).status is FollowUpStatus.OPEN
    # Nothing moved the follow-up itself: its history is its own.
    res = await desk.reader.slash(desk.channel, "followup history", followup="#1")
    assert res.response.embeds[0].footer.text.endswith("1 change, oldest first")


async def test_list_mine_and_filters(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    await desk.editor.slash(desk.channel, "followup add", what="Overdue already",
                            owner=desk.editor, due="10 September 2025")
    await desk.editor.slash(desk.channel, "followup add", what="Someone else's",
                            owner=desk.admin, due="1 October 2025")
    res = await desk.reader.slash(desk.channel, "followup list")
    lines = res.response.embeds[0].description.splitlines()
    assert [line.split("**")[1] for line in lines] == [
        "Overdue already", "Someone else's", "Finalise the MoUs for the President's visit"]
    assert "⚠️ 10 September 2025 · overdue by 2 days" in lines[0]
    assert res.response.embeds[0].footer.text == "Page 1 of 1 · 3 follow-ups · overdue first"
    # Mine: the editor's own, and the sample's, owned by the editor's role by name.
    res = await desk.editor.slash(desk.channel, "followup mine")
    assert res.ephemeral
    assert [line.split("**")[1] for line in res.response.embeds[0].description.splitlines()
            ] == ["Overdue already", "Finalise the MoUs for the President's visit"]
    res = await desk.reader.slash(desk.channel, "followup mine")
    assert "Nothing open is yours" in res.response.embeds[0].description
    res = await desk.reader.slash(desk.channel, "followup list", owner=desk.admin)
    assert res.response.embeds[0].description.count("`#") == 1
    res = await desk.reader.slash(desk.channel, "followup list", visit="#2")
    assert "Finalise the MoUs" in res.response.embeds[0].description
    assert res.response.embeds[0].description.count("`#") == 1
    res = await desk.reader.slash(desk.channel, "followup list", plan="#1")
    assert res.response.embeds[0].description == "No follow-ups match."
    res = await desk.reader.slash(desk.channel, "followup list", status="done")
    assert res.response.embeds[0].description == "No follow-ups match."
    choices = await desk.reader.autocomplete(desk.channel, "followup show", "followup", "MoU")
    assert [c["name"] for c in choices] == ["#1 Finalise the MoUs for the President's visit"]
    # Searchable like every type the registry describes.
    res = await desk.reader.slash(desk.channel, "search", query="finalise MoUs", kind="followup")
    [hit] = res.response.embeds[0].description.splitlines()
    assert hit.startswith("`#1` followup · **Finalise the MoUs")


async def test_edit_done_drop_delete_and_history(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(desk.channel, "followup edit", followup="#1",
                                  due="15 October 2025", clear_owner=True,
                                  what="Finalise the MoUs")
    assert res.response.content == ("Updated follow-up #1: what, owner (cleared), due.\n"
                                    "Due: 15 October 2025 — exact day, no time set")
    saved = await _followup(desk, SAMPLE_FOLLOWUP)
    assert (saved.what, saved.due_before, saved.owner, saved.owner_name) == (
        "Finalise the MoUs", "", "", "")
    assert saved.due is not None and saved.due.value == "2025-10-15"
    assert _fields(res)["Owner"] == "no owner"
    # The notes form under the card.
    shown = await desk.editor.click(res.response, custom_id="long_text")
    await desk.editor.submit_modal(shown, {form_field_id(shown): "Texts agreed at JWG level."})
    assert (await _followup(desk, SAMPLE_FOLLOWUP)).notes == "Texts agreed at JWG level."
    res = await desk.editor.slash(desk.channel, "followup edit", followup="#1", due="-",
                                  leads="14 days, 2d")
    saved = await _followup(desk, SAMPLE_FOLLOWUP)
    assert saved.due is None and saved.leads == "14d 2d"
    res = await desk.editor.slash(desk.channel, "followup done", followup="#1")
    assert "marked done; its reminders stop" in res.response.content
    res = await desk.editor.slash(desk.channel, "followup done", followup="#1")
    assert "was already done" in res.response.content
    res = await desk.editor.slash(desk.channel, "followup drop", followup="#1")
    assert "marked dropped" in res.response.content
    res = await desk.reader.slash(desk.channel, "followup done", followup="#1")
    assert res.ephemeral and "Changing records needs" in res.response.content
    res = await desk.editor.slash(desk.channel, "followup delete", followup="#1")
    await desk.editor.click(res.response, custom_id="confirm")
    assert await desk.bot.records.list_records(desk.guild.id, RecordType.FOLLOWUP) == []
    res = await desk.reader.slash(desk.channel, "followup history", followup="#1")
    embed = res.response.embeds[0]
    assert embed.title == "History of follow-up #1: Finalise the MoUs (deleted)"
    actions = [line.split("**")[1] for line in embed.description.splitlines()]
    assert actions == ["import", "update", "update", "update", "update", "update", "delete"]
    assert len(desk.user_errors()) == 1


async def test_owner_reminders_ping_only_as_allowed(desk: Desk) -> None:
    await _reminder_channel(desk, leads="1d")
    await desk.editor.slash(desk.channel, "followup add", what="Send the note verbale",
                            owner=desk.editor_role, due="20 September 2025")
    await desk.editor.slash(desk.channel, "followup add", what="Call the embassy",
                            owner=desk.editor, due="20 September 2025")
    # 19 September 09:00: both due tomorrow, in one post, nobody pinged.
    await desk.env.advance_time(7 * DAY + 60)
    [post] = _posts(desk)
    assert post.content.startswith("📌 2 follow-ups due:")
    assert "**Send the note verbale** (#1) — @Desk editors — due tomorrow" in post.content
    assert f"**Call the embassy** (#2) — @{desk.editor.name} — due tomorrow" \
        in post.content
    send = [r for r in desk.env.http_requests if r.path.endswith("/messages")][-1]
    assert send.json["allowed_mentions"] == {"parse": []}
    # The role becomes the reminder role and the member opts in: both are mentioned.
    await desk.admin.slash(desk.channel, "reminders role", role=desk.editor_role)
    res = await desk.editor.slash(desk.channel, "reminders notify-me", setting="on")
    assert res.ephemeral and "will mention you" in res.response.content
    await desk.editor.slash(desk.channel, "followup add", what="Second note",
                            owner=desk.editor_role, due="30 September 2025")
    await desk.editor.slash(desk.channel, "followup add", what="Second call",
                            owner=desk.editor, due="30 September 2025")
    await desk.env.advance_time(10 * DAY)
    post = _posts(desk)[-1]
    assert f"<@&{desk.editor_role.id}>" in post.content and f"<@{desk.editor.id}>" in post.content
    send = [r for r in desk.env.http_requests if r.path.endswith("/messages")][-1]
    assert send.json["allowed_mentions"] == {
        "parse": [], "roles": [desk.editor_role.id], "users": [desk.editor.id]}
    assert len(_posts(desk)) == 2
    res = await desk.editor.slash(desk.channel, "reminders notify-me", setting="off")
    assert "without a ping" in res.response.content


async def test_owner_reminders_go_out_once_across_a_restart(
    desk: Desk, sim_clock: Any
) -> None:
    await _reminder_channel(desk, leads="7d 1d")
    await desk.editor.slash(desk.channel, "followup add", what="Prepare the talking points",
                            owner=desk.editor_role, due="25 September 2025")
    followup = await _followup(desk, what="Prepare the talking points")
    await desk.env.advance_time(6 * DAY + 60)  # 18 September 09:01: the 7-day one is out
    assert [p.content.splitlines()[1].split(" — ")[2] for p in _posts(desk)] == [
        "due in 7 days · 25 September 2025"]
    old = desk.bot
    fresh = create_bot(old.settings, clock=sim_clock)
    await desk.env.restart_bot(fresh)
    await old.close()
    await desk.env.advance_time(7 * DAY)
    assert [p.content.splitlines()[1].split(" — ")[2] for p in _posts(desk)] == [
        "due in 7 days · 25 September 2025", "due tomorrow · 25 September 2025"]
    rows = await fresh.reminders.followup_preview(desk.guild.id, followup)
    assert [(r.lead, r.status) for r in rows] == [("7d", "sent"), ("1d", "sent")]
    # Done: nothing more is planned; /reminders status counts what went out.
    res = await desk.editor.slash(desk.channel, "followup done", followup=str(followup.id))
    assert not res.ephemeral
    await fresh.close()


async def test_a_reminder_missed_while_down_is_late_or_skipped(desk: Desk) -> None:
    await _reminder_channel(desk, leads="7d 1d")
    await desk.editor.slash(desk.channel, "followup add", what="Confirm the guest list",
                            due="25 September 2025")
    followup = await _followup(desk, what="Confirm the guest list")
    await desk.admin.slash(desk.channel, "reminders pause")
    await desk.env.advance_time(7 * DAY)  # past the 7-day reminder, not past the deadline
    await desk.admin.slash(desk.channel, "reminders resume")
    await desk.env.advance_time(60)
    [late] = _posts(desk)
    assert "due in 7 days · 25 September 2025 (late — the bot was offline)" in late.content
    await desk.admin.slash(desk.channel, "reminders pause")
    await desk.env.advance_time(10 * DAY)  # past the deadline itself
    await desk.admin.slash(desk.channel, "reminders resume")
    await desk.env.advance_time(60)
    assert len(_posts(desk)) == 1
    rows = {r.lead: r for r in await desk.bot.reminders.followup_preview(desk.guild.id,
                                                                         followup)}
    assert rows["7d"].status == "sent" and rows["7d"].late
    assert rows["1d"].status == "skipped" and "overdue" in (rows["1d"].reason or "")
    res = await desk.admin.slash(desk.channel, "reminders status")
    assert f"follow-up #{followup.id}" in res.response.embeds[0].fields[-1].value


async def test_json_export_and_import_carry_follow_ups(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "export", format="json")
    [attachment] = res.response.attachments
    data = await attachment.read()
    assert b'"followups": [' in data and b'"due_before": "visit"' in data
    res = await other_desk.editor.slash(other_desk.channel, "import",
                                        file=("attache.json", data))
    assert res.response.content == "Imported 17 records: 17 created, 0 updated, 0 unchanged."
    res = await other_desk.reader.slash(other_desk.channel, "followup show", followup="#1")
    assert _fields(res)["Due"].startswith("early November 2025 — before the visit")
    visit = await other_desk.bot.records.get(other_desk.guild.id, RecordType.VISIT, 2)
    assert isinstance(visit, Visit) and visit.uid == "president-visit-2025-11"


async def test_deleting_the_visit_leaves_no_deadline_and_no_reminders(desk: Desk) -> None:
    await _reminder_channel(desk, leads="1d")
    await desk.editor.slash(desk.channel, "visit add", from_country="Kazakhstan",
                            to_country="Pakistan", date="1 October 2025",
                            visitor_role="Trade Minister")
    await desk.editor.slash(desk.channel, "followup add", what="Draft the agenda",
                            due="before the visit", visit="#1")
    followup = await _followup(desk, what="Draft the agenda")
    rows = await desk.bot.reminders.followup_preview(desk.guild.id, followup)
    assert [(r.lead, r.due.date().isoformat(), r.status) for r in rows] == [
        ("1d", "2025-09-29", "planned")]
    res = await desk.editor.slash(desk.channel, "visit delete", visit="#1")
    await desk.editor.click(res.response, custom_id="confirm")
    res = await desk.reader.slash(desk.channel, "followup show", followup="#1")
    assert _fields(res)["Due"] == "no deadline — the visit it was tied to is gone"
    rows = await desk.bot.reminders.followup_preview(desk.guild.id, followup)
    assert [r.status for r in rows] == ["superseded"]
    # Editing it asks for a new anchor or a date.
    res = await desk.editor.slash(desk.channel, "followup edit", followup="#1", what="Agenda")
    assert res.ephemeral and "no visit is linked" in res.response.content
    res = await desk.editor.slash(desk.channel, "followup edit", followup="#1",
                                  due="28 September 2025")
    assert not res.ephemeral
    await desk.env.advance_time(30 * DAY)
    assert [p.content.splitlines()[0] for p in _posts(desk)] == ["📌 Follow-up due:"]
    assert len(desk.user_errors()) == 1


async def test_the_follow_ups_button_under_a_visit_and_a_plan(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    await desk.editor.slash(desk.channel, "followup add", what="Book interpreters",
                            due="1 October 2025", visit="#2")
    await desk.editor.slash(desk.channel, "followup done", followup="#2")
    res = await desk.reader.slash(desk.channel, "visit show", visit="#2")
    shown = await desk.reader.click(res.response, custom_id="followups")
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title.startswith("Follow-ups: visit #2 ")
    lines = embed.description.splitlines()
    assert [line.split("**")[1] for line in lines] == [
        "Finalise the MoUs for the President's visit", "Book interpreters"]
    assert lines[1].startswith("✅")
    res = await desk.reader.slash(desk.channel, "plan show", plan="#2")
    shown = await desk.reader.click(res.response, custom_id="followups")
    assert "Finalise the MoUs" in shown.response.embeds[0].description
    res = await desk.reader.slash(desk.channel, "plan show", plan="#1")
    shown = await desk.reader.click(res.response, custom_id="followups")
    assert shown.response.embeds[0].description.startswith(
        "No follow-ups yet. Add one with `/followup add plan:#1`")
    # Other cards have no such button.
    res = await desk.reader.slash(desk.channel, "person show", person="#1")
    ids = [c["custom_id"] for row in res.response.components for c in row["components"]]
    assert "followups" not in ids
