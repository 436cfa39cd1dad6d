"""What every edit command shares: a field left out stays, `-` clears it, and a field every
record of its kind has (a visit's date, a meeting's title) cannot be cleared."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from bot.domain.dateparse import Facing, ParsedDate, settle_year
from bot.domain.errors import UserError
from bot.domain.records import Record, RecordType
from bot.domain.registry import FieldKind, spec_of
from bot.services.desk import DeskService
from bot.services.lists import split_list
from bot.ui.transformers import CLEAR, Cleared, is_clear

L = TypeVar("L")
D = TypeVar("D", ParsedDate, ParsedDate | None, ParsedDate | Cleared | None)

# How an option's description says it: appended to each clearable option of an edit command.
CLEARS = f"; {CLEAR} clears it"


def settled(value: D, facing: Facing | None, today: date, *, anchor: str = "") -> D:
    """A typed date placed in the year its field faces when no year was typed (see
    settle_year); a date left out or cleared passes through."""
    if isinstance(value, ParsedDate):
        return settle_year(value, facing, today, anchor=anchor)
    return value


async def people_change(
    desk: DeskService, guild_id: int, text: str | None, make: Callable[[str, str], L]
) -> list[L] | None:
    """A typed people list as links (participants, signatories): None when the option was
    not given, [] when it was cleared with '-', else each person resolved in the server."""
    if text is None:
        return None
    if is_clear(text):
        return []
    return [make(person.uid, part) for person, part in await desk.resolve_people(guild_id, text)]


class Changes:
    """The fields one edit command sets, read option by option.

    An option not given (None) keeps its field; `-` (or CLEARED from an …Edit transformer)
    empties it — "" for text, [] for a list, no date or link — unless the record-type
    registry says every record has that field, which is refused before anything is saved.
    """

    def __init__(self, kind: RecordType) -> None:
        self.kind = kind
        self._spec = spec_of(kind)
        self.fields: dict[str, object] = {}
        self.cleared: list[str] = []

    def clear(self, name: str) -> None:
        field = self._spec.field(name)
        if field.required:
            raise UserError(
                f"{name} cannot be cleared: every {self.kind.value} has one. Give a new "
                f"{name}, or leave the option out to keep it. Nothing was changed."
            )
        empty: object = None
        if field.kind in (FieldKind.TEXT, FieldKind.LONG):
            empty = ""
        elif field.kind in (FieldKind.LIST, FieldKind.PEOPLE):
            empty = []
        self.fields[name] = empty
        self.cleared.append(name)

    def text(self, name: str, value: str | Cleared | None) -> None:
        """Text as typed (a country already normalised by its transformer)."""
        if value is None:
            return
        if isinstance(value, Cleared) or is_clear(value):
            self.clear(name)
        else:
            self.fields[name] = value

    def items(self, name: str, value: str | None, what: str,
              read: Callable[[list[str]], list[str]] | None = None) -> None:
        """A typed list ('a, b; c') that replaces the whole list; `read` checks and names
        its entries (countries, parties)."""
        if value is None:
            return
        if is_clear(value):
            self.clear(name)
        else:
            items = split_list(value, what=what)
            self.fields[name] = read(items) if read is not None else items

    def date(self, name: str, value: ParsedDate | Cleared | None) -> None:
        if value is None:
            return
        if isinstance(value, Cleared):
            self.clear(name)
        else:
            self.fields[name] = value.date

    def link(self, name: str, value: Record | Cleared | None) -> None:
        """A link to another record, kept by its uid."""
        if value is None:
            return
        if isinstance(value, Cleared):
            self.clear(name)
        else:
            self.fields[name] = value.uid

    def choice(self, name: str, value: object | None) -> None:
        if value is not None:
            self.fields[name] = value

    def people(self, name: str, links: list[L] | None) -> None:
        """People already resolved by people_change: [] means '-' was typed."""
        if links is None:
            return
        if not links:
            self.clear(name)
        else:
            self.fields[name] = links

    def summary(self) -> str:
        """'title, date, place (cleared)': what the reply says was changed."""
        return ", ".join(f"{n} (cleared)" if n in self.cleared else n for n in self.fields)

    def cleared_note(self) -> str:
        """' Cleared: place, end_date.' — or nothing when no field was cleared."""
        return f" Cleared: {', '.join(self.cleared)}." if self.cleared else ""
