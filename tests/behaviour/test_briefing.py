"""/briefing through the real discord.py client, offline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Participant,
    Person,
    Plan,
    PlanKind,
    PlanStatus,
    Signatory,
    Visit,
    VisitStatus,
)
from bot.ui.render import fit_entries
from tests.behaviour.conftest import Desk

NINE_FIELDS = (
    "politics, trade, economy, defence and security, science and technology, culture, "
    "tourism, humanitarian assistance, consular facilitation"
)


def _fields(embed: discord.Embed) -> dict[str, str]:
    return {f.name: f.value for f in embed.fields}


def _everything(embeds: list[discord.Embed]) -> str:
    parts = []
    for e in embeds:
        parts += [e.title or "", e.description or "", e.footer.text or ""]
        parts += [f"{f.name}\n{f.value}" for f in e.fields]
    return "\n".join(parts)


def _assert_within_limits(embeds: list[discord.Embed]) -> None:
    assert 1 <= len(embeds) <= 10
    for e in embeds:
        assert len(e) <= 6000
        assert len(e.title or "") <= 256
        assert len(e.description or "") <= 4096
        assert len(e.fields) <= 25
        assert len(e.footer.text or "") <= 2048
        for f in e.fields:
            assert 0 < len(f.name) <= 256
            assert 0 < len(f.value) <= 1024
    # Discord counts the 6000 characters over all the embeds of one message.
    assert sum(len(e) for e in embeds) <= 6000


def _callbacks(desk: Desk) -> list[dict[str, Any]]:
    return [r.json for r in desk.env.http_requests
            if r.method == "POST" and r.path.endswith("/callback")]


async def test_briefing_on_the_sample(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    assert not res.ephemeral
    embeds = res.response.embeds
    _assert_within_limits(embeds)
    overview, plans, meetings, people = embeds
    assert overview.title == "Briefing: Kazakhstan"
    assert overview.description == (
        "As of 12 September 2025 · last 12 months (since 12 September 2024): "
        "**7** meetings · **1** plan signed · **1** visit"
    )
    top = _fields(overview)
    assert top["Upcoming visits (1)"] == (
        "**Kassym-Jomart Tokayev, President of Kazakhstan** · Kazakhstan → Pakistan · "
        "November 2025 — day not yet set · planned"
    )
    levels = top["Last visit at each level"].splitlines()
    assert levels[0] == (
        "Kazakhstan → Pakistan: Last presidential visit: 2003 — 22 years before the one "
        "expected in November 2025"
    )
    assert levels[1] == (
        "Kazakhstan → Pakistan: Last visit by the Deputy Prime Minister and Foreign Minister: "
        "9 September 2025"
    )

    assert plans.title == "Plans and agreements with Kazakhstan"
    assert [f.name for f in plans.fields] == ["Expected (1)", "Signed (1)"]
    signing = int(datetime(2025, 9, 9, tzinfo=UTC).timestamp())
    assert _fields(plans)["Signed (1)"].splitlines() == [
        "**Pakistan–Kazakhstan Action Plan of Cooperation** · action plan · "
        f"9 September 2025 (<t:{signing}:R>) · Islamabad",
        "Signed by Mohammad Ishaq Dar (Ministry of Foreign Affairs of Pakistan); "
        "Murat Nurtleu (Ministry of Foreign Affairs of Kazakhstan)",
        f"Fields (9): {NINE_FIELDS}",
    ]
    assert "expected November 2025 — day not yet set" in _fields(plans)["Expected (1)"]

    assert meetings.title == "Latest meetings"
    assert len(meetings.fields) == 5
    talks = meetings.fields[0]
    assert talks.name == "Pakistan–Kazakhstan delegation-level talks"
    assert talks.value.splitlines() == [
        f"9 September 2025 (<t:{signing}:R>) · delegation-level talks · Islamabad",
        "Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister — co-chair",
        "Murat Nurtleu, Deputy Prime Minister and Foreign Minister — co-chair",
    ]
    assert meetings.footer.text.startswith("The 5 latest of 7 meetings recorded")

    who = _fields(people)
    assert who["Key people from Kazakhstan"].splitlines() == [
        "Murat Nurtleu, Deputy Prime Minister and Foreign Minister",
        "Kassym-Jomart Tokayev, President",
    ]
    assert who["Sources"] == (
        "Pakistan, Kazakhstan sign action plan of cooperation (news report, Islamabad) "
        "(10 September 2025)"
    )


async def test_any_spelling_and_autocomplete(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    choices = await desk.reader.autocomplete(desk.channel, "briefing", "country", "kaz")
    assert "Kazakhstan" in [c["value"] for c in choices]
    by_name = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    for spelling in ("Kazakh", "KZ"):
        res = await desk.reader.slash(desk.channel, "briefing", country=spelling)
        assert _everything(res.response.embeds) == _everything(by_name.response.embeds)


async def test_an_exact_day_gets_a_countdown(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    await desk.bot.records.add(desk.guild.id, Visit(
        visitor=None, visitor_role="Foreign Minister", from_country="Pakistan",
        to_country="Kazakhstan", date=FuzzyDate.day(2025, 10, 1), place="Astana",
        status=VisitStatus.CONFIRMED, uid="dar-astana",
    ), actor_id=None)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    upcoming = _fields(res.response.embeds[0])["Upcoming visits (2)"].splitlines()
    stamp = int(datetime(2025, 10, 1, tzinfo=UTC).timestamp())
    assert upcoming[0] == (
        f"**Foreign Minister** · Pakistan → Kazakhstan · 1 October 2025 (<t:{stamp}:R>) · "
        "confirmed · Astana"
    )
    assert "November 2025 — day not yet set" in upcoming[1]


async def test_since_is_echoed_and_sets_the_window(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan", since="2000")
    assert res.response.content.startswith("Since: 2000 — year only")
    assert res.response.embeds[0].description == (
        "As of 12 September 2025 · since 1 January 2000: "
        "**7** meetings · **1** plan signed · **2** visits"
    )


async def test_since_in_the_future_is_refused(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan", since="2027")
    assert res.ephemeral
    assert "after today" in res.response.content
    assert len(desk.user_errors()) == 1


async def test_nothing_recorded_is_a_friendly_answer(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "briefing", country="Atlantis")
    assert not res.ephemeral
    assert res.response.embeds == []
    text = res.response.content
    assert text.startswith("Nothing is recorded for **Atlantis** in this server yet.")
    assert "/meeting add" in text and "/visit add" in text
    assert desk.user_errors() == []


async def test_another_server_gets_nothing(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await other_desk.admin.slash(other_desk.channel, "briefing", country="Kazakhstan")
    assert not res.ephemeral
    assert res.response.embeds == []
    assert res.response.content.startswith("Nothing is recorded for **Kazakhstan**")


async def test_stored_mentions_never_ping(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    await desk.bot.records.add(desk.guild.id, Meeting(
        title="@everyone briefing <@&5>", kind=MeetingKind.OTHER,
        date=FuzzyDate.day(2025, 9, 11), countries=["Kazakhstan"], place="@here",
        uid="pinger",
    ), actor_id=None)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    assert "@everyone" in _everything(res.response.embeds)
    (payload,) = _callbacks(desk)
    assert payload["data"]["allowed_mentions"] == {"parse": []}


async def test_stored_formatting_is_shown_as_written(desk: Desk) -> None:
    await desk.bot.records.add(desk.guild.id, Person(
        name="**Bold** _name_", title="Envoy", country="Kazakhstan", uid="bold",
    ), actor_id=None)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    people = _fields(res.response.embeds[-1])["Key people from Kazakhstan"]
    assert people == r"\*\*Bold\*\* \_name\_, Envoy"


async def _crowd(desk: Desk) -> None:
    """A country with far more on record than one message can hold, every text at its limit."""
    store, guild = desk.bot.records, desk.guild.id
    people = []
    for n in range(25):
        person = Person(name=f"Official {n:02d} " + "N" * 88, title="T" * 200,
                        country="Kazakhstan", uid=f"official-{n}")
        people.append(await store.add(guild, person, actor_id=None))
    for n in range(200):
        await store.add(guild, Meeting(
            title=f"Round {n:03d} " + "M" * 246, kind=MeetingKind.BILATERAL_TALKS,
            date=FuzzyDate.day(2025, 1 + n % 8, 1 + n % 28), place="P" * 100,
            countries=["Kazakhstan", "Pakistan"], topics=["t" * 100] * 1,
            participants=[Participant(p.uid, "part " + "x" * 95) for p in people],
            summary="S" * 4000, uid=f"round-{n}",
        ), actor_id=None)
    statuses = list(PlanStatus)
    for n in range(30):
        status = statuses[n % len(statuses)]
        await store.add(guild, Plan(
            title=f"Plan {n:02d} " + "L" * 248, kind=PlanKind.AGREEMENT, status=status,
            date=FuzzyDate.day(2025, 1 + n % 8, 2) if n % 3 else FuzzyDate.month(2026, 1),
            place="Q" * 100, parties=["Kazakhstan", "Pakistan"],
            signatories=[Signatory(p.uid, "O" * 200) for p in people],
            fields=[f"field {k:02d} " + "F" * 91 for k in range(25)],
            summary="S" * 4000, uid=f"plan-{n}",
        ), actor_id=None)
    for n in range(40):
        await store.add(guild, Visit(
            visitor=people[n % 25].uid, visitor_role=f"Role {n:02d} " + "R" * 190,
            from_country="Kazakhstan", to_country="Pakistan",
            date=FuzzyDate.year(2001 + n % 20) if n % 2 else FuzzyDate.month(2026, 1 + n % 12),
            status=VisitStatus.COMPLETED if n % 2 else VisitStatus.PLANNED,
            place="V" * 100, purpose="U" * 4000, uid=f"visit-{n}",
        ), actor_id=None)


async def test_a_crowded_country_stays_within_discord_limits(desk: Desk) -> None:
    await _crowd(desk)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    embeds = res.response.embeds
    _assert_within_limits(embeds)
    overview, plans, meetings, _ = embeds
    assert "**200** meetings" in overview.description
    # Lists too long for the message say how much was left out and where to see it all.
    assert "more (/visit upcoming)" in _fields(overview)["Upcoming visits (20)"]
    assert [f.name for f in plans.fields] == [
        "Expected (6)", "Under negotiation (6)", "Signed (6)", "In force (6)", "Expired (6)",
    ]
    # Every group shows its first plan, cut short if need be, and counts the rest.
    assert all(f.value.startswith("**Plan ") and f.value.endswith("… and 5 more (/plan list)")
               for f in plans.fields)
    assert len(meetings.fields) == 5
    assert meetings.footer.text.startswith("The 5 latest of 200 meetings recorded")
    # The same limits hold for the payload discord.py actually sent.
    (payload,) = _callbacks(desk)
    sent = [discord.Embed.from_dict(e) for e in payload["data"]["embeds"]]
    _assert_within_limits(sent)


@pytest.mark.parametrize(
    ("entries", "limit", "expected"),
    [
        (["a", "b", "c"], 100, "a\nb\nc"),
        (["a" * 10, "b" * 10, "c" * 10], 30, "a" * 10 + "\n" + "… and 2 more (/x)"),
        (["a" * 100, "b"], 60, "a" * 41 + "…\n… and 1 more (/x)"),
        (["a" * 100], 50, "a" * 49 + "…"),
        ([], 100, ""),
        (["a"], 0, ""),
    ],
)
def test_fit_entries(entries: list[str], limit: int, expected: str) -> None:
    text = fit_entries(entries, limit, "/x")
    assert text == expected
    assert len(text) <= limit


# --- Markdown and the timeline button ---------------------------------------------------------


def _buttons(message: Any) -> dict[str, bool]:
    """custom_id → disabled, for every button under a message."""
    return {c["custom_id"]: c.get("disabled", False)
            for row in message.components for c in row["components"]}


async def test_markdown_attaches_the_same_brief(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan",
                                  format="markdown")
    assert not res.ephemeral
    assert res.response.embeds == []
    assert res.response.content == "Briefing on Kazakhstan, as Markdown."
    [attachment] = res.response.attachments
    assert attachment.filename == "briefing-kazakhstan.md"
    text = (await attachment.read()).decode("utf-8")
    assert text.startswith("# Briefing: Kazakhstan\n\nAs of 12 September 2025.")
    assert "- **Pakistan–Kazakhstan Action Plan of Cooperation** (action plan, signed " \
           "9 September 2025, Islamabad)" in text
    assert "November 2025, day not yet set" in text
    assert ("last presidential visit: 2003 — 22 years before the one expected in "
            "November 2025") in text
    assert f"Fields of cooperation (9): {NINE_FIELDS}" in text
    # The brief offers its timeline under the file too.
    assert _buttons(res.response) == {"timeline": False}


async def test_markdown_echoes_since(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan",
                                  since="2000", format="markdown")
    assert res.response.content.startswith("Since: 2000 — year only")
    [attachment] = res.response.attachments
    text = (await attachment.read()).decode("utf-8")
    assert "## At a glance: since 1 January 2000" in text


async def test_embed_is_the_default_format(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    default = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    embed = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan",
                                    format="embed")
    assert embed.response.attachments == default.response.attachments == []
    assert _everything(embed.response.embeds) == _everything(default.response.embeds)


async def test_timeline_button_posts_the_picture(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    assert _buttons(res.response) == {"timeline": False}
    pressed = await desk.reader.click(res.response, custom_id="timeline")
    assert not pressed.ephemeral
    [attachment] = pressed.response.attachments
    assert attachment.filename == "timeline-kazakhstan.png"
    assert attachment.description == "Kazakhstan: engagements since 2003"
    data = await attachment.read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    # The brief stays as it was, button and all.
    assert len(res.response.embeds) == 4
    assert _buttons(res.response) == {"timeline": False}


async def test_timeline_button_keeps_the_brief_since(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="KZ", since="2025")
    pressed = await desk.reader.click(res.response, custom_id="timeline")
    [attachment] = pressed.response.attachments
    assert attachment.description == "Kazakhstan: engagements since 2025"


async def test_only_the_asker_can_press_timeline(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    other = await desk.editor.click(res.response, custom_id="timeline")
    assert other.ephemeral
    assert "Only the person who ran the command" in other.response.content
    assert other.response.attachments == []
    # Nobody sees a picture in the channel.
    assert not any(m.attachments for m in desk.channel.history())
    assert len(desk.channel.history(viewer=desk.reader)) == 1


async def test_timeline_button_is_disabled_on_timeout(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan",
                                  format="markdown")
    from simcord import SetupError

    await desk.env.advance_time(601)
    assert _buttons(res.response) == {"timeline": True}
    with pytest.raises(SetupError, match="disabled"):
        await desk.reader.click(res.response, custom_id="timeline")


async def test_no_timeline_button_without_engagements(desk: Desk) -> None:
    await desk.bot.records.add(desk.guild.id, Person(
        name="Envoy", title="Ambassador", country="Kazakhstan", uid="envoy",
    ), actor_id=None)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    assert res.response.embeds
    assert res.response.components == []
    empty = await desk.reader.slash(desk.channel, "briefing", country="Atlantis",
                                    format="markdown")
    assert empty.response.attachments == []
    assert empty.response.components == []
    assert empty.response.content.startswith("Nothing is recorded for **Atlantis**")


async def _slow_brief(desk: Desk, sample_data: dict[str, Any],
                      monkeypatch: pytest.MonkeyPatch) -> Any:
    """A brief of Kazakhstan whose building takes 5 s of virtual time, past Discord's 3."""
    import asyncio

    import bot.cogs.briefing as cog_module

    real = cog_module.build_and_render

    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(5)
        return await real(*args, **kwargs)

    monkeypatch.setattr(cog_module, "build_and_render", slow)
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    await desk.env.advance_time(5)
    return res


async def test_a_slow_briefing_is_deferred_instead_of_missing_the_deadline(
    desk: Desk, sample_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    res = await _slow_brief(desk, sample_data, monkeypatch)
    assert not res.ephemeral
    embeds = res.response.embeds or [e for f in res.followups for e in f.embeds]
    assert embeds and embeds[0].title == "Briefing: Kazakhstan"


async def test_the_button_under_a_deferred_brief_is_disabled_on_timeout(
    desk: Desk, sample_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deferred answer is a follow-up: the button still knows its message to retire."""
    res = await _slow_brief(desk, sample_data, monkeypatch)

    def button() -> dict[str, bool]:
        (answer,) = [m for m in desk.channel.history() if m.embeds]
        return {b.custom_id: b.disabled for row in answer.components
                for b in getattr(row, "children", []) if isinstance(b, discord.Button)}

    assert button() == {"timeline": False}
    await desk.env.advance_time(601)
    assert button() == {"timeline": True}
    assert not res.ephemeral


async def test_the_brief_shows_the_preparations_for_the_visit(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "briefing", country="Kazakhstan")
    fields = {f.name: f.value for e in res.response.embeds for f in e.fields}
    assert "Finalise the MoUs for the President" in fields["Preparations for the visit"]
    assert "early November 2025 — before the visit" in fields["Preparations for the visit"]
