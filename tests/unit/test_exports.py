"""Exports from the sample data in every format, the country filter, and file imports."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from bot.domain.errors import PermissionDeniedError, UserError
from bot.domain.interchange import Bundle, RowError
from bot.domain.records import RecordType
from bot.services.access import Actor
from bot.services.briefing import briefing_text, build_briefing
from bot.services.changes import ChangePipeline
from bot.services.desk import DeskService
from bot.services.exports import (
    CSV_HEADERS,
    ERRORS_SHOWN,
    MAX_IMPORT_BYTES,
    ExportFormat,
    ExportTooLarge,
    build_export,
    export_filename,
    filter_country,
    read_upload,
    rejection_text,
)
from bot.services.factory import Services
from bot.services.interchange import ImportRejected, dumps, export_data, import_data
from bot.stores.database import Database
from bot.stores.records import RecordStore
from tests.conftest import GUILD, OTHER_GUILD, FixedClock

NOW = datetime(2025, 9, 12, 9, 0, tzinfo=UTC)
EDITOR = Actor(GUILD, 42, can_manage_guild=True)

# Records about Uzbekistan that the Kazakhstan filter must leave out; Ishaq Dar takes part.
UZBEK: dict[str, list[dict[str, Any]]] = {
    "people": [{"uid": "saidov", "name": "Bakhtiyor Saidov", "title": "Foreign Minister",
                "country": "Uzbekistan", "source": "uz-report"}],
    "sources": [{"uid": "uz-report", "title": "Uzbek minister in Islamabad",
                 "published": {"value": "2025-08-20", "precision": "day"}}],
    "visits": [{"uid": "saidov-visit", "visitor": "saidov", "visitor_role": "Foreign Minister",
                "from_country": "Uzbekistan", "to_country": "Pakistan",
                "date": {"value": "2025-08-20", "precision": "day"}, "status": "completed",
                "source": "uz-report"}],
    "meetings": [{"uid": "dar-saidov", "title": "Dar–Saidov talks", "kind": "bilateral_talks",
                  "date": {"value": "2025-08-20", "precision": "day"},
                  "countries": ["Uzbekistan", "Pakistan"],
                  "participants": [{"person": "ishaq-dar", "part": "host"},
                                   {"person": "saidov", "part": "guest"}],
                  "visit": "saidov-visit", "source": "uz-report"}],
    "plans": [],
}


def with_uzbekistan(sample: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(sample)
    for section, rows in UZBEK.items():
        data[section] += copy.deepcopy(rows)
    return data


@pytest.fixture
def desk(services: Services, db: Database, store: RecordStore, clock: FixedClock) -> DeskService:
    return services.desk


async def export(desk: DeskService, store: RecordStore, fmt: str, *, guild: int = GUILD,
                 country: str | None = None) -> tuple[str, bytes]:
    made = await build_export(desk, store, guild, fmt, now=NOW, country=country)
    return made.filename, made.data


def uids(data: dict[str, Any], section: str) -> list[str]:
    return [row["uid"] for row in data[section]]


# --- JSON ------------------------------------------------------------------------------------


async def test_json_is_the_interchange_and_round_trips(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    name, first = await export(desk, store, "json")
    assert name == "attache-2025-09-12.json"
    assert first.decode("utf-8") == dumps(await export_data(store, GUILD))
    report = await import_data(changes, OTHER_GUILD, json.loads(first), actor_id=None)
    assert sum(report.counts.created.values()) == 17
    _, second = await export(desk, store, "json", guild=OTHER_GUILD)
    assert second == first


async def test_country_filter_keeps_the_country_and_what_it_cites(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, with_uzbekistan(sample_data), actor_id=None)
    name, raw = await export(desk, store, "json", country="kazakh")
    assert name == "attache-kazakhstan-2025-09-12.json"
    data = json.loads(raw)
    everything = json.loads(dumps(await export_data(store, GUILD)))
    uzbek_uids = {row["uid"] for rows in UZBEK.values() for row in rows}
    assert data == {
        key: rows if key == "schema_version" else [r for r in rows if r["uid"] not in uzbek_uids]
        for key, rows in everything.items()
    }
    # Pakistan's minister is not Kazakh, but the Kazakh talks and plan name him.
    assert "ishaq-dar" in uids(data, "people")
    await import_data(changes, OTHER_GUILD, data, actor_id=None)  # imports cleanly on its own

    uzbek = json.loads((await export(desk, store, "json", country="Uzbekistan"))[1])
    assert uids(uzbek, "people") == ["ishaq-dar", "saidov"]
    assert uids(uzbek, "visits") == ["saidov-visit"]
    assert uids(uzbek, "meetings") == ["dar-saidov"]
    assert uids(uzbek, "plans") == []
    # The Uzbek source, and the report Ishaq Dar's own record cites.
    assert uids(uzbek, "sources") == ["report-2025-09-10", "uz-report"]


def test_filter_follows_links_through_records_of_other_countries() -> None:
    from bot.domain.interchange import bundle_from_json

    data = {"schema_version": 1, "people": [], "sources": [], "meetings": [], "plans": [],
            "visits": [{"uid": "v", "from_country": "France", "to_country": "Germany",
                        "date": {"value": "2025", "precision": "year"}, "status": "planned"}]}
    data["meetings"] = [{"uid": "m", "title": "Side talks", "kind": "other",
                         "date": {"value": "2025", "precision": "year"},
                         "countries": ["France"], "visit": "v"}]
    data["plans"] = [{"uid": "p", "title": "Pact", "kind": "treaty", "status": "expected",
                      "parties": ["Chile"], "meeting": "m"}]
    bundle, errors = bundle_from_json(data)
    assert errors == []
    chile = filter_country(bundle, "CL")
    assert [r.uid for r in chile.plans + chile.meetings + chile.visits] == ["p", "m", "v"]
    assert len(filter_country(bundle, "Peru")) == 0
    assert len(filter_country(Bundle(), "Peru")) == 0


# --- CSV -------------------------------------------------------------------------------------


def read_zip(raw: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {
            info.filename: list(csv.reader(io.StringIO(archive.read(info).decode("utf-8-sig"))))
            for info in archive.infolist()
        }


async def test_csv_zip_has_one_table_per_record_type(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    name, raw = await export(desk, store, "csv")
    assert name == "attache-2025-09-12-csv.zip"
    tables = read_zip(raw)
    assert list(tables) == ["people.csv", "meetings.csv", "plans.csv", "visits.csv",
                            "sources.csv", "followups.csv"]
    counts = {member: len(rows) - 1 for member, rows in tables.items()}
    assert counts == {"people.csv": 3, "meetings.csv": 7, "plans.csv": 2, "visits.csv": 3,
                      "sources.csv": 1, "followups.csv": 1}
    for kind in RecordType:
        assert tables[f"{kind.plural}.csv"][0] == CSV_HEADERS[kind]

    def rows(member: str) -> dict[str, dict[str, str]]:
        header, *body = tables[member]
        return {row[0]: dict(zip(header, row, strict=True)) for row in body}

    plan = rows("plans.csv")["action-plan-2025"]
    assert plan["signatories"] == ("ishaq-dar (Ministry of Foreign Affairs of Pakistan); "
                                   "murat-nurtleu (Ministry of Foreign Affairs of Kazakhstan)")
    assert plan["fields"].split("; ")[-1] == "consular facilitation"
    assert len(plan["fields"].split("; ")) == 9
    assert (plan["date"], plan["date_precision"], plan["meeting"]) == (
        "2025-09-09", "day", "delegation-talks-2025-09-09")
    visit = rows("visits.csv")["president-visit-2025-11"]
    assert (visit["date"], visit["date_precision"], visit["visitor"], visit["end_date"]) == (
        "2025-11", "month", "kassym-jomart-tokayev", "")
    assert rows("visits.csv")["president-visit-2003"]["date_precision"] == "year"
    talks = rows("meetings.csv")["tete-a-tete-2025-09"]
    assert talks["participants"] == "ishaq-dar (host); murat-nurtleu (guest)"
    assert talks["title"] == "Dar–Nurtleu tête-à-tête"

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 9, 12, 0, 0, 0)}
    assert (await export(desk, store, "csv"))[1] == raw  # same records, same bytes


# --- iCalendar ------------------------------------------------------------------------------


def events(raw: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(raw)
    return {str(e["uid"]).split(".")[0]: e for e in calendar.walk("VEVENT")}


async def test_ics_has_the_sample_visits_as_all_day_spans(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    name, raw = await export(desk, store, "ics")
    assert name == "attache-2025-09-12.ics"
    calendar = Calendar.from_ical(raw)
    assert str(calendar["prodid"]) == "-//Attaché//EN"
    found = events(raw)
    spans = {uid: (e.start, e.end, str(e["status"])) for uid, e in found.items()}
    assert spans == {
        "nurtleu-visit-2025-09": (date(2025, 9, 9), date(2025, 9, 10), "CONFIRMED"),
        "president-visit-2025-11": (date(2025, 11, 1), date(2025, 12, 1), "TENTATIVE"),
    }
    # Held in 2003, its day never recorded: no year-long event.
    assert "president-visit-2003" not in found
    assert {str(e["uid"]) for e in found.values()} == {
        f"{uid}.{GUILD}@attache" for uid in spans}
    november = found["president-visit-2025-11"]
    assert str(november["summary"]) == (
        "Kassym-Jomart Tokayev, President of Kazakhstan: Kazakhstan → Pakistan "
        "(date unconfirmed)")
    assert "date still unconfirmed" in str(november["description"])
    assert str(november["transp"]) == "TRANSPARENT"
    assert str(found["nurtleu-visit-2025-09"]["location"]) == "Islamabad"
    assert str(found["president-visit-2025-11"]["location"]) == "Pakistan"
    # The bot would not remind about a completed visit, nor does this; a month-only visit
    # carries its two nudges, on the 1st of the month before and of the month itself.
    assert not found["nurtleu-visit-2025-09"].walk("VALARM")
    nudges = [a["trigger"].dt for a in november.walk("VALARM")]
    assert nudges == [timedelta(days=-31, hours=9), timedelta(hours=9)]
    # Stable identities: a second export updates the same calendar entries.
    assert set(events((await export(desk, store, "ics"))[1])) == set(found)


async def test_ics_alarms_follow_the_server_lead_times(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(sample_data)
    data["visits"] += [
        {"uid": "day-visit", "from_country": "Kazakhstan", "to_country": "Pakistan",
         "visitor_role": "Prime Minister", "date": {"value": "2025-10-20", "precision": "day"},
         "status": "confirmed", "place": "Lahore"},
        {"uid": "timed-visit", "from_country": "Pakistan", "to_country": "Kazakhstan",
         "visitor_role": "Foreign Minister", "status": "planned",
         "date": {"value": "2025-10-21T10:00:00+05:00", "precision": "day",
                  "zone": "Asia/Almaty"}},
        {"uid": "long-visit", "from_country": "Pakistan", "to_country": "Kazakhstan",
         "status": "cancelled", "date": {"value": "2025-10-22", "precision": "day"},
         "end_date": {"value": "2025-10-24", "precision": "day"}},
    ]
    await import_data(changes, GUILD, data, actor_id=None)
    found = events((await export(desk, store, "ics"))[1])

    day = found["day-visit"]
    assert (day.start, day.end, str(day["status"])) == (
        date(2025, 10, 20), date(2025, 10, 21), "CONFIRMED")
    # Leads 7d 1d 2h: reminders for a day without a time go out at 09:00, so 2h (the day
    # before at 09:00) coincides with 1d and is kept once, as the bot does.
    triggers = [a["trigger"].dt for a in day.walk("VALARM")]
    assert triggers == [-timedelta(days=6, hours=15), -timedelta(hours=15)]
    assert all(str(a["action"]) == "DISPLAY" for a in day.walk("VALARM"))
    assert "tomorrow" in str(day.walk("VALARM")[1]["description"])

    timed = found["timed-visit"]
    assert timed.start == datetime(2025, 10, 21, 10, 0, tzinfo=timed.start.tzinfo)
    assert str(timed.start.tzinfo) == "Asia/Almaty"
    assert timed.end - timed.start == timedelta(hours=2)
    assert [a["trigger"].dt for a in timed.walk("VALARM")] == [
        -timedelta(days=7), -timedelta(days=1), -timedelta(hours=2)]
    assert b"TZID:Asia/Almaty" in (await export(desk, store, "ics"))[1]

    cancelled = found["long-visit"]
    assert (cancelled.start, cancelled.end, str(cancelled["status"])) == (
        date(2025, 10, 22), date(2025, 10, 25), "CANCELLED")
    assert str(cancelled["summary"]).startswith("Cancelled: ")
    assert not cancelled.walk("VALARM")

    settings = await desk.settings(GUILD)
    await desk.update_settings(EDITOR, reminder_leads="30d 2h")
    assert settings.reminder_leads != "30d 2h"
    timed = events((await export(desk, store, "ics"))[1])["timed-visit"]
    assert [a["trigger"].dt for a in timed.walk("VALARM")] == [
        -timedelta(days=30), -timedelta(hours=2)]


async def test_ics_for_one_country_holds_only_its_visits(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, with_uzbekistan(sample_data), actor_id=None)
    assert "saidov-visit" in events((await export(desk, store, "ics"))[1])
    name, raw = await export(desk, store, "ics", country="KZ")
    assert name == "attache-kazakhstan-2025-09-12.ics"
    assert set(events(raw)) == {"nurtleu-visit-2025-09", "president-visit-2025-11"}
    assert str(Calendar.from_ical(raw)["x-wr-calname"]) == "Attaché visits: Kazakhstan"


# --- Markdown --------------------------------------------------------------------------------


async def test_markdown_for_a_country_is_its_briefing(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    name, raw = await export(desk, store, "markdown", country="Kazakhstan")
    assert name == "briefing-kazakhstan-2025-09-12.md"
    text = raw.decode("utf-8")
    assert text == briefing_text(await build_briefing(desk, GUILD, "Kazakhstan"))
    assert text.startswith("# Briefing: Kazakhstan")
    for fact in (
        "last presidential visit: 2003 — 22 years before the one expected in November 2025",
        "**Pakistan–Kazakhstan Action Plan of Cooperation** (action plan, signed "
        "9 September 2025, Islamabad)",
        "Fields of cooperation (9)",
        "Mohammad Ishaq Dar (Ministry of Foreign Affairs of Pakistan)",
        "Kassym-Jomart Tokayev, President of Kazakhstan, Kazakhstan → Pakistan: November 2025",
    ):
        assert fact in text


async def test_markdown_without_a_country_is_a_digest_of_everything(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    name, raw = await export(desk, store, "markdown")
    assert name == "attache-2025-09-12.md"
    text = raw.decode("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == ["# Attaché records", "## Visits (3)", "## Meetings (7)",
                        "## Plans and agreements (2)", "## People (3)", "## Sources (1)"]
    for fact in (
        "As of 12 September 2025 (server time zone UTC); 17 records.",
        "- **Kassym-Jomart Tokayev, President of Kazakhstan: Kazakhstan → Pakistan** — "
        "November 2025 (date still unconfirmed), planned",
        "- **President of Kazakhstan: Kazakhstan → Pakistan** — 2003 (day not recorded), "
        "completed",
        "- 9 September 2025 — **Pakistan–Kazakhstan delegation-level talks** "
        "(delegation-level talks, Islamabad)",
        "  - Participants: Mohammad Ishaq Dar (co-chair); Murat Nurtleu (co-chair)",
        "  - Signatories: Mohammad Ishaq Dar (Ministry of Foreign Affairs of Pakistan); "
        "Murat Nurtleu (Ministry of Foreign Affairs of Kazakhstan)",
        "- **Murat Nurtleu**, Deputy Prime Minister and Foreign Minister, Kazakhstan",
        "- Pakistan, Kazakhstan sign action plan of cooperation (news report, Islamabad) "
        "(10 September 2025)",
    ):
        assert fact in text
    # Visits in date order: 2003, then September, then November 2025.
    assert text.index("2003 (day") < text.index("9 September 2025, completed") < text.index(
        "November 2025 (date")


async def test_markdown_escapes_user_text_and_says_when_empty(changes: ChangePipeline,
    desk: DeskService, store: RecordStore
) -> None:
    empty = (await export(desk, store, "markdown"))[1].decode("utf-8")
    assert "Nothing is recorded yet." in empty
    await import_data(changes, GUILD, {"schema_version": 1, "people": [
        {"uid": "x", "name": "*Bold* [link](http://x)", "country": "Chile"}]}, actor_id=None)
    text = (await export(desk, store, "markdown"))[1].decode("utf-8")
    assert r"**\*Bold\* \[link\](http://x)**" in text


# --- names and formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "country", "expected"),
    [
        ("json", None, "attache-2025-09-12.json"),
        ("csv", "Côte d'Ivoire", "attache-cote-d-ivoire-2025-09-12-csv.zip"),
        ("ics", "KZ", "attache-kazakhstan-2025-09-12.ics"),
        ("markdown", None, "attache-2025-09-12.md"),
        ("markdown", "Pakistani", "briefing-pakistan-2025-09-12.md"),
    ],
)
def test_file_names(fmt: str, country: str | None, expected: str) -> None:
    assert export_filename(ExportFormat(fmt), date(2025, 9, 12), country) == expected


def test_unknown_format_lists_the_accepted_ones() -> None:
    with pytest.raises(UserError, match="json, csv, ics, markdown"):
        ExportFormat.parse("pdf")


async def test_an_empty_country_export_says_so(changes: ChangePipeline,
    desk: DeskService, store: RecordStore, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    made = await build_export(desk, store, GUILD, "json", now=NOW, country="Peru")
    assert "nothing is recorded for Peru" in made.note
    assert all(rows == [] for key, rows in json.loads(made.data).items()
               if key != "schema_version")


# --- import ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello there", "not valid JSON"),
        ("export.json", b"\xff\xfe\x00garbage", "not UTF-8 text"),
        ("export.json", b"PK\x03\x04rest-of-a-zip", "looks like a zip or calendar"),
        ("visits.csv", b"uid,title\n", "is a CSV file"),
        ("attache.ics", b"BEGIN:VCALENDAR", "is a calendar file"),
        ("big.json", b" " * (MAX_IMPORT_BYTES + 1), "at most 5 MB"),
    ],
)
def test_what_is_not_the_json_export_is_refused_with_a_reason(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(UserError, match=message) as caught:
        read_upload(name, data)
    assert "imported" in caught.value.message


def test_a_json_file_with_a_byte_order_mark_is_read() -> None:
    assert read_upload("export.json", b'\xef\xbb\xbf{"schema_version": 1}') == {
        "schema_version": 1}


def test_long_error_lists_come_as_a_file_too() -> None:
    errors = [RowError("visits", i, f"v{i}", "date is required") for i in range(20)]
    text, full = rejection_text(ImportRejected(errors), "x.json")
    assert text.startswith("Nothing was imported from x.json: 20 problems found.")
    assert text.count("date is required") == ERRORS_SHOWN
    assert "… and 5 more" in text
    assert full is not None and full.count("date is required") == 20
    assert "visits[19] (v19): date is required" in full
    short, none = rejection_text(ImportRejected(errors[:3]), "x.json")
    assert none is None and short.count("\n- ") == 3
    # Long rows: fewer are shown so the reply stays one Discord message, and the file has all.
    wordy = [RowError("meetings", i, "m" * 100, "x" * 250) for i in range(4)]
    text, full = rejection_text(ImportRejected(wordy), "x.json", limit=700)
    assert len(text) <= 700 and full is not None
    assert text.count("\n- ") == 1 and "… and 3 more" in text


async def test_import_is_for_editors_and_tells_the_pipeline_after_writing(
    services: Services, desk: DeskService, store: RecordStore, sample_data: dict[str, Any],
    clock: FixedClock,
) -> None:
    replanned: list[int] = []

    class Listener:
        async def records_changed(self, guild_id: int, changes: object) -> None:
            replanned.append(guild_id)

        async def settings_changed(self, *args: object) -> None:
            pass

    services.changes.subscribe(Listener())
    transfer = services.transfer
    raw = json.dumps(sample_data).encode("utf-8")
    with pytest.raises(PermissionDeniedError):
        await transfer.import_file(Actor(GUILD, 7), "sample.json", raw)
    assert len(await store.export_bundle(GUILD)) == 0 and replanned == []

    report = await transfer.import_file(EDITOR, "sample.json", raw)
    assert report.summary() == "Imported 17 records: 17 created, 0 updated, 0 unchanged."
    assert replanned == [GUILD]
    again = await transfer.import_file(EDITOR, "sample.json", raw)
    assert again.summary() == "Imported 17 records: 0 created, 0 updated, 17 unchanged."
    assert len(await store.export_bundle(GUILD)) == 17 and replanned == [GUILD]

    broken = copy.deepcopy(sample_data)
    broken["visits"][0]["date"] = {"value": "soon", "precision": "day"}
    broken["meetings"].append({**broken["meetings"][0], "uid": "new", "participants": [
        {"person": "nobody", "part": ""}]})
    with pytest.raises(ImportRejected) as rejected:
        await transfer.import_file(EDITOR, "broken.json", json.dumps(broken).encode())
    assert [e.section for e in rejected.value.errors] == ["visits"]
    assert len(await store.export_bundle(GUILD)) == 17 and replanned == [GUILD]


async def test_export_through_the_service_uses_its_clock(
    services: Services, desk: DeskService, store: RecordStore, clock: FixedClock,
    changes: ChangePipeline, sample_data: dict[str, Any],
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    clock.current = NOW + timedelta(days=1)
    made = await services.transfer.export(GUILD, ExportFormat.JSON)
    assert made.filename == "attache-2025-09-13.json"
    # The server's zone decides the day: 23:00 UTC on the 13th is already the 14th in Tonga.
    clock.current = NOW.replace(hour=23) + timedelta(days=1)
    await desk.update_settings(EDITOR, timezone="Pacific/Tongatapu")
    made = await services.transfer.export(GUILD, "ics")
    assert made.filename == "attache-2025-09-14.ics"


async def test_an_export_that_cannot_fit_is_refused_before_anything_is_rendered(
    services: Services, changes: ChangePipeline, sample_data: dict[str, Any]
) -> None:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    made = await services.transfer.export(GUILD, ExportFormat.JSON)
    # The lower bound never exceeds the real size, so what fits is never refused ...
    await services.transfer.check_fits(GUILD, ExportFormat.JSON, country=None,
                                       limit=len(made.data))
    # ... and what cannot fit is refused, naming the way out.
    with pytest.raises(ExportTooLarge, match="python -m bot export"):
        await services.transfer.check_fits(GUILD, ExportFormat.JSON, country=None,
                                           limit=len(made.data) // 4)
