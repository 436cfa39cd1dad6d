"""Search and autocomplete answer from one server's own entries, on both backends: the server
is part of the index's key (migration 0012 on PostgreSQL, the scope tokens on SQLite), and
no server ever gets another's rows, whatever words they share or how many each holds."""

from __future__ import annotations

import re

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import Meeting, MeetingKind, Person, RecordType
from bot.stores.records import RecordStore
from tests.conftest import GUILD, OTHER_GUILD

THIRD = 333_333_333_333_333_333

# Titles each server holds, chosen so that servers share words in unequal numbers: the busy
# server has many of every shared word, the small one a few, the third none of some.
TITLES = {
    GUILD: [f"{w} corridor talks {n}" for n in range(12)
            for w in ("Energy", "Railway", "Customs")] + ["Hydropower memorandum"],
    OTHER_GUILD: ["Energy corridor review", "Railway summit", "Visa facilitation round"],
    THIRD: ["Textile fair", "Energy dialogue"],
}
QUERIES = ("energy", "railway corridor", "corridor", "hydropower", "visa facilitation",
           "textile", "talks", "summit energy", "nothing like this")


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _meeting(title: str) -> Meeting:
    return Meeting(title=title, kind=MeetingKind.OTHER,
                   date=FuzzyDate.from_value("2025-10", "month"))


async def _filled(store: RecordStore) -> dict[int, dict[int, str]]:
    """Each server's meetings, number -> title."""
    out: dict[int, dict[int, str]] = {}
    for guild, titles in TITLES.items():
        for title in titles:
            meeting = await store.add(guild, _meeting(title), actor_id=1)
            assert meeting.id is not None
            out.setdefault(guild, {})[meeting.id] = title
    return out


async def test_a_search_finds_its_own_servers_matches_and_no_others(
    store: RecordStore,
) -> None:
    made = await _filled(store)
    for guild, meetings in made.items():
        for query in QUERIES:
            wanted = {n for n, title in meetings.items() if _words(query) <= _words(title)}
            hits = await store.search(guild, query, limit=100)
            assert all(h.record_type is RecordType.MEETING for h in hits)
            assert {h.record_id for h in hits} == wanted, (guild, query)
            # Restricted to a type too: the same matches, or none for a type it lacks.
            typed = await store.search(guild, query, [RecordType.MEETING], limit=100)
            assert {h.record_id for h in typed} == wanted
            assert await store.search(guild, query, [RecordType.PLAN]) == []


async def test_a_servers_numbers_are_its_own_even_where_another_has_more(
    store: RecordStore,
) -> None:
    made = await _filled(store)
    # Number 1 exists in every server: each search names its own server's record.
    for guild, meetings in made.items():
        for hit in await store.search(guild, "energy", limit=100):
            assert meetings[hit.record_id] == hit.title, (guild, hit)


async def test_autocomplete_offers_only_the_servers_own_records(store: RecordStore) -> None:
    await _filled(store)
    for guild in TITLES:
        await store.add(guild, Person(name=f"Ener Gulnara {guild % 7}"), actor_id=1)
    for guild, titles in TITLES.items():
        for typed in ("ene", "rail", "corr", "tex", "visa f", "hyd"):
            wanted = {t for t in titles if all(
                any(w.startswith(p) for w in _words(t)) for p in _words(typed))}
            offered = [m.title for m in await store.suggest(guild, RecordType.MEETING, typed)]
            assert set(offered) <= wanted, (guild, typed)
            assert len(offered) == min(25, len(wanted)), (guild, typed)
        people = await store.suggest(guild, RecordType.PERSON, "ener")
        assert [p.name for p in people] == [f"Ener Gulnara {guild % 7}"]
