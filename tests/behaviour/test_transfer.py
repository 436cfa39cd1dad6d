"""/export and /import through the real discord.py client, offline."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from typing import Any

import pytest
from icalendar import Calendar

from bot.domain.records import RecordType, Visit
from bot.services.interchange import dumps, export_data
from tests.behaviour.conftest import Desk

pytestmark = pytest.mark.every_backend  # rests on what the backends do differently


async def attached(res: Any) -> tuple[str, bytes]:
    [attachment] = res.response.attachments
    return attachment.filename, await attachment.read()


async def record_count(desk: Desk) -> int:
    return len(await desk.bot.records.export_bundle(desk.guild.id))


# --- export ------------------------------------------------------------------------------------


async def test_a_reader_exports_the_json_schema(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "export", format="json")
    assert not res.ephemeral
    assert "JSON export of 17 records (schema version 1)" in res.response.content
    name, data = await attached(res)
    assert name == "attache-2025-09-12.json"
    assert data.decode("utf-8") == dumps(await export_data(desk.bot.records, desk.guild.id))


async def test_csv_export_is_a_zip_of_one_table_per_type(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "export", format="csv")
    name, data = await attached(res)
    assert name == "attache-2025-09-12-csv.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["people.csv", "meetings.csv", "plans.csv", "visits.csv",
                                      "sources.csv", "followups.csv"]
        meetings = archive.read("meetings.csv").decode("utf-8-sig").splitlines()
    assert len(meetings) == 8 and meetings[0].startswith("uid,title,kind,date,date_precision")


async def test_calendar_export_has_the_visits(desk: Desk, sample_data: dict[str, Any]) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "export", format="ics", country="Kazakh")
    assert "Calendar of 2 visits involving Kazakhstan" in res.response.content
    name, data = await attached(res)
    assert name == "attache-kazakhstan-2025-09-12.ics"
    calendar = Calendar.from_ical(data)
    found = {str(e["uid"]): (e.start.isoformat(), e.end.isoformat(), str(e["status"]))
             for e in calendar.events}
    guild = desk.guild.id
    assert found == {
        f"nurtleu-visit-2025-09.{guild}@attache": ("2025-09-09", "2025-09-10", "CONFIRMED"),
        f"president-visit-2025-11.{guild}@attache": ("2025-11-01", "2025-12-01", "TENTATIVE"),
    }


async def test_markdown_export_of_a_country_is_its_brief(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "export", format="markdown", country="KZ")
    name, data = await attached(res)
    assert name == "briefing-kazakhstan-2025-09-12.md"
    text = data.decode("utf-8")
    assert text.startswith("# Briefing: Kazakhstan")
    assert ("last presidential visit: 2003 — 22 years before the one expected in November 2025"
            in text)
    assert "Fields of cooperation (9)" in text


async def test_markdown_export_without_a_country_is_a_digest(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    res = await desk.reader.slash(desk.channel, "export", format="markdown")
    name, data = await attached(res)
    assert name == "attache-2025-09-12.md"
    text = data.decode("utf-8")
    assert "## Meetings (7)" in text and "## Plans and agreements (2)" in text


async def test_export_of_an_empty_server_says_so(desk: Desk) -> None:
    res = await desk.reader.slash(desk.channel, "export", format="json", country="Peru")
    assert "nothing is recorded for Peru" in res.response.content
    _, data = await attached(res)
    assert json.loads(data)["visits"] == []


# --- import ------------------------------------------------------------------------------------


def as_file(data: dict[str, Any], name: str = "attache.json") -> tuple[str, bytes]:
    return name, json.dumps(data, ensure_ascii=False).encode("utf-8")


async def test_editor_imports_and_reimporting_adds_nothing(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    res = await desk.editor.slash(desk.channel, "import", file=as_file(sample_data))
    assert res.ephemeral
    assert res.response.content == "Imported 17 records: 17 created, 0 updated, 0 unchanged."
    assert await record_count(desk) == 17
    # Reminders were planned for the imported November visit (a month before and the month of).
    visit = await desk.bot.records.get_by_uid(desk.guild.id, RecordType.VISIT,
                                              "president-visit-2025-11")
    assert isinstance(visit, Visit)
    planned = await desk.bot.reminders.preview(desk.guild.id, visit)
    assert sorted(d.lead for d in planned) == ["month-before", "month-of"]

    again = await desk.editor.slash(desk.channel, "import", file=as_file(sample_data))
    assert again.response.content == "Imported 17 records: 0 created, 0 updated, 17 unchanged."
    assert await record_count(desk) == 17
    history = await desk.bot.records.history(desk.guild.id, RecordType.VISIT, visit.id or 0)
    assert [(e.action, e.actor_id) for e in history] == [("import", desk.editor.id)]


async def test_an_exported_file_imports_into_another_server(
    desk: Desk, other_desk: Desk, sample_data: dict[str, Any]
) -> None:
    await desk.load_sample(sample_data)
    _, data = await attached(await desk.reader.slash(desk.channel, "export", format="json"))
    res = await other_desk.admin.slash(other_desk.channel, "import", file=("export.json", data))
    assert "17 created" in res.response.content
    _, second = await attached(
        await other_desk.reader.slash(other_desk.channel, "export", format="json"))
    assert second == data


async def test_invalid_rows_are_listed_and_nothing_is_written(
    desk: Desk, sample_data: dict[str, Any]
) -> None:
    broken = copy.deepcopy(sample_data)
    broken["visits"][1]["date"] = {"value": "November", "precision": "month"}
    broken["meetings"][0]["participants"] = [{"person": "nobody", "part": "host"}]
    broken["plans"][0]["status"] = "done"
    res = await desk.editor.slash(desk.channel, "import", file=as_file(broken))
    assert res.ephemeral
    text = res.response.content
    assert text.startswith("Nothing was imported from attache.json: 2 problems found.")
    assert "visits[1] (president-visit-2025-11): date: 'November' is not a valid" in text
    assert "plans[0] (action-plan-2025): status: 'done' is not one of" in text
    assert res.response.attachments == []
    assert await record_count(desk) == 0


async def test_a_long_error_list_comes_as_a_file(desk: Desk, sample_data: dict[str, Any]) -> None:
    broken = copy.deepcopy(sample_data)
    for meeting in broken["meetings"]:
        meeting["participants"] = [{"person": f"ghost-{i}"} for i in range(3)]
    res = await desk.editor.slash(desk.channel, "import", file=as_file(broken))
    text = res.response.content
    assert "21 problems found" in text and len(text) <= 2000
    listed = text.count("\n- meetings[")
    assert 0 < listed <= 15
    assert f"… and {21 - listed} more; every problem is listed in the attached file." in text
    name, data = await attached(res)
    assert name == "import-problems.txt"
    assert data.decode("utf-8").count("neither in the file nor in this server") == 21
    assert await record_count(desk) == 0


async def test_a_file_that_is_not_json_is_refused(desk: Desk) -> None:
    res = await desk.editor.slash(desk.channel, "import", file=("notes.txt", b"just some notes"))
    assert res.ephemeral
    assert "notes.txt: The file is not valid JSON" in res.response.content
    csv = await desk.editor.slash(desk.channel, "import", file=("visits.csv", b"uid,title\n"))
    assert "Only the JSON export" in csv.response.content
    big = await desk.editor.slash(desk.channel, "import",
                                  file=("big.json", b" " * (5 * 1024 * 1024 + 1)))
    assert "at most 5 MB" in big.response.content
    assert len(desk.user_errors()) == 3
    assert await record_count(desk) == 0


async def test_a_reader_cannot_import(desk: Desk, sample_data: dict[str, Any]) -> None:
    res = await desk.reader.slash(desk.channel, "import", file=as_file(sample_data))
    assert res.ephemeral
    assert "Changing records needs" in res.response.content
    assert len(desk.user_errors()) == 1
    assert await record_count(desk) == 0
