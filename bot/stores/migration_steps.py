"""What a migration does that its SQL cannot: steps run in its transaction, after its file.

A step uses the store's own code (the registry says what a record's search text is), so
the words are written exactly as the store writes them on every later change. It reads
records as the current code does: a later migration that changes what the store reads
must register its own step rather than rely on an earlier one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.stores.database import Database


async def _rebuild_search(db: Database, conn: Any) -> None:
    from bot.stores.records import RecordStore  # the store imports the database module

    await RecordStore(db, lambda: datetime.now(UTC)).rebuild_search(conn)


# Schema version -> the step run after that version's file.
AFTER: dict[int, Callable[[Database, Any], Awaitable[None]]] = {10: _rebuild_search}
