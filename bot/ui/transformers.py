"""Transformers: dates, countries, choices and record references read from slash options.

The `…Edit` variants are for edit commands, where `-` typed alone means "clear this
field": they hand the command CLEARED instead of reading `-` as a date, country or record.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from bot.domain.countries import suggest_countries
from bot.domain.dateparse import ParsedDate, parse_fuzzy_date
from bot.domain.errors import UserError
from bot.domain.organisations import closest, read_side, suggest_organisations
from bot.domain.records import Labelled, Record, RecordType
from bot.ui.render import CHOICE_NAME_LIMIT, choice_label, clip

if TYPE_CHECKING:
    from bot.bot import AttacheBot
    from bot.services.desk import DeskService


# Typed alone into an option of an edit command, it empties that field.
CLEAR = "-"


class Cleared(Enum):
    """What an edit option holds when `-` was typed: empty the field."""

    CLEARED = CLEAR


CLEARED = Cleared.CLEARED


def is_clear(text: str | None) -> bool:
    return text is not None and text.strip() == CLEAR


def desk_of(interaction: discord.Interaction) -> DeskService:
    return cast("AttacheBot", interaction.client).desk


class DateTransformer(app_commands.Transformer):
    """Reads a FuzzyDate against today in the server's zone and its day/month order.

    "in 2 hours" counts from the bot's clock; `ranges` lets the option take a first and a
    last day ("24–26 November 2025"), handed over as the ParsedDate's `end`.
    """

    def __init__(self, clearable: bool = False, ranges: bool = False) -> None:
        self.clearable = clearable
        self.ranges = ranges

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: str) -> Any:
        assert interaction.guild_id is not None
        if self.clearable and is_clear(value):
            return CLEARED
        desk = desk_of(interaction)
        settings = await desk.settings(interaction.guild_id)
        today = await desk.today(interaction.guild_id)
        return parse_fuzzy_date(
            value, today=today, zone=settings.timezone, day_first=settings.day_first,
            now=cast("AttacheBot", interaction.client).clock(), ranges=self.ranges,
        )


class CountryTransformer(app_commands.Transformer):
    """Any spelling of a country becomes its canonical name; with `organisations` (where a
    party or side is asked) an organisation too.

    Where a record is written (`strict`), anything else is refused with the closest
    matches, so a typo never becomes a country of its own. A filter (a list's country, a
    briefing) keeps an unknown name as typed: it finds nothing, and says so.
    """

    def __init__(self, clearable: bool = False, organisations: bool = True,
                 strict: bool = False) -> None:
        self.clearable = clearable
        self.organisations = organisations
        self.strict = strict

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: str) -> Any:
        if self.clearable and is_clear(value):
            return CLEARED
        if not self.strict:
            try:
                return read_side(value, organisations=self.organisations)
            except UserError:
                return " ".join(value.split())
        option = _option_named(interaction, value)
        return read_side(value, what=option or "country", organisations=self.organisations)

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        names = suggest_countries(value, limit=25)
        if self.organisations:
            names = [*names, *suggest_organisations(value)][:25]
            if not names and value.strip():
                names = closest(value)
        elif not names and value.strip():
            names = closest(value, organisations=False)
        return [app_commands.Choice(name=clip(n, CHOICE_NAME_LIMIT), value=n) for n in names]


def _option_named(interaction: discord.Interaction, value: str) -> str | None:
    """The name of the option holding `value`, to say which one was refused."""
    for name, given in interaction.namespace:
        if given == value:
            return str(name)
    return None


class ChoiceTransformer(app_commands.Transformer):
    """An enum offered as Discord choices, with people's labels and interchange values."""

    def __init__(self, enum: type[Labelled]) -> None:
        self.enum = enum

    @property
    def choices(self) -> list[app_commands.Choice[str]]:  # type: ignore[override]
        return [app_commands.Choice(name=m.label, value=m.value) for m in self.enum]

    async def transform(self, interaction: discord.Interaction, value: str) -> Any:
        return self.enum.parse(value)


class RecordTransformer(app_commands.Transformer):
    """A record of one type, picked by autocomplete (its id) or typed as #id, uid or title."""

    def __init__(self, kind: RecordType, clearable: bool = False) -> None:
        self.kind = kind
        self.clearable = clearable

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: str) -> Any:
        assert interaction.guild_id is not None
        if self.clearable and is_clear(value):
            return CLEARED
        return await desk_of(interaction).find(interaction.guild_id, self.kind, value)

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        # One read: the suggestions as Lines carry what a label shows (a visitor's name).
        lines = await desk_of(interaction).suggest_lines(interaction.guild_id, self.kind, value)
        return [app_commands.Choice(name=choice_label(line), value=str(line.id))
                for line in lines]


DateOption = app_commands.Transform[ParsedDate, DateTransformer]
# A visit's date: one day, or a first and last day ("24–26 November 2025").
DateRangeOption = app_commands.Transform[ParsedDate, DateTransformer(ranges=True)]
# A filter: a country or organisation, or any name as typed.
CountryOption = app_commands.Transform[str, CountryTransformer]
# A side of a visit: a country or an organisation, checked.
SideOption = app_commands.Transform[str, CountryTransformer(strict=True)]
# A person's country: a country, not an organisation, checked.
NationOption = app_commands.Transform[str, CountryTransformer(organisations=False, strict=True)]
PersonOption = app_commands.Transform[Record, RecordTransformer(RecordType.PERSON)]
MeetingOption = app_commands.Transform[Record, RecordTransformer(RecordType.MEETING)]
PlanOption = app_commands.Transform[Record, RecordTransformer(RecordType.PLAN)]
VisitOption = app_commands.Transform[Record, RecordTransformer(RecordType.VISIT)]
SourceOption = app_commands.Transform[Record, RecordTransformer(RecordType.SOURCE)]

# For edit commands: the same, or CLEARED when `-` was typed.
DateEdit = app_commands.Transform[ParsedDate | Cleared, DateTransformer(clearable=True)]
DateRangeEdit = app_commands.Transform[
    ParsedDate | Cleared, DateTransformer(clearable=True, ranges=True)]
SideEdit = app_commands.Transform[str | Cleared, CountryTransformer(clearable=True, strict=True)]
NationEdit = app_commands.Transform[
    str | Cleared, CountryTransformer(clearable=True, organisations=False, strict=True)]
PersonEdit = app_commands.Transform[
    Record | Cleared, RecordTransformer(RecordType.PERSON, clearable=True)]
MeetingEdit = app_commands.Transform[
    Record | Cleared, RecordTransformer(RecordType.MEETING, clearable=True)]
VisitEdit = app_commands.Transform[
    Record | Cleared, RecordTransformer(RecordType.VISIT, clearable=True)]
SourceEdit = app_commands.Transform[
    Record | Cleared, RecordTransformer(RecordType.SOURCE, clearable=True)]
