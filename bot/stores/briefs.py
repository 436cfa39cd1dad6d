"""BriefStore: the reads a country's briefing makes in one statement each, where pages and
counts of the record store would take many: counts, plans by status, the last held visit
at each level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import RecordType
from bot.stores.database import Database
from bot.stores.records import RecordFilter, filter_sql, order_sql

# The WHERE and ORDER BY are the record store's own (filter_sql, order_sql), so each read
# here returns exactly the records, in the order, that its pages would.


@dataclass(frozen=True)
class HeldVisit:
    """What a brief shows of a visit held: enough for 'last visit at each level', its
    visitor and its source, without loading the whole record."""

    number: int
    uid: str
    visitor: str | None
    source: str | None
    role: str
    from_country: str
    to_country: str
    date: FuzzyDate
    end_date: FuzzyDate | None
    place: str
    purpose: str


@dataclass(frozen=True)
class HeldLevel:
    """A held visit read light, or the newest of one level's (a role and a direction) naming a
    country: its role, its countries and the day it started.

    `outbound` says which side the country is (the visit came from it). For a level the
    country there is the one asked about, as asked, and the other as written on the visits."""

    role: str
    from_country: str
    to_country: str
    day: date
    outbound: bool


@dataclass(frozen=True)
class CountryCounts:
    """A country's records of each type, those of a window, and its plans of each status
    asked for; each stops at a cap."""

    meetings: int
    plans: int
    visits: int
    people: int
    meetings_in_window: int
    plans_signed_in_window: int
    visits_held_in_window: int
    plans_by_status: dict[str, int] = field(default_factory=dict)



class BriefStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _on_country(self) -> str:
        """FROM and WHERE of one server's rows of a type naming a country (parameters:
        server, type, country): the country index alone, never the records."""
        return ("record_countries rc WHERE rc.guild_id = ? AND rc.record_type = ? AND "
                f"{self._db.dialect.same_text('rc.country')}")

    async def _rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        async with self._db.read() as conn:
            return await _fetch(conn, sql, params)

    async def counts(
        self, guild_id: int, country: str, *, window: RecordFilter, signed: Sequence[str],
        held: Sequence[str], cap: int, plan_statuses: Sequence[str] = (),
    ) -> CountryCounts:
        """Every count a brief shows, in one statement. Totals read the country index alone
        (a record is on it once per country it names); the window's counts are those of
        RecordStore.count with the same filter; the plans of each of `plan_statuses` read
        the index's status column (0011), at most cap + 1 entries each."""
        dialect = self._db.dialect
        limit = f" LIMIT {int(cap) + 1}"
        parts: list[str] = []
        params: list[Any] = []
        for kind in (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT, RecordType.PERSON):
            parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM {self._on_country()}{limit})"
                         " AS n)")
            params += [guild_id, kind.value, country]
        for kind, statuses in ((RecordType.MEETING, ()), (RecordType.PLAN, signed),
                               (RecordType.VISIT, held)):
            flt = RecordFilter(country=country, statuses=list(statuses),
                               date_from=window.date_from, date_to=window.date_to)
            source, where, args = filter_sql(kind, guild_id, flt, dialect)
            parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where}{limit})"
                         " AS n)")
            params += args
        # A bounded count of each status is a seek and at most cap + 1 index entries, where
        # one pass over the country's plans grouped by status read them all (or stopped
        # before it knew some statuses) and took a reader of its own.
        statuses = list(dict.fromkeys(plan_statuses))
        for status in statuses:
            parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM {self._on_country()}"
                         f" AND rc.status = ?{limit}) AS n)")
            params += [guild_id, RecordType.PLAN.value, country, status]
        rows = await self._rows(f"SELECT {', '.join(parts)}", params)
        values = [int(value) for value in rows[0]]
        meetings, plans, visits, people, meetings_in, signed_in, held_in = values[:7]
        return CountryCounts(meetings, plans, visits, people, meetings_in, signed_in, held_in,
                             plans_by_status=dict(zip(statuses, values[7:], strict=True)))

    async def plan_pages(
        self, guild_id: int, country: str, statuses: Sequence[tuple[str, bool]], limit: int
    ) -> dict[str, list[int]]:
        """For each (status, newest first), the numbers of the country's first `limit` plans
        as /plan list orders them (dated ones by date, then undated), in one statement.

        Dated and undated plans are read apart: each part then walks the country index in
        its own order and stops after `limit`, where one ORDER BY over both sorted all of
        the country's plans of the status. Undated ones are read only when the dated do not
        fill the page (a status may have none, and looking for them would read them all)."""
        dialect = self._db.dialect
        ctes: list[str] = []
        cte_params: list[Any] = []
        parts: list[str] = []
        params: list[Any] = []
        for i, (status, newest) in enumerate(statuses):
            flt = RecordFilter(country=country, statuses=[status])
            source, where, args = filter_sql(RecordType.PLAN, guild_id, flt, dialect)
            way = "DESC" if newest else "ASC"
            columns = "t.status, {dated} AS dated, rc.date_start, rc.row_id, t.number"
            ctes.append(
                f"d{i} AS MATERIALIZED (SELECT {columns.format(dated=1)} FROM {source}"
                f" WHERE {where} AND rc.date_start IS NOT NULL"
                f" ORDER BY rc.date_start {way}, rc.row_id {way} LIMIT ?)")
            cte_params += [*args, limit]
            parts.append(f"SELECT * FROM d{i}")
            # The test of d{i} is a constant of the inner query: made once, before its walk.
            parts.append(
                f"SELECT * FROM (SELECT {columns.format(dated=0)} FROM {source} WHERE {where}"
                f" AND (SELECT count(*) FROM d{i}) < ? AND rc.date_start IS NULL"
                f" ORDER BY rc.row_id {way} LIMIT ?) AS u{i}")
            params += [*args, limit, limit]
        if not parts:
            return {}
        sql = f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}"
        params = cte_params + params
        found: dict[str, list[tuple[bool, str, int, int]]] = {}
        for status, is_dated, start, row_id, number in await self._rows(sql, params):
            found.setdefault(status, []).append((bool(is_dated), start or "", int(row_id),
                                                 int(number)))
        out: dict[str, list[int]] = {}
        for status, newest in statuses:
            rows = found.get(status, [])
            # Dated before undated either way, each part in its own order (a UNION keeps none).
            first = sorted((r for r in rows if r[0]), key=lambda r: (r[1], r[2]), reverse=newest)
            last = sorted((r for r in rows if not r[0]), key=lambda r: r[2], reverse=newest)
            out[status] = [r[3] for r in [*first, *last][:limit]]
        return out


    async def visit_pages(
        self, guild_id: int, pages: Sequence[RecordFilter], held: RecordFilter,
        ahead: int | None = None,
    ) -> tuple[list[list[int]], list[HeldLevel], list[HeldLevel]]:
        """The numbers of each page of visits, the visits of `held` (a country's, one status,
        in the order of its page) read light as HeldLevel, and, when that page is full, the
        levels of the visits on page `ahead` (see visit_levels: their other countries'), on
        one connection: a brief's visits without a reader for each."""
        dialect = self._db.dialect
        numbers: list[list[int]] = []
        country = held.country or ""
        async with self._db.read() as conn:
            for flt in pages:
                source, where, args = filter_sql(RecordType.VISIT, guild_id, flt, dialect)
                order = order_sql(RecordType.VISIT, flt.newest_first, dialect,
                                   by_country=bool(flt.country))
                rows = await _fetch(
                    conn, f"SELECT t.number FROM {source} WHERE {where} ORDER BY {order}"
                    " LIMIT ? OFFSET ?", (*args, flt.limit, flt.offset))
                numbers.append([int(row[0]) for row in rows])
            source, where, args = filter_sql(RecordType.VISIT, guild_id, held, dialect)
            order = order_sql(RecordType.VISIT, held.newest_first, dialect,
                               by_country=bool(held.country))
            rows = await _fetch(
                conn, f"SELECT CASE WHEN {self._is_country('from_country')} THEN 1 ELSE 0 END,"
                " t.visitor_role, t.from_country, t.to_country, t.date_start"
                f" FROM {source} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                (country, *args, held.limit, held.offset))
            recent = [HeldLevel(role=role, from_country=from_country, to_country=to_country,
                                day=date.fromisoformat(day), outbound=bool(outbound))
                      for outbound, role, from_country, to_country, day in rows]
            levels: list[HeldLevel] = []
            if (ahead is not None and numbers[ahead] and len(recent) == held.limit
                    and held.date_to is not None and len(held.statuses) == 1):
                sql, params = self._of_others(guild_id, country, held.statuses[0],
                                              held.date_to, numbers=numbers[ahead])
                levels = _levels(await _fetch(conn, sql, params), country)
        return numbers, recent, levels

    async def visit_levels(
        self, guild_id: int, country: str, held: str, before: date,
        others: Sequence[tuple[bool, str]] | None = None,
    ) -> list[HeldLevel]:
        """For each role and direction of the visits naming `country` with status `held`
        that started before `before`, the day the newest of them started; in no order.
        `others` keeps only the (outbound, other country) given.

        Read from an index of each side of a visit (0014), never a visit's row but each
        level's last: all of them in one walk that seeks each level's newest entry from the
        last level's, so a level costs a seek or two whatever its number of visits; the
        levels of `others` grouped from those countries' entries alone."""
        if others is None:
            parts = []
            params: list[Any] = []
            for outbound, (mine, other) in ((True, _OUTBOUND), (False, _INBOUND)):
                walk, args = self._walk(f"w{int(outbound)}", mine, other,
                                        [guild_id, held, country, before.isoformat()])
                parts.append(walk)
                params += args
            sql = (f"WITH RECURSIVE {', '.join(parts)} SELECT 1, other, role, day FROM w1"
                   " UNION ALL SELECT 0, other, role, day FROM w0")
        elif others:
            sql, params = self._of_others(guild_id, country, held, before, names=others)
        else:
            return []
        async with self._db.read() as conn:
            return _levels(await _fetch(conn, sql, params), country)

    def _of_others(
        self, guild_id: int, country: str, held: str, before: date, *,
        names: Sequence[tuple[bool, str]] = (), numbers: Sequence[int] = (),
    ) -> tuple[str, list[Any]]:
        """The statement of visit_levels for some other countries (and its parameters):
        those of `names`, or those of the visits numbered `numbers` (their side that is not
        the country). Each side groups the entries of its other countries alone."""
        parts = []
        params: list[Any] = []
        for outbound, (mine, other) in ((True, _OUTBOUND), (False, _INBOUND)):
            if numbers:
                among = (f"SELECT a.{other} FROM visits a WHERE a.guild_id = ? AND a.number IN"
                         f" ({', '.join('?' for _ in numbers)}) AND {self._is_country(mine, 'a')}")
                args: list[Any] = [guild_id, *numbers, country]
            else:
                wanted = sorted({name for out, name in names if out == outbound})
                if not wanted:
                    continue
                among, args = ", ".join("?" for _ in wanted), list(wanted)
            parts.append(
                f"SELECT {int(outbound)}, t.{other}, t.visitor_role, max(t.date_start)"
                f" FROM visits t WHERE {self._side(mine)} AND t.date_start < ?"
                f" AND t.{other} IN ({among}) GROUP BY t.{other}, t.visitor_role")
            params += [guild_id, held, country, before.isoformat(), *args]
        return " UNION ALL ".join(parts), params

    def _walk(self, name: str, mine: str, other: str, where: list[Any]) -> tuple[str, list[Any]]:
        """A recursive query `name`(other, role, day) over one side's index (0014), and its
        parameters: the last level first, and from each level the one before it, in index
        order (the other country, then the role, descending). Each step is one seek that
        lands on the newest entry of the next level with a visit before the day: the next
        role of the same other country, else the last role of the next other country.
        `where` is (server, status, country, day)."""

        def seek(more: str) -> str:
            return (f"(SELECT x.id FROM visits x WHERE {self._side(mine, 'x')}{more}"
                    f" AND x.date_start < ? ORDER BY x.{other} DESC, x.visitor_role DESC,"
                    " x.date_start DESC, x.id DESC LIMIT 1)")

        same = seek(f" AND x.{other} = {name}.other AND x.visitor_role < {name}.role")
        before = seek(f" AND x.{other} < {name}.other")
        columns = f"v.{other}, v.visitor_role, v.date_start"
        return (f"{name}(other, role, day) AS (SELECT {columns} FROM visits v"
                f" WHERE v.id = {seek('')} UNION ALL SELECT {columns} FROM {name}"
                f" JOIN visits v ON v.id = COALESCE({same}, {before}))"), where * 3

    def _side(self, column: str, table: str = "t") -> str:
        """The WHERE of one server's visits of a status with `column` the country
        (parameters: server, status, country)."""
        return (f"{table}.guild_id = ? AND {table}.status = ? AND"
                f" {self._is_country(column, table)}")

    def _is_country(self, column: str, table: str = "t") -> str:
        """`column` is the country (the parameter), case aside, as its 0014 index compares."""
        nocase = self._db.dialect.nocase
        return f"{nocase(f'{table}.{column}')} = {nocase('?')}"

    async def held_visits(
        self, guild_id: int, country: str, held: str, levels: Sequence[HeldLevel]
    ) -> list[HeldVisit]:
        """The visit behind each level, in the order given: the last recorded of those
        that started on its day. One statement, a seek of the level's index for each."""
        if not levels:
            return []
        # One condition per level in one statement: a UNION of a subquery each cost
        # PostgreSQL 28 ms of planning for 25 levels.
        # Each condition names the server and status itself: SQLite reads an OR through an
        # index for each of its terms only when every term can seek one on its own (with them
        # outside the OR it walked all the server's held visits: 110 ms at 100,000).
        ors = []
        params: list[Any] = [country, country]
        for level in levels:
            mine, other = _OUTBOUND if level.outbound else _INBOUND
            ors.append(f"({self._side(mine)} AND t.{other} = ? AND t.visitor_role = ?"
                       " AND t.date_start = ?)")
            params += [guild_id, held, country,
                       level.to_country if level.outbound else level.from_country,
                       level.role, level.day.isoformat()]
        # Which side the country is on, as the conditions tell it (case aside, as they do).
        sides = ", ".join(f"CASE WHEN {self._is_country(c)} THEN 1 ELSE 0 END"
                          for c in ("from_country", "to_country"))
        async with self._db.read() as conn:
            rows = await _fetch(
                conn, f"SELECT {_HELD_COLUMNS}, t.date_start, {sides} FROM visits t"
                " LEFT JOIN people v ON v.id = t.visitor_id"
                " LEFT JOIN sources s ON s.id = t.source_id"
                f" WHERE {' OR '.join(ors)}", params)
        # The rows of every level together; each level's is the highest number of its own.
        last: dict[tuple[bool, str, str, str], tuple[Any, ...]] = {}
        for row in rows:
            *values, day, outbound, inbound = tuple(row)
            number, role, from_country, to_country = (
                int(values[0]), values[4], values[5], values[6])
            keys = [(True, to_country, role, day)] if outbound else []
            keys += [(False, from_country, role, day)] if inbound else []
            for key in keys:
                if key not in last or int(last[key][0]) < number:
                    last[key] = tuple(values)
        out = []
        for level in levels:
            other = level.to_country if level.outbound else level.from_country
            found = last.get((level.outbound, other, level.role, level.day.isoformat()))
            if found is not None:
                out.append(_held_visit(found))
        return out


# Each side of a visit: the column that is the country, and the other country's column.
_OUTBOUND = ("from_country", "to_country")
_INBOUND = ("to_country", "from_country")
_HELD_COLUMNS = (
    "t.number, t.uid, v.uid AS visitor, s.uid AS source, t.visitor_role, t.from_country,"
    " t.to_country, t.date_value, t.date_precision, t.date_zone, t.end_value,"
    " t.end_precision, t.end_zone, t.place, t.purpose")


def _levels(rows: Sequence[Any], country: str) -> list[HeldLevel]:
    """HeldLevel of the rows (outbound, other country, role, day) of a level statement."""
    out = []
    for outbound, other, role, day in rows:
        here, there = (country, other) if outbound else (other, country)
        out.append(HeldLevel(role=role, from_country=here, to_country=there,
                             day=date.fromisoformat(day), outbound=bool(outbound)))
    return out


def _held_visit(row: Any) -> HeldVisit:
    (number, uid, visitor, source, role, from_country, to_country, value, precision, zone,
     end_value, end_precision, end_zone, place, purpose) = tuple(row)
    return HeldVisit(
        number=int(number), uid=uid, visitor=visitor, source=source, role=role,
        from_country=from_country, to_country=to_country,
        date=FuzzyDate.from_value(value, precision, zone),
        end_date=(FuzzyDate.from_value(end_value, end_precision, end_zone)
                  if end_value is not None else None),
        place=place, purpose=purpose,
    )


async def _fetch(conn: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    """The rows of one statement. aiosqlite runs execute, fetch and close as one trip to its
    thread (three otherwise); PostgreSQL's connection has the rows once executed."""
    fetch_all = getattr(conn, "execute_fetchall", None)
    if fetch_all is not None:
        return list(await fetch_all(sql, tuple(params)))
    async with conn.execute(sql, tuple(params)) as cur:
        return list(await cur.fetchall())
