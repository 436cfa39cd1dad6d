"""Regional and international organisations, and their bodies, as reports name them.

An organisation is not a country, but in a report it is one of the sides: a party to a
declaration, the host of a meeting, the employer of a secretary-general who travels. Ingest
reads it where it reads countries, under one name per organisation ("ASEAN", "African
Union"); a body ("the AU Commission", "the UN Security Council") stands for its organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.organisations import ORGANISATIONS as _DESK
from bot.domain.organisations import seated_in
from bot.services.ingest.memo import cached

# The organisations, their other names, codes and bodies come from the desk's one table
# (bot.domain.organisations), so a side read in a report is named as one typed: codes are
# read only as written (capitals), names and bodies in any case.


@dataclass(frozen=True)
class Organisation:
    name: str
    forms: tuple[str, ...]  # every way of naming it or one of its bodies


def _readable(form: str) -> bool:
    """A short name that is not all capitals ("CoE") is a surname in a report ("Coe")."""
    return len(form) > 3 or form.upper() == form


ORGANISATIONS = tuple(Organisation(org.name, tuple(f for f in org.forms if _readable(f)))
                      for org in _DESK)
NAMES = frozenset(o.name for o in ORGANISATIONS)
__all__ = ["NAMES", "ORGANISATIONS", "OrgMention", "find_organisations", "is_organisation",
           "seated_in"]


def _is_code(form: str) -> bool:
    return re.fullmatch(r"[A-Z][A-Z0-9.]{1,7}", form) is not None


def _pattern(form: str) -> str:
    words = [re.escape(w) for w in form.split()]
    body = r"\s+".join(words)
    return rf"(?<![\w-]){body}(?![\w-])" if not form.endswith(".") else rf"(?<![\w-]){body}"


_BY_FORM: dict[str, str] = {}
# Forms by their first word, each group tried longest first at a word that starts one: a
# sentence is read word by word, not tried against every form at every position.
_BY_FIRST: dict[tuple[bool, str], list[str]] = {}
for _org in ORGANISATIONS:
    for _form in _org.forms:
        _BY_FORM[_form.casefold()] = _org.name
        _code = _is_code(_form)
        _first = re.match(r"[\w'-]+", _form)
        assert _first is not None
        _key = _first.group() if _code else _first.group().casefold()
        _BY_FIRST.setdefault((_code, _key), []).append(_form)
# Longest first, so "African Union Commission" wins over "African Union" and "AU".
_AT: dict[tuple[bool, str], re.Pattern[str]] = {
    key: re.compile("|".join(_pattern(f) for f in sorted(forms, key=len, reverse=True)),
                    0 if key[0] else re.IGNORECASE)
    for key, forms in _BY_FIRST.items()
}
_WORD = re.compile(r"(?<![\w-])[\w'-]+")


@dataclass(frozen=True)
class OrgMention:
    start: int
    end: int
    text: str
    name: str  # the organisation's name as the desk records it


def find_organisations(sentence: str) -> list[OrgMention]:
    """Organisations and bodies named in a sentence, longest spelling first, no overlaps.

    A name in lower case is still a name ("the African union"); a code only in capitals
    ("AU", not "au"), and a name must start with a capital letter to count.
    """
    return list(_organisations_in(sentence))


@cached(8192)
def _organisations_in(sentence: str) -> tuple[OrgMention, ...]:
    found: list[OrgMention] = []
    covered = 0
    for word in _WORD.finditer(sentence):
        if word.start() < covered or not word.group()[0].isupper():
            continue
        best: re.Match[str] | None = None
        # Names first (in any case), then codes (as written), as the longest names win.
        for key in ((False, word.group().casefold()), (True, word.group())):
            pattern = _AT.get(key)
            match = pattern.match(sentence, word.start()) if pattern else None
            if match and (best is None or match.end() > best.end()):
                best = match
        if best is None:
            continue
        name = _BY_FORM.get(" ".join(best.group().split()).casefold())
        if name is not None:
            found.append(OrgMention(best.start(), best.end(), best.group(), name))
            covered = best.end()
    return tuple(found)


def is_organisation(name: str) -> bool:
    return name in NAMES
