"""The sandbox's errors: those raised to whoever drives it, and HTTPError for REST answers."""

from __future__ import annotations

from typing import Any

from bot.sandbox.exchange import Exchange


class SandboxError(Exception):
    """The sandbox cannot do what a test or the person at the prompt asked."""


class BotStopped(SandboxError):
    """The bot being driven has stopped (its task ended or its process exited)."""


class InteractionFailed(SandboxError):
    """No gateway session serves the interaction's shard, so Discord never delivers it."""

    def __init__(self, message: str, exchange: Exchange) -> None:
        super().__init__(message)
        self.exchange = exchange


class HTTPError(Exception):
    """Ends a request with Discord's error body."""

    def __init__(self, status: int, code: int, message: str,
                 body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body or {"message": message, "code": code}
