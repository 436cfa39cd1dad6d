"""Where a sentence speaks of a known person: by name, as "his Kazakh counterpart", or by office."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.services.ingest import lexicon
from bot.services.ingest.people import Official, Registry
from bot.services.ingest.places import PlaceMention

_BARE_COUNTERPART = re.compile(
    r"\b(?:his|her|their)\s+(?:(?P<dem>[A-ZÀ-Ý][\w']*(?:\s+[A-ZÀ-Ý][\w']*)?)\s+)?counterpart\b"
    r"(?!,?\s+[A-ZÀ-Ý])"
)
_GROUP = re.compile(r"(?i)\b(?:the two|both|the)\s+(?:foreign\s+)?(?P<who>ministers|leaders"
                    r"|presidents|prime ministers|secretaries)\b(?!\s+of\b)")
_LEADER_TITLES = ("president", "prime minister", "king", "emir", "amir", "chancellor", "premier")


@dataclass(frozen=True)
class Ref:
    person: str  # Official.key
    start: int
    end: int


def find_refs(text: str, places: list[PlaceMention], registry: Registry) -> list[Ref]:
    """Every mention of a known person in `text`, in order, without overlaps."""
    refs: list[Ref] = []
    for person in registry.people:
        refs.extend(_by_name(text, person, _keys(person, registry)))
    refs.extend(_by_office(text, places, registry))
    refs.extend(_by_group(text, registry))
    kept: list[Ref] = []
    for ref in sorted(refs, key=lambda r: (r.start, -(r.end - r.start))):
        last = kept[-1] if kept else None
        # "the two ministers" is two references over the same words; keep both.
        if last and ref.start < last.end and (ref.start, ref.end) != (last.start, last.end):
            continue
        kept.append(ref)
    return _with_counterparts(text, places, registry, kept)


def _keys(person: Official, registry: Registry) -> list[str]:
    """The surname, and any other part of the name no one else shares: reports call
    Hafiz Rahman "Hafiz" and Han Seung-woo "Han"."""
    others = [t for p in registry.people if p is not person for t in p.tokens]
    keys = [person.surname]
    for token in person.tokens:
        if token != person.surname and len(token) >= 3 and token not in others:
            keys.append(token)
    return keys


def _by_name(text: str, person: Official, keys: list[str]) -> list[Ref]:
    out = []
    surname = rf"\b{re.escape(keys[0])}\b"
    # A first name counts alone, not when another name follows ("Daniel Smith" is not Koh).
    others = [rf"\b{re.escape(k)}\b(?!\s+[A-ZÀ-Ý])" for k in keys[1:]]
    for found in re.finditer("|".join([surname, *others]), text):
        start = found.start()
        # Reach back over the rest of the name: "Ishaq Dar", "Mohammad Ishaq Dar".
        end = found.end()
        while True:  # and forward: "Hafiz Rahman" found from "Hafiz"
            after = re.match(r"\s+([\w'-]+)", text[end:])
            if after is None or after.group(1) not in person.name.split():
                break
            end += after.end()
        while True:
            before = re.search(r"([\w'-]+)\s+$", text[:start])
            if before is None or before.group(1) not in person.name.split():
                break
            start = before.start(1)
        out.append(Ref(person.key, start, end))
    return out


def _by_office(text: str, places: list[PlaceMention], registry: Registry) -> list[Ref]:
    """ "The Kazakh deputy prime minister", "Kazakhstan DPM/FM", "the Ivorian minister"."""
    out = []
    offices = [(m.start(), m.end(), m.group()) for m in lexicon.TITLE.finditer(text)]
    for m in lexicon.ABBREVIATED_TITLE.finditer(text):
        first = m.group().split("/")[0]
        offices.append((m.start(), m.end(), lexicon.TITLE_ABBREVIATIONS[first]))
    for start, end, office in offices:
        if re.match(r",?\s+[A-ZÀ-Ý][\w'-]+", text[end:]) and not _is_verb_after(text, end):
            continue  # a name follows: the name itself is the reference
        place = next((p for p in places if not p.is_city
                      and re.fullmatch(r"(?:'s)?\s+", text[p.end:start])), None)
        if place is None:
            continue
        if re.search(r"(?i)\b(?:an?|any|every)\s+$", text[: place.start]):
            continue  # "an Ethiopian prime minister": someone, not the one named here
        person = registry.by_role(place.country, office) or registry.by_role(
            place.country, _head(office))
        if person is not None:
            out.append(Ref(person.key, place.start, end))
    return out


def _is_verb_after(text: str, end: int) -> bool:
    """ "Kazakhstan DPM/FM Arrives in Islamabad" in a headline is not a name."""
    word = re.match(r",?\s+([\w'-]+)", text[end:])
    return word is not None and word.group(1).lower() in {"arrives", "arrived", "visits", "meets"}


def _head(office: str) -> str:
    """The part of an office that survives paraphrase: "deputy prime minister", "minister"."""
    office = office.lower()
    for head in ("deputy prime minister", "prime minister", "vice president", "president",
                 "foreign minister", "foreign secretary", "ambassador"):
        if head in office:
            return head
    return office.split(" of ")[0].split(" for ")[0].split()[-1]


def _by_group(text: str, registry: Registry) -> list[Ref]:
    """ "the two ministers", "both leaders": the two principals, one from each side."""
    out = []
    for found in _GROUP.finditer(text):
        leaders = found.group("who") in ("leaders", "presidents", "prime ministers")
        pair = principal_pair(registry, leaders=leaders)
        for person in pair:
            out.append(Ref(person.key, found.start(), found.end()))
    return out


def principal_pair(registry: Registry, *, leaders: bool) -> list[Official]:
    """The two people who face each other in the report: counterparts, else one per country."""
    def fits(person: Official) -> bool:
        is_leader = any(t in person.title.lower() for t in _LEADER_TITLES) and (
            "deputy" not in person.title.lower())
        return is_leader == leaders
    for person in registry.people:
        if person.counterpart_of and fits(person):
            return [person, registry.get(person.counterpart_of)]
    chosen: dict[str, Official] = {}
    for person in sorted(registry.people, key=lambda p: (-p.mentions, p.first_sentence)):
        if fits(person) and person.country and person.country not in chosen:
            chosen[person.country] = person
    return list(chosen.values())[:2] if len(chosen) >= 2 else []


def _with_counterparts(
    text: str, places: list[PlaceMention], registry: Registry, refs: list[Ref]
) -> list[Ref]:
    """Adds "his Kazakh counterpart" (with no name after it) as the person it must mean."""
    out = list(refs)
    for found in _BARE_COUNTERPART.finditer(text):
        before = [r for r in refs if r.end <= found.start()]
        person: Official | None = None
        if before:
            subject = registry.get(before[-1].person)
            if subject.counterpart_of:
                person = registry.get(subject.counterpart_of)
        if person is None and found.group("dem"):
            country = next((p.country for p in places if p.text == found.group("dem")), "")
            person = next((p for p in registry.people if p.country == country
                           and p.counterpart_of), None)
        if person is not None:
            out.append(Ref(person.key, found.start(), found.end()))
    return sorted(out, key=lambda r: r.start)
