"""The token never reaches a log line, however it got into the record."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactFilter

TOKEN = "MTIz.secret-token-value"


def _capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter([TOKEN]))
    logger = logging.getLogger("test.redact")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_token_in_message_arguments_and_tracebacks_is_redacted() -> None:
    logger, stream = _capture()
    logger.warning("connecting with %s", TOKEN)
    logger.warning(f"inline {TOKEN}")
    try:
        raise RuntimeError(f"refused {TOKEN}")
    except RuntimeError:
        logger.exception("login failed")
    text = stream.getvalue()
    assert TOKEN not in text
    assert text.count("[redacted]") == 3
    assert "login failed" in text and "RuntimeError" in text


def test_other_lines_pass_unchanged() -> None:
    logger, stream = _capture()
    logger.info("ready in %d guilds", 3)
    assert stream.getvalue() == "ready in 3 guilds\n"
