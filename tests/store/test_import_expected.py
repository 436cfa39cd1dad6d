"""import_bundle(expected=…): a write that is refused whole when what it read has changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle, record_to_dict
from bot.domain.records import Meeting, MeetingKind, Person, RecordType
from bot.services.changes import ChangePipeline
from bot.stores.records import ChangedSinceRead, RecordStore
from tests.conftest import GUILD


async def _seed(changes: ChangePipeline) -> None:
    bundle = Bundle(people=[Person("Murat Nurtleu", "Foreign Minister", "Kazakhstan", uid="mn")],
                    meetings=[Meeting("Talks", MeetingKind.BILATERAL_TALKS,
                                      FuzzyDate.day(2025, 9, 9), uid="talks")])
    await changes.import_bundle(GUILD, bundle, actor_id=None)


async def test_a_write_goes_ahead_when_nothing_changed_since_it_was_read(
    changes: ChangePipeline, store: RecordStore
) -> None:
    await _seed(changes)
    person = await store.get_by_uid(GUILD, RecordType.PERSON, "mn")
    assert isinstance(person, Person)
    updated = replace(person, title="Deputy Prime Minister and Foreign Minister")
    fresh = Person("Ishaq Dar", uid="dar")
    counts = await changes.import_bundle(
        GUILD, Bundle(people=[updated, fresh]), actor_id=1,
        expected={(RecordType.PERSON, "mn"): record_to_dict(person),
                  (RecordType.PERSON, "dar"): None})
    assert counts.updated == {"people": 1} and counts.created == {"people": 1}


async def test_a_record_edited_since_it_was_read_refuses_the_whole_write(
    changes: ChangePipeline, store: RecordStore
) -> None:
    await _seed(changes)
    seen = await store.get_by_uid(GUILD, RecordType.MEETING, "talks")
    assert isinstance(seen, Meeting)
    # Another editor moves the meeting after the writer read it.
    await changes.import_bundle(
        GUILD, Bundle(meetings=[replace(seen, date=FuzzyDate.day(2025, 9, 10))]), actor_id=2)
    history = await store.history(GUILD, RecordType.MEETING, seen.id or 0)
    with pytest.raises(ChangedSinceRead) as refused:
        await changes.import_bundle(
            GUILD,
            Bundle(people=[Person("Ishaq Dar", uid="dar")],
                   meetings=[replace(seen, title="Pakistan–Kazakhstan talks")]),
            actor_id=1, expected={(RecordType.MEETING, "talks"): record_to_dict(seen)})
    [changed] = refused.value.changed
    assert (changed.kind, changed.uid, changed.number) == (RecordType.MEETING, "talks", seen.id)
    assert changed.fields == ["date"]
    # Nothing of the write happened: no new person, the newer date kept, no audit entry.
    assert await store.get_by_uid(GUILD, RecordType.PERSON, "dar") is None
    now = await store.get_by_uid(GUILD, RecordType.MEETING, "talks")
    assert isinstance(now, Meeting) and now.date == FuzzyDate.day(2025, 9, 10)
    assert now.title == "Talks"
    assert await store.history(GUILD, RecordType.MEETING, seen.id or 0) == history


async def test_a_record_that_appeared_or_vanished_is_a_change_too(
    changes: ChangePipeline, store: RecordStore
) -> None:
    await _seed(changes)
    with pytest.raises(ChangedSinceRead) as refused:
        await changes.import_bundle(
            GUILD, Bundle(people=[Person("Murat Nurtleu", uid="mn")]), actor_id=1,
            expected={(RecordType.PERSON, "mn"): None,  # read as new: someone saved it since
                      (RecordType.MEETING, "gone"): {"uid": "gone"}})  # read, since deleted
    found = {(c.uid, c.now is None) for c in refused.value.changed}
    assert found == {("mn", False), ("gone", True)}
