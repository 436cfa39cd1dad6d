"""Errors whose text is written for the person who caused them."""

from __future__ import annotations


class UserError(Exception):
    """Something the user got wrong; the message says what and what is accepted.

    The text is shown to the user as is (ephemerally in Discord, on stderr in the CLI),
    so it must never contain internals such as SQL or tracebacks.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(UserError):
    """A record the user named does not exist in their server."""


class PermissionDeniedError(UserError):
    """The user may read but not change records in this server."""
