"""The search index and the words records answer to, as the store keeps them from the registry:
on add, update, delete and import, on each backend, inside one server, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.domain.errors import NotFoundError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import bundle_from_json
from bot.domain.records import Meeting, MeetingKind, Person, RecordType, Visit, VisitStatus
from bot.domain.registry import REGISTRY, FieldKind
from bot.services.changes import ChangePipeline
from bot.services.interchange import import_data
from bot.stores import records
from bot.stores.database import Database
from bot.stores.records import RecordFilter, RecordStore
from tests.benchmarks.datagen import synthetic_bundle
from tests.conftest import GUILD, OTHER_GUILD


async def _found(store: RecordStore, text: str, guild: int = GUILD) -> set[tuple[str, int]]:
    return {(h.record_type.value, h.record_id) for h in await store.search(guild, text)}


async def _count(db: Database, table: str) -> int:
    async with db.read() as conn, conn.execute(f"SELECT count(*) FROM {table}") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


def _meeting(title: str, summary: str = "") -> Meeting:
    return Meeting(title=title, kind=MeetingKind.OTHER, date=FuzzyDate.from_value(
        "2025-10", "month"), summary=summary)


async def test_search_follows_add_update_and_delete(store: RecordStore) -> None:
    meeting = await store.add(GUILD, _meeting("Caspian shelf talks", "Sturgeon quotas"),
                              actor_id=1)
    assert meeting.id is not None
    assert await _found(store, "sturgeon") == {("meeting", meeting.id)}
    assert [m.id for m in await store.suggest(GUILD, RecordType.MEETING, "casp")] == [meeting.id]

    await store.update(GUILD, replace(meeting, title="Aral basin talks", summary="Cotton"),
                       actor_id=1)
    assert await _found(store, "sturgeon") == set()
    assert await _found(store, "cotton") == {("meeting", meeting.id)}
    assert await store.suggest(GUILD, RecordType.MEETING, "casp") == []
    assert [m.id for m in await store.suggest(GUILD, RecordType.MEETING, "ara")] == [meeting.id]

    await store.delete(GUILD, RecordType.MEETING, meeting.id, actor_id=1)
    assert await _found(store, "cotton") == set()
    assert await store.suggest(GUILD, RecordType.MEETING, "ara") == []


async def test_an_import_is_found_and_a_failed_one_leaves_no_index_rows(
    changes: ChangePipeline, store: RecordStore, db: Database, sample_data: dict[str, Any],
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    assert ("person", 1) in await _found(store, "Dar")
    assert {v.uid for v in await store.suggest(GUILD, RecordType.VISIT, "tokay")} == {
        "president-visit-2025-11"}
    rows, words = await _count(db, "search_index"), await _count(db, "record_words")

    # People go in first; the meeting linked to a visit nobody has fails the whole import.
    bundle, errors = bundle_from_json({"schema_version": 1, "people": [
        {"uid": "new-envoy", "name": "Zephyrine Envoy"}], "meetings": [
        {"uid": "m-x", "title": "Orphan talks", "kind": "other",
         "date": {"value": "2025-10", "precision": "month"},
         "visit": "nobody"}]})
    assert not errors
    with pytest.raises(NotFoundError):
        await store.import_bundle(GUILD, bundle, actor_id=None)
    assert await _found(store, "Zephyrine") == set()
    assert await store.suggest(GUILD, RecordType.PERSON, "zephyr") == []
    assert (await _count(db, "search_index"), await _count(db, "record_words")) == (rows, words)


async def test_each_type_indexes_the_fields_its_registry_entry_names(
    changes: ChangePipeline, store: RecordStore, sample_data: dict[str, Any],
) -> None:
    """Every text, long text and list field gets a word of its own: search finds it exactly
    when the registry's SearchText names the field, and autocomplete when it is a name."""
    await import_data(changes, GUILD, sample_data, actor_id=None)
    for kind, spec in REGISTRY.items():
        [record] = await store.list_records(GUILD, kind, RecordFilter(limit=1))
        assert record.id is not None
        for n, f in enumerate(spec.fields):
            if f.kind not in (FieldKind.TEXT, FieldKind.LONG, FieldKind.LIST):
                continue
            marker = f"qx{kind.value}{n}zz"
            value: Any = [marker] if f.kind is FieldKind.LIST else marker
            await store.update(GUILD, replace(record, **{f.name: value}), actor_id=None)
            found = (kind.value, record.id) in await _found(store, marker)
            assert found == (f.name in spec.search.parts), (kind, f.name)
            named = [r.id for r in await store.suggest(GUILD, kind, marker[:-2])]
            assert (named == [record.id]) == (f.name in spec.search.name_parts), (kind, f.name)
        await store.update(GUILD, record, actor_id=None)


async def test_a_visit_is_found_by_its_visitors_current_name(store: RecordStore) -> None:
    person = await store.add(GUILD, Person(name="Aigerim Suleimenova", title="Envoy"),
                             actor_id=1)
    visit = await store.add(GUILD, Visit(
        visitor=person.uid, visitor_role="Envoy", from_country="Kazakhstan",
        to_country="Pakistan", date=FuzzyDate.from_value("2026-03", "month"),
        status=VisitStatus.PLANNED), actor_id=1)
    assert ("visit", visit.id) in await _found(store, "Suleimenova")
    await store.update(GUILD, replace(person, name="Aigerim Bekova"), actor_id=1)
    assert ("visit", visit.id) not in await _found(store, "Suleimenova")
    assert ("visit", visit.id) in await _found(store, "Bekova")
    assert [v.id for v in await store.suggest(GUILD, RecordType.VISIT, "beko")] == [visit.id]


async def test_words_stay_in_their_server(store: RecordStore) -> None:
    for guild in (GUILD, OTHER_GUILD):
        for n in range(3):
            await store.add(guild, Person(name=f"Ötegen Batyr{n}"), actor_id=1)
    mine = await store.suggest(GUILD, RecordType.PERSON, "oteg")
    assert len(mine) == 3
    assert {p.uid for p in mine} == {p.uid for p in await store.list_records(
        GUILD, RecordType.PERSON)}
    # The name filter of pickers and lists, accents and case aside.
    listed = await store.list_records(OTHER_GUILD, RecordType.PERSON,
                                      RecordFilter(title_words="ÖTEGEN batyr1"))
    assert [p.name for p in listed] == ["Ötegen Batyr1"]
    assert await store.suggest(GUILD, RecordType.MEETING, "oteg") == []


async def test_the_word_being_typed_whole_ranks_first(store: RecordStore) -> None:
    for name in ("Dar Dariga", "Daria Dar", "Darkhan"):
        await store.add(GUILD, Person(name=name), actor_id=1)
    assert [p.name for p in await store.suggest(GUILD, RecordType.PERSON, "dar")] == [
        "Daria Dar", "Dar Dariga", "Darkhan"]


async def test_among_whole_matches_the_shorter_name_ranks_first_then_the_newest(
    store: RecordStore
) -> None:
    for name in ("Aliya Sadyk", "Sadyk", "Sadyk Nur Aliya", "Sadykov", "Nur Sadyk"):
        await store.add(GUILD, Person(name=name), actor_id=1)
    assert [p.name for p in await store.suggest(GUILD, RecordType.PERSON, "sadyk")] == [
        "Sadyk", "Nur Sadyk", "Aliya Sadyk", "Sadyk Nur Aliya", "Sadykov"]


async def test_a_title_match_ranks_above_newer_body_matches(store: RecordStore) -> None:
    """Ranking weighs where the words are: the one record titled with them comes first,
    although ten records that only mention them in passing are newer."""
    titled = await store.add(GUILD, _meeting("Sturgeon quota talks", "Held in Atyrau."),
                             actor_id=1)
    for n in range(10):
        await store.add(GUILD, _meeting(f"Shelf session {n}", "Long talk of many matters, "
                                        "the sturgeon quota among them, and more besides."),
                        actor_id=1)
    hits = await store.search(GUILD, "sturgeon quota")
    assert len(hits) == 11
    assert hits[0].record_id == titled.id


async def test_the_word_twice_in_a_short_field_beats_once_in_a_long_one(
    store: RecordStore
) -> None:
    long = await store.add(GUILD, _meeting("Shelf session A", "Fisheries " + "and other "
                                           "items on the agenda " * 20), actor_id=1)
    short = await store.add(GUILD, _meeting("Shelf session B", "Fisheries, fisheries."),
                            actor_id=1)
    hits = await store.search(GUILD, "fisheries")
    assert [h.record_id for h in hits] == [short.id, long.id]


@pytest.mark.parametrize("kind", [RecordType.VISIT, RecordType.MEETING, RecordType.PERSON])
async def test_a_common_prefix_walks_records_and_finds_the_same_newest(
    changes: ChangePipeline, store: RecordStore, monkeypatch: pytest.MonkeyPatch,
    kind: RecordType,
) -> None:
    """Past COMMON_PREFIX matches autocomplete walks the records newest first instead of
    gathering every match; both ways keep the same newest candidates, of this server only."""
    await import_data(changes, GUILD, synthetic_bundle(40, seed=7, this_year=2025), actor_id=1)
    await import_data(changes, OTHER_GUILD, synthetic_bundle(40, seed=8, this_year=2025),
                      actor_id=1)
    monkeypatch.setattr(records, "CANDIDATES", 6)  # so the newest cut matters at this size

    async def offered(common: int) -> list[list[int]]:
        monkeypatch.setattr(records, "COMMON_PREFIX", common)
        out = []
        for prefix in ("k", "ka", "m", "a", "s", "zq"):
            out.append([r.id for r in await store.suggest(GUILD, kind, prefix)])
        return out

    walked, gathered = await offered(1), await offered(10**9)
    assert walked == gathered
    assert sum(map(len, walked)) > 6  # the prefixes matched something
    mine = {r.id for r in await store.list_records(GUILD, kind, RecordFilter(limit=1000))}
    assert {n for found in walked for n in found} <= mine


@pytest.mark.parametrize("kind", [RecordType.VISIT, RecordType.MEETING, RecordType.PLAN])
async def test_every_driving_word_finds_the_newest_of_all_words(
    changes: ChangePipeline, store: RecordStore, db: Database,
    monkeypatch: pytest.MonkeyPatch, kind: RecordType,
) -> None:
    """Autocomplete of several words reads one word's matches and checks the others; which
    word drives (the caps below move it), and whether it falls back to intersecting every
    match, never changes what is offered: the newest CANDIDATES records holding every word,
    the last as a prefix, of this server only."""
    await import_data(changes, GUILD, synthetic_bundle(60, seed=3, this_year=2025), actor_id=1)
    await import_data(changes, OTHER_GUILD, synthetic_bundle(60, seed=4, this_year=2025),
                      actor_id=1)
    monkeypatch.setattr(records, "CANDIDATES", 5)
    async with db.read() as conn, conn.execute(
        "SELECT number, word FROM record_words WHERE guild_id = ? AND record_type = ?"
        " ORDER BY number, word", (GUILD, kind.value),
    ) as cur:
        words: dict[int, list[str]] = {}
        for number, word in await cur.fetchall():
            words.setdefault(number, []).append(word)
    texts = ["zq a"]  # nothing holds "zq"
    for number in sorted(words)[::7][:6]:
        own = words[number]
        texts += [f"{own[0]} {own[-1][:1]}", f"{own[-1]} {own[0][:2]}",
                  " ".join([*own[:2], own[-1][:3]])]

    def newest_holding(text: str) -> set[int]:
        *whole, typed = text.split()
        held = [n for n, own in words.items()
                if all(w in own for w in whole) and any(w.startswith(typed) for w in own)]
        return set(sorted(held)[-5:])

    # A window of 1 row makes every common driver fall back to intersecting all matches.
    for common, window in ((1, 1), (1, 2000), (4, 1), (4, 2000), (10**9, 2000)):
        monkeypatch.setattr(records, "COMMON_PREFIX", common)
        monkeypatch.setattr(records, "WINDOW", window)
        for text in texts:
            offered = {r.id for r in await store.suggest(GUILD, kind, text)}
            assert offered == newest_holding(text), (common, window, text)
    assert sum(bool(newest_holding(t)) for t in texts) > 10  # the texts matched something
