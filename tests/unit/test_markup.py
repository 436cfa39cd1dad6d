"""Stored text cannot mislead: every renderer shows hostile strings exactly as typed.

The corpus (tests/markup_check.py) holds masked links, nested brackets, bold split by a
highlight, code, headings, subtext, quotes, spoilers, zero-width characters and typed
timestamps. Each string fills every text field of one record of every type in a real
store; then every renderer that shows stored text runs over them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from bot.cogs.search import search_line, snippet_text
from bot.domain.markup import escape, escape_line, highlight, query_words
from bot.domain.records import Meeting, Person, Plan, Record, RecordType, Source, Visit
from bot.services.briefing import build_briefing
from bot.services.changes import ChangePipeline
from bot.services.desk import DeskService, people_of
from bot.services.events import event_for
from bot.services.exports.digest import digest_markdown
from bot.services.factory import Services
from bot.services.interchange import import_data
from bot.stores.records import RecordFilter
from bot.ui.render import (
    briefing_embeds,
    history_lines,
    list_line,
    record_card,
    reminder_card,
)
from tests.conftest import GUILD
from tests.markup_check import (
    HOSTILE,
    MULTILINE,
    hostile_bundle,
    masked_links,
    payload_texts,
    problems,
    raw_markup,
)


@pytest.mark.parametrize("typed", HOSTILE)
def test_escaped_text_is_shown_as_typed(typed: str) -> None:
    assert problems(escape(typed), typed) == []
    assert problems(escape_line(typed), typed) == []


@pytest.mark.parametrize("typed", [h for h in HOSTILE if any(c in h for c in "[*_`|#->1\u200b<\\")])
def test_the_check_sees_unescaped_markup(typed: str) -> None:
    # The check itself must fail on the raw strings, or the tests below could not fail.
    assert problems(typed, typed) != []


def test_multiline_text_keeps_its_lines_but_no_line_starts_markup() -> None:
    shown = escape(MULTILINE)
    assert shown.count("\n") == MULTILINE.count("\n")
    assert problems(shown, MULTILINE) == []
    assert "\n" not in escape_line(MULTILINE)


@pytest.mark.parametrize(("typed", "shown"), [
    ("#1 Pakistan talks", "#1 Pakistan talks"),  # a number, not a heading
    ("-5 degrees", "-5 degrees"),
    ("see https://example.org/a_b", "see https://example.org/a_b"),  # addresses still work
    ("Ishaq Dar <@123>", "Ishaq Dar <@123>"),  # mentions as today (they never ping)
    ("Dar\u2013Nurtleu tête-à-tête", "Dar\u2013Nurtleu tête-à-tête"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # a zero-width non-joiner Persian and Urdu need
    ("a\u200b*\u200bb", "a\\*b"),
])
def test_plain_text_stays_plain(typed: str, shown: str) -> None:
    assert escape(typed) == shown


def test_highlight_keeps_only_the_index_marks_around_query_words() -> None:
    snippet = "[Official ****MFA**** statement](https://evil.example) **bold**"
    shown = highlight(snippet, ["mfa"])
    assert "**MFA**" in shown
    assert masked_links(shown) == []
    assert raw_markup(shown.replace("**MFA**", "MFA")) == []


def test_a_snippet_cut_inside_a_mark_does_not_leave_bold_open() -> None:
    shown = snippet_text("word " * 30 + "**consular** visas", 160, ["consular"])
    assert raw_markup(shown) == []


@pytest.fixture
async def hostile(request: pytest.FixtureRequest, changes: ChangePipeline,
                  services: Services) -> tuple[str, DeskService]:
    typed = request.param
    await import_data(changes, GUILD, hostile_bundle(typed), actor_id=None)
    return typed, services.desk


async def _records(desk: DeskService) -> list[Record]:
    found: list[Record] = []
    for kind in RecordType:
        page = await desk.page(GUILD, kind, RecordFilter(limit=10))
        found += page.items
    return found


def _texts(embed: discord.Embed) -> str:
    return "\n".join(payload_texts(embed.to_dict()))


@pytest.mark.parametrize("hostile", HOSTILE, indirect=True)
async def test_every_renderer_shows_stored_text_inertly(hostile: tuple[str, DeskService]) -> None:
    typed, desk = hostile
    records = await _records(desk)
    assert {type(r) for r in records} == {Person, Source, Meeting, Plan, Visit}
    people = await desk.people(GUILD, people_of(records))
    links = await desk.links(GUILD, records)
    shown: dict[str, str] = {}
    for record in records:
        kind = record.TYPE.value
        shown[f"{kind} list line"] = list_line(record, people)
        card_links = await desk.links(GUILD, [record])
        shown[f"{kind} card"] = _texts(record_card(record, card_links))
    [visit] = [r for r in records if isinstance(r, Visit)]
    plans = [r for r in records if isinstance(r, Plan)]
    shown["reminder card"] = _texts(reminder_card(visit, links, plans))
    now = datetime(2025, 9, 12, 9, tzinfo=UTC)
    event = event_for(visit, people, zone="UTC", now=now)
    assert event is not None
    shown["event description"] = event.description
    briefing = await build_briefing(desk, GUILD, "Kazakhstan")
    shown["briefing"] = "\n".join(_texts(e) for e in briefing_embeds(briefing))
    for name, text in shown.items():
        assert problems(text, typed) == [], name
    # History lines name fields, not text; they must not carry markup either.
    entries = await desk.history(GUILD, RecordType.VISIT, visit.id or 0)
    assert all(masked_links(line) == [] for line in history_lines(entries))


@pytest.mark.parametrize("hostile", HOSTILE, indirect=True)
async def test_the_markdown_digest_shows_stored_text_inertly(
    hostile: tuple[str, DeskService], services: Services,
) -> None:
    typed, _ = hostile
    bundle = await services.records.export_bundle(GUILD)
    text = digest_markdown(bundle, today=datetime(2025, 9, 12).date(), zone="UTC")
    assert problems(text, typed, own_lists=True) == []


@pytest.mark.parametrize("hostile", HOSTILE, indirect=True)
async def test_search_hits_show_stored_text_inertly(hostile: tuple[str, DeskService]) -> None:
    typed, desk = hostile
    words = query_words(typed)
    if not words:
        pytest.skip("nothing to search for")
    hits = await desk.search(GUILD, words[0], [])
    assert hits
    for hit in hits:
        line = search_line(hit, [words[0]])
        assert masked_links(line) == []
        snippet = snippet_text(hit.snippet, 160, [words[0]])
        for mark in {f"**{w}**" for w in query_words(hit.snippet)}:
            snippet = snippet.replace(mark, mark.strip("*"))
        assert raw_markup(snippet) == [], hit.snippet
