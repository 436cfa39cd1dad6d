"""TimelineStore: the reads /timeline makes: a country's latest and next marks as light rows,
and how many of its records each lane leaves out, each in one bounded statement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType
from bot.stores.records import RecordFilter, counted_source, filter_sql

if TYPE_CHECKING:
    from bot.stores.database import Database

# The kinds a timeline draws, in the order its lanes are.
KINDS = (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT)


@dataclass(frozen=True)
class TimelineRow:
    """What a mark needs of a record, and no more: its date, its short text and its status.

    `title` is a meeting's or plan's; a visit has its role, countries and visitor instead.
    `ahead` says the record starts today or later (it was read from the next ones)."""

    kind: RecordType
    number: int
    date: FuzzyDate
    end: FuzzyDate | None
    status: str
    title: str
    role: str
    from_country: str
    to_country: str
    visitor: str | None
    ahead: bool


@dataclass(frozen=True)
class LaneCounts:
    """A kind's dated records naming the country (from `since` on): those starting before
    today and those starting today or later, each counted up to a cap. A count past its
    cap means 'more than cap'."""

    before: int
    ahead: int


class TimelineStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def rows(
        self, guild_id: int, country: str, today: date, *, since: date | None,
        before: int, ahead: int,
    ) -> list[TimelineRow]:
        """For each kind, the `before` records naming `country` that started last before
        `today` and the `ahead` that start first from `today` on (plans: dated ones only),
        in one statement. Each part walks the country index in date order from today and
        stops at its limit, whatever the country's number of records."""
        parts: list[str] = []
        params: list[Any] = []
        for kind in KINDS:
            source, where, args = self._where(guild_id, kind, country, since)
            joins, columns = _COLUMNS[kind]
            for is_ahead, limit in ((False, before), (True, ahead)):
                side = ">=" if is_ahead else "<"
                way = "ASC" if is_ahead else "DESC"
                parts.append(
                    f"SELECT * FROM (SELECT '{kind.value}' AS kind, {int(is_ahead)} AS ahead,"
                    f" {columns} FROM {source}{joins} WHERE {where} AND rc.date_start {side} ?"
                    f" ORDER BY rc.date_start {way}, rc.row_id {way} LIMIT ?) AS p{len(parts)}")
                params += [*args, today.isoformat(), limit]
        found = await self._fetch(" UNION ALL ".join(parts), params)
        out: list[TimelineRow] = []
        seen: set[tuple[str, int]] = set()
        for row in found:
            (kind_code, is_ahead, number, title, role, from_country, to_country, visitor,
             status, value, precision, zone, end_value, end_precision, end_zone) = tuple(row)
            # A visit from a country to itself is on the country index twice.
            if (kind_code, int(number)) in seen:
                continue
            seen.add((kind_code, int(number)))
            out.append(TimelineRow(
                kind=RecordType(kind_code), number=int(number),
                date=FuzzyDate.from_value(value, precision, zone),
                end=(FuzzyDate.from_value(end_value, end_precision, end_zone)
                     if end_value is not None else None),
                status=status or "", title=title or "", role=role or "",
                from_country=from_country or "", to_country=to_country or "",
                visitor=visitor, ahead=bool(is_ahead),
            ))
        return out

    async def counts(
        self, guild_id: int, country: str, today: date, *, since: date | None, cap: int
    ) -> dict[RecordType, LaneCounts]:
        """Each kind's LaneCounts, in one statement, reading the country index alone but for
        the records that started in the year before `since` (no later than today): only
        their end says whether they reach into the period. A count past `cap` is 'more'."""
        limit = f" LIMIT {int(cap) + 1}"
        parts: list[str] = []
        params: list[Any] = []
        for kind in KINDS:
            source, where, args = self._where(guild_id, kind, country, None)
            index = counted_source(source, where)
            started = [(index, "rc.date_start >= ? AND rc.date_start < ?",
                        [since.isoformat() if since else "", today.isoformat()])]
            if since is not None:
                # No period is longer than a year (as filter_sql bounds it): what started
                # before `since` and reaches into it started within the year before.
                started.append((source, "rc.date_start > ? AND rc.date_start < ?"
                                " AND t.date_end > ?",
                                [(since - timedelta(days=367)).isoformat(), since.isoformat(),
                                 since.isoformat()]))
            before = " + ".join(
                f"(SELECT count(*) FROM (SELECT 1 FROM {src} WHERE {where} AND {more}{limit})"
                " AS n)" for src, more, _ in started)
            parts.append(f"({before})")
            for _, _, more_args in started:
                params += [*args, *more_args]
            # From today on everything is in the period: it starts on or after `since`.
            parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {where}"
                         f" AND rc.date_start >= ?{limit}) AS n)")
            params += [*args, today.isoformat()]
        [row] = await self._fetch(f"SELECT {', '.join(parts)}", params)
        values = [int(value) for value in tuple(row)]
        return {kind: LaneCounts(before=values[2 * i], ahead=values[2 * i + 1])
                for i, kind in enumerate(KINDS)}

    def _where(
        self, guild_id: int, kind: RecordType, country: str, since: date | None
    ) -> tuple[str, str, list[Any]]:
        """The record store's own FROM and WHERE of the kind's records naming the country
        from `since` on, so the timeline holds what /meeting list country: would list."""
        return filter_sql(kind, guild_id, RecordFilter(country=country, date_from=since),
                          self._db.dialect)

    async def _fetch(self, sql: str, params: Sequence[Any]) -> list[Any]:
        async with self._db.read() as conn:
            # aiosqlite runs execute, fetch and close as one trip to its thread.
            fetch_all = getattr(conn, "execute_fetchall", None)
            if fetch_all is not None:
                return list(await fetch_all(sql, tuple(params)))
            async with conn.execute(sql, tuple(params)) as cur:
                return list(await cur.fetchall())


# Each kind's joins and columns, in one shape for the UNION: number, title, role, from, to,
# visitor, status, date (value, precision, zone), end (value, precision, zone).
_NO_VISIT = "NULL, NULL, NULL, NULL"
_COLUMNS: dict[RecordType, tuple[str, str]] = {
    RecordType.MEETING: (
        "", f"t.number, t.title, {_NO_VISIT}, NULL, t.date_value, t.date_precision,"
            " t.date_zone, NULL, NULL, NULL"),
    RecordType.PLAN: (
        "", f"t.number, t.title, {_NO_VISIT}, t.status, t.date_value, t.date_precision,"
            " t.date_zone, NULL, NULL, NULL"),
    RecordType.VISIT: (
        " LEFT JOIN people v ON v.id = t.visitor_id",
        "t.number, NULL, t.visitor_role, t.from_country, t.to_country, v.name, t.status,"
        " t.date_value, t.date_precision, t.date_zone, t.end_value, t.end_precision,"
        " t.end_zone"),
}
