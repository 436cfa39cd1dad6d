"""Reading lists typed into one slash option: 'a, b; c' and 'Name (part), Name (part)'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.records import LIST_MAX
from bot.domain.syntax import SyntaxRefusal, Topic

_SEPARATORS = re.compile(r"[;,\n]")
_WITH_PART = re.compile(r"^(?P<who>[^()]+?)\s*(?:\((?P<part>[^()]*)\))?$")


def split_list(text: str | None, *, what: str = "entries") -> list[str]:
    """Comma-, semicolon- or line-separated entries, trimmed, empty ones dropped."""
    if not text:
        return []
    items = [item.strip() for item in _SEPARATORS.split(text)]
    items = [item for item in items if item]
    if len(items) > LIST_MAX:
        raise SyntaxRefusal(f"Too many {what}: {len(items)} given, at most {LIST_MAX} are kept.",
                            topic=Topic.MEETINGS)
    return items


@dataclass(frozen=True)
class PersonRef:
    """One entry of a people list: how the person was named, and their part in brackets."""

    who: str
    part: str = ""


def split_people(text: str | None) -> list[PersonRef]:
    """'Ishaq Dar (co-chair); #4 (co-chair), Nurtleu' → people with optional parts.

    Commas inside brackets would split an entry, so entries are separated first by ';'
    or new lines when those are used, and by commas otherwise.
    """
    if not text:
        return []
    separator = r"[;\n]" if re.search(r"[;\n]", text) else r","
    refs = []
    for raw in re.split(separator, text):
        raw = raw.strip()
        if not raw:
            continue
        match = _WITH_PART.match(raw)
        if match is None:
            raise SyntaxRefusal(
                f"Could not read {raw!r}. Write people as 'Name (part)', separated by "
                "commas or semicolons, e.g. 'Ishaq Dar (co-chair); Murat Nurtleu (co-chair)'.",
                topic=Topic.MEETINGS)
        refs.append(PersonRef(match.group("who").strip(), (match.group("part") or "").strip()))
    if len(refs) > LIST_MAX:
        raise SyntaxRefusal(f"Too many people: {len(refs)} given, at most {LIST_MAX}.",
                            topic=Topic.MEETINGS)
    return refs
