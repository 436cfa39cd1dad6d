"""DeliveryStore: one row per planned post, claimed before sending, marked after.

A row belongs to a record (`record_type`, `record_id`: a visit's or a follow-up's number in
its server) or to the server's weekly digest (DIGEST, record 0). Every kind goes through the
same claim, nonce and mark-sent path, so each is posted exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import aiosqlite

from bot.stores.database import Database
from bot.stores.scope import ALL, Scope


class Status(StrEnum):
    """Where a planned send is; the schema's CHECK on deliveries.status lists the same."""

    PLANNED = "planned"  # waiting for its due time
    CLAIMED = "claimed"  # taken by a process (claimed_by) that is posting it now
    SENT = "sent"
    FAILED = "failed"  # a post was refused; retried once the problem is mended
    SKIPPED = "skipped"  # not sent, on purpose (reason says why)
    SUPERSEDED = "superseded"  # replaced by a send computed from newer facts (reason)


# Sends that may still go out, and so are replaced when the facts behind them change.
OPEN = (Status.PLANNED, Status.FAILED)


def _among(statuses: Iterable[Status]) -> str:
    """An SQL list of statuses; the values are the enum's own, never user text."""
    return "(" + ", ".join(f"'{s.value}'" for s in statuses) + ")"

VISIT = "visit"
FOLLOWUP = "followup"
DIGEST = "digest"

# A server takes part in delivery only while it has a channel and is not paused.
_ACTIVE = (
    "guild_id IN (SELECT guild_id FROM guild_settings"
    " WHERE reminder_channel_id IS NOT NULL AND reminders_paused = 0)"
)

# How long a claim keeps other processes off a send, unless set (CLAIM_LEASE_SECONDS): far
# longer than posting one batch takes, short enough that a dead process's reminders go out
# minutes late, not hours.
LEASE = timedelta(minutes=2)



# Records planned per round of statements (each chunk's record numbers are one IN list).
PLAN_CHUNK = 500

# The notification channel that tells every process a server's planned sends changed; the
# payload is the server's id.
PLANS_CHANGED = "attache_plans"
# Tells every other process that sends were claimed (payload: the claimer), so that each
# watches the new lease and takes the sends over should it lapse.
CLAIMED = "attache_claims"


@dataclass(frozen=True)
class NewDelivery:
    """A send to plan. Its identity is the record and `key`: what it was computed from, its
    due time included, so planning is idempotent and any change that moves a send (the
    server's zone, its lead times, the record's date or precision) replaces the row."""

    kind: str
    lead: str
    computed_for: str
    due: datetime
    headline: str

    @property
    def basis(self) -> str:
        # A notice is about one change and is sent once, whenever it is posted.
        return "" if self.kind == "notice" else _utc(self.due)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.lead, self.computed_for, self.basis)


@dataclass(frozen=True)
class Delivery:
    id: int
    guild_id: int
    record_type: str
    record_id: int
    kind: str
    lead: str
    computed_for: str
    due: datetime
    headline: str
    status: Status
    batch: int | None
    late: bool
    attempts: int
    last_error: str | None
    reason: str | None
    channel_id: int | None
    message_id: int | None

    @property
    def visit_id(self) -> int:
        """The visit's number, for a visit's row (a follow-up's row is never batched with
        visits, so a visit's renderer never reads another type's number as a visit's)."""
        return self.record_id


def _row(row: aiosqlite.Row) -> Delivery:
    return Delivery(
        id=row["id"], guild_id=row["guild_id"], record_type=row["record_type"],
        record_id=row["record_id"], kind=row["kind"],
        lead=row["lead"], computed_for=row["computed_for"],
        due=datetime.fromisoformat(row["due_at"]), headline=row["headline"],
        status=Status(row["status"]), batch=row["batch"], late=bool(row["late"]),
        attempts=row["attempts"], last_error=row["last_error"], reason=row["reason"],
        channel_id=row["channel_id"], message_id=row["message_id"],
    )


def _utc(moment: datetime) -> str:
    """One fixed UTC format, so due times compare correctly as text in SQL."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class DeliveryStore:
    def __init__(
        self, db: Database, clock: Callable[[], datetime], scope: Scope = ALL,
        lease: timedelta = LEASE,
    ) -> None:
        self._db = db
        self._clock = clock
        self.scope = scope
        self._lease = lease

    async def on_plans_changed(self, wake: Callable[[], None]) -> bool:
        """Calls `wake` when another process changed the plans of a server in this scope
        (a command-line import, a shard that took a command), or claimed sends whose lease
        this process must watch; False where no other process can write (SQLite)."""
        def planned(payload: str) -> None:
            if payload.isdigit() and self.scope.owns(int(payload)):
                wake()

        def claimed(payload: str) -> None:
            if payload != self.scope.owner:
                wake()

        heard = await self._db.listen(PLANS_CHANGED, planned)
        return await self._db.listen(CLAIMED, claimed) and heard

    def _now(self) -> str:
        return _utc(self._clock())

    async def plan(
        self, guild_id: int, record_id: int, wanted: Sequence[NewDelivery],
        keys: set[tuple[str, str, str, str]], *, record_type: str = VISIT,
    ) -> tuple[int, int]:
        """Adds the `wanted` rows and supersedes open rows whose key (see NewDelivery) left
        `keys`; returns (added, superseded).

        `keys` is the visit's whole plan, past-due entries included, so a row that fell due
        while the bot was away is kept for the late-or-stale decision instead of being
        superseded. Rows already sent, skipped or superseded are history and stay; notices
        are never superseded by a new plan.
        """
        return await self.plan_many(guild_id, {record_id: (wanted, keys)},
                                    record_type=record_type)

    async def plan_many(
        self, guild_id: int,
        plans: Mapping[int, tuple[Sequence[NewDelivery], set[tuple[str, str, str, str]]]],
        *, record_type: str = VISIT,
    ) -> tuple[int, int]:
        """`plan` for many records of one type and server in one transaction.

        A few statements per PLAN_CHUNK records rather than several per record: the rows
        already there are read once a chunk, the stale ones superseded in one statement,
        and the wanted ones written in one batch.
        """
        now = self._now()
        reason = (f"the {_NOUNS.get(record_type, 'record')}'s date, the lead times or the "
                  "time zone changed")
        added = superseded = 0
        async with self._db.transaction() as conn:
            numbers = list(plans)
            for start in range(0, len(numbers), PLAN_CHUNK):
                chunk = numbers[start:start + PLAN_CHUNK]
                async with conn.execute(
                    "SELECT id, record_id, kind, lead, computed_for, basis, status"
                    " FROM deliveries WHERE guild_id = ? AND record_type = ?"
                    f" AND kind != 'notice' AND record_id IN ({', '.join('?' for _ in chunk)})",
                    (guild_id, record_type, *chunk),
                ) as cur:
                    found = await cur.fetchall()
                stale: list[int] = []
                present: set[tuple[int, str, str, str, str]] = set()
                for row in found:
                    number = int(row["record_id"])
                    key = (row["kind"], row["lead"], row["computed_for"], row["basis"])
                    if row["status"] in OPEN and key not in plans[number][1]:
                        stale.append(int(row["id"]))
                    elif row["status"] != "superseded":
                        present.add((number, *key))
                await self._set(conn, stale, now, status=Status.SUPERSEDED, reason=reason)
                superseded += len(stale)
                rows = []
                for number in chunk:
                    for w in plans[number][0]:
                        if (number, *w.key) not in present:
                            added += 1
                        rows.append((guild_id, record_type, number, w.kind, w.lead,
                                     w.computed_for, w.basis, _utc(w.due), w.headline, now, now))
                # A send superseded before and wanted again (lead times or a date changed
                # and changed back) is planned again; one sent, skipped or already planned
                # stays as it is.
                await conn.executemany(
                    "INSERT INTO deliveries (guild_id, record_type, record_id,"
                    " kind, lead, computed_for, basis, due_at, headline, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (guild_id, record_type, record_id, kind, lead,"
                    " computed_for, basis) DO UPDATE SET"
                    f" status = '{Status.PLANNED}', batch = NULL,"
                    " reason = NULL, last_error = NULL, attempts = 0,"
                    " claimed_by = NULL, claimed_until = NULL, due_at = excluded.due_at,"
                    " headline = excluded.headline, updated_at = excluded.updated_at"
                    f" WHERE deliveries.status = '{Status.SUPERSEDED}'", rows)
            if added or superseded:
                await self._db.dialect.notify(conn, PLANS_CHANGED, str(guild_id))
        return added, superseded

    async def add_notice(self, guild_id: int, visit_id: int, notice: NewDelivery) -> bool:
        now = self._now()
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO deliveries (guild_id, record_type, record_id, kind, lead,"
                " computed_for, basis, due_at, headline, created_at, updated_at)"
                " VALUES (?, 'visit', ?, 'notice', ?, ?, '', ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (guild_id, visit_id, notice.lead, notice.computed_for, _utc(notice.due),
                 notice.headline, now, now),
            )
            await self._db.dialect.notify(conn, PLANS_CHANGED, str(guild_id))
            return cur.rowcount == 1

    async def close_visit(self, guild_id: int, visit_id: int, reason: str) -> int:
        """Supersedes every open reminder of a visit that will not happen as planned."""
        return await self.close(guild_id, VISIT, visit_id, reason)

    async def close(self, guild_id: int, record_type: str, record_id: int, reason: str) -> int:
        """Supersedes every open reminder of a record that no longer needs them."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE deliveries SET status = '{Status.SUPERSEDED}', reason = ?, updated_at = ?"
                " WHERE guild_id = ? AND record_type = ? AND record_id = ? AND kind != 'notice'"
                f" AND status IN {_among(OPEN)}",
                (reason, self._now(), guild_id, record_type, record_id),
            )
            return cur.rowcount

    async def next_due(self) -> datetime | None:
        """When the next send of this scope's servers falls due, or another process's claim
        lapses (see `lapsed`)."""
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT min(due_at) FROM deliveries"
                f" WHERE status = '{Status.PLANNED}' AND {_ACTIVE}"
                f" AND {self.scope.sql()}"
            ) as cur:
                row = await cur.fetchone()
            async with conn.execute(
                f"SELECT min(claimed_until) FROM deliveries WHERE status = '{Status.CLAIMED}'"
                " AND claimed_by <> ?", (self.scope.owner,),
            ) as cur:
                lease = await cur.fetchone()
        times = [datetime.fromisoformat(r[0]) for r in (row, lease) if r and r[0]]
        return min(times, default=None)

    async def claim_due(self, now: datetime) -> list[Delivery]:
        """Claims every due row of this scope's active servers; one batch per server and
        record type (visits, follow-ups, the digest), named by its first row.

        A claimed row is never planned again by this method, so two pollers, a poller and
        a restart, or two processes (whose claims skip each other's locked rows) cannot
        send it twice; a crash leaves it claimed, under a lease, for recovery.
        """
        stamp = self._now()
        until = _utc(self._clock() + self._lease)
        async with self._db.transaction() as conn:
            async with conn.execute(
                f"SELECT * FROM deliveries WHERE status = '{Status.PLANNED}' AND due_at <= ?"
                f" AND {_ACTIVE}"
                f" AND {self.scope.sql()}"
                f" ORDER BY guild_id, due_at, id{self._db.dialect.claim_lock}",
                (_utc(now),),
            ) as cur:
                rows = [_row(r) for r in await cur.fetchall()]
            batches: dict[tuple[int, str], int] = {}
            for row in rows:
                batches.setdefault((row.guild_id, row.record_type), row.id)
            for (guild_id, record_type), batch in batches.items():
                ids = [r.id for r in rows
                       if r.guild_id == guild_id and r.record_type == record_type]
                await conn.execute(
                    f"UPDATE deliveries SET status = '{Status.CLAIMED}', batch = ?, claimed_by = ?,"
                    " claimed_until = ?, updated_at = ?"
                    f" WHERE id IN ({', '.join('?' for _ in ids)})",
                    (batch, self.scope.owner, until, stamp, *ids),
                )
            if rows:
                await self._db.dialect.notify(conn, CLAIMED, self.scope.owner)
        return [_with(r, status=Status.CLAIMED, batch=batches[(r.guild_id, r.record_type)])
                for r in rows]

    async def lapsed(self) -> list[Delivery]:
        """Other processes' claims whose lease has passed (the claimer died or hangs),
        taken over under a fresh lease to be sent again under the same nonce.

        Any process takes them, whatever shard their server is on: a post goes through
        Discord's HTTP API, which reaches every server, so a dead shard's reminders go out
        minutes late rather than when it is restarted. A running process asks this as it
        asks for due sends; its own claims, still being posted, are never among them.
        """
        return await self._take_over(own=False)

    async def claimed(self) -> list[Delivery]:
        """At start: rows this process claimed and never marked (it stopped between
        claiming and recording), and any other process's whose lease lapsed. They are
        taken over under a fresh lease and sent again under the same nonce, so Discord
        drops a copy that did go out."""
        return await self._take_over(own=True)

    async def _take_over(self, *, own: bool) -> list[Delivery]:
        until = _utc(self._clock() + self._lease)
        if own:
            # Rows claimed before leases existed (no claimer named) belong to whoever
            # serves their server.
            which = (f"(claimed_by IS NULL AND {self.scope.sql()}) OR claimed_by = ?"
                     " OR claimed_until <= ?")
        else:
            which = "claimed_by <> ? AND claimed_until <= ?"
        async with self._db.transaction() as conn:
            async with conn.execute(
                f"SELECT * FROM deliveries WHERE status = '{Status.CLAIMED}' AND ({which})"
                f" ORDER BY batch, id{self._db.dialect.claim_lock}",
                (self.scope.owner, self._now()),
            ) as cur:
                rows = [_row(r) for r in await cur.fetchall()]
            if rows:
                await conn.execute(
                    "UPDATE deliveries SET claimed_by = ?, claimed_until = ?"
                    f" WHERE id IN ({', '.join('?' for _ in rows)})",
                    (self.scope.owner, until, *(r.id for r in rows)),
                )
        return rows

    async def mark_sent(
        self, ids: Iterable[int], channel_id: int, message_id: int, *, late: bool = False
    ) -> None:
        async with self._db.transaction() as conn:
            await self._set(conn, list(ids), self._now(), status=Status.SENT, channel_id=channel_id,
                            message_id=message_id, late=int(late))

    async def mark_failed(self, ids: Iterable[int], error: str) -> None:
        async with self._db.transaction() as conn:
            await self._set(conn, list(ids), self._now(), status=Status.FAILED, last_error=error,
                            bump=True)

    async def retry_later(self, ids: Iterable[int], error: str, due: datetime) -> None:
        async with self._db.transaction() as conn:
            await self._set(conn, list(ids), self._now(), status=Status.PLANNED, last_error=error,
                            due_at=_utc(due), batch=None, bump=True)

    async def skip(self, ids: Iterable[int], reason: str) -> None:
        async with self._db.transaction() as conn:
            await self._set(conn, list(ids), self._now(), status=Status.SKIPPED, reason=reason)

    async def reopen_failed(self, guild_id: int) -> int:
        """Failed rows go back to planned once the setting that broke them is fixed."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE deliveries SET status = '{Status.PLANNED}', batch = NULL, updated_at = ?"
                f" WHERE guild_id = ? AND status = '{Status.FAILED}'",
                (self._now(), guild_id),
            )
            await self._db.dialect.notify(conn, PLANS_CHANGED, str(guild_id))
            return cur.rowcount

    async def for_visit(self, guild_id: int, visit_id: int) -> list[Delivery]:
        return await self.for_record(guild_id, VISIT, visit_id)

    async def for_record(
        self, guild_id: int, record_type: str, record_id: int
    ) -> list[Delivery]:
        async with self._db.read() as conn, conn.execute(
            "SELECT * FROM deliveries WHERE guild_id = ? AND record_type = ? AND record_id = ?"
            " ORDER BY due_at, id",
            (guild_id, record_type, record_id),
        ) as cur:
            return [_row(r) for r in await cur.fetchall()]

    async def for_guild(
        self, guild_id: int, statuses: Sequence[Status], *, limit: int = 10,
        newest: bool = False,
    ) -> list[Delivery]:
        order = "DESC" if newest else "ASC"
        marks = ", ".join("?" for _ in statuses)
        async with self._db.read() as conn, conn.execute(
            f"SELECT * FROM deliveries WHERE guild_id = ? AND status IN ({marks})"
            f" ORDER BY due_at {order}, id {order} LIMIT ?",
            (guild_id, *statuses, limit),
        ) as cur:
            return [_row(r) for r in await cur.fetchall()]

    async def counts(self, guild_id: int) -> dict[str, int]:
        async with self._db.read() as conn, conn.execute(
            "SELECT status, count(*) FROM deliveries WHERE guild_id = ? GROUP BY status",
            (guild_id,),
        ) as cur:
            return {row[0]: int(row[1]) for row in await cur.fetchall()}

    async def _set(
        self, conn: aiosqlite.Connection, ids: list[int], now: str, *, bump: bool = False,
        **columns: object,
    ) -> None:
        if not ids:
            return
        assignments = ", ".join(f"{name} = ?" for name in columns)
        attempts = ", attempts = attempts + 1" if bump else ""
        await conn.execute(
            f"UPDATE deliveries SET {assignments}, updated_at = ?{attempts}"
            f" WHERE id IN ({', '.join('?' for _ in ids)})",
            (*columns.values(), now, *ids),
        )

    # --- the weekly digest -----------------------------------------------------------------
    # One row per week (`computed_for` names the week), record 0 of type DIGEST.

    async def plan_digest(self, guild_id: int, week: str, due: datetime, headline: str) -> bool:
        """Plans one week's digest; False when that week's was already posted, claimed or
        skipped (a week gets one digest, whatever the schedule did since) or is planned.

        Digests still ahead that were planned for another time (the schedule changed) are
        superseded; one already due stays for the late-or-stale decision.
        """
        now = self._now()
        basis = _utc(due)
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE deliveries SET status = '{Status.SUPERSEDED}', reason = ?, updated_at = ?"
                " WHERE guild_id = ? AND record_type = 'digest' AND status IN"
                f" {_among(OPEN)} AND due_at > ? AND NOT (computed_for = ? AND basis = ?)",
                ("the digest's schedule changed", now, guild_id, now, week, basis),
            )
            async with conn.execute(
                "SELECT 1 FROM deliveries WHERE guild_id = ? AND record_type = 'digest'"
                " AND computed_for = ? AND status IN"
                f" {_among(s for s in Status if s is not Status.SUPERSEDED)}", (guild_id, week),
            ) as cur:
                if await cur.fetchone() is not None:
                    return False
            cur = await conn.execute(
                "INSERT INTO deliveries (guild_id, record_type, record_id, kind, lead,"
                " computed_for, basis, due_at, headline, created_at, updated_at)"
                " VALUES (?, 'digest', 0, 'digest', 'weekly', ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (guild_id, week, basis, basis, headline, now, now),
            )
            await self._db.dialect.notify(conn, PLANS_CHANGED, str(guild_id))
            return cur.rowcount == 1

    async def close_digests(self, guild_id: int, reason: str) -> int:
        """Supersedes every digest not yet posted (the digest was turned off)."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE deliveries SET status = '{Status.SUPERSEDED}', reason = ?, updated_at = ?"
                " WHERE guild_id = ? AND record_type = 'digest' AND status IN"
                f" {_among(OPEN)}",
                (reason, self._now(), guild_id),
            )
            return cur.rowcount

    # --- "was it held?" questions ---------------------------------------------------------
    # Stand-in storage until questions get a table of their own: a 'notice' row with lead
    # 'held?', one per (visit, dates asked about). It is written as 'sent', so the poster
    # never claims, recovers or supersedes it.

    async def claim_held_question(
        self, guild_id: int, visit_id: int, asked_about: str, headline: str
    ) -> bool:
        """Records that a visit is being asked about; False when it was asked already."""
        now = self._now()
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO deliveries (guild_id, record_type, record_id, kind, lead,"
                " computed_for, basis, due_at, headline, status, created_at, updated_at)"
                f" VALUES (?, 'visit', ?, 'notice', ?, ?, '', ?, ?, '{Status.SENT}', ?, ?)"
                " ON CONFLICT DO NOTHING",
                (guild_id, visit_id, HELD_QUESTION, asked_about, now, headline, now, now),
            )
            return cur.rowcount == 1

    async def held_question_posted(
        self, guild_id: int, visit_ids: Iterable[int], channel_id: int, message_id: int
    ) -> None:
        """Where the questions just claimed were asked, for /reminders preview and history."""
        ids = list(visit_ids)
        if not ids:
            return
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET channel_id = ?, message_id = ?, updated_at = ?"
                " WHERE guild_id = ? AND kind = 'notice' AND lead = ? AND message_id IS NULL"
                f" AND record_type = 'visit' AND record_id IN ({', '.join('?' for _ in ids)})",
                (channel_id, message_id, self._now(), guild_id, HELD_QUESTION, *ids),
            )

    async def release_held_question(self, guild_id: int, visit_id: int, asked_about: str) -> None:
        """Forgets a claim whose message could not be posted, so it is asked another time."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM deliveries WHERE guild_id = ? AND record_type = 'visit'"
                " AND record_id = ? AND kind = 'notice' AND lead = ? AND computed_for = ?"
                " AND message_id IS NULL",
                (guild_id, visit_id, HELD_QUESTION, asked_about),
            )

    async def held_questions(
        self, guild_id: int, visit_ids: Iterable[int] | None = None
    ) -> set[tuple[int, str]]:
        """(visit, dates asked about) for every question asked in a server, or only about
        the visits given (read through the index on the record, not the whole server)."""
        sql = ("SELECT record_id, computed_for FROM deliveries WHERE guild_id = ?"
               " AND record_type = 'visit' AND kind = 'notice' AND lead = ?")
        params: list[Any] = [guild_id, HELD_QUESTION]
        if visit_ids is not None:
            ids = list(visit_ids)
            if not ids:
                return set()
            sql += f" AND record_id IN ({', '.join('?' for _ in ids)})"
            params += ids
        async with self._db.read() as conn, conn.execute(sql, params) as cur:
            return {(int(r[0]), str(r[1])) for r in await cur.fetchall()}


# The lead of a delivery row that records a "was it held?" question rather than a post.
HELD_QUESTION = "held?"

_NOUNS = {VISIT: "visit", FOLLOWUP: "follow-up", DIGEST: "digest"}


def _with(row: Delivery, **changes: object) -> Delivery:
    return replace(row, **changes)  # type: ignore[arg-type]
