"""Named officials in a report: who they are, their office and country, and where they recur."""

from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field
from itertools import pairwise

from bot.domain.countries import find_country
from bot.domain.organisations import find_organisation
from bot.services.ingest import lexicon
from bot.services.ingest.places import PlaceMention, find_places
from bot.services.ingest.sentences import Sentence, matches

_COUNTERPART = re.compile(
    # "his visiting Polish counterpart, Marek Zielinski", "her new Thai counterpart"
    r"\b(?:his|her|their|the)\s+(?:(?:visiting|new|incoming)\s+)?"
    r"(?:(?P<dem>[A-ZÀ-ÞĀ-ž][\w']*(?:\s+[A-ZÀ-ÞĀ-ž][\w']*)?)\s+)?counterparts?\b"
    # "her counterpart from the Republic of Korea, Park Min-jun"
    r"(?:\s+(?:from|of)\s+(?P<land>(?:the\s+)?[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+(?:of\s+)?[A-ZÀ-ÞĀ-ž][\w'’-]*)"
    r"{0,3})(?=,))?"
    r"(?P<comma>,?\s+)?"
)
_COUNTERPARTS = re.compile(r"\b(?:his|her|their|the)\s+(?P<a>[A-ZÀ-ÞĀ-ž][\w']*)\s+and\s+"
                           r"(?P<b>[A-ZÀ-ÞĀ-ž][\w']*)\s+counterparts,?\s+")
_NAME_BEFORE = re.compile(rf"(?<![\w'’])(?P<name>{lexicon.NAME.pattern}),\s+")
_PLURAL_TITLE = re.compile(r"\b(?P<title>(?:Deputy )?Prime Ministers|(?:Foreign|Defence|Defense"
                           r"|Trade|Finance|Economy|Interior|Energy|Health) Ministers|Presidents"
                           r"|Foreign Secretaries)\s+")
_SINGULAR_TITLE = {"Secretaries": "Secretary", "Ministers": "Minister", "Presidents": "President"}
_PARTICLES = {"bin", "bint", "ibn", "al", "el", "de", "da", "do", "dos", "das", "del", "della",
              "van", "von", "der", "den", "la", "le", "di", "du"}


@dataclass
class Official:
    """A named person the report speaks of; `key` links drafts to the person until uids exist."""

    key: str
    name: str
    title: str = ""
    country: str = ""
    counterpart_of: str | None = None
    first_sentence: int = 0
    mentions: int = 0
    assumed: bool = False  # the country was taken from the dateline, not from the text
    order: int = 0  # place in the registry, so indexes can keep the report's order
    _tokens_of: tuple[str, frozenset[str]] = field(default=("", frozenset()), repr=False,
                                                   compare=False)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def tokens(self) -> frozenset[str]:
        if self._tokens_of[0] != self.name:
            words = frozenset(t for t in self.name.split() if t not in _PARTICLES)
            self._tokens_of = (self.name, words)
        return self._tokens_of[1]


_POSTNOMINALS = re.compile(r"(?:,?\s+(?:MP|M\.P\.|MEP|MNA|MHR|QC|KC|OBE|CBE|KBE|MBE|GCMG|KCMG"
                           r"|CMG|GCB|KCB|PhD|Ph\.D\.?))+$")


def clean_name(name: str) -> str:
    """ "Datuk Seri Hafiz Rahman" -> "Hafiz Rahman": honorifics are not part of the name, nor
    a possessive ("Hemi Walker's visit")."""
    name = re.sub(r"['’]s$", "", " ".join(name.split()))
    # "Sir Keir Starmer MP", "Jane Doe OBE": letters after a name are no part of it.
    name = _POSTNOMINALS.sub("", name)
    while True:
        found = lexicon.HONORIFICS.match(name)
        if found is None or found.end() >= len(name):
            return name
        name = name[found.end():]


@dataclass
class Registry:
    """The people of a report, indexed by key and by name word so that a long report with many
    names is read in time linear in its length."""

    people: list[Official] = field(default_factory=list)
    _by_key: dict[str, Official] = field(default_factory=dict, repr=False)
    _by_token: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    _roles: dict[tuple[str, str], Official | None] = field(default_factory=dict, repr=False)
    _version: int = 0
    _roles_version: int = -1

    def get(self, key: str) -> Official:
        return self._by_key[key]

    def touch(self) -> None:
        """Says that offices, countries or mentions changed, so answers by role are redone."""
        self._version += 1

    def mention(self, key: str) -> None:
        self._by_key[key].mentions += 1
        self._version += 1

    def find_name(self, name: str) -> Official | None:
        """A person whose name holds every word of `name` ("Ishaq Dar" is Mohammad Ishaq Dar)."""
        words = {w for w in clean_name(name).split() if w not in _PARTICLES}
        if not words:
            return None
        # Whoever has every word has the rarest one: only those people are looked at.
        rarest = min(words, key=lambda w: len(self._by_token.get(w, ())))
        for _, key in self._by_token.get(rarest, ()):
            person = self._by_key[key]
            if words <= person.tokens and (person.surname in words or len(words) > 1):
                return person
        return None

    def add(self, name: str, title: str, country: str, sentence: int) -> Official:
        name = clean_name(name)
        person = self.find_name(name)
        if person is None:
            person = Official(f"p{len(self.people) + 1}", name, first_sentence=sentence,
                              order=len(self.people))
            self.people.append(person)
            self._by_key[person.key] = person
            self._index(person, frozenset())
        elif len(name) > len(person.name):
            before = person.tokens
            person.name = name  # "Mohammad Ishaq Dar" after "Ishaq Dar"
            self._index(person, before)
        better_title = not person.title or person.title.lower() in lexicon.HONORARY_TITLES
        if title and better_title:
            person.title = title
        if country and not person.country:
            person.country = country
        self._version += 1
        return person

    def _index(self, person: Official, before: frozenset[str]) -> None:
        for token in person.tokens - before:
            insort(self._by_token.setdefault(token, []), (person.order, person.key))

    def by_role(self, country: str, title_words: str) -> Official | None:
        """The person of `country` whose office contains `title_words` ("deputy prime minister")."""
        if self._roles_version != self._version:
            self._roles.clear()
            self._roles_version = self._version
        wanted = title_words.lower()
        if (country, wanted) not in self._roles:
            found = [p for p in self.people
                     if (not country or p.country == country) and wanted in p.title.lower()]
            best = max(found, key=lambda p: (p.mentions, -p.first_sentence)) if found else None
            self._roles[(country, wanted)] = best
        return self._roles[(country, wanted)]


_POSSESSIVE = re.compile(r"['’]s?$|^['’]")


def valid_name(text: str) -> bool:
    """Two or more words, none of them an institution word or a place."""
    words = text.split()
    # A particle is written small ("da Silva"); "Do Van Thanh" is three names.
    named = [w for w in words if w not in _PARTICLES]
    if len(named) < 2 or len(named) > 5:
        return False
    # The possessive is dropped, not every s: "Son" in "Bui Thanh Son" is no "on".
    if any(_POSSESSIVE.sub("", w.lower()) in lexicon.NOT_NAME_WORDS
           and not (position == 0 and w.lower() in lexicon.SURNAMES_TOO)
           for position, w in enumerate(words)):
        return False
    places = find_places(text)
    return not any(p.end - p.start >= len(text) - 1 for p in places)


def _name_after(text: str, position: int) -> re.Match[str] | None:
    """The capitalised name starting at `position`, if a valid one does."""
    found = lexicon.NAME.match(text, position)
    if not found:
        return None
    words = found.group().split()
    # A capitalised run that is all institution words ("Foreign Office") is no name.
    while words and (words[-1].lower() in lexicon.NOT_NAME_WORDS):
        words.pop()
    return found if words else None


def _country_before(places: list[PlaceMention], sentence: str, position: int) -> str:
    """The demonym or country right before an office: "Kazakh Foreign Minister", "Kenya's …"."""
    for place in places:
        if place.end > position:
            break
        gap = sentence[place.end:position]
        if re.fullmatch(r"(?:'s)?\s*", gap) and not place.is_city:
            return place.country
    return ""


def _country_after(places: list[PlaceMention], sentence: str, position: int) -> tuple[str, int]:
    """ "… of Portugal" right after an office: the country, and where the phrase ends."""
    # "of Portugal", "of the Republic of Senegal" (an alias the table knows, or not), "of
    # the French Republic" (where the form of state follows the adjective).
    for found in (re.match(r"\s+of\s+(?:the\s+)?", sentence[position:]),
                  # "of the Socialist Republic of Viet Nam", "of the United Republic of …"
                  re.match(r"\s+of\s+(?:the\s+)?(?:[A-ZÀ-ÞĀ-ž][\w-]+\s+){0,2}?(?:Republic|Kingdom"
                           r"|State|Sultanate|Federation|Principality|Commonwealth) of\s+"
                           r"(?:the\s+)?", sentence[position:])):
        if not found:
            continue
        start = position + found.end()
        for place in places:
            if place.start == start and not place.is_city:
                form = re.match(r"\s+(?:Republic|Kingdom|Federation)\b", sentence[place.end:])
                return place.country, place.end + (form.end() if form else 0)
    return "", position


def _partial_demonym(text: str, position: int, pair: tuple[str, ...]) -> str:
    """ "the Korean Minister": "Korean" is no country alone, but the end of "South Korean"."""
    word = re.search(r"([A-ZÀ-ÞĀ-ž][\w]+)\s+$", text[:position])
    if word is None:
        return ""
    for name in pair:
        country = find_country(name)
        forms = (country.demonyms if country else ()) + (name,)
        if any(f.split()[-1] == word.group(1) and f != word.group(1) for f in forms):
            return name
    return ""


def _plural_titles(
    registry: Registry, sentence: Sentence, places: list[PlaceMention],
    pair: tuple[str, ...] = (),
) -> list[tuple[int, Official]]:
    """ "chaired by Prime Ministers Tomáš Veselý and Martin Kováč": two people, one office,
    and, when the sentence names two countries, one each in the order written."""
    text = sentence.text
    out: list[tuple[int, Official]] = []
    for match in _PLURAL_TITLE.finditer(text):
        first = _name_after(text, match.end())
        if first is None:
            continue
        # "Foreign Ministers Nasser Bourita of Morocco and Paulo Rangel of Portugal"
        own = _OF_PLACE.match(text, first.end())
        after_first = own.end() if own else first.end()
        joint = re.match(r"\s+and\s+", text[after_first:])
        second = _name_after(text, after_first + joint.end()) if joint else None
        if second is None or not (valid_name(first.group()) and valid_name(second.group())):
            continue
        *lead, last = match.group("title").split()
        title = " ".join([*lead, _SINGULAR_TITLE[last]])
        countries = list(dict.fromkeys(p.country for p in places if not p.is_city))
        lands = [p for p in places if not p.is_city]
        if (len(countries) == 2 and len(pair) == 2 and set(countries) == set(pair)
                and any(text[a.end:b.start] in ("–", "-", "—")
                        for a, b in pairwise(lands))):
            # "the China–Germany Strategic Dialogue", from Berlin: a compound's order is no
            # one's; the report names its host first.
            countries = list(pair)
        theirs = _OF_PLACE.match(text, second.end())
        if own and theirs:
            mine = [p.country for p in places if p.start == own.start("place") and not p.is_city]
            other = [p.country for p in places
                     if p.start == theirs.start("place") and not p.is_city]
            if mine and other:
                countries = [mine[0], other[0]]
        # "co-chaired by Prime Ministers Aino Virtanen and Kristjan Tamm", after "Finland and
        # Estonia …": the report's two sides, the host first.
        sides = countries if len(countries) == 2 else (
            list(pair) if len(pair) == 2 and not countries else ["", ""])
        a = registry.add(first.group(), title, sides[0], sentence.index)
        b = registry.add(second.group(), title, sides[1], sentence.index)
        a.counterpart_of, b.counterpart_of = b.key, a.key
        out += [(first.start(), a), (second.start(), b)]
    return out


_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?"
                       r"(?P<place>[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'’-]*)?)")
_PLURAL_OFFICE = (r"(?P<title>(?i:(?:deputy\s+)?prime\s+ministers|foreign\s+ministers"
                  r"|presidents|foreign\s+secretaries|ministers|leaders))")
# "their foreign ministers, Pablo Ferrer of Uruguay and Ignacio Vidal of Chile"
_EACH_OF = re.compile(rf"\b{_PLURAL_OFFICE},\s+(?P<rest>[A-ZÀ-ÞĀ-ž][^;:]*)")
# "the foreign ministers of Türkiye, Hakan Yildirim, and Indonesia, Retno Sasmita"
_OF_EACH = re.compile(rf"\b{_PLURAL_OFFICE}\s+of\s+(?P<rest>[A-ZÀ-ÞĀ-ž][^;:]*)")
_SINGULAR_OF = {"ministers": "Minister", "presidents": "President", "secretaries": "Secretary",
                "leaders": ""}


def _each_named(
    registry: Registry, sentence: Sentence, places: list[PlaceMention]
) -> list[tuple[int, Official]]:
    """Several officials under one plural office, each with a country."""
    text = sentence.text
    out: list[tuple[int, Official]] = []
    for pattern, name_first in ((_EACH_OF, True), (_OF_EACH, False)):
        for match in pattern.finditer(text):
            words = match.group("title").split()
            last = _SINGULAR_OF.get(words[-1].lower())
            if last is None:
                continue
            title = " ".join([*(w.capitalize() for w in words[:-1]), last]).strip()
            found = _pairs(text, places, match.start("rest"), name_first)
            if len(found) < 2 and not name_first:
                found = _respectively(text, places, match.start("rest"))
            if len(found) < 2 and name_first and _THE_TWO.search(
                    text, max(0, match.start() - 12), match.start()):
                found = _two_named(text, match.start("rest"))
            if len(found) < 2:
                continue
            people = [registry.add(name, title, country, sentence.index)
                      for _, name, country in found]
            if len(people) == 2 and not any(country for _, _, country in found):
                # "the two Foreign Ministers, A and B": one of each side.
                people[0].counterpart_of, people[1].counterpart_of = people[1].key, people[0].key
            out += [(position, person) for (position, _, _), person in zip(found, people,
                                                                            strict=True)]
    return out


_AUTHOR = re.compile(rf"(?:{lexicon.HONORIFICS.pattern})*(?P<name>{lexicon.NAME.pattern})")
_AUTHORS_JOIN = re.compile(r"\s*(?:,|&|\band\b)\s*")
_BY = re.compile(r"(?i)^\s*(?:[|•·—–-]\s*)?(?:by\s+)?")


def _byline(text: str) -> bool:
    """A line that holds only names ("By Ana Ruiz and Dr. Tom Vale", "Dr. Hannah Moresby and
    Peni Taufa"): the report's authors."""
    position = _BY.match(text).end()  # type: ignore[union-attr]  # matches the empty string
    count = 0
    while True:
        author = _AUTHOR.match(text, position)
        if author is None or not valid_name(author.group("name")):
            return False
        count += 1
        position = author.end()
        if not text[position:].strip():
            return count > 0
        join = _AUTHORS_JOIN.match(text, position)
        if join is None or join.end() == position:
            return False
        position = join.end()


# "Nordic foreign ministers meeting in Reykjavik": the office each of them holds.
_GATHERING = re.compile(r"(?i)\b(?P<office>(?:deputy\s+)?prime|foreign|defen[cs]e|trade|finance"
                        r"|economy|interior|energy|health|agriculture|transport)\s+ministers\b")
_POSSESSOR = re.compile(r"['’]s\s+")
_SPACE = re.compile(r"\s+")
_THE = re.compile(r"(?:the\s+)?")


def _possessed(
    registry: Registry, sentence: Sentence, places: list[PlaceMention], gathered: str
) -> list[tuple[int, Official]]:
    """ "brought together Finland's Elina Virtanen, Sweden's Johan Lindqvist …": a person
    named by their country alone; the office is that of the gathering the report names,
    if any."""
    text = sentence.text
    out: list[tuple[int, Official]] = []
    for place in places:
        if place.is_city or place.is_org:
            continue
        # The place may hold the possessive ("Finland's") or stop before it.
        mark = (_SPACE.match(text, place.end) if place.text.endswith(("'s", "’s"))
                else _POSSESSOR.match(text, place.end))
        if mark is None or lexicon.TITLE.match(text, mark.end()):
            continue
        name = _name_after(text, mark.end())
        if name is None or not valid_name(name.group()) or name.group().isupper():
            continue
        if re.match(r"\s+(?-i:[A-ZÀ-ÞĀ-ž])|['’]s\b", text[name.end():]):
            continue  # "Kenya's Wanjiru Kamau Foundation": the name runs on into something
        known = registry.find_name(name.group())
        person = registry.add(name.group(), "" if known else gathered, place.country,
                              sentence.index)
        out.append((name.start(), person))
    return out


_THE_TWO = re.compile(r"(?i)\b(?:the\s+two|both)\s+$")


def _two_named(text: str, start: int) -> list[tuple[int, str, str]]:
    """ "the two Foreign Ministers, Bui Thanh Hai and Maria Consuelo Reyes": two names."""
    one = _name_after(text, start)
    joint = re.match(r",?\s+and\s+", text[one.end():]) if one else None
    two = _name_after(text, one.end() + joint.end()) if one and joint else None
    if one is None or two is None or not (valid_name(one.group()) and valid_name(two.group())):
        return []
    return [(one.start(), one.group(), ""), (two.start(), two.group(), "")]


def _respectively(text: str, places: list[PlaceMention], start: int) -> list[tuple[int, str, str]]:
    """ "the foreign ministers of Ecuador and Peru, Gabriela Sommerfeld and Javier Quispe":
    the countries, then their people in the same order."""
    first = next((p for p in places if p.start == start and not p.is_city), None)
    joint = re.match(r"\s+and\s+(?:the\s+)?", text[first.end:]) if first else None
    second = next((p for p in places if first and joint and not p.is_city
                   and p.start == first.end + joint.end()), None)
    gap = re.match(r",\s+", text[second.end:]) if second else None
    if first is None or second is None or gap is None:
        return []
    one = _name_after(text, second.end + gap.end())
    joint = re.match(r",?\s+and\s+", text[one.end():]) if one else None
    two = _name_after(text, one.end() + joint.end()) if one and joint else None
    if one is None or two is None or not (valid_name(one.group()) and valid_name(two.group())):
        return []
    return [(one.start(), one.group(), first.country), (two.start(), two.group(), second.country)]


def _pairs(
    text: str, places: list[PlaceMention], start: int, name_first: bool
) -> list[tuple[int, str, str]]:
    """ "Name of Country and Name of Country" or "Country, Name, and Country, Name"."""
    out: list[tuple[int, str, str]] = []
    position = start
    while True:
        if name_first:
            name = _name_after(text, position)
            if name is None or not valid_name(name.group()):
                break
            of = re.match(r"\s+(?:of|from)\s+(?:the\s+)?", text[name.end():])
            place = next((p for p in places if of and p.start == name.end() + of.end()
                          and not p.is_city), None)
            if place is None:
                break
            out.append((name.start(), name.group(), place.country))
            position = place.end
        else:
            place = next((p for p in places if p.start == position and not p.is_city), None)
            gap = re.match(r",\s+", text[place.end:]) if place else None
            name = _name_after(text, place.end + gap.end()) if place and gap else None
            if place is None or name is None or not valid_name(name.group()):
                break
            out.append((name.start(), name.group(), place.country))
            position = name.end()
        joint = re.match(r",?\s+and\s+|,\s+", text[position:])
        if joint is None:
            break
        position += joint.end()
    return out


def discover(
    sentences: list[Sentence], pair: tuple[str, ...] = (),
    places_of: list[list[PlaceMention]] | None = None,
) -> Registry:
    """Every named official, with the office and country the report gives them."""
    registry = Registry()
    gathered = ""  # the office of the last gathering the report names ("foreign ministers")
    for sentence in sentences:
        text = sentence.text
        if sentence.headline and _byline(text):
            continue  # the authors of the report are not people of the desk
        places = places_of[sentence.index] if places_of is not None else find_places(text)
        named: list[tuple[int, Official]] = _plural_titles(registry, sentence, places, pair)
        named += _each_named(registry, sentence, places)
        for office in _GATHERING.finditer(text):
            gathered = lexicon.tidy_title(office.group("office").lower()) + " Minister"
        for title_match in matches(lexicon.TITLE, text):
            found = _titled(registry, sentence, places, title_match, pair)
            if found is not None:
                named.append(found)
        for name_match in lexicon.NAME.finditer(text):
            found = _name_then_title(registry, sentence, places, name_match)
            if found is not None:
                named.append(found)
        for head in _HEAD_OF.finditer(text):
            found = _head_of(registry, sentence, places, head)
            if found is not None:
                named.append(found)
        for honorific in lexicon.HONORIFICS.finditer(text):
            if lexicon.TITLE.match(text, honorific.end()):
                continue  # "His Majesty King Hussein": the office is read with the name
            titled = lexicon.NAME.match(text, honorific.end())
            found = _name_then_title(registry, sentence, places, titled,
                                     run_on=False) if titled else None
            if found is not None:
                # "His Royal Highness Prince Faisal bin Turki Al Saud, Minister of …": more
                # words than a bare name has, read from the honorific on.
                named.append(found)
                continue
            name = _name_after(text, honorific.end())
            if name and valid_name(name.group()):
                # "the head of Sudan's transitional council, General Osman Idris": the side
                # named in the words that introduce the name.
                country = _introduced_by(places, text, honorific.start())
                named.append((name.start(), registry.add(name.group(), "", country,
                                                         sentence.index)))
        named += _possessed(registry, sentence, places, gathered)
        _counterparts(registry, sentence, places, sorted(named, key=lambda n: n[0]))
    registry.touch()
    return registry


# "the head of Libya's Presidential Council, Mohamed Salem": an office the lexicon does not
# list, named by the body it heads, then the name.
_HEAD_OF = re.compile(r"(?i:\b(?:head|chair|chairman|chairwoman|chairperson|leader|speaker)\s+of"
                      r"\s+(?:the\s+)?)(?:(?P<land>[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'’-]*)?)['’]s"
                      r"\s+)?(?P<body>(?:[A-ZÀ-ÞĀ-ž][\w'’-]*\s+){0,3}(?:Council|Assembly|Parliament"
                      r"|Senate|Commission|Authority|Government|Committee|Cabinet|Chamber)),\s+")


def _head_of(
    registry: Registry, sentence: Sentence, places: list[PlaceMention], match: re.Match[str],
) -> tuple[int, Official] | None:
    text = sentence.text
    name = _name_after(text, match.end())
    if name is None or not valid_name(name.group()):
        return None
    country = ""
    if match.group("land"):
        land = next((p for p in places if p.start == match.start("land") and not p.is_city), None)
        country = land.country if land else ""
    title = lexicon.tidy_title(f"{match.group()[:match.start('body') - match.start()]}"
                               f"{match.group('body')}")
    title = re.sub(r"(?i)\s+of\s+(?:the\s+)?\S+['’]s\s+", " of the ", title)
    return name.start(), registry.add(name.group(), title[0].upper() + title[1:], country,
                                      sentence.index)


_OF_BEFORE = re.compile(r"\s+(?:of|for|to)\s+(?:the\s+)?$")
_NAMED_TAIL = re.compile(r"(?P<tail>\s+(?:of|for)\s+(?:the\s+)?[A-ZÀ-ÞĀ-ž][\w'-]*(?:\s+(?:and\s+)?"
                         r"[A-ZÀ-ÞĀ-ž][\w'-]*){0,3}),\s+(?=[A-ZÀ-ÞĀ-ž])")
# Up to three more capitalised words of a portfolio, perhaps after "and", then the comma.
_PORTFOLIO_MORE = re.compile(r"(?:,?\s+(?:and|&)\b)?(?P<words>(?:\s+[A-ZÀ-ÞĀ-ž][\w'-]*){1,3})"
                             r"(?P<comma>,\s+)")
_OF_FOR = re.compile(r"\s(?:of|for)\s")
_RUN_ON = re.compile(r"[A-ZÀ-ÞĀ-ž][\w'-]*\s$")
_RUN_GOES_ON = re.compile(r"(?:\s+[A-ZÀ-ÞĀ-ž][\w'-]*)+")
# One more part of an office the lexicon does not list whole: "of the National Assembly",
# ", Blue Economy", "and Fisheries", "of the Cabinet of Ministers" (each capitalised run is
# a part; a name may end the last one: "… Assembly Nguyen Duc Thinh").
_OFFICE_PART = re.compile(r"(?P<join>\s+(?:of|for)\s+(?:the\s+)?|\s+(?:and|&)\s+|,\s+)"
                          r"(?P<words>[A-ZÀ-ÞĀ-ž][\w'-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'-]*)*)")
# Words of bodies and portfolios: a part with one of them belongs to the office.
_BODY_WORDS = frozenset({"Ministry", "Ministries", "Ministers", "Office", "Affairs", "Commission",
                         "Committee", "Council", "Assembly", "Parliament", "Senate", "Cabinet",
                         "Government", "Department", "Agency", "Authority", "Presidency",
                         "Chamber", "Congress", "Court", "Secretariat", "Bureau", "Board"})
_STATE_FORMS = frozenset({"Republic", "Kingdom", "State", "Sultanate", "Federation",
                          "Principality", "Commonwealth", "Union"})


def _office_word(word: str) -> bool:
    return word in _BODY_WORDS or word in lexicon.PORTFOLIO_WORDS


def _office_runs_on(
    text: str, places: list[PlaceMention], end: int
) -> tuple[int, int | None]:
    """Where an office the lexicon read up to `end` really ends, and where a name that
    closes its last part starts (None when none does).

    "Chairman" + "of the National Assembly Nguyen Duc Thinh" ends after "Assembly", the name
    after it; "Minister" + "for Livestock and Fisheries of the United Republic of …" ends
    after "Fisheries", before its country. A part with no body or portfolio word belongs to
    the office only when more of the office or the state's name follows it ("… and Human
    Mobility of the Republic of Ecuador").
    """
    office_end, position = end, end
    pending: list[int] = []  # ends of parts that belong to the office if more of it follows
    lands = {p.start for p in places if not p.is_city}
    organisations = {p.start for p in places if p.is_org}
    # "Minister of Trade and Regional Markets": the lexicon may stop inside a capitalised run.
    inside = _RUN_GOES_ON.match(text, end) if end and text[end - 1].isalpha() else None
    if inside is not None and not any(w in _STATE_FORMS for w in inside.group().split()):
        if all(_office_word(w) for w in inside.group().split()):
            office_end = position = inside.end()
        elif _closed_by_state(text, places, inside.end()):
            # The run is the office's only when the state and then the person follow it:
            # "Minister of Trade Vo Thi Lan and …" goes on with a name, not a portfolio.
            return inside.end(), None
    while True:
        part = _OFFICE_PART.match(text, position)
        if part is None:
            break
        words = part.group("words").split()
        # "… of Foreign and CARICOM Affairs of Trinidad and Tobago": an organisation a
        # portfolio word closes is part of the portfolio, not the side the office serves.
        portfolio = (part.start("words") in organisations and len(words) > 1
                     and _office_word(words[-1]))
        if not portfolio and (part.start("words") in lands
                              or any(w in _STATE_FORMS for w in words)):
            break
        spans = [m.span() for m in re.finditer(r"\S+", part.group("words"))]
        last = max((i for i, w in enumerate(words) if _office_word(w)), default=-1)
        if last == -1:
            # "…, Green Hydrogen and Petroleum": a part after a comma is a portfolio only
            # inside a list that "and" closes with one; else it is the next name.
            after = _OFFICE_PART.match(text, part.end())
            if part.group("join").startswith(",") and not (
                    after is not None and re.fullmatch(r"\s+(?:and|&)\s+", after.group("join"))
                    and _office_word(after.group("words").split()[-1])):
                break
            pending.append(part.end())
            position = part.end()
            continue
        if last < len(words) - 1:
            name_at = part.start("words") + spans[last + 1][0]
            if not valid_name(text[name_at:part.end()]):
                break
            return part.start("words") + spans[last][1], name_at
        office_end = position = part.end()
        pending.clear()
    if pending and _closed_by_state(text, places, position):
        office_end = pending[-1]
    return office_end, None


def _closed_by_state(text: str, places: list[PlaceMention], position: int) -> bool:
    """ "… and Human Mobility of the Republic of Ecuador, María …": the state's name, then
    the person, close an office at `position`."""
    _, after = _country_after(places, text, position)
    follows = re.match(r",\s+(?:the\s+)?(?=[A-ZÀ-ÞĀ-ž])", text[after:])
    # "President Nurlan Abenov of Kazakhstan, President Almazbek Sydykov of …": another
    # office after the comma starts the next item of a list; the run was a name, not office.
    return after > position and follows is not None and lexicon.TITLE.match(
        text, after + follows.end()) is None


def _portfolio_words(words: str) -> bool:
    """Words that run on a portfolio: one of them is a portfolio's, or they are no name."""
    return (any(w in lexicon.PORTFOLIO_WORDS for w in words.split())
            or not valid_name(words.strip()))


def _titled(
    registry: Registry, sentence: Sentence, places: list[PlaceMention], match: re.Match[str],
    pair: tuple[str, ...],
) -> tuple[int, Official] | None:
    """ "Kazakh Foreign Minister Murat Nurtleu", "Kenya's Cabinet Secretary …, Wanjiru Kamau"."""
    text = sentence.text
    title_end = match.end()
    # "Secretary-General of the Gulf Cooperation Council": the office ends where the
    # organisation it serves begins; the organisation is the person's side.
    org = next((p for p in places if p.is_org and match.start() < p.start < match.end()), None)
    if org is not None:
        cut = _OF_BEFORE.search(text, match.start(), org.start)
        title_end = cut.start() if cut else title_end
    title = lexicon.tidy_title(text[match.start():title_end])
    country = _country_before(places, text, match.start()) or _partial_demonym(
        text, match.start(), pair) or _delegation_of(places, text, match.start())
    after_country, end = _country_after(places, text, title_end)
    country = country or after_country
    named_at: int | None = None
    if end == title_end and org is None:
        office_end, named_at = _office_runs_on(text, places, title_end)
        if office_end > title_end:
            title = lexicon.tidy_title(text[match.start():office_end])
            title_end = office_end
            after_country, end = _country_after(places, text, title_end)
            country = country or after_country
    if named_at is not None:
        name = _name_after(text, named_at)
        if name is not None and valid_name(name.group()):
            country = country or _country_after_name(places, text, name.end())
            return name.start(), registry.add(name.group(), title, country, sentence.index)
    resident = re.match(r"\s+(?:in|to)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?", text[end:])
    if resident and lexicon.RESIDENT_TITLES.search(title):
        end += resident.end()  # "ambassador in Nairobi, Tesfaye Girma"
    tail = _NAMED_TAIL.match(text, end)
    if tail is not None and end == title_end:
        # "Commissioner for the Mediterranean, Elena Vasquez-Moreau": a portfolio the
        # lexicon does not know, told by the name that follows it.
        title = lexicon.tidy_title(text[match.start():tail.end("tail")])
        end = tail.end("tail")
    more = _PORTFOLIO_MORE.match(text, end)
    if (more is not None and end == title_end and _OF_FOR.search(title)
            and _portfolio_words(more.group("words"))
            and _name_after(text, more.end()) is not None):
        # "… for Foreign Affairs and Security Policy, Ilse Vermeulen", "… African Cooperation
        # and Moroccan Expatriates, Youssef Bennani": a portfolio runs on in words the lexicon
        # does not know, up to the comma before the name.
        title = lexicon.tidy_title(text[match.start():more.start("comma")])
        end = more.start("comma")
    gap = re.match(r",?\s+", text[end:])
    if not gap:
        return None
    at = end + gap.end()
    # "the Prime Minister of Tonga, Hon. Siaosi Vaipulu": an honorific before the name.
    polite = _THE.match(text, at)
    honorific = lexicon.HONORIFICS.match(text, polite.end()) if polite else None
    while honorific is not None:
        at = honorific.end()
        honorific = lexicon.HONORIFICS.match(text, at)
    name = _name_after(text, at)
    if name is None:
        return None
    country = country or _country_after_name(places, text, name.end())
    if valid_name(name.group()):
        return name.start(), registry.add(name.group(), title, country, sentence.index)
    known = registry.find_name(name.group())
    if known is not None:  # "Foreign Minister Dar": a person met before, perhaps a new title
        registry.add(known.name, title, country, sentence.index)
        return name.start(), known
    return None


_LED_BY = re.compile(r"(?i)\b(?:delegation|side)(?:\s+(?:of|from)\s+(?:the\s+)?[^,.;]{0,50}?)?,?"
                     r"\s+(?:which\s+)?(?:was\s+|is\s+)?(?:(?:led|headed)\s+)?by\s+(?:the\s+)?$")


def _delegation_of(places: list[PlaceMention], text: str, position: int) -> str:
    """ "A Lao government delegation led by Deputy Prime Minister …", "a delegation of the
    Croatian government, headed by …": the delegation's side."""
    led = _LED_BY.search(text, max(0, position - 100), position)
    if led is None:
        return ""
    near = [p for p in places if not p.is_city and led.start() - 40 <= p.start
            and p.end <= position]
    return near[-1].country if near else ""


def _introduced_by(places: list[PlaceMention], text: str, position: int) -> str:
    intro = re.search(r"\bthe\s+[\w\s'’-]{0,50}?,\s+$", text[max(0, position - 60):position])
    if intro is None:
        return ""
    start = max(0, position - 60) + intro.start()
    inside = [p for p in places if start <= p.start and p.end <= position and not p.is_city]
    return inside[-1].country if len(inside) == 1 else ""


def _country_after_name(places: list[PlaceMention], text: str, end: int) -> str:
    """ "President Farid Mammadli of Azerbaijan": the country written after the name."""
    found = re.match(r"\s+of\s+(?:the\s+)?", text[end:end + 12])
    if found is None:
        return ""
    start = end + found.end()
    place = next((p for p in places if p.start == start and not p.is_city), None)
    return place.country if place is not None else ""


def _name_then_title(
    registry: Registry, sentence: Sentence, places: list[PlaceMention], match: re.Match[str],
    *, run_on: bool = True,
) -> tuple[int, Official] | None:
    """ "Mohammad Ishaq Dar, Deputy Prime Minister and Foreign Minister," """
    text = sentence.text
    # The capitalised run may start with an office or honorific: "Senator Mohammad Ishaq Dar".
    if run_on and _RUN_ON.search(text, max(0, match.start() - 40), match.start()):
        return None  # the tail of a longer capitalised run the name pattern cut short
    lead = lexicon.TITLE.match(text, match.start()) or lexicon.HONORIFICS.match(text, match.start())
    name = match.group()
    if lead is not None:
        name = text[lead.end():match.end()].strip()
    # "of the Socialist Republic of Viet Nam Luong Minh Tuan, President …": the country
    # ends the office before the name, it is no part of the name.
    land = next((p for p in places if p.start == match.end() - len(name) and not p.is_city
                 and p.end < match.end()), None)
    if land is not None:
        name = text[land.end:match.end()].strip()
    if not valid_name(name):
        return None
    gap = re.match(r",\s+(?:the\s+)?", text[match.end():])
    if not gap:
        return None
    at = match.end() + gap.end()
    # "Piyush Raghavan, India's Minister of Commerce and Industry"
    flag = next((p for p in places if p.start == at and not p.is_city), None)
    lead = re.match(r"(?:'s)?\s+", text[flag.end:]) if flag else None
    if flag is not None and lead is not None:
        at = flag.end + lead.end()
    title = lexicon.TITLE.match(text, at)
    if title is None:
        return None
    office_end, named_at = _office_runs_on(text, places, title.end())
    if named_at is not None:
        return None  # "Amina Wekesa, Minister of the Interior Jane Doe": an office of another
    country, end = _country_after(places, text, office_end)
    if _name_after(text, end + 2) is not None and text[end:end + 2] == ", ":
        # "the Minister … of France, Claire Fontaine, the Minister … of Senegal, Awa Ndiaye":
        # that second office is Awa Ndiaye's, not Claire Fontaine's.
        return None
    country = country or (flag.country if flag and lead else "")
    person = registry.add(name, lexicon.tidy_title(text[title.start():office_end]), country,
                          sentence.index)
    return match.end() - len(name), person


def _counterparts(
    registry: Registry, sentence: Sentence, places: list[PlaceMention],
    named: list[tuple[int, Official]],
) -> None:
    """ "his Kazakh counterpart, Murat Nurtleu": the same office, on the other side."""
    text = sentence.text
    for match in _COUNTERPARTS.finditer(text):
        # "his Azerbaijani and Georgian counterparts, Jeyhun Bayramov and Maka
        # Botchorishvili": one each, in the order written.
        anchor = next((p for pos, p in reversed(named) if pos < match.start()), None)
        first = _name_after(text, match.end())
        joint = re.match(r",?\s+and\s+", text[first.end():]) if first else None
        second = _name_after(text, first.end() + joint.end()) if first and joint else None
        if anchor is None or first is None or second is None:
            continue
        for side, called in ((match.group("a"), first), (match.group("b"), second)):
            land = next((p.country for p in places if p.text == side), "")
            if not land or not valid_name(called.group()):
                continue
            guest = registry.find_name(called.group()) or registry.add(
                called.group(), anchor.title, land, sentence.index)
            guest.country = guest.country or land
            guest.title = guest.title or anchor.title
    for match in _COUNTERPART.finditer(text):
        anchor = next((p for pos, p in reversed(named) if pos < match.start()), None)
        demonym = match.group("dem") or ""
        country = next((p.country for p in places if p.text == demonym), "")
        if match.group("land") and not country:
            country = next((p.country for p in places if not p.is_city
                            and match.start("land") <= p.start < match.end("land")), "")
        name = _name_after(text, match.end()) if match.group("comma") is not None else None
        if name is None and match.group().lower().startswith(("his", "her")):
            # "held talks with Mauro Vieira, his Brazilian counterpart,": named before it.
            back = max(0, match.start() - 60)
            before = _NAME_BEFORE.search(text, back, match.start())
            name = before if before is not None and before.end() == match.start() else None
            if name is not None:
                name = _name_after(text, name.start("name"))
            if name is not None:
                anchor = next((p for pos, p in reversed(named) if pos < name.start()), None)
        if name is None:
            continue
        person = registry.find_name(name.group())
        if person is None and valid_name(name.group()):
            person = registry.add(name.group(), "", country, sentence.index)
        if person is None or anchor is None or anchor is person:
            continue
        if country and not person.country:
            person.country = country
        if not person.title:
            person.title = anchor.title
        person.counterpart_of = anchor.key
        if anchor.counterpart_of is None:
            anchor.counterpart_of = person.key


_STATE_OFFICE = re.compile(r"(?i)\b(?:minister|president|premier|chancellor|king|queen|emir"
                           r"|amir|sultan|prince|foreign secretary|secretary of state)\b")


def state_office(title: str) -> bool:
    """Whether an office is a state's (a minister, a head of state), not an organisation's."""
    return _STATE_OFFICE.search(title) is not None


def settle_countries(registry: Registry, pair: tuple[str, ...], host: str) -> list[str]:
    """Gives each person without a country the one the report implies; returns warnings.

    A counterpart is on the other side of the pair; anyone else unmarked is taken to be of
    the country the report is datelined in, as reports name their own side without a flag.
    """
    for _ in range(2):
        for person in registry.people:
            if person.country or person.counterpart_of is None:
                continue
            other = registry.get(person.counterpart_of)
            if other.country and len(pair) == 2 and other.country in pair:
                person.country = pair[1] if other.country == pair[0] else pair[0]
    warnings = []
    for person in registry.people:
        if not person.country and not host and len(pair) == 2:
            # No dateline place: the side of the pair nobody else in the report is from.
            taken = {p.country for p in registry.people if p.country}
            # A minister or a head of state is a state's, never the organisation the report
            # names in passing ("travel to New York for the UN Security Council meeting").
            free = [c for c in pair if c not in taken and not (
                find_organisation(c) is not None and state_office(person.title))]
            if len(free) == 1:
                person.country = free[0]
                person.assumed = True
        if not person.country and host:
            person.country = host
            person.assumed = True
            warnings.append(f"{person.name}: country taken from the dateline ({host}).")
        elif not person.country:
            warnings.append(f"{person.name}: the text does not say which country they represent.")
    registry.touch()
    return warnings
