"""Faults and holds: requests the sandbox answers with an error, or answers late, on purpose."""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import math
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.state import Recorded

# A held answer is let go after this long at most, so a forgotten hold never hangs a run.
HOLD_LIMIT = 60.0


@dataclass
class Fault:
    """Answers matching requests with an error status instead of (or after) handling them."""

    method: str
    pattern: str
    status: int
    times: int = 1
    retry_after: float = 0.25
    after: bool = False
    body: dict[str, Any] | None = None
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.hits < self.times and method in (self.method, "*") and fnmatch.fnmatchcase(
            path, self.pattern
        )

    def answer(self) -> tuple[int, dict[str, Any], dict[str, str] | None]:
        """Counts a hit and gives the status, body and headers Discord would send."""
        self.hits += 1
        if self.status == 429:
            reset = time.time() + self.retry_after
            headers = {
                "Via": "1.1 google", "Retry-After": str(math.ceil(self.retry_after)),
                "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{reset:.3f}",
                "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
                "X-RateLimit-Bucket": "sandbox-" + secrets.token_hex(4),
                "X-RateLimit-Scope": "user",
            }
            body = self.body or {"message": "You are being rate limited.",
                                 "retry_after": self.retry_after, "global": False}
            return 429, body, headers
        default = {
            403: {"message": "Missing Permissions", "code": 50013},
            404: {"message": "404: Not Found", "code": 0},
        }.get(self.status, {"message": f"{self.status}: sandbox fault", "code": 0})
        return self.status, self.body or default, None


@dataclass
class Hold:
    """Carries out matching requests at once but keeps their answers back until released.

    The bot then waits on a request the server has already acted on, which is the moment a
    crash test needs: the message exists (nonce and all), the bot has not heard so.
    """

    method: str
    pattern: str
    times: int = 1
    held: list[Recorded] = field(default_factory=list)
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, path: str) -> bool:
        return len(self.held) < self.times and method in (self.method, "*") and \
            fnmatch.fnmatchcase(path, self.pattern)

    def release(self) -> None:
        self._released.set()

    async def wait(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._released.wait(), HOLD_LIMIT)


class Faults:
    """The faults and holds set on the server, found for a request in the order they were set."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.holds: list[Hold] = []

    def inject(self, method: str, pattern: str, status: int, *, times: int = 1,
               retry_after: float = 0.25, after: bool = False,
               body: dict[str, Any] | None = None) -> Fault:
        fault = Fault(method.upper(), pattern, status, times, retry_after, after, body)
        self.faults.append(fault)
        return fault

    def hold(self, method: str, pattern: str, *, times: int = 1) -> Hold:
        hold = Hold(method.upper(), pattern, times)
        self.holds.append(hold)
        return hold

    def fault_for(self, record: Recorded) -> Fault | None:
        return next((f for f in self.faults if f.matches(record.method, record.path)), None)

    def hold_for(self, record: Recorded) -> Hold | None:
        return next((h for h in self.holds if h.matches(record.method, record.path)), None)

    def release_all(self) -> None:
        for hold in self.holds:
            hold.release()
