"""Logging set-up: plain lines on stderr, and the token scrubbed from anything logged."""

from __future__ import annotations

import logging
import sys


class RedactFilter(logging.Filter):
    """Replaces each secret with a placeholder in a record's final text.

    The check is on the formatted message, so a token passed as an argument or embedded in
    an exception's text is caught as well as one written into the format string.
    """

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        text = message
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            exc_text = record.exc_text
            for secret in self._secrets:
                exc_text = exc_text.replace(secret, "[redacted]")
            record.exc_text = exc_text
        if text != message:
            record.msg, record.args = text, None
        return True


def setup_logging(level: int, secrets: list[str] | None = None) -> None:
    """Plain, uncoloured lines: discord.py's own set-up colours even pipes and files."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    handler.addFilter(RedactFilter(secrets or []))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # discord.http logs request bodies at DEBUG; keep it at INFO even when debugging the bot.
    logging.getLogger("discord.http").setLevel(max(level, logging.INFO))
