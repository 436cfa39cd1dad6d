"""Gateway sessions: sequence numbers, zlib-stream frames, shards, and replay on RESUME."""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME = 0, 1, 2, 3, 4, 6
RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 7, 8, 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41_250

# Close codes Discord uses; 4004 means the token was refused and the client gives up.
AUTHENTICATION_FAILED = 4004
DROPPED = 4000
# Refusals of IDENTIFY's `shard`; discord.py gives up on both rather than reconnect.
INVALID_SHARD = 4010
SHARDING_REQUIRED = 4011


class ShardRefused(Exception):
    """IDENTIFY asked for a shard the server will not hand out; carries the close code."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """Discord's rule for which shard receives a guild's events; DMs (no guild) go to 0."""
    if guild_id is None:
        return 0
    return (guild_id >> 22) % shard_count


def parse_shard(value: Any, *, minimum: int = 1) -> tuple[int, int]:
    """IDENTIFY's `shard` as (id, count), validated as Discord does.

    Missing means [0, 1]. A malformed pair, a count below 1 or an id outside the count is
    4010; a count below `minimum` (what the server needs for its guilds) is 4011.
    """
    if value is None:
        shard = (0, 1)
    else:
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
        if not ok:
            raise ShardRefused(INVALID_SHARD, "Invalid shard.")
        shard = (value[0], value[1])
    shard_id, count = shard
    if count < 1 or not 0 <= shard_id < count:
        raise ShardRefused(INVALID_SHARD, "Invalid shard.")
    if count < minimum:
        raise ShardRefused(SHARDING_REQUIRED, "Sharding required.")
    return shard


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


class Connection:
    """One websocket; frames are zlib-stream compressed when the client asked for it."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, compress: bool) -> None:
        self.ws = ws
        self.request = request
        self._deflate = zlib.compressobj() if compress else None
        # Compressed frames share one stream, so they must leave in the order they were made.
        self._lock = asyncio.Lock()

    async def send(self, payload: dict[str, Any]) -> None:
        text = encode(payload)
        async with self._lock:
            if self.ws.closed:
                raise ConnectionResetError("the gateway connection is closed")
            if self._deflate is None:
                await self.ws.send_str(text)
            else:
                data = self._deflate.compress(text.encode())
                await self.ws.send_bytes(data + self._deflate.flush(zlib.Z_SYNC_FLUSH))

    def cut(self) -> None:
        """Ends the connection as a network failure would: no close frame."""
        transport = self.request.transport
        if transport is not None:
            transport.abort()


@dataclass
class Session:
    """What survives a dropped connection: the id, the sequence and the events sent."""

    intents: int
    # (shard_id, shard_count) from IDENTIFY; kept across RESUME, which does not repeat it.
    shard: tuple[int, int] = (0, 1)
    id: str = field(default_factory=lambda: secrets.token_hex(16))
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    connection: Connection | None = None
    resumes: int = 0
    # The guilds this session was sent GUILD_CREATE for (what "ready" waits on).
    guilds: set[int] = field(default_factory=set)

    def owns(self, guild_id: int | None) -> bool:
        return shard_of(guild_id, self.shard[1]) == self.shard[0]

    def frame(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(payload)
        return payload

    def missed(self, after: int | None) -> list[dict[str, Any]]:
        return [p for p in self.sent if after is None or p["s"] > after]
