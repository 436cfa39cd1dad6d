"""Imports from an uploaded file: checking and reading it, and the reply when one is refused."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import UserError
from bot.domain.interchange import RowError
from bot.services.interchange import ImportRejected, parse_json_text

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# More row errors than this go into an attached text file as well as the reply.
ERRORS_SHOWN = 15
# A refusal is one Discord message long at most.
REPLY_LIMIT = 2000

_NOT_JSON = {
    ".csv": "a CSV file", ".zip": "a zip archive", ".ics": "a calendar file",
    ".md": "a Markdown file", ".txt": None, ".json": None,
}


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def check_upload(filename: str, size: int) -> None:
    """Refuses, before anything is downloaded, a file that cannot be an import."""
    if size > MAX_IMPORT_BYTES:
        raise UserError(
            f"{filename} is {size / 1024 / 1024:.1f} MB; an import can be at most "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Nothing was imported."
        )
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = _NOT_JSON.get(suffix)
    if kind:
        raise UserError(
            f"{filename} is {kind}. Only the JSON export (/export format:json, or "
            "`python -m bot export`) can be imported. Nothing was imported."
        )


def read_upload(filename: str, data: bytes) -> Any:
    """The JSON value in an uploaded file, or a UserError saying why it is not one."""
    check_upload(filename, len(data))
    if data.startswith(b"PK\x03\x04") or data.lstrip().startswith(b"BEGIN:VCALENDAR"):
        raise UserError(
            f"{filename} is not JSON (it looks like a zip or calendar export). Only the JSON "
            "export can be imported. Nothing was imported."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"{filename} is not UTF-8 text, so it cannot be the JSON export. Nothing was "
            "imported."
        ) from None
    try:
        return parse_json_text(text)
    except UserError as exc:
        raise UserError(f"{filename}: {exc.message} Only the JSON export can be imported; "
                        "nothing was imported.") from None


def rejection_text(
    rejected: ImportRejected, filename: str, *, shown: int = ERRORS_SHOWN,
    limit: int = REPLY_LIMIT,
) -> tuple[str, str | None]:
    """The reply to a refused import, and the full list as text when the reply cannot hold it.

    The reply lists at most `shown` problems and stays within `limit` characters (a Discord
    message); whenever any problem is left out, all of them come back as a file too.
    """
    errors: list[RowError] = rejected.errors
    count = len(errors)
    head = (f"Nothing was imported from {filename}: "
            f"{_count(count, 'problem')} found. Fix them and import the file again.")
    lines = [head]
    for error in errors[:shown]:
        line = f"- {_clip(str(error), 300)}"
        # Keep room for the closing line that points to the file.
        if sum(len(x) + 1 for x in lines) + len(line) > limit - 100:
            break
        lines.append(line)
    listed = len(lines) - 1
    if listed == count:
        return "\n".join(lines), None
    lines.append(f"… and {count - listed} more; every problem is listed in the attached file.")
    full = "\n".join([head, "", *(str(e) for e in errors)]) + "\n"
    return "\n".join(lines), full


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
