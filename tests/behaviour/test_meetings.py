"""/meeting through the real discord.py client, offline: add, list, show, edit, delete."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from simcord import OptionError, SetupError

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, MeetingKind, Participant, RecordType
from bot.stores.records import RecordFilter
from tests.behaviour.conftest import Desk, form_field_id

TALKS = {
    "title": "Pakistan–Kazakhstan delegation-level talks",
    "kind": "delegation_level_talks",
    "date": "Tuesday 9 September 2025",
    "place": "Islamabad",
    "countries": "PK, kazakh",
    "participants": "Ishaq Dar (co-chair); Murat Nurtleu (co-chair)",
    "topics": "trade and investment, agriculture; tourism",
}


# --- helpers shared with test_plans ------------------------------------------------------


def fields_of(embed: discord.Embed) -> dict[str, str]:
    return {f.name or "": f.value or "" for f in embed.fields}


def buttons(message: Any) -> dict[str, bool]:
    """custom_id → disabled, for every button under a message."""
    return {c["custom_id"]: c.get("disabled", False)
            for row in message.components for c in row["components"]}


async def stored(desk: Desk, kind: RecordType) -> list[Any]:
    return await desk.bot.records.list_records(desk.guild.id, kind, RecordFilter(limit=1000))


async def load_people(desk: Desk, sample_data: dict[str, Any]) -> None:
    """Only the sample's people and its source, so the store holds no meetings or plans."""
    await desk.load_sample({"schema_version": 1, "people": sample_data["people"],
                            "sources": sample_data["sources"]})


async def add_meetings(desk: Desk, count: int) -> None:
    """Meetings straight into the store: a long list without a slash command per row."""
    for n in range(1, count + 1):
        await desk.bot.records.add(desk.guild.id, Meeting(
            title=f"Consultations round {n:02d}", kind=MeetingKind.BILATERAL_TALKS,
            date=FuzzyDate.day(2024, 1 + (n - 1) // 28, 1 + (n - 1) % 28),
            countries=["Pakistan", "Kazakhstan"], uid=f"round-{n:02d}",
        ), actor_id=None)


# --- add -----------------------------------------------------------------------------------


async def test_add_a_meeting_with_participants(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.editor.slash(
        desk.channel, "meeting add", **TALKS, visit="nurtleu-visit-2025-09",
        source="report-2025-09-10", summary="Talks before the signing.",
    )
    # The sample holds talks of this title on this day: the bot asks first, naming them.
    assert res.ephemeral and "Meeting #3 “Pakistan–Kazakhstan delegation-level talks” is " \
        "already recorded for 9 September 2025" in res.response.content
    res = await desk.editor.click(res.response, custom_id="confirm")
    content = res.response.content
    assert content.startswith("Saved meeting #")
    assert "Date: 9 September 2025 — exact day, no time set" in content
    embed = res.response.embeds[0]
    assert embed.title == TALKS["title"]
    assert embed.description == "Talks before the signing."
    fields = fields_of(embed)
    assert fields["Kind"] == "delegation-level talks"
    assert fields["When"].startswith("9 September 2025 (<t:")
    assert fields["Where"] == "Islamabad"
    assert fields["Countries"] == "Pakistan, Kazakhstan"
    assert fields["Participants"] == (
        "• Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister — co-chair\n"
        "• Murat Nurtleu, Deputy Prime Minister and Foreign Minister — co-chair"
    )
    assert fields["Topics"] == "trade and investment, agriculture, tourism"
    assert fields["During visit"].endswith("Deputy Prime Minister and Foreign Minister: "
                                           "Kazakhstan → Pakistan")
    assert fields["Source"].startswith("#1 Pakistan, Kazakhstan sign action plan")
    assert buttons(res.response) == {"long_text": False}

    # The sample holds talks of the same title; the new record is the one with the new uid.
    [meeting] = [m for m in await stored(desk, RecordType.MEETING)
                 if m.title == TALKS["title"] and m.uid.startswith("meeting-")]
    assert meeting.kind is MeetingKind.DELEGATION_LEVEL_TALKS
    assert meeting.date == FuzzyDate.day(2025, 9, 9)
    assert meeting.countries == ["Pakistan", "Kazakhstan"]
    assert meeting.participants == [Participant("ishaq-dar", "co-chair"),
                                    Participant("murat-nurtleu", "co-chair")]
    assert meeting.topics == ["trade and investment", "agriculture", "tourism"]
    assert (meeting.visit, meeting.source) == ("nurtleu-visit-2025-09", "report-2025-09-10")
    assert meeting.summary == "Talks before the signing."
    assert f"Saved meeting #{meeting.id}." in content


async def test_add_with_only_the_required_options(desk: Desk) -> None:
    res = await desk.admin.slash(desk.channel, "meeting add", title="Consultations",
                                 kind="other", date="Q4 2025")
    assert "Date: Q4 2025" in res.response.content
    assert fields_of(res.response.embeds[0])["When"] == "Q4 2025 — month and day not yet set"
    [meeting] = await stored(desk, RecordType.MEETING)
    assert (meeting.place, meeting.countries, meeting.participants, meeting.topics,
            meeting.visit) == ("", [], [], [], None)


@pytest.mark.parametrize(("options", "expected"), [
    ({"participants": "Ishaq Dar (co-chair); Jane Nobody (observer)"},
     "no single person matches 'Jane Nobody'"),
    ({"participants": "Ishaq Dar (co-chair (acting))"}, "Could not read"),
    ({"date": "sometime soonish"}, 'Could not read "sometime soonish" as a date'),
    ({"topics": ", ".join(f"topic {n}" for n in range(26))}, "Too many topics: 26 given"),
    ({"countries": "Pakistan, " + "x" * 101}, "an entry of countries is longer than 100"),
    ({"visit": "no-such-visit"}, "No visit matches 'no-such-visit'"),
])
async def test_bad_input_is_explained_and_nothing_saved(
    desk: Desk, sample_data: dict[str, Any], options: dict[str, str], expected: str
) -> None:
    await load_people(desk, sample_data)
    res = await desk.editor.slash(desk.channel, "meeting add", **(TALKS | options))
    assert res.ephemeral
    assert expected in res.response.content
    assert len(desk.user_errors()) == 1
    assert await stored(desk, RecordType.MEETING) == []


async def test_discord_itself_refuses_a_title_over_256_characters(desk: Desk) -> None:
    with pytest.raises(OptionError, match="at most 256 characters"):
        await desk.editor.slash(desk.channel, "meeting add", title="x" * 257, kind="other",
                                date="2025")
    res = await desk.editor.slash(desk.channel, "meeting add", title="x" * 256, kind="other",
                                  date="2025")
    assert res.response.embeds[0].title == "x" * 256
    assert [m.title for m in await stored(desk, RecordType.MEETING)] == ["x" * 256]


async def test_discord_itself_refuses_an_unknown_kind(desk: Desk) -> None:
    with pytest.raises(OptionError):
        await desk.editor.slash(desk.channel, "meeting add", title="Talks", kind="picnic",
                                date="2025")
    assert await stored(desk, RecordType.MEETING) == []


async def test_reader_cannot_add(desk: Desk, sample_data: dict[str, Any]) -> None:
    await load_people(desk, sample_data)
    res = await desk.reader.slash(desk.channel, "meeting add", **TALKS)
    assert res.ephemeral
    assert "Desk editors" not in res.response.content  # a role mention, never its name
    assert "Nothing was changed" in res.response.content
    assert f"<@&{desk.editor_role.id}>" in res.response.content
    assert len(desk.user_errors()) == 1
    assert await stored(desk, RecordType.MEETING) == []


# --- list ----------------------------------------------------------------------------------


async def test_kazakhstan_filter_on_the_sample(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "meeting list", country="Kazakh")
    embed = res.response.embeds[0]
    assert embed.title == "Meetings · Kazakhstan"
    assert embed.footer.text == "Page 1 of 1 · 7 meetings"
    lines = (embed.description or "").splitlines()
    assert len(lines) == 7
    assert "**Pakistan–Kazakhstan delegation-level talks** (Islamabad)" in lines[-1]
    assert res.response.components == []  # one page: no buttons

    res = await desk.reader.slash(desk.channel, "meeting list", country="France")
    embed = res.response.embeds[0]
    assert embed.description == "No meetings match these filters."
    assert embed.footer.text == "Page 1 of 1 · 0 meetings"


async def test_list_filters_by_kind_dates_and_order(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "meeting list", kind="joint_working_group")
    embed = res.response.embeds[0]
    assert embed.title == "Meetings · joint working group"
    assert embed.footer.text == "Page 1 of 1 · 2 meetings"

    # Month-only meetings share days with both ranges; the talks of 9 September with neither.
    for option in ({"before": "9 September 2025"}, {"after": "10 September 2025"}):
        res = await desk.reader.slash(desk.channel, "meeting list", **option)
        text = res.response.embeds[0].description or ""
        assert len(text.splitlines()) == 6
        assert "delegation-level talks" not in text

    res = await desk.reader.slash(desk.channel, "meeting list", order="newest first",
                                  after="September 2025")
    embed = res.response.embeds[0]
    assert embed.title == "Meetings · from September 2025"
    first = (embed.description or "").splitlines()[0]
    assert "9 September 2025 (<t:1757376000:R>) · **Pakistan–Kazakhstan delegation-level talks**" \
        in first


async def test_empty_list_says_how_to_add(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "meeting list")
    assert res.response.embeds[0].description == "No meetings yet. Add one with /meeting add."


async def test_list_pages_through_27_meetings(desk: Desk) -> None:
    await add_meetings(desk, 27)
    res = await desk.reader.slash(desk.channel, "meeting list")
    message = res.response

    def page() -> tuple[str, list[str]]:
        embed = res.response.embeds[0]
        return embed.footer.text or "", (embed.description or "").splitlines()

    footer, lines = page()
    assert footer == "Page 1 of 3 · 27 meetings"
    assert len(lines) == 10 and "round 01" in lines[0] and "round 10" in lines[-1]
    assert buttons(message) == {"previous": True, "next": False}

    await desk.reader.click(message, custom_id="next")
    footer, lines = page()
    assert footer == "Page 2 of 3 · 27 meetings"
    assert "round 11" in lines[0] and "round 20" in lines[-1]
    assert buttons(res.response) == {"previous": False, "next": False}

    await desk.reader.click(message, custom_id="next")
    footer, lines = page()
    assert footer == "Page 3 of 3 · 27 meetings"
    assert len(lines) == 7 and "round 27" in lines[-1]
    assert buttons(res.response) == {"previous": False, "next": True}

    await desk.reader.click(message, custom_id="previous")
    footer, lines = page()
    assert footer == "Page 2 of 3 · 27 meetings"

    # Someone else's press is refused privately and leaves the list where it was.
    other = await desk.editor.click(message, custom_id="next")
    assert other.ephemeral
    assert "Only the person who ran the command" in other.response.content
    assert page()[0] == "Page 2 of 3 · 27 meetings"

    await desk.env.advance_time(301)
    assert buttons(res.response) == {"previous": True, "next": True}
    with pytest.raises(SetupError, match="disabled"):
        await desk.reader.click(message, custom_id="next")


# --- show ----------------------------------------------------------------------------------


async def test_show_by_autocomplete_choice(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    choices = await desk.reader.autocomplete(desk.channel, "meeting show", "meeting", "deleg")
    [talks] = [c for c in choices if "delegation-level talks" in c["name"]]
    assert talks["name"].endswith("delegation-level talks, 9 September 2025")

    res = await desk.reader.slash(desk.channel, "meeting show", meeting=talks["value"])
    assert not res.ephemeral
    embed = res.response.embeds[0]
    assert embed.title == "Pakistan–Kazakhstan delegation-level talks"
    fields = fields_of(embed)
    assert "Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister — co-chair" in (
        fields["Participants"])
    assert len(fields["Topics"].split(", ")) == 9
    assert embed.footer.text == f"Meeting #{talks['value']} · uid delegation-talks-2025-09-09"


async def test_show_an_unknown_meeting(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "meeting show", meeting="#99")
    assert res.ephemeral
    assert "No meeting matches '#99' in this server" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_show_does_not_reach_into_another_server(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await other_desk.reader.slash(other_desk.channel, "meeting show",
                                        meeting="delegation-talks-2025-09-09")
    assert res.ephemeral and "No meeting matches" in res.response.content
    assert len(other_desk.user_errors()) == 1


# --- edit ----------------------------------------------------------------------------------


async def sample_talks(desk: Desk) -> Meeting:
    found = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.MEETING,
                                              "delegation-talks-2025-09-09")
    assert isinstance(found, Meeting)
    return found


async def test_edit_changes_only_the_given_fields(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    before = await sample_talks(desk)
    res = await desk.editor.slash(
        desk.channel, "meeting edit", meeting=str(before.id), title="Delegation talks",
        participants="Murat Nurtleu (head of delegation)", date="2025-09-10",
    )
    assert res.response.content.startswith(
        f"Updated meeting #{before.id}: title, date, participants.")
    assert "Date: 10 September 2025 — exact day" in res.response.content
    assert res.response.embeds[0].title == "Delegation talks"
    after = await sample_talks(desk)
    assert after.title == "Delegation talks"
    assert after.date == FuzzyDate.day(2025, 9, 10)
    assert after.participants == [Participant("murat-nurtleu", "head of delegation")]
    assert (after.topics, after.countries, after.summary, after.visit, after.source) == (
        before.topics, before.countries, before.summary, before.visit, before.source)


async def test_edit_with_a_dash_clears_lists_and_text(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    before = await sample_talks(desk)
    res = await desk.editor.slash(desk.channel, "meeting edit", meeting=str(before.id),
                                  topics="-", participants=" - ", place="-", countries="Kazakh")
    fields = fields_of(res.response.embeds[0])
    assert "Topics" not in fields and "Participants" not in fields and "Where" not in fields
    after = await sample_talks(desk)
    assert (after.topics, after.participants, after.place) == ([], [], "")
    assert after.countries == ["Kazakhstan"]
    assert after.summary == before.summary


async def test_edit_refusals_leave_the_meeting_as_it_was(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    before = await sample_talks(desk)
    reader = await desk.reader.slash(desk.channel, "meeting edit", meeting=str(before.id),
                                     title="Renamed")
    unknown = await desk.editor.slash(desk.channel, "meeting edit", meeting=str(before.id),
                                      participants="Ishaq Dar (co-chair); Nobody Known")
    nothing = await desk.editor.slash(desk.channel, "meeting edit", meeting=str(before.id))
    assert all(r.ephemeral for r in (reader, unknown, nothing))
    assert "Nothing was changed" in reader.response.content
    assert "'Nobody Known'" in unknown.response.content
    assert "Nothing to change" in nothing.response.content
    assert len(desk.user_errors()) == 3
    assert await sample_talks(desk) == before


# --- the long summary form -------------------------------------------------------------------


async def test_edit_summary_form_saves_4000_characters(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    talks = await sample_talks(desk)
    res = await desk.editor.slash(desk.channel, "meeting show", meeting=str(talks.id))
    shown = await desk.editor.click(res.response, custom_id="long_text")
    assert shown.modal is not None
    assert shown.modal["title"] == "Summary: Pakistan–Kazakhstan delegation-level talks"[:45]
    field_id = form_field_id(shown)

    with pytest.raises(SetupError, match="max_length=4000"):
        await desk.editor.submit_modal(shown, {field_id: "x" * 4001})

    text = ("The talks reviewed the whole relationship. " * 100)[:4000]
    saved = await desk.editor.submit_modal(shown, {field_id: text})
    assert saved.response.content == "Summary saved."
    assert saved.response.embeds[0].description == text.strip()
    assert (await sample_talks(desk)).summary == text.strip()
    entries = await desk.bot.records.history(desk.guild.id, RecordType.MEETING, talks.id or 0)
    assert entries[-1].action == "update" and entries[-1].actor_id == desk.editor.id


async def test_reader_cannot_open_the_summary_form(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    talks = await sample_talks(desk)
    res = await desk.reader.slash(desk.channel, "meeting show", meeting=str(talks.id))
    shown = await desk.reader.click(res.response, custom_id="long_text")
    assert shown.modal is None
    assert shown.ephemeral and "Nothing was changed" in shown.response.content
    assert len(desk.user_errors()) == 1
    assert await sample_talks(desk) == talks


# --- delete --------------------------------------------------------------------------------


async def test_delete_after_confirming_keeps_the_history(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    talks = await sample_talks(desk)
    assert talks.id is not None
    res = await desk.editor.slash(desk.channel, "meeting delete", meeting=str(talks.id))
    assert res.ephemeral
    assert res.response.content == (f"Delete meeting #{talks.id} **Pakistan–Kazakhstan "
                                    "delegation-level talks**? Its full content stays in "
                                    "`/history`.")
    await desk.editor.click(res.response, custom_id="confirm")
    assert res.response.content.startswith(f"Deleted meeting #{talks.id} **")
    assert res.response.components == []
    assert await desk.bot.records.get(desk.guild.id, RecordType.MEETING, talks.id) is None
    history = await desk.bot.records.history(desk.guild.id, RecordType.MEETING, talks.id)
    assert [e.action for e in history] == ["import", "delete"]
    assert history[-1].before is not None and history[-1].after is None
    assert history[-1].before["participants"] == [
        {"person": "ishaq-dar", "part": "co-chair"},
        {"person": "murat-nurtleu", "part": "co-chair"},
    ]
    assert history[-1].actor_id == desk.editor.id


async def test_delete_cancelled_or_refused_deletes_nothing(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    talks = await sample_talks(desk)
    res = await desk.editor.slash(desk.channel, "meeting delete", meeting=str(talks.id))
    # The question is ephemeral: nobody else can even see it, let alone press Confirm.
    with pytest.raises(SetupError, match="not visible"):
        await desk.admin.click(res.response, custom_id="confirm")
    await desk.editor.click(res.response, custom_id="cancel")
    assert res.response.content == "Nothing was deleted."

    refused = await desk.reader.slash(desk.channel, "meeting delete", meeting=str(talks.id))
    assert refused.ephemeral and "Nothing was changed" in refused.response.content
    assert len(desk.user_errors()) == 1
    assert await sample_talks(desk) == talks


async def test_unanswered_delete_times_out_with_nothing_deleted(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    talks = await sample_talks(desk)
    res = await desk.editor.slash(desk.channel, "meeting delete", meeting=str(talks.id))
    await desk.env.advance_time(61)
    assert buttons(res.response) == {"confirm": True, "cancel": True}
    assert await sample_talks(desk) == talks


# --- bad input on reads and deletes, and mentions ------------------------------------------


async def test_list_with_an_unreadable_date(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "meeting list", after="the other day")
    assert res.ephemeral
    assert 'Could not read "the other day" as a date' in res.response.content
    assert len(desk.user_errors()) == 1


async def test_delete_an_unknown_meeting(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "meeting delete", meeting="#404")
    assert res.ephemeral and "No meeting matches '#404'" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_typed_mentions_never_ping(desk: Desk, sample_data: dict[str, Any]) -> None:
    await load_people(desk, sample_data)
    res = await desk.editor.slash(
        desk.channel, "meeting add", title="@everyone <@&5> summit", kind="other",
        date="2025", participants="Ishaq Dar (@here)", topics="<@7>",
    )
    assert res.response.embeds[0].title == "@everyone <@&5> summit"
    await desk.editor.slash(desk.channel, "meeting list")
    res = await desk.editor.slash(desk.channel, "meeting delete", meeting="1")
    await desk.editor.click(res.response, custom_id="confirm")
    assert "@everyone" in res.response.content
    posts = [r for r in desk.env.http_requests if r.method == "POST" and "callback" in r.path]
    assert len(posts) == 4
    assert all(r.json["data"]["allowed_mentions"] == {"parse": []} for r in posts), [
        r.json for r in posts
    ]
