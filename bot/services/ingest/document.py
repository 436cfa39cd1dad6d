"""A report read once: sentences, dateline, dates, places, people and who is mentioned where."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.services.ingest import lexicon
from bot.services.ingest.dateline import Dateline, find_dateline
from bot.services.ingest.dates import DateMention, find_dates
from bot.services.ingest.dating import DateChoice
from bot.services.ingest.memo import cached
from bot.services.ingest.organisations import seated_in
from bot.services.ingest.people import Registry, discover, settle_countries
from bot.services.ingest.places import (
    PlaceMention,
    city_country,
    city_name,
    find_places,
    organisation_spans,
)
from bot.services.ingest.refs import NameIndex, Ref, find_refs, pair_mentions
from bot.services.ingest.sentences import Sentence, fold, matches, split_sentences

if TYPE_CHECKING:
    from bot.services.ingest.travel import TravelChoice


@dataclass
class Document:
    text: str  # folded
    sentences: list[Sentence]
    anchor: date  # what relative dates are counted from
    dateline: Dateline | None
    anchor_given: bool  # from the text or the caller, rather than today
    dates: list[list[DateMention]]
    places: list[list[PlaceMention]]
    pair: tuple[str, ...]  # the two most-named countries, the dateline's first
    host: str  # the country of the dateline's place, or ""
    home: str  # the dateline's place, spelled as usual ("Islamabad"), or ""
    people: Registry
    refs: list[list[Ref]]
    cues: list[tuple[Cue, ...]]
    clauses: list[tuple[int, ...]]  # where each comma-, dash- or bracket-delimited clause starts
    warnings: list[str] = field(default_factory=list)
    list_openings: dict[int, int] = field(default_factory=dict)  # item -> the line before its list
    # (sentence, dates in it) -> each date with its event word; see dates_for
    date_owners: dict[tuple[int, int], list[tuple[DateMention, Cue | None]]] = field(
        default_factory=dict)
    # Records the report left undated, and whether each took the day told before it
    date_choices: list[DateChoice] = field(default_factory=list)
    # Trips no sentence tells, each scored, and whether it was kept (see travel.py)
    travel_choices: list[TravelChoice] = field(default_factory=list)
    _alone: dict[str, str] | None = None  # person key -> the one name word they go by

    def called_alone(self, key: str) -> str:
        """The one word of a person's name the report calls them by alone ("Ishikawa" for
        Ishikawa Kenji), or ""; every reference is read once a report, not once a meeting."""
        if self._alone is None:
            seen: dict[str, dict[str, int]] = {}
            for sentence, refs in zip(self.sentences, self.refs, strict=True):
                for ref in refs:
                    written = sentence.text[ref.start:ref.end]
                    if " " not in written and written in self.people.get(ref.person).name.split():
                        counts = seen.setdefault(ref.person, {})
                        counts[written] = counts.get(written, 0) + 1
            self._alone = {k: max(c, key=lambda w: c[w]) for k, c in seen.items()}
        return self._alone.get(key, "")

    def dates_for(self, index: int, start: int, end: int) -> list[DateMention]:
        """The dates of sentence `index` that belong to the event word at [start, end).

        A date belongs to the nearest event word: in "Hung, who is on a visit to Japan from 5
        to 8 November, held summit talks" the days are the visit's, not the talks'.
        """
        out = [m for m, owner in self._owners(index)
               if owner is not None and owner.start == start and owner.end == end]
        own = Cue(start, end, False)
        return sorted(out, key=lambda m: _gap(own, m.start, m.end))

    def _owners(self, index: int) -> list[tuple[DateMention, Cue | None]]:
        """Each date of a sentence with the event word it belongs to, worked out once a
        sentence: every event word asks, and comparing each date with each word every time
        made long sentences of many dates and words cubic."""
        key = (index, len(self.dates[index]))
        found = self.date_owners.get(key)
        if found is not None:
            return found
        cues = self.cues[index]
        clauses = self.clauses[index]
        text = self.sentences[index].text
        found = []
        for mention in self.dates[index]:
            clause = _clause(clauses, mention.start)
            # A report's own date sits next to its verb ("said on Tuesday"), never in
            # another clause, so "said" claims no date across a comma; and a date before
            # "and" closes the verb before it ("held talks … on Wednesday and called on …").
            own_clause = [c for c in cues if (not c.report or _clause(clauses, c.start) == clause)
                          and not (c.start >= mention.end
                                   and (_AND_NEXT.fullmatch(text, mention.end, c.start)
                                        or _framing(text, mention.end, c.start)))]
            # "held talks with X, who is in Tanzania on a state visit, at State House on
            # Friday": an aside says nothing of the dates outside it.
            best = min(own_clause, key=lambda c: (_clause(clauses, c.start) != clause,
                                                  _aside(text, clauses, c.start, clause),
                                                  _weighted(c, mention), c.report), default=None)
            found.append((mention, best))
        self.date_owners[key] = found
        return found

    def reported_date(self, index: int) -> DateMention | None:
        """The date of "said on Tuesday" in sentence `index`: when the news broke."""
        for cue in self.cues[index]:
            if cue.report:
                found = self.dates_for(index, cue.start, cue.end)
                if found:
                    return found[0]
        return None

    def other(self, country: str) -> str:
        """The other country of the pair, or ""."""
        rest = [c for c in self.pair if c != country]
        return rest[0] if rest and len(self.pair) == 2 else ""

    def people_in(self, index: int, start: int = 0, end: int | None = None) -> list[Ref]:
        stop = len(self.sentences[index].text) if end is None else end
        return [r for r in self.refs[index] if start <= r.start and r.end <= stop]


_AND_NEXT = re.compile(r"\s*,?\s*(?:and|as well as|along with|followed by|before)\s+"
                       r"(?:(?:also|later|then)\s+)?"
                       r"(?:(?:a|an|the|his|her|their)\s+)?")
# "met … on Wednesday during Fahmy's working visit": the visit frames the meeting, and the
# day before "during" is the meeting's (the visit is dated from its meetings later).
_DURING = re.compile(r"(?i)\s*(?:,\s*)?(?:during|in the course of|on the sidelines of|on the"
                     r" margins of|on the (?:first|second|third|fourth|fifth|last|final) day of"
                     r"|at the (?:start|end|close) of)\s+[^,;.]{0,60}$")


def _framing(text: str, date_end: int, cue_start: int) -> bool:
    """Whether the event word at `cue_start` sits in a "during …" phrase that follows the
    date: that word names the frame of another event, not the event of the date."""
    return _DURING.fullmatch(text, date_end, cue_start) is not None
_CLAUSE_BREAK = re.compile(r"[,;()]|\s[—–-]\s")


@dataclass(frozen=True)
class Cue:
    """A word that names an event (meeting, plan, visit) or a report of one ("said")."""

    start: int
    end: int
    report: bool


def _clause(starts: tuple[int, ...], position: int) -> int:
    return sum(1 for start in starts if start <= position)


@cached(8192)
def _clause_starts(text: str) -> tuple[int, ...]:
    return tuple(m.end() for m in _CLAUSE_BREAK.finditer(text))


_RELATIVE = re.compile(r"\s*(?:who|which|whose)\b")
_CONTINUES = re.compile(r"\s*(?:at|in|on|during|from)\b")


def _aside(text: str, starts: tuple[int, ...], position: int, other: int) -> bool:
    """Whether `position` lies in a relative clause ("…, who is on a visit, …") that is not
    clause number `other`."""
    number = _clause(starts, position)
    if number == other or number == 0 or other == 0:
        return False
    # Only where the date's clause goes on with the main one (", at State House on
    # Friday"), not where it starts a deed of its own (", and agreed to meet in February").
    return (_RELATIVE.match(text, starts[number - 1]) is not None
            and _CONTINUES.match(text, starts[other - 1]) is not None)


def _weighted(cue: Cue, mention: DateMention) -> float:
    """Distance from an event word to a date; a date after its word ("held … on Tuesday") is
    nearer than one before the next word ("on Tuesday and agreed to resume talks")."""
    gap = _gap(cue, mention.start, mention.end)
    return gap * 1.5 if cue.start >= mention.end else gap


def _gap(cue: Cue, start: int, end: int) -> int:
    return max(0, cue.start - end, start - cue.end)


_OWN_VERB = re.compile(r"(?i)\s+(?:was\s+|were\s+)?(?:formally\s+|officially\s+)?")


@cached(8192)
def _cues(text: str) -> tuple[Cue, ...]:
    found = []
    for number, patterns in enumerate((lexicon.MEETING_CUES, lexicon.PLAN_CUES,
                                       lexicon.PLAN_STATUS_CUES)):
        orgs = organisation_spans(text) if number == 0 else []
        taken: list[tuple[int, int]] = []
        for _, pattern in patterns:
            for m in matches(pattern, text):
                if number == 0 and (any(s < m.end() and m.start() < e for s, e in taken)
                                    or any(s <= m.start() and m.end() <= e for s, e in orgs)
                                    or lexicon.HOSTED_FOR.search(text, max(0, m.start() - 120),
                                                                 m.start())):
                    continue  # as meetings.find_meetings reads them: one cue a stretch
                taken.append((m.start(), m.end()))
                # For "visited Bogotá in March" only the verb is the event word, shared
                # with the visit it may turn out to be.
                end = m.start() + len(m.group().split()[0]) if "site" in m.groupdict() else m.end()
                found.append(Cue(m.start(), end, False))
    found += [Cue(m.start(), m.end(), False) for m in matches(lexicon.VISIT_CUE, text)
              if not (lexicon.VISITING_GUEST.fullmatch(m.group())
                      and re.match(r"\s+(?:the\s+)?[A-ZÀ-ÞĀ-ž]", text[m.end():]))]
    meeting_ends = {c.end for c in found}
    # "The 46th ASEAN Summit opened in Kuala Lumpur on 26 May": the summit's own verb, whose
    # day is the summit's, not another event's.
    found += [Cue(m.start(), m.end(), False) for m in matches(lexicon.OTHER_EVENTS, text)
              if not (re.fullmatch(r"(?i)open(?:ed|s)", m.group()) and any(
                  _OWN_VERB.fullmatch(text, e, m.start()) for e in meeting_ends
                  if e <= m.start()))]
    found += [Cue(m.start(), m.end(), True) for m in matches(lexicon.REPORTING, text)]
    return tuple(found)


def read_document(text: str, *, dateline: date | None, today: date) -> Document:
    folded = fold(text)
    found = find_dateline(folded, dateline or today)
    anchor = dateline or (found.day if found else today)
    body_start = found.end if found else 0
    quoted = _quoted_above(folded, found)
    sentences = split_sentences(folded[body_start:], body_start)
    if quoted:
        sentences = [replace(s, index=n) for n, s in enumerate(quoted + sentences)]
    places = [find_places(s.text) for s in sentences]
    home = ""
    host = ""
    if found and found.place:
        home = city_name(found.place) or found.place
        host = city_country(found.place) or ""
    if found and found.place and not host:
        # "AVAZA, Turkmenistan, April 17, 2026": a town the table does not know, and its
        # country named after it in the dateline.
        named = [p for p in find_places(folded[found.start:found.end])
                 if not p.is_city and not p.is_org]
        host = named[0].country if named else ""
    if found and not host:
        host = found.issuer
    pair = _pair(places, _seat_host(places, host, home), found.sender if found else "")
    people = discover(sentences, pair, places)
    warnings = settle_countries(people, pair, host)
    names = NameIndex.build(people)
    refs = [find_refs(s.text, p, people, names) for s, p in zip(sentences, places, strict=True)]
    _pronouns(sentences, refs)
    _the_two_just_named(sentences, refs, people)
    _met_where_they_went(sentences, places, refs, people, warnings)
    for sentence_refs in refs:
        for ref in sentence_refs:
            people.mention(ref.person)
    if dateline is None and found is None:
        warnings.insert(0, f"No dateline found; relative dates were read against today "
                           f"({today.isoformat()}).")
    dates = [find_dates(s.text, anchor) for s in sentences]
    _dates_told_by_others(sentences, dates)
    return Document(
        text=folded,
        sentences=sentences,
        anchor=anchor,
        dateline=found,
        anchor_given=dateline is not None or found is not None,
        dates=dates,
        places=places,
        pair=pair,
        host=host,
        home=home,
        people=people,
        refs=refs,
        cues=[_cues(s.text) for s in sentences],
        clauses=[_clause_starts(s.text) for s in sentences],
        warnings=warnings,
    )


# Dates told by another: "on the same day", "the following day", "on the eve of the session",
# "later that month". Each is read against the last date named before it.
_TOLD_BY_OTHERS = re.compile(
    r"(?i)\b(?P<day>(?:on\s+)?the\s+same\s+day|(?:on\s+)?that\s+day|(?:later\s+|earlier\s+)?that"
    r"\s+(?:evening|morning|afternoon|night)|(?:on\s+)?the\s+same\s+(?:evening|morning|afternoon)|at\s+the\s+same\s+(?:ceremony"
    r"|occasion|meeting)|on\s+the\s+same\s+occasion|(?:on\s+)?the\s+(?:following"
    r"|next)\s+day|the\s+day\s+(?:after|before)|(?:on\s+)?the\s+(?:previous|preceding)\s+day"
    r"|on\s+the\s+eve(?:\s+of\s+the\s+\w+)?|(?:later|earlier)\s+(?:that|the\s+same|in\s+the)\s+day"
    r"|^(?:Later|Afterwards|Subsequently)(?=,)"
    # "He later held talks with …": the day just told, not a later one it names.
    r"|(?:(?<=^He )|(?<=^She )|(?<=^They ))later"
    r"(?=\s+(?:held|met|received|hosted|visited|signed|called|toured|attended|addressed))"
    r")\b"
    r"|\b(?P<month>(?:later|earlier)\s+(?:that|the\s+same|in\s+the)\s+month|(?:in\s+)?that\s+month"
    r"|(?:in\s+)?the\s+same\s+month)\b"
    # A week names no day and a month no week: "the following week" is the month a week on.
    r"|\b(?P<week>(?:in\s+)?the\s+(?:following|next)\s+week|a\s+week\s+later)\b"
    r"|\b(?P<nextmonth>(?:in\s+)?the\s+following\s+month|a\s+month\s+later)\b")


_SAID_ON = re.compile(r"(?i)\b(?:said|says|announced|told reporters|reported|stated"
                      r"|confirmed)\s+(?:on\s+)?$")


def _dates_told_by_others(sentences: list[Sentence], dates: list[list[DateMention]]) -> None:
    last: DateMention | None = None
    # "They agreed to meet again in 2027. Earlier in the day, …": a day is told from the last
    # day named, not from a year to come named since.
    last_day: DateMention | None = None
    for index, sentence in enumerate(sentences):
        told = list(_TOLD_BY_OTHERS.finditer(sentence.text))
        mentions = dates[index]
        for found in told:
            before = [m for m in mentions if m.end <= found.start()]
            reference = before[-1] if before else last
            if found.group("day") and reference is not None and (
                    reference.date.precision is not Precision.DAY):
                days = [m for m in before if m.date.precision is Precision.DAY]
                reference = days[-1] if days else last_day
            value = _relative_to(found, reference)
            if value is not None:
                mentions.append(DateMention(found.start(), found.end(), found.group(), value))
        if told:
            mentions.sort(key=lambda m: m.start)
        # "…, a spokesman said on Wednesday. The visit the following day …": a day is told
        # from the last event, not from when the news was given.
        events = [m for m in mentions
                  if not _SAID_ON.search(sentence.text, max(0, m.start - 16), m.start)]
        if events:
            last = events[-1]
            days = [m for m in events if m.date.precision is Precision.DAY]
            last_day = days[-1] if days else last_day


def _relative_to(found: re.Match[str], reference: DateMention | None) -> FuzzyDate | None:
    if reference is None:
        return None
    # "the eve of the session" is the day before; "that evening" is the same day
    eve = re.search(r"(?i)\beve\b", found.group()) is not None
    value = reference.end_date if reference.end_date and not eve else reference.date
    if found.group("month"):
        return FuzzyDate.month(value.start.year, value.start.month)
    if found.group("week") or found.group("nextmonth"):
        if value.precision is Precision.YEAR or value.precision is Precision.QUARTER:
            return None
        if found.group("nextmonth"):
            year, month = divmod(value.start.year * 12 + value.start.month, 12)
            return FuzzyDate.month(year, month + 1)
        if value.precision is not Precision.DAY:
            return None  # a week after "May" may be May or June
        later = value.start + timedelta(days=7)
        return FuzzyDate.month(later.year, later.month)
    if value.precision is not Precision.DAY:
        return None  # "the following day" of a month names no day
    words = found.group().lower()
    shift = 1 if ("following" in words or "next" in words or "day after" in words) else (
        -1 if ("before" in words or "previous" in words or "preceding" in words
               or eve) else 0)
    if eve or "before" in words or "previous" in words or "preceding" in words:
        value = reference.date
    day = value.start + timedelta(days=shift)
    return FuzzyDate.day(day.year, day.month, day.day)


_QUOTE_LINE = re.compile(r"""^\s*["“'‘]""")


def _quoted_above(text: str, found: Dateline | None) -> list[Sentence]:
    """A quote pulled out above the dateline is the report's too: who said it matters."""
    if found is None or not found.start:
        return []
    head = text[:found.start]
    out: list[Sentence] = []
    position = 0
    for line in head.split("\n"):
        if _QUOTE_LINE.match(line):
            out += split_sentences(line, position)
        position += len(line) + 1
    return out


# "He was received", and after a clause that opens the sentence: "During the visit, he held
# talks", "On Tuesday, she met".
_PRONOUN = re.compile(r"(?P<pronoun>He|She|His|Her)\b|(?:[A-Z][^,.;:]{0,50},\s+|(?:On|Later|Earlier"
                      r"|Afterwards|Then|Subsequently|That|The)\b[^,.;:]{0,30}?\s+)(?P<pronoun2>he|she)\b")


def _the_two_just_named(sentences: list[Sentence], refs: list[list[Ref]], people: Registry) -> None:
    """ "Rakhimov … held talks with Qureshi. The two ministers signed …": the two of two sides
    named just before, not the report's principal pair (a digest tells several stories)."""
    for index in range(1, len(sentences)):
        spans = pair_mentions(sentences[index].text)
        if not spans:
            continue
        start, end = spans[0]
        earlier = [r.person for r in refs[index] if r.end <= start] or [
            r.person for r in refs[index - 1]]
        named = list(dict.fromkeys(earlier))
        if len(named) != 2 or len({people.get(k).country for k in named}) != 2:
            continue
        said = sentences[index].text[start:end].lower()
        office = [w for w in ("foreign", "prime", "president", "minister")
                  if w in said or (w == "minister" and "ministers" in said)]
        if office and not all(office[0] in people.get(k).title.lower() for k in named):
            continue  # "the two foreign ministers", after a trade minister was named
        kept = [r for r in refs[index] if not (r.start == start and r.end == end)]
        refs[index] = sorted(kept + [Ref(k, start, end) for k in named], key=lambda r: r.start)


# "Tajani said he would visit Albania": the one who speaks is the one who will go.
_SAID_HE = re.compile(r"(?i)\b(?:said|says|announced|told\s+\w+|confirmed|stated|added|noted"
                      r"|revealed|indicated)\s+(?:that\s+)?(?P<pronoun>he|she)\b")


def _pronouns(sentences: list[Sentence], refs: list[list[Ref]]) -> None:
    """ "Al-Harbi arrived on Saturday. He was received by …": "He" is the one just named;
    "Tajani said he will visit …": the speaker."""
    for index, sentence in enumerate(sentences):
        for said in _SAID_HE.finditer(sentence.text):
            speaker = [r for r in refs[index] if r.end <= said.start()]
            if speaker and not any(r.start < said.end() and said.start() < r.end
                                   for r in refs[index]):
                refs[index].append(Ref(speaker[-1].person, said.start("pronoun"), said.end()))
                refs[index].sort(key=lambda r: r.start)
    for index in range(1, len(sentences)):
        found = _PRONOUN.match(sentences[index].text)
        previous = refs[index - 1]
        if found and previous and sentences[index].line - sentences[index - 1].line <= 2:
            start = found.start("pronoun" if found.group("pronoun") else "pronoun2")
            if any(r.start < start for r in refs[index]):
                continue  # "During Vieira's visit, he …": someone is named before it
            refs[index].insert(0, Ref(previous[0].person, start, found.end()))


_WENT_TO = re.compile(r"(?i)\b(?:(?:visit(?:s|ed|ing)?|trip|tour|travel\w*|arriv\w*|went|flew"
                      r"|headed)\b[^.;:]{0,40}?\b(?:to|in)|(?:is|was|were|are)\s+in"
                      r"|visit(?:s|ed|ing)?)\s+(?:the\s+)?$")
# ", where she met …", past a day or a date: "travelled to Guatemala on Wednesday, where …"
_INVITED_BY = re.compile(r"(?i)\b(?:at|on)\s+the\s+invitation\s+of\s+")
_WHERE_AFTER = re.compile(r"(?:\s+(?:on|in|from)\s+[\w ]{1,30}?)?,\s+where\b")


def _met_where_they_went(
    sentences: list[Sentence], places: list[list[PlaceMention]], refs: list[list[Ref]],
    people: Registry, warnings: list[str],
) -> None:
    """ "concluded a visit to Guatemala, where she met President Arévalo": those met there,
    whose country the text gave only by its dateline, are of the country visited."""
    for sentence, found, sentence_refs in zip(sentences, places, refs, strict=True):
        text = sentence.text
        invited = _INVITED_BY.search(text)
        visited = next((p for p in found if invited and not p.is_org and p.country
                        and p.end <= invited.start() and _WENT_TO.search(
                            text, max(0, p.start - 60), p.start)), None)
        if invited is not None and visited is not None:
            # "will visit the Republic of Korea … at the invitation of President Kim": the
            # host invites, and is of the country visited.
            for ref in sentence_refs:
                person = people.get(ref.person)
                if invited.end() <= ref.start <= invited.end() + 60 and person.assumed and (
                        person.country != visited.country):
                    old = person.country
                    person.country, person.assumed = visited.country, False
                    note = f"{person.name}: country taken from the dateline ({old})."
                    warnings[:] = [w for w in warnings if w != note]
                    break
        for place in found:
            where = _WHERE_AFTER.match(text, place.end)
            if where is None or place.is_org or not place.country or not _WENT_TO.search(
                    text, max(0, place.start - 60), place.start):
                continue
            for ref in sentence_refs:
                person = people.get(ref.person)
                if ref.start > where.end() and person.assumed and person.country != place.country:
                    old = person.country
                    person.country, person.assumed = place.country, False
                    note = f"{person.name}: country taken from the dateline ({old})."
                    warnings[:] = [w for w in warnings if w != note]
            break


def _seat_host(places: list[list[PlaceMention]], host: str, home: str) -> str:
    """The side a report from `home` is hosted by: an organisation that sits there when the
    report names one and never names the country itself ("RIYADH — the GCC Secretary-General
    received …" is the GCC's meeting, not Saudi Arabia's)."""
    if not host or not home:
        return host
    named = [p for sentence in places for p in sentence]
    if any(p.country == host and not p.is_city and not p.is_org for p in named):
        return host
    seated = [p.country for p in named if p.is_org and seated_in(p.country, home)]
    return seated[0] if seated else host


def _pair(places: list[list[PlaceMention]], host: str, sender: str = "") -> tuple[str, ...]:
    """The two most-named countries; a city counts for its country, at half weight, and the
    country a mission's header says it serves as if named once."""
    weight: dict[str, float] = {}
    first: dict[str, int] = {}
    position = 0
    for sentence_places in places:
        for place in sentence_places:
            weight[place.country] = weight.get(place.country, 0) + (0.5 if place.is_city else 1)
            first.setdefault(place.country, position)
            position += 1
    if host:
        weight[host] = weight.get(host, 0) + 1
        first.setdefault(host, -1)
    if sender and sender != host:
        weight[sender] = weight.get(sender, 0) + 1
        first.setdefault(sender, position)
    ranked = sorted(weight, key=lambda c: (-weight[c], first[c]))[:2]
    # The host is named first, as a desk writes "Pakistan–Kazakhstan" from Islamabad.
    return tuple(sorted(ranked, key=lambda c: c != host))
