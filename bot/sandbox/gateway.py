"""Gateway sessions: sequence numbers, zlib-stream frames, and replay of missed events on RESUME."""

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
    id: str = field(default_factory=lambda: secrets.token_hex(16))
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    connection: Connection | None = None
    resumes: int = 0

    def frame(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(payload)
        return payload

    def missed(self, after: int | None) -> list[dict[str, Any]]:
        return [p for p in self.sent if after is None or p["s"] > after]
