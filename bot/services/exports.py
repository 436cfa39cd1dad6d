"""Exports (JSON, zipped CSV, iCalendar, Markdown) and file imports, as bytes in and bytes out.

Decisions:
- JSON is exactly the interchange format the command line writes, so any export re-imports.
- A country filter keeps the records that involve the country (visits from or to it, meetings
  and plans that name it, its people) plus everything they link to, followed link by link, so
  a filtered JSON file imports cleanly into an empty server.
- The calendar holds visits only: they are what a desk plans around; meetings are recorded
  after the fact. A visit known only to the month, quarter or year is an all-day span over the
  whole period, marked tentative and free (so a month of "maybe" does not block a calendar).
- Alarms mirror the reminders the bot itself would post: the server's lead times, for open
  visits (proposed, planned, confirmed) with a known day. Completed, postponed and cancelled
  visits get none, as the bot would not remind about them either.
- CSV files are UTF-8 with a byte-order mark, so spreadsheet programs show accents right.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from icalendar import Alarm, Calendar, Event

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision, zone_info
from bot.domain.interchange import SCHEMA_VERSION, Bundle, RowError, bundle_to_json
from bot.domain.records import (
    GuildSettings,
    Meeting,
    Person,
    Plan,
    Record,
    RecordType,
    Source,
    Visit,
    VisitStatus,
)
from bot.services.access import Actor
from bot.services.briefing import Briefing, briefing_text, build_briefing
from bot.services.desk import DeskService
from bot.services.interchange import (
    ImportRejected,
    ImportReport,
    dumps,
    import_data,
    parse_json_text,
)
from bot.services.reminder_policy import DEFAULT_LEADS, UNCONFIRMED, parse_leads, plan_reminders
from bot.stores.records import RecordStore

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# More row errors than this go into an attached text file as well as the reply.
ERRORS_SHOWN = 15
# A refusal is one Discord message long at most.
REPLY_LIMIT = 2000
# A timed visit with no end is shown as this long in a calendar.
DEFAULT_DURATION = timedelta(hours=2)
PRODID = "-//Attaché//EN"
LIST_JOIN = "; "


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    ICS = "ics"
    MARKDOWN = "markdown"

    @property
    def suffix(self) -> str:
        return {"json": ".json", "csv": "-csv.zip", "ics": ".ics", "markdown": ".md"}[self.value]

    @classmethod
    def parse(cls, text: str) -> ExportFormat:
        try:
            return cls(text.strip().lower())
        except ValueError:
            accepted = ", ".join(f.value for f in cls)
            raise UserError(f"Unknown export format {text!r}; use one of: {accepted}.") from None


@dataclass(frozen=True)
class ExportFile:
    """One export, ready to attach or write; `note` says in a line what it holds."""

    filename: str
    data: bytes
    note: str


# --- choosing what to export -------------------------------------------------------------------


def _same_country(a: str, b: str) -> bool:
    return bool(a) and normalise_country(a).casefold() == b.casefold()


def involves(record: Record, country: str) -> bool:
    """Whether a record is about `country` (already in its canonical spelling)."""
    if isinstance(record, Visit):
        return _same_country(record.from_country, country) or _same_country(
            record.to_country, country)
    if isinstance(record, Meeting):
        return any(_same_country(c, country) for c in record.countries)
    if isinstance(record, Plan):
        return any(_same_country(p, country) for p in record.parties)
    if isinstance(record, Person):
        return _same_country(record.country, country)
    return False


def _links(record: Record) -> list[tuple[RecordType, str]]:
    """Every record this one refers to, as (kind, uid)."""
    out: list[tuple[RecordType, str]] = []
    source = getattr(record, "source", None)
    if source:
        out.append((RecordType.SOURCE, source))
    if isinstance(record, Visit) and record.visitor:
        out.append((RecordType.PERSON, record.visitor))
    if isinstance(record, Meeting):
        out += [(RecordType.PERSON, p.person) for p in record.participants]
        if record.visit:
            out.append((RecordType.VISIT, record.visit))
    if isinstance(record, Plan):
        out += [(RecordType.PERSON, s.person) for s in record.signatories]
        if record.visit:
            out.append((RecordType.VISIT, record.visit))
        if record.meeting:
            out.append((RecordType.MEETING, record.meeting))
    return out


def filter_country(bundle: Bundle, country: str) -> Bundle:
    """The records involving `country` and everything they link to, each in bundle order."""
    name = normalise_country(country)
    by_uid = {(kind, r.uid): r for kind in RecordType for r in bundle.section(kind)}
    keep: set[tuple[RecordType, str]] = set()
    todo = [(kind, r.uid) for kind in RecordType for r in bundle.section(kind)
            if involves(r, name)]
    while todo:
        key = todo.pop()
        if key in keep or key not in by_uid:
            continue
        keep.add(key)
        todo.extend(_links(by_uid[key]))
    out = Bundle()
    for kind in RecordType:
        out.section(kind).extend(r for r in bundle.section(kind) if (kind, r.uid) in keep)
    return out


# --- JSON ---------------------------------------------------------------------------------------


def json_export(bundle: Bundle) -> bytes:
    return dumps(bundle_to_json(bundle)).encode("utf-8")


# --- CSV ----------------------------------------------------------------------------------------


def _date_cells(value: FuzzyDate | None) -> list[str]:
    if value is None:
        return ["", "", ""]
    return [value.value, value.precision.value, value.zone or ""]


def _date_headers(name: str) -> list[str]:
    return [name, f"{name}_precision", f"{name}_zone"]


def _joined(items: Iterable[str]) -> str:
    return LIST_JOIN.join(items)


def _with_note(uid: str, note: str) -> str:
    return f"{uid} ({note})" if note else uid


CSV_HEADERS: dict[RecordType, list[str]] = {
    RecordType.PERSON: ["uid", "name", "title", "country", "notes", "source"],
    RecordType.MEETING: [
        "uid", "title", "kind", *_date_headers("date"), "place", "countries", "participants",
        "topics", "summary", "visit", "source",
    ],
    RecordType.PLAN: [
        "uid", "title", "kind", "status", *_date_headers("date"), "place", "parties",
        "signatories", "fields", "summary", "meeting", "visit", "source",
    ],
    RecordType.VISIT: [
        "uid", "visitor", "visitor_role", "from_country", "to_country", *_date_headers("date"),
        *_date_headers("end_date"), "status", "place", "purpose", "notes", "source",
    ],
    RecordType.SOURCE: ["uid", "title", "url", *_date_headers("published"), "summary", "text"],
}

# The order of the files inside the zip.
CSV_ORDER = (RecordType.PERSON, RecordType.MEETING, RecordType.PLAN, RecordType.VISIT,
             RecordType.SOURCE)


def _csv_row(record: Record) -> list[str]:
    if isinstance(record, Person):
        return [record.uid, record.name, record.title, record.country, record.notes,
                record.source or ""]
    if isinstance(record, Meeting):
        return [
            record.uid, record.title, record.kind.value, *_date_cells(record.date), record.place,
            _joined(record.countries),
            _joined(_with_note(p.person, p.part) for p in record.participants),
            _joined(record.topics), record.summary, record.visit or "", record.source or "",
        ]
    if isinstance(record, Plan):
        return [
            record.uid, record.title, record.kind.value, record.status.value,
            *_date_cells(record.date), record.place, _joined(record.parties),
            _joined(_with_note(s.person, s.on_behalf_of) for s in record.signatories),
            _joined(record.fields), record.summary, record.meeting or "", record.visit or "",
            record.source or "",
        ]
    if isinstance(record, Visit):
        return [
            record.uid, record.visitor or "", record.visitor_role, record.from_country,
            record.to_country, *_date_cells(record.date), *_date_cells(record.end_date),
            record.status.value, record.place, record.purpose, record.notes, record.source or "",
        ]
    return [record.uid, record.title, record.url, *_date_cells(record.published),
            record.summary, record.text]


def csv_table(bundle: Bundle, kind: RecordType) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS[kind])
    writer.writerows(_csv_row(r) for r in bundle.section(kind))
    return out.getvalue().encode("utf-8-sig")


def csv_export(bundle: Bundle, *, today: date) -> bytes:
    """One CSV per record type in a zip; the same records on the same day give the same bytes."""
    buffer = io.BytesIO()
    # Every member is dated the export day at midnight, not the moment it was written.
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in CSV_ORDER:
            info = zipfile.ZipInfo(f"{kind.plural}.csv", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, csv_table(bundle, kind))
    return buffer.getvalue()


# --- iCalendar ----------------------------------------------------------------------------------


def _who(visit: Visit, people: dict[str, Person]) -> str:
    person = people.get(visit.visitor or "")
    name = person.name if person else (visit.visitor or "")
    if name and visit.visitor_role:
        return f"{name}, {visit.visitor_role}"
    return name or visit.visitor_role or "Visit"


def _unconfirmed(visit: Visit) -> bool:
    """Neither completed nor cancelled, and known only to the month, quarter or year."""
    return visit.date.precision is not Precision.DAY and visit.status not in (
        VisitStatus.COMPLETED, VisitStatus.CANCELLED)


def _ics_status(visit: Visit) -> str:
    if visit.status is VisitStatus.CANCELLED:
        return "CANCELLED"
    if _unconfirmed(visit) or visit.status in (VisitStatus.PROPOSED, VisitStatus.POSTPONED):
        return "TENTATIVE"
    return "CONFIRMED"


def _summary(visit: Visit, people: dict[str, Person]) -> str:
    text = f"{_who(visit, people)}: {visit.from_country} → {visit.to_country}"
    if visit.status in (VisitStatus.CANCELLED, VisitStatus.POSTPONED):
        text = f"{visit.status.label.capitalize()}: {text}"
    elif _unconfirmed(visit):
        text += " (date unconfirmed)"
    return text


def _dates(visit: Visit) -> str:
    when = visit.date.render()
    return when + (f" to {visit.end_date.render()}" if visit.end_date is not None else "")


def _date_note(visit: Visit) -> str:
    """How sure the date is; a past visit's missing day is unrecorded, not unconfirmed."""
    if _unconfirmed(visit):
        return UNCONFIRMED
    if not visit.date.is_exact_day:
        return "day not recorded"
    return ""


def _description(visit: Visit, sources: dict[str, Source]) -> str:
    lines = [f"Status: {visit.status.label}", f"Date: {_dates(visit)}"]
    if _date_note(visit):
        lines[-1] += f" — {_date_note(visit)}"
    if visit.purpose:
        lines.append(f"Purpose: {visit.purpose}")
    if visit.notes:
        lines.append(f"Notes: {visit.notes}")
    source = sources.get(visit.source or "")
    if source is not None:
        lines.append(f"Source: {source.title}" + (f" <{source.url}>" if source.url else ""))
    return "\n".join(lines)


def _moment(value: FuzzyDate) -> datetime:
    assert value.time is not None and value.zone is not None
    return datetime.combine(value.start, value.time, tzinfo=zone_info(value.zone))


def _span(visit: Visit) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND: dates for all-day spans, zoned datetimes for a known time."""
    start, end = visit.date, visit.end_date
    if start.time is None:
        last = max(start.end, end.end) if end is not None else start.end
        return start.start, last
    begin = _moment(start)
    if end is None:
        return begin, begin + DEFAULT_DURATION
    finish = _moment(end) if end.time is not None else datetime.combine(
        end.end, datetime.min.time(), tzinfo=begin.tzinfo)
    return begin, finish if finish > begin else begin + DEFAULT_DURATION


def _alarms(visit: Visit, settings: GuildSettings, summary: str) -> list[Alarm]:
    if not visit.date.is_exact_day or not visit.status.is_open:
        return []
    try:
        leads = parse_leads(settings.reminder_leads)
    except UserError:
        leads = list(DEFAULT_LEADS)
    start = visit.date.start_instant(settings.timezone)
    alarms = []
    for planned in plan_reminders(visit.date, visit.status, leads=leads, zone=settings.timezone):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{summary} — {planned.headline}")
        # Relative to the start, so the alarm moves with the event if a calendar shifts it.
        alarm.add("trigger", planned.due - start)
        alarms.append(alarm)
    return alarms


def visit_event(
    visit: Visit, *, guild_id: int, settings: GuildSettings, people: dict[str, Person],
    sources: dict[str, Source], stamp: datetime,
) -> Event:
    event = Event()
    summary = _summary(visit, people)
    event.add("uid", f"{visit.uid}.{guild_id}@attache")
    event.add("dtstamp", stamp.astimezone(UTC))
    begin, end = _span(visit)
    event.add("dtstart", begin)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("location", visit.place or visit.to_country)
    event.add("description", _description(visit, sources))
    event.add("status", _ics_status(visit))
    # All-day spans do not block a calendar: the day may be any in the period.
    event.add("transp", "OPAQUE" if isinstance(begin, datetime) else "TRANSPARENT")
    source = sources.get(visit.source or "")
    if source is not None and source.url:
        event.add("url", source.url)
    for alarm in _alarms(visit, settings, summary):
        event.add_component(alarm)
    return event


def ics_export(
    bundle: Bundle, settings: GuildSettings, *, now: datetime, country: str | None = None
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = "Attaché visits" + (f": {normalise_country(country)}" if country else "")
    calendar.add("x-wr-calname", name)
    people = {p.uid: p for p in bundle.people}
    sources = {s.uid: s for s in bundle.sources}
    for visit in _visits(bundle, country):
        calendar.add_component(visit_event(
            visit, guild_id=settings.guild_id, settings=settings, people=people,
            sources=sources, stamp=now,
        ))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _visits(bundle: Bundle, country: str | None) -> list[Visit]:
    if not country:
        return list(bundle.visits)
    name = normalise_country(country)
    return [v for v in bundle.visits if involves(v, name)]


# --- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    """User text inside Markdown: characters that would start formatting are escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _day(d: date) -> str:
    return FuzzyDate(d).render()


def _by_date(records: Iterable[Any], attr: str = "date") -> list[Any]:
    dated = [r for r in records if getattr(r, attr) is not None]
    undated = [r for r in records if getattr(r, attr) is None]
    return sorted(dated, key=lambda r: getattr(r, attr)) + undated


def _person_name(uid: str, people: dict[str, Person]) -> str:
    person = people.get(uid)
    return _md(person.name if person else uid)


def digest_markdown(bundle: Bundle, *, today: date, zone: str, country: str | None = None) -> str:
    """Every record in one readable file, one section per record type."""
    people = {p.uid: p for p in bundle.people}
    title = "# Attaché records" + (f": {_md(normalise_country(country))}" if country else "")
    out = [title, "", f"As of {_day(today)} (server time zone {zone}); {len(bundle)} records."]
    if not len(bundle):
        out += ["", "Nothing is recorded yet."]
        return "\n".join(out) + "\n"

    out += ["", f"## Visits ({len(bundle.visits)})"]
    for v in _by_date(bundle.visits):
        when = _dates(v) + (f" ({_date_note(v)})" if _date_note(v) else "")
        place = f", {_md(v.place)}" if v.place else ""
        out.append(f"- **{_md(_who(v, people))}: {_md(v.from_country)} → {_md(v.to_country)}**"
                   f" — {when}, {v.status.label}{place}")
        out += _sub("Purpose", v.purpose) + _sub("Notes", v.notes)

    out += ["", f"## Meetings ({len(bundle.meetings)})"]
    for m in _by_date(bundle.meetings):
        place = f", {_md(m.place)}" if m.place else ""
        out.append(f"- {m.date.render()} — **{_md(m.title)}** ({m.kind.label}{place})")
        who = [_person_name(p.person, people) + (f" ({_md(p.part)})" if p.part else "")
               for p in m.participants]
        out += _sub("Participants", "; ".join(who), escape=False)
        out += _sub("Countries", ", ".join(m.countries)) + _sub("Topics", ", ".join(m.topics))
        out += _sub("Summary", m.summary)

    out += ["", f"## Plans and agreements ({len(bundle.plans)})"]
    for p in _by_date(bundle.plans):
        head = ", ".join(filter(None, [p.kind.label, p.status.label,
                                       p.date.render() if p.date else "undated", _md(p.place)]))
        out.append(f"- **{_md(p.title)}** ({head})")
        signed = [_person_name(s.person, people) + (f" ({_md(s.on_behalf_of)})"
                                                    if s.on_behalf_of else "")
                  for s in p.signatories]
        out += _sub("Parties", ", ".join(p.parties))
        out += _sub("Signatories", "; ".join(signed), escape=False)
        if p.fields:
            out += _sub(f"Fields of cooperation ({len(p.fields)})", ", ".join(p.fields))
        out += _sub("Summary", p.summary)

    out += ["", f"## People ({len(bundle.people)})"]
    for person in sorted(bundle.people, key=lambda x: x.name.casefold()):
        extra = ", ".join(_md(x) for x in (person.title, person.country) if x)
        out.append(f"- **{_md(person.name)}**" + (f", {extra}" if extra else ""))
        out += _sub("Notes", person.notes)

    out += ["", f"## Sources ({len(bundle.sources)})"]
    for s in _by_date(bundle.sources, "published"):
        dated = f" ({s.published.render()})" if s.published else ""
        link = f" <{s.url}>" if s.url else ""
        out.append(f"- {_md(s.title)}{dated}{link}")
        out += _sub("Summary", s.summary)
    return "\n".join(out) + "\n"


def _sub(label: str, text: str, *, escape: bool = True) -> list[str]:
    if not text.strip():
        return []
    return [f"  - {label}: {_md(text) if escape else text}"]


# --- one entry point per export ------------------------------------------------------------------


def slug(text: str) -> str:
    """'Côte d'Ivoire' -> 'cote-d-ivoire', for file names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "country"


def export_filename(fmt: ExportFormat, today: date, country: str | None = None) -> str:
    if fmt is ExportFormat.MARKDOWN and country:
        return f"briefing-{slug(normalise_country(country))}-{today.isoformat()}.md"
    middle = f"-{slug(normalise_country(country))}" if country else ""
    return f"attache{middle}-{today.isoformat()}{fmt.suffix}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def render_export(
    bundle: Bundle, fmt: ExportFormat | str, settings: GuildSettings, *, now: datetime,
    country: str | None = None, briefing: Briefing | None = None,
) -> ExportFile:
    """The file for `fmt` from every record of a server (`bundle`), optionally one country's.

    A Markdown export for a country is that country's briefing, which the caller builds
    (build_briefing reads the store) and passes in.
    """
    fmt = fmt if isinstance(fmt, ExportFormat) else ExportFormat.parse(fmt)
    today = now.astimezone(zone_info(settings.timezone)).date()
    name = normalise_country(country) if country else None
    chosen = filter_country(bundle, name) if name else bundle
    filename = export_filename(fmt, today, name)
    about = f" involving {name}" if name else ""
    if name and not any(involves(r, name) for kind in RecordType for r in chosen.section(kind)):
        about += f" (nothing is recorded for {name}, so the file is empty)"
    records = _count(len(chosen), "record")
    if fmt is ExportFormat.JSON:
        note = (f"JSON export of {records}{about} (schema version {SCHEMA_VERSION}); "
                "/import reads it back.")
        return ExportFile(filename, json_export(chosen), note)
    if fmt is ExportFormat.CSV:
        note = (f"CSV export of {records}{about}: one file per record type, zipped; lists are "
                "separated by semicolons and links name records by uid.")
        return ExportFile(filename, csv_export(chosen, today=today), note)
    if fmt is ExportFormat.ICS:
        visits = _visits(bundle, name)
        note = (f"Calendar of {_count(len(visits), 'visit')}{about}; visits without a "
                "day yet are all-day spans marked tentative.")
        return ExportFile(filename, ics_export(bundle, settings, now=now, country=name), note)
    if name:
        if briefing is None:
            raise ValueError("a country's Markdown export needs its briefing")
        return ExportFile(filename, briefing_text(briefing).encode("utf-8"),
                          f"Briefing on {name} as Markdown.")
    text = digest_markdown(chosen, today=today, zone=settings.timezone)
    return ExportFile(filename, text.encode("utf-8"), f"Markdown digest of {records}.")


async def build_export(
    desk: DeskService, store: RecordStore, guild_id: int, fmt: ExportFormat | str, *,
    now: datetime, country: str | None = None,
) -> ExportFile:
    """Reads a server's records and renders one export; what the command and the CLI call."""
    fmt = fmt if isinstance(fmt, ExportFormat) else ExportFormat.parse(fmt)
    settings = await desk.settings(guild_id)
    bundle = await store.export_bundle(guild_id)
    briefing = None
    if fmt is ExportFormat.MARKDOWN and country:
        briefing = await build_briefing(desk, guild_id, country)
    return render_export(bundle, fmt, settings, now=now, country=country, briefing=briefing)


# --- import -------------------------------------------------------------------------------------

_NOT_JSON = {
    ".csv": "a CSV file", ".zip": "a zip archive", ".ics": "a calendar file",
    ".md": "a Markdown file", ".txt": None, ".json": None,
}


def check_upload(filename: str, size: int) -> None:
    """Refuses, before anything is downloaded, a file that cannot be an import."""
    if size > MAX_IMPORT_BYTES:
        raise UserError(
            f"{filename} is {size / 1024 / 1024:.1f} MB; an import can be at most "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Nothing was imported."
        )
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = _NOT_JSON.get(suffix)
    if kind:
        raise UserError(
            f"{filename} is {kind}. Only the JSON export (/export format:json, or "
            "`python -m bot export`) can be imported. Nothing was imported."
        )


def read_upload(filename: str, data: bytes) -> Any:
    """The JSON value in an uploaded file, or a UserError saying why it is not one."""
    check_upload(filename, len(data))
    if data.startswith(b"PK\x03\x04") or data.lstrip().startswith(b"BEGIN:VCALENDAR"):
        raise UserError(
            f"{filename} is not JSON (it looks like a zip or calendar export). Only the JSON "
            "export can be imported. Nothing was imported."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"{filename} is not UTF-8 text, so it cannot be the JSON export. Nothing was "
            "imported."
        ) from None
    try:
        return parse_json_text(text)
    except UserError as exc:
        raise UserError(f"{filename}: {exc.message} Only the JSON export can be imported; "
                        "nothing was imported.") from None


def rejection_text(
    rejected: ImportRejected, filename: str, *, shown: int = ERRORS_SHOWN,
    limit: int = REPLY_LIMIT,
) -> tuple[str, str | None]:
    """The reply to a refused import, and the full list as text when the reply cannot hold it.

    The reply lists at most `shown` problems and stays within `limit` characters (a Discord
    message); whenever any problem is left out, all of them come back as a file too.
    """
    errors: list[RowError] = rejected.errors
    count = len(errors)
    head = (f"Nothing was imported from {filename}: "
            f"{_count(count, 'problem')} found. Fix them and import the file again.")
    lines = [head]
    for error in errors[:shown]:
        line = f"- {_clip(str(error), 300)}"
        # Keep room for the closing line that points to the file.
        if sum(len(x) + 1 for x in lines) + len(line) > limit - 100:
            break
        lines.append(line)
    listed = len(lines) - 1
    if listed == count:
        return "\n".join(lines), None
    lines.append(f"… and {count - listed} more; every problem is listed in the attached file.")
    full = "\n".join([head, "", *(str(e) for e in errors)]) + "\n"
    return "\n".join(lines), full


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class TransferService:
    """Exports and imports for one bot: the store for whole bundles, the desk for the rules."""

    def __init__(
        self, desk: DeskService, store: RecordStore, clock: Callable[[], datetime], *,
        on_import: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self._desk = desk
        self._store = store
        self._clock = clock
        # Called with the guild id after an import wrote records (reminders re-plan there).
        self._on_import = on_import

    async def export(
        self, guild_id: int, fmt: ExportFormat | str, *, country: str | None = None
    ) -> ExportFile:
        return await build_export(self._desk, self._store, guild_id, fmt, now=self._clock(),
                                  country=country)

    async def check_import(self, actor: Actor, filename: str, size: int) -> None:
        """Refuses early, before the file is read: rights first, then its name and size."""
        await self._desk.check_editor(actor)
        check_upload(filename, size)

    async def import_file(self, actor: Actor, filename: str, data: bytes) -> ImportReport:
        """All of the file or none of it; ImportRejected lists every problem row by row."""
        await self.check_import(actor, filename, len(data))
        value = read_upload(filename, data)
        report = await import_data(self._store, actor.guild_id, value, actor_id=actor.user_id)
        if self._on_import is not None:
            await self._on_import(actor.guild_id)
        return report
