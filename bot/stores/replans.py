"""ReplanStore: what each server's planned sends were last computed from (`replan_marks`),
and the high-water mark of its record changes that such a mark records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.stores.database import Database


@dataclass(frozen=True)
class HighWater:
    """How far a server's audit log reaches: its row count and newest row id.

    Both are kept because either alone can miss a change: an id handed out before another
    but committed after it (PostgreSQL) leaves the newest id as it was, and the count
    moves; a row id reused after the newest was deleted (SQLite) leaves the count as it
    was, and the id moves.
    """

    count: int
    newest: int


class ReplanStore:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    async def get(self, guild_id: int, scope: str) -> str | None:
        async with self._db.read() as conn, conn.execute(
            "SELECT fingerprint FROM replan_marks WHERE guild_id = ? AND scope = ?",
            (guild_id, scope),
        ) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def put(self, guild_id: int, scope: str, fingerprint: str) -> None:
        at = self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO replan_marks (guild_id, scope, fingerprint, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, scope) DO UPDATE SET"
                " fingerprint = excluded.fingerprint, updated_at = excluded.updated_at",
                (guild_id, scope, fingerprint, at),
            )

    async def forget(self, guild_id: int, scope: str) -> None:
        """No mark: the next start re-plans the server whatever its inputs."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM replan_marks WHERE guild_id = ? AND scope = ?", (guild_id, scope))

    async def schema_version(self) -> int:
        """The migrations applied: one that rewrites records may change what is planned."""
        return await self._db.schema_version()

    async def high_water(self, guild_id: int) -> HighWater:
        """The server's audit log as far as it reaches now (every record write adds a row)."""
        async with self._db.read() as conn, conn.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM audit_log WHERE guild_id = ?",
            (guild_id,),
        ) as cur:
            row = await cur.fetchone()
        return HighWater(int(row[0]), int(row[1])) if row else HighWater(0, 0)

    async def changed_since(
        self, guild_id: int, newest: int, kinds: Sequence[str], limit: int
    ) -> tuple[int, list[tuple[str, int]]]:
        """(how many audit rows of any type came after row `newest`, the distinct (type,
        number) of those of `kinds`, at most `limit` of them)."""
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT count(*) FROM audit_log WHERE guild_id = ? AND id > ?",
                (guild_id, newest),
            ) as cur:
                row = await cur.fetchone()
            rows = int(row[0]) if row else 0
            marks = ", ".join("?" for _ in kinds)
            async with conn.execute(
                "SELECT record_type, record_id FROM audit_log WHERE guild_id = ? AND id > ?"
                f" AND record_type IN ({marks}) GROUP BY record_type, record_id"
                " ORDER BY record_type, record_id LIMIT ?",
                (guild_id, newest, *kinds, limit),
            ) as cur:
                named = [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
        return rows, named
