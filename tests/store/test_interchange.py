"""Import and export of the JSON interchange format: round trips, all-or-nothing, row errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.domain.records import Meeting, Plan, RecordType, Visit
from bot.services.changes import ChangePipeline
from bot.services.interchange import ImportRejected, dumps, export_data, import_data
from bot.stores.records import RecordFilter, RecordStore
from tests.conftest import GUILD, OTHER_GUILD


async def test_sample_imports_with_the_article_facts(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any]
) -> None:
    report = await import_data(changes, GUILD, sample_data, actor_id=None)
    assert report.counts.created == {
        "sources": 1,
        "people": 3,
        "visits": 3,
        "meetings": 7,
        "plans": 2,
        "followups": 1,
    }
    plan = await store.get_by_uid(GUILD, RecordType.PLAN, "action-plan-2025")
    assert isinstance(plan, Plan)
    assert plan.date is not None and plan.date.render() == "9 September 2025"
    assert plan.place == "Islamabad"
    assert len(plan.fields) == 9 and "consular facilitation" in plan.fields
    assert [(s.person, s.on_behalf_of) for s in plan.signatories] == [
        ("ishaq-dar", "Ministry of Foreign Affairs of Pakistan"),
        ("murat-nurtleu", "Ministry of Foreign Affairs of Kazakhstan"),
    ]
    talks = await store.get_by_uid(GUILD, RecordType.MEETING, "delegation-talks-2025-09-09")
    assert isinstance(talks, Meeting)
    assert {p.part for p in talks.participants} == {"co-chair"}
    visits = {v.uid: v for v in await store.list_records(GUILD, RecordType.VISIT, RecordFilter())}
    president = visits["president-visit-2025-11"]
    assert isinstance(president, Visit)
    assert president.date.render() == "November 2025" and president.status.value == "planned"
    assert visits["president-visit-2003"].date.render() == "2003"
    assert visits["nurtleu-visit-2025-09"].status.value == "completed"
    jwgs = await store.list_records(
        GUILD, RecordType.MEETING, RecordFilter(kinds=["joint_working_group"])
    )
    assert sorted(m.title for m in jwgs) == [
        "Joint Working Group on agriculture",
        "Joint Working Group on information technology",
    ]


async def test_export_import_export_is_identical(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    first = dumps(await export_data(store, GUILD))
    await import_data(changes, OTHER_GUILD, await export_data(store, GUILD), actor_id=None)
    second = dumps(await export_data(store, OTHER_GUILD))
    assert first == second
    # The sample file itself is already in canonical form, section by section.
    exported = await export_data(store, GUILD)
    for section in ("people", "meetings", "plans", "visits", "sources", "followups"):
        assert exported[section] == sample_data[section], section


async def test_reimport_creates_no_duplicates(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    report = await import_data(changes, GUILD, sample_data, actor_id=None)
    assert report.counts.created == {} and report.counts.updated == {}
    assert report.counts.unchanged == 17
    assert await store.count(GUILD, RecordType.MEETING) == 7


async def test_reimport_of_an_edited_file_updates_in_place(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    edited = copy.deepcopy(sample_data)
    edited["visits"][1]["date"] = {"value": "2025-11-24", "precision": "day"}
    report = await import_data(changes, GUILD, edited, actor_id=5)
    assert report.counts.updated == {"visits": 1}
    visit = await store.get_by_uid(GUILD, RecordType.VISIT, "president-visit-2025-11")
    assert visit.date.render() == "24 November 2025"
    trail = await store.history(GUILD, RecordType.VISIT, visit.id)
    assert [e.action for e in trail] == ["import", "import"]
    assert trail[-1].before["date"]["value"] == "2025-11"


def _broken(sample: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(sample)
    data["people"][0]["name"] = ""
    data["meetings"][2]["kind"] = "summit"
    data["meetings"][3]["date"] = {"value": "2025-13", "precision": "month"}
    data["plans"][0]["signatories"][0]["person"] = "ghost"
    data["visits"][1]["status"] = "maybe"
    data["visits"].append(copy.deepcopy(data["visits"][0]))
    return data


async def test_invalid_file_reports_every_row_and_writes_nothing(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any]
) -> None:
    with pytest.raises(ImportRejected) as caught:
        await import_data(changes, GUILD, _broken(sample_data), actor_id=None)
    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        "people[0] (ishaq-dar): name is required",
        "visits[1] (president-visit-2025-11): status: 'maybe' is not one of: proposed, planned,"
        " confirmed, completed, postponed, cancelled",
        "visits[3] (nurtleu-visit-2025-09): this uid appears twice",
        "meetings[2] (delegation-talks-2025-09-09): kind: 'summit' is not one of: bilateral_talks,"
        " delegation_level_talks, tete_a_tete, joint_working_group, business_meeting, site_visit,"
        " other",
        "meetings[3] (jwg-it-2025-09): date: '2025-13' is not a valid month-precision date:"
        " month must be in 1..12",
    ]
    assert "Nothing was imported: 5 problems found." in str(caught.value)
    for kind in RecordType:
        assert await store.count(GUILD, kind) == 0


async def test_dangling_references_are_reported_once_rows_are_valid(changes: ChangePipeline,
    store: RecordStore, sample_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(sample_data)
    data["plans"][0]["signatories"][0]["person"] = "ghost"
    data["meetings"][0]["visit"] = "no-such-visit"
    with pytest.raises(ImportRejected) as caught:
        await import_data(changes, GUILD, data, actor_id=None)
    assert [str(e) for e in caught.value.errors] == [
        "meetings[0] (tete-a-tete-2025-09): visit refers to visit 'no-such-visit', which is"
        " neither in the file nor in this server",
        "plans[0] (action-plan-2025): signatories refers to person 'ghost', which is neither in"
        " the file nor in this server",
    ]
    assert await store.count(GUILD, RecordType.PERSON) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "one JSON object"),
        ({"people": []}, "schema_version must be 1"),
        ({"schema_version": 2}, "schema_version must be 1"),
        ({"schema_version": 1, "people": {}}, "must be a list"),
        ({"schema_version": 1, "extras": []}, "unknown section"),
        ({"schema_version": 1, "people": [{"uid": "a", "name": "A", "age": 3}]}, "unknown field"),
        ({"schema_version": 1, "people": ["Dar"]}, "JSON object"),
        ({"schema_version": 1, "people": [{"uid": "a", "name": "x" * 101}]}, "at most 100"),
        (
            {"schema_version": 1, "meetings": [{"uid": "m", "title": "t", "kind": "other"}]},
            "date is required",
        ),
    ],
)
async def test_structural_errors(
    changes: ChangePipeline, store: RecordStore, data: Any, message: str
) -> None:
    with pytest.raises(ImportRejected, match=message):
        await import_data(changes, GUILD, data, actor_id=None)


async def test_countries_are_normalised_on_import(
    changes: ChangePipeline, store: RecordStore
) -> None:
    data = {
        "schema_version": 1,
        "visits": [
            {
                "uid": "v",
                "from_country": "Kazakh",
                "to_country": "PK",
                "status": "planned",
                "date": {"value": "2025-11", "precision": "month"},
            }
        ],
        "meetings": [
            {
                "uid": "m",
                "title": "Talks",
                "kind": "other",
                "countries": ["kazakhstan", "KZ", "Pakistani"],
                "date": {"value": "2025", "precision": "year"},
            }
        ],
    }
    await import_data(changes, GUILD, data, actor_id=None)
    visit = await store.get_by_uid(GUILD, RecordType.VISIT, "v")
    assert (visit.from_country, visit.to_country) == ("Kazakhstan", "Pakistan")
    meeting = await store.get_by_uid(GUILD, RecordType.MEETING, "m")
    assert meeting.countries == ["Kazakhstan", "Pakistan"]
