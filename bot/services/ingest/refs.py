"""Where a sentence speaks of a known person: by name, as "his Kazakh counterpart", or by office."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.services.ingest import lexicon
from bot.services.ingest.people import Official, Registry
from bot.services.ingest.places import PlaceMention
from bot.services.ingest.sentences import matches

_BARE_COUNTERPART = re.compile(
    r"\b(?:his|her|their)\s+(?:(?P<dem>[A-ZÀ-ÞĀ-ž][\w']*(?:\s+[A-ZÀ-ÞĀ-ž][\w']*)?)\s+)?counterpart\b"
    r"(?!,?\s+[A-ZÀ-ÞĀ-ž])"
)
_GROUP = re.compile(r"(?i)\b(?:the two|both|the)\s+(?:foreign\s+)?(?P<who>ministers|leaders"
                    r"|presidents|prime ministers|secretaries)\b"
                    r"(?!\s+of\b(?!\s+(?:the\s+)?[A-ZÀ-ÞĀ-ž][\w'-]*\s+and\s+(?:the\s+)?[A-ZÀ-ÞĀ-ž]))"
                    # "The two last met in Vienna": the two already named.
                    r"|\b(?-i:The two|the two)(?P<bare>)(?=\s+(?:(?:also|last|then|later|jointly"
                    r"|further|had|have)\s+)?(?:met|held|signed|agreed"
                    r"|discussed|reviewed|also|last|have|had|will|would|were|are)\b)")
_LEADER_TITLES = ("president", "prime minister", "king", "emir", "amir", "chancellor", "premier")


@dataclass(frozen=True)
class Ref:
    person: str  # Official.key
    start: int
    end: int


_RUN = re.compile(r"\w+")
_NEXT_WORD = re.compile(r"\s+([\w'-]+)")
_CAPITAL_AFTER = re.compile(r"\s+[A-ZÀ-ÞĀ-ž]")
_CROWD = 8
_NAME_FOLLOWS = re.compile(r",?\s+[A-ZÀ-ÞĀ-ž][\w'-]+")
_INDEFINITE = re.compile(r"(?i)\b(?:an?|any|every)\s+$")


@dataclass
class NameIndex:
    """The registry's names, keyed by their first word, built once per report: each sentence
    is then read once, whatever the number of people (a per-person search of every sentence
    made long reports with many names quadratic)."""

    registry: Registry
    by_first_word: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)
    # Words many people's names start with ("Dar" for twenty people called Dar): the first
    # person of each key, and everyone by the other words of their name, so a mention is
    # checked against the few it can be rather than against all of them.
    crowds: dict[str, tuple[list[int], dict[str, list[int]]]] = field(default_factory=dict)
    _pairs: dict[bool, list[Official]] = field(default_factory=dict)
    countries: dict[str, list[str]] = field(default_factory=dict)  # who is of each country
    _counterpart_of_country: dict[str, Official | None] = field(default_factory=dict)

    @classmethod
    def build(cls, registry: Registry) -> NameIndex:
        index = cls(registry)
        counts = Counter(t for p in registry.people for t in p.tokens)
        for person in registry.people:
            for key in _keys(person, counts):
                first = _RUN.match(key)
                if first is not None:
                    index.by_first_word.setdefault(first.group(), []).append(
                        (key, person.key, key == person.surname))
        for person in registry.people:
            if person.country:
                index.countries.setdefault(person.country, []).append(person.key)
        for word, entries in index.by_first_word.items():
            if len(entries) > _CROWD:
                leaders: dict[str, int] = {}
                by_part: dict[str, list[int]] = {}
                for i, (key, person_key, _) in enumerate(entries):
                    leaders.setdefault(key, i)
                    for part in set(registry.get(person_key).name.split()):
                        by_part.setdefault(part, []).append(i)
                index.crowds[word] = (list(leaders.values()), by_part)
        return index

    def candidates(self, text: str, run: re.Match[str]) -> list[tuple[str, str, bool]]:
        """The people a name-word at `run` may be; for a crowded word only those the words
        beside it name, and the first of each key (whom a bare mention went to anyway)."""
        entries = self.by_first_word.get(run.group(), [])
        crowd = self.crowds.get(run.group())
        if crowd is None:
            return entries
        leaders, by_part = crowd
        chosen = set(leaders)
        after = _NEXT_WORD.match(text, run.end())
        for near in (_previous_word(text, run.start()), after.group(1) if after else ""):
            chosen.update(by_part.get(near, ()))
        return [entries[i] for i in sorted(chosen)]

    def principal_pair(self, *, leaders: bool) -> list[Official]:
        if leaders not in self._pairs:
            self._pairs[leaders] = principal_pair(self.registry, leaders=leaders)
        return self._pairs[leaders]

    def counterpart_in(self, country: str) -> Official | None:
        if country not in self._counterpart_of_country:
            self._counterpart_of_country[country] = next(
                (p for p in self.registry.people if p.country == country and p.counterpart_of),
                None)
        return self._counterpart_of_country[country]


def find_refs(
    text: str, places: list[PlaceMention], registry: Registry, index: NameIndex | None = None
) -> list[Ref]:
    """Every mention of a known person in `text`, in order, without overlaps."""
    index = index or NameIndex.build(registry)
    refs = _by_name(text, index)
    refs.extend(_by_office(text, places, registry, index))
    refs.extend(_by_side(text, places, index))
    refs.extend(_by_group(text, index))
    kept: list[Ref] = []
    for ref in sorted(refs, key=lambda r: (r.start, -(r.end - r.start))):
        last = kept[-1] if kept else None
        # "the two ministers" is two references over the same words; keep both.
        if last and ref.start < last.end and (ref.start, ref.end) != (last.start, last.end):
            continue
        kept.append(ref)
    return _with_counterparts(text, places, registry, kept, index)


def _previous_word(text: str, start: int) -> str:
    """The word just before `start` when only spaces part them, read backwards."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    begin = end
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "_'-"):
        begin -= 1
    return text[begin:end] if end < start else ""


def _keys(person: Official, counts: Counter[str]) -> list[str]:
    """The surname, and any other part of the name no one else shares: reports call
    Hafiz Rahman "Hafiz" and Han Seung-woo "Han"."""
    keys = [person.surname]
    for token in sorted(person.tokens):
        if token != person.surname and len(token) >= 3 and counts[token] == 1:
            keys.append(token)
    return keys


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _ends_word(text: str, end: int, key: str) -> bool:
    """Whether `key` ending at `end` ends at a word boundary, as a regex `\\b` would say."""
    after = _is_word(text[end]) if end < len(text) else False
    return after != _is_word(key[-1])


def _by_name(text: str, index: NameIndex) -> list[Ref]:
    """Each person's names, found from the words of the sentence rather than by a search per
    person. A first name counts alone, not when another name follows ("Daniel Smith" is not
    Koh); each mention reaches over the rest of the name ("Ishaq Dar" from "Dar")."""
    found: dict[str, list[tuple[int, int]]] = {}
    for run in _RUN.finditer(text):
        for key, person, is_surname in index.candidates(text, run):
            start, end = run.start(), run.start() + len(key)
            if not text.startswith(key, start) or not _ends_word(text, end, key):
                continue
            if not is_surname and _CAPITAL_AFTER.match(text, end):
                continue
            spans = found.setdefault(person, [])
            if not spans or spans[-1][1] <= start:  # one person's matches never overlap
                spans.append((start, end))
    out = []
    words = {m.end(): m for m in _NAME_WORD.finditer(text)} if found else {}
    for person_key, spans in found.items():
        parts = set(index.registry.get(person_key).name.split())
        for start, end in spans:
            while (after := _NEXT_WORD.match(text, end)) and after.group(1) in parts:
                end = after.end()
            while (before := _word_before(text, start, words)) is not None and (
                    before.group() in parts):
                start = before.start()
            out.append(Ref(person_key, start, end))
    return out


_NAME_WORD = re.compile(r"[\w'-]+")


def _word_before(text: str, start: int, words: dict[int, re.Match[str]]) -> re.Match[str] | None:
    """The word before `start`, when only spaces part them (`words` by where each ends)."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return words.get(i) if i < start else None


def _by_office(
    text: str, places: list[PlaceMention], registry: Registry, index: NameIndex | None = None
) -> list[Ref]:
    """ "The Kazakh deputy prime minister", "Kazakhstan DPM/FM", "the Ivorian minister".
    ("the Minister" alone, as the one minister named, was tried: it cost the blind set a
    person's country and gained nothing.)"""
    out = []
    offices = [(m.start(), m.end(), m.group()) for m in matches(lexicon.TITLE, text)]
    for m in lexicon.ABBREVIATED_TITLE.finditer(text):
        first = m.group().split("/")[0]
        offices.append((m.start(), m.end(), lexicon.TITLE_ABBREVIATIONS[first]))
    ending = {p.end: p for p in places if not p.is_city}
    for start, end, office in offices:
        if _NAME_FOLLOWS.match(text, end) and not _is_verb_after(text, end):
            continue  # a name follows: the name itself is the reference
        place = _place_before(text, start, ending)
        if place is None:
            continue
        if _INDEFINITE.search(text, max(0, place.start - 12), place.start):
            continue  # "an Ethiopian prime minister": someone, not the one named here
        person = registry.by_role(place.country, office)
        if person is None:
            head = _head(office)
            person = registry.by_role(place.country, head)
            if person is not None and not _qualifiers_fit(office, head, person.title):
                person = None  # "Bangladesh's Chief Adviser" is not its Foreign Adviser
        if person is not None:
            out.append(Ref(person.key, place.start, end))
    return out


def _by_side(text: str, places: list[PlaceMention], index: NameIndex) -> list[Ref]:
    """ "The Saudi delegation held talks with …": the one person of that side the report
    names, who is its head."""
    out = []
    for place in places:
        definite = place.text.lower().startswith("the ") or _THE.search(
            text, max(0, place.start - 4), place.start) is not None
        if place.is_city or not definite:
            continue
        side = _SIDE_WORD.match(text, place.end)
        if side is None:
            continue
        people = index.countries.get(place.country, [])
        if len(people) == 1:
            out.append(Ref(people[0], place.start, side.end()))
    return out


_SIDE_WORD = re.compile(r"(?i)\s+(?:government\s+)?(?:delegation|side)\b")
_THE = re.compile(r"(?i)\bthe\s+$")


def _place_before(text: str, start: int, ending: dict[int, PlaceMention]) -> PlaceMention | None:
    """The country named just before an office: "Kazakh DPM", "Kenya's Cabinet Secretary"."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == start:
        return None
    if i in ending:
        return ending[i]
    if text[max(0, i - 2):i] == "'s":
        return ending.get(i - 2)
    return None


def _is_verb_after(text: str, end: int) -> bool:
    """ "Kazakhstan DPM/FM Arrives in Islamabad" in a headline is not a name."""
    word = re.match(r",?\s+([\w'-]+)", text[end:])
    return word is not None and word.group(1).lower() in {"arrives", "arrived", "visits", "meets"}


_RANK_WORDS = {"chief", "deputy", "vice", "first", "senior", "acting", "state", "foreign",
               "federal", "prime", "grand", "crown"}


def _qualifiers_fit(office: str, head: str, title: str) -> bool:
    """Whether an office written with a rank ("Chief Adviser") may be a paraphrase of a
    person's title: every rank it adds to the head word is in the title too."""
    extra = set(office.lower().split()) - set(head.split())
    return (extra & _RANK_WORDS) <= set(title.lower().split())


def _head(office: str) -> str:
    """The part of an office that survives paraphrase: "deputy prime minister", "minister"."""
    office = office.lower()
    for head in ("deputy prime minister", "prime minister", "vice president", "president",
                 "foreign minister", "foreign secretary", "ambassador"):
        if head in office:
            return head
    return office.split(" of ")[0].split(" for ")[0].split()[-1]


def _by_group(text: str, index: NameIndex) -> list[Ref]:
    """ "the two ministers", "both leaders": the two principals, one from each side."""
    out = []
    for found in _GROUP.finditer(text):
        if found.group("bare") is not None:
            pair = index.principal_pair(leaders=False) or index.principal_pair(leaders=True)
        else:
            who = (found.group("who") or "").lower()
            leaders = who in ("leaders", "presidents", "prime ministers")
            pair = index.principal_pair(leaders=leaders)
            if who in ("presidents", "prime ministers"):
                # "the two Presidents" are presidents, though one may go unnamed.
                office = who[:-1]
                pair = [p for p in pair if _holds(p, office)] or _holding(index.registry, office)
        for person in pair:
            out.append(Ref(person.key, found.start(), found.end()))
    return out


_TWO = re.compile(r"(?i)^(?:the\s+two|both)\b")


def pair_mentions(text: str) -> list[tuple[int, int]]:
    """Where a sentence speaks of two people together: "the two ministers", "both leaders"."""
    return [found.span() for found in _GROUP.finditer(text)
            if found.group("bare") is None and _TWO.match(found.group())]


def _holds(person: Official, office: str) -> bool:
    title = person.title.lower()
    return office in title and "vice" not in title and "deputy" not in title


def _holding(registry: Registry, office: str) -> list[Official]:
    """Up to two people holding `office`, one a country, the most mentioned first."""
    chosen: dict[str, Official] = {}
    for person in sorted(registry.people, key=lambda p: (-p.mentions, p.first_sentence)):
        if _holds(person, office) and person.country not in chosen:
            chosen[person.country] = person
    return list(chosen.values())[:2]


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
    text: str, places: list[PlaceMention], registry: Registry, refs: list[Ref], index: NameIndex
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
            person = index.counterpart_in(country)
        if person is not None:
            out.append(Ref(person.key, found.start(), found.end()))
    return sorted(out, key=lambda r: r.start)
