"""Finding the record a person named: by #number, uid, exact title or name, or a unique word.

Record pickers (`visit:`, `person:`, `source:`…) and people lists (`participants:`) read
what was typed the same way, so "Tokayev" finds the visit he makes and "Dar" the person,
wherever they are typed. A word that fits several records names up to five of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.errors import NotFoundError, UserError
from bot.domain.records import Person, Record, RecordType, Visit
from bot.domain.registry import answers_to, headline, spec_of
from bot.domain.syntax import Topic, pointing_to
from bot.domain.textinput import check_text, record_number
from bot.services.lists import split_people
from bot.stores.records import RecordStore

# How many records the search index offers as candidates, and how many an ambiguous
# answer lists.
CANDIDATES = 50
SHOWN = 5


def words_of(text: str) -> list[str]:
    """The words of a text as matching sees them: case and accents do not matter."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"\w+", plain.casefold())


def _normal(text: str) -> str:
    return " ".join(words_of(text))


@dataclass(frozen=True)
class Named:
    """A candidate record with what a person may call it."""

    record: Record
    label: str  # "#2 Kassym-Jomart Tokayev: Kazakhstan → Pakistan, November 2025"
    exact: tuple[str, ...]  # whole names that pick it when typed in full
    words: tuple[str, ...]  # texts whose words pick it when typed (or their starts)


@dataclass
class Match:
    """What a typed name picked: one record, several candidates, or nothing."""

    record: Record | None = None
    candidates: list[Named] = field(default_factory=list)


def pick(typed: str, candidates: Sequence[Named]) -> Match:
    """The one candidate `typed` names: its exact title or name, else the only one whose
    words start with every typed word. Several fits come back as candidates to choose from."""
    key = _normal(typed)
    if not key:
        return Match()
    exact = [c for c in candidates if key in {_normal(e) for e in c.exact}]
    if len(exact) == 1:
        return Match(exact[0].record)
    if exact:
        return Match(candidates=exact)
    wanted = key.split()
    fits = []
    for candidate in candidates:
        own = [w for text in candidate.words for w in words_of(text)]
        if all(any(w.startswith(t) for w in own) for t in wanted):
            fits.append(candidate)
    if len(fits) == 1:
        return Match(fits[0].record)
    return Match(candidates=fits)


def ambiguity(typed: str, kind: RecordType, candidates: Sequence[Named]) -> str:
    """'“Kazakh” fits 3 visits: #1 …; #2 …' with at most SHOWN of them named."""
    names = "\n".join(f"• {c.label}" for c in candidates[:SHOWN])
    more = len(candidates) - SHOWN
    tail = f"\n…and {more} more." if more > 0 else ""
    first = candidates[0].record.id
    return (f"{typed.strip()!r} fits {len(candidates)} {spec_of(kind).nouns}:\n{names}{tail}\n"
            f"Pick one from the suggestions as you type, or give its number, e.g. #{first}.")


def not_found(typed: str, kind: RecordType) -> str:
    return (f"No {spec_of(kind).noun} matches {typed.strip()!r} in this server. Pick one from"
            " the suggestions as you type, or give its number (e.g. #12).")


class RecordLookup:
    """Reads record references against one server's records."""

    def __init__(self, records: RecordStore) -> None:
        self._records = records

    async def find(self, guild_id: int, kind: RecordType, reference: str) -> Record:
        """A record named by #number, uid, its exact title or name, or a unique word."""
        match = await self.match(guild_id, kind, reference)
        if match.record is not None:
            return match.record
        if match.candidates:
            raise UserError(ambiguity(reference, kind, match.candidates))
        raise NotFoundError(not_found(reference, kind))

    async def match(self, guild_id: int, kind: RecordType, reference: str) -> Match:
        text = check_text(reference, f"the {spec_of(kind).noun} named", limit=200).strip()
        number = record_number(text)
        if number is not None:
            found = await self._records.get(guild_id, kind, number)
            if found is not None or text.startswith("#"):
                return Match(found)
        by_uid = await self._records.get_by_uid(guild_id, kind, text)
        if by_uid is not None:
            return Match(by_uid)
        suggested = await self._records.suggest(guild_id, kind, text, limit=CANDIDATES)
        return pick(text, await self._named(guild_id, suggested))

    async def resolve_people(self, guild_id: int, text: str | None) -> list[tuple[Person, str]]:
        """Each 'Name (part)' entry matched to one stored person; all misses named at once.

        A name matches by #number, uid, the exact name, or words starting the words of one
        person's name, so 'Dar' finds 'Mohammad Ishaq Dar' when no one else fits.
        """
        found: list[tuple[Person, str]] = []
        problems = []
        # How a people list is written is told on the meetings page, beside its examples.
        with pointing_to(Topic.MEETINGS):
            refs = split_people(text)
        for ref in refs:
            match = await self.match(guild_id, RecordType.PERSON, ref.who)
            if isinstance(match.record, Person):
                found.append((match.record, ref.part))
                continue
            names = "; ".join(c.label for c in match.candidates[:SHOWN])
            problems.append(f"{ref.who!r}" + (f" (could be: {names})" if names else ""))
        if problems:
            raise UserError(
                f"Not saved: no single person matches {', '.join(problems)}. Add new people "
                "with /person add, or name them by their number, e.g. #4."
            )
        return found

    async def _named(self, guild_id: int, records: Iterable[Record]) -> list[Named]:
        records = list(records)
        visitors = {v.visitor for v in records if isinstance(v, Visit) and v.visitor}
        people = {
            p.uid: p for p in await self._records.get_by_uids(guild_id, RecordType.PERSON, visitors)
            if isinstance(p, Person)
        } if visitors else {}
        return [named(r, people) for r in records]


def named(record: Record, people: dict[str, Person]) -> Named:
    """What a record answers to: a person their name, a visit its visitor and countries,
    anything else its title."""
    title = headline(record, people)
    when = getattr(record, "date", None) or getattr(record, "published", None)
    label = f"#{record.id} {title}" + (f", {when.render()}" if when else "")
    words = answers_to(record, people)
    if isinstance(record, Person):
        return Named(record, label, (record.name, record.heading), words)
    if isinstance(record, Visit):
        return Named(record, label, (title, record.heading), words)
    return Named(record, label, (record.heading,), words)
