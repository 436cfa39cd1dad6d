"""Visits a report speaks of: who travels where and when, and whether it happened or is planned."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.organisations import find_organisation
from bot.domain.records import VisitStatus
from bot.services.ingest import lexicon
from bot.services.ingest.dates import DateMention
from bot.services.ingest.document import Document
from bot.services.ingest.people import state_office
from bot.services.ingest.places import PlaceMention, city_name
from bot.services.ingest.sentences import matches

# "a visit by X", "the visit of X"; but "a visit at the invitation of X" is X's to host.
_AFTER_BY = re.compile(r"(?i)^[^,.;]{0,40}?\b(?<!invitation )(?:by|of)\s+(?:the\s+|an?\s+)?$")
_CAPITALS_AT_END = re.compile(r"(?:(?<=\s)[A-ZÀ-ÞĀ-ž][\w'-]*\s+)+$")
_BREAK = re.compile(r"(?i)\b(?:said|says|told|that|when|after|before|while)\b|[;:]")
_PRESIDENTIAL = re.compile(r"(?i)\bpresidential\b")
_DESTINATION = re.compile(r"(?i)^(?:\s*|[^,.;]{0,30}?\b(?:to|in|visit|visits|visited|visiting)"
                          r"\s+(?:the\s+)?)$")
# "Enkhtuvshin's trip … had been postponed": it was, and has now taken place.
_PLUPERFECT_DELAY = re.compile(r"(?i)\bhad been (?:postponed|delayed|put off)\b")
_UNTIL = re.compile(r"(?i)\b(?:until|till)\s+$")
_NEW_DATE = re.compile(r"(?i)\b(?:postponed|moved|rescheduled|put off|delayed)\s+(?:to|until"
                       r"|for)\s+(?:the\s+)?$")
_ANAPHORA = re.compile(r"(?i)\b(?:the|during the|that|this)\s+(?:\w+\s+)?(?:visit|trip)\b")
_SITE = re.compile(r"(?i)\b(?:visited|toured)\s+(?:the\s+)?[A-Z]")
_BEING_IN = re.compile(r"(?i)(?:will be|is|are|was|were|(?:is|are) expected) in")
_POSSESSIVE = re.compile(r"(?i)\b(?:his|her)\s+(?:[\w-]+\s+){0,2}$")
_TITLE_WORDS = re.compile(r"\s+(?:the\s+)?(?:(?:[A-ZÀ-ÞĀ-ž][\w'’.-]*|of|the|for),?\s+){0,9}")
_WHO_INVITED = re.compile(r"(?i),\s+who\s+(?:also\s+)?(?:has\s+|had\s+)?(?:invited|asked)\s+"
                          r"(?:him|her|them)\s+to\s+(?:(?:pay|make)\s+(?:an?\s+)?(?:[\w-]+\s+)?)?$")
_COUNTERPART_GAP = re.compile(r"\s+(?:[A-ZÀ-ÞĀ-ž][\w'’-]*\s+)?counterparts?(?:\s+(?:from|of)\s+"
                              r"(?:the\s+)?[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+(?:of\s+)?[A-ZÀ-ÞĀ-ž][\w'’-]*){0,3})?"
                              r",?\s+")
_ALSO_BEFORE = re.compile(r"(?i)\balso\s+(?:\w+\s+)?$")
# "his second visit since taking office in 2024": when the visitor took office, no visit.
_IN_OFFICE_SINCE = re.compile(r"(?i)\bsince\s+(?:taking|assuming|entering)\s+office\s+(?:in\s+)?$"
                              # "the first since he took office last year"
                              r"|\bsince\s+(?:he|she|they|the\s+\w+)\s+(?:took|assumed|entered)\s+"
                              r"office\s+(?:in\s+)?$"
                              r"|\bsince\s+(?:he|she|they)\s+(?:was|were)\s+(?:elected|sworn in"
                              r"|appointed|inaugurated)\s+(?:in\s+)?$"
                              r"|\bsince\s+(?:he|she|they)\s+came\s+to\s+power\s+(?:in\s+)?$"
                              r"|\bsince\s+(?:(?:his|her|their)\s+)?(?:election|inauguration"
                              r"|becoming\s+[\w ]{1,30}?|coming\s+to\s+power)\s+(?:in\s+)?$")
_SAME_BEFORE = re.compile(r"(?i)\bsame\s+$")
# "postponed at the request of the Bangladeshi side": who asked is not who travels.
_ASKED_BY = re.compile(r"(?i)\b(?:request|behest|instance|invitation)\s+of\b")
_PARTICIPLE = re.compile(r"(?i)\w+ing\b")
_THEN_BEFORE = re.compile(r"(?i)\b(?:before|after|then|prior to|when)\s+$")
_HOST_OR_INVITER = re.compile(r"(?i)\b(?:invitation\s+(?:from|of|extended\s+by)|(?:received"
                              r"|hosted|welcomed|invited)\s+by)\s+(?:the\s+)?[^,.;]{0,50}$")
_RETURNED = re.compile(r"(?i)return")
_WHOSE_INVITATION = re.compile(r"(?i)'s?\s+(?:[\w-]+\s+)?invitation\b")
_CLAUSE_END = re.compile(r"[,;:]|\s[—–-]\s|\b(?:when|where|while|after|before)\b")
_INVITED_TO_ATTEND = re.compile(r"(?i)\binvit(?:ed|es|ing)\s+(?P<who>[^,.;]{3,90}?)\s+to\s+"
                                r"(?:attend|take part in|participate in|join)\b")
_ATTEND_STOP = re.compile(r"[;:]|\.\s|,\s+(?:and|but|while|which|who)\b")


def _invited_to_attend(doc: Document, index: int) -> list[VisitDraft]:
    """ "Mendes invited Prime Minister Tran to attend the BRICS session in Rio de Janeiro
    next year": a visit proposed to where the event is, though "visit" is never said."""
    text = doc.sentences[index].text
    found = _INVITED_TO_ATTEND.search(text)
    if found is None:
        return []
    stop = _ATTEND_STOP.search(text, found.end())
    limit = stop.start() if stop else len(text)
    where = next((p for p in doc.places[index] if not p.is_org and p.country
                  and found.end() < p.start < limit), None)
    if where is None:
        return []  # "to attend the summit": where is not said
    guests = [r for r in doc.people_in(index)
              if found.start("who") <= r.start < found.end("who")]
    when = [d for d in doc.dates[index] if found.end() < d.start < limit]
    out = []
    for ref in guests[:1]:
        guest = doc.people.get(ref.person)
        if not guest.country or guest.country == where.country:
            continue
        status = (VisitStatus.PLANNED if _ACCEPTED_AFTER.search(text, found.end())
                  else VisitStatus.PROPOSED)
        draft = VisitDraft(ref.person, guest.title, guest.country, where.country, index,
                           when[0].date if when else None, None, status, mentions={index})
        if where.is_city:
            draft.place = city_name(where.text) or where.text
        out.append(draft)
    return out


@dataclass
class VisitDraft:
    visitor: str | None  # person key, when the report names the visitor
    office: str  # "President", when it does not
    from_country: str
    to_country: str
    sentence: int
    date: FuzzyDate | None = None
    end_date: FuzzyDate | None = None
    status: VisitStatus | None = None
    place: str = ""
    recalled: bool = False  # "the first such visit since 2022": an earlier visit
    mentions: set[int] = field(default_factory=set)
    place_start: int = -1  # where a leg read ahead names its place (see _legs_ahead)


@dataclass(frozen=True)
class _Traveller:
    person: str | None
    office: str
    country: str


# A visit named again is looked for among the last few found, so that each mention costs the
# same however long the report; no report names this many visits.
_RECENT = 64


class _Known(list[VisitDraft]):
    """The visits found so far, and which was spoken of last ("the visit")."""

    def __init__(self) -> None:
        super().__init__()
        self.latest: VisitDraft | None = None
        self._seen: dict[int, tuple[int, int]] = {}  # id -> (last mention, -place in order)

    def add(self, draft: VisitDraft, index: int) -> None:
        self.append(draft)
        self.touched(draft, index)

    def touched(self, draft: VisitDraft, index: int) -> None:
        """Keeps `latest` the visit whose last mention is latest, the first such in order."""
        order = self._seen[id(draft)][1] if id(draft) in self._seen else -(len(self) - 1)
        self._seen[id(draft)] = (index, order)
        if self.latest is None or self._seen[id(draft)] > self._seen[id(self.latest)]:
            self.latest = draft

    def recent(self) -> list[VisitDraft]:
        return self[-_RECENT:]


def find_visits(doc: Document) -> list[VisitDraft]:
    drafts = _Known()
    for index, sentence in enumerate(doc.sentences):
        text = sentence.text
        trip = drafts.latest
        legs = _legs_ahead(doc, index, drafts.latest)
        for draft in legs:
            _merge(drafts, draft, index)
        for cue in _cues(text):
            if legs and cue.start() >= legs[0].place_start:
                continue  # the legs just read
            if _SITE.match(text, cue.start()) and not _destination(doc, index, cue.end()):
                continue  # "visited the National Aerospace … Park": a site, see meetings
            if _SAME_BEFORE.search(text, max(0, cue.start() - 9), cue.start()):
                continue  # "planned for the same trip": the trip just named, not a new one
            if _stop_on_the_trip(doc, index, cue, drafts.latest):
                # "The visit was to include talks … and a stop in Manaus": a city of the
                # country the trip goes to is part of that trip, whoever else is named.
                assert drafts.latest is not None
                drafts.latest.mentions.add(index)
                drafts.touched(drafts.latest, index)
                continue
            traveller = _traveller(doc, index, cue)
            if _LEG.search(cue.group()) and (traveller is None or traveller.person is None):
                # "The Hanoi leg of his trip": a leg of the trip just spoken of.
                traveller = None
            if traveller is None:
                trip = drafts.latest
                if _THE_TOUR.match(text):
                    # "The tour was to end with a visit to South Africa": the tour's own
                    # traveller, the one who made most of its legs, not the last named.
                    trip = _tourist(drafts) or trip
                onward = _onward(doc, index, cue, trip)
                if onward is not None:
                    _merge(drafts, onward, index)
                    continue
                if _ANAPHORA.search(text[max(0, cue.start() - 20):cue.end()]) and drafts:
                    assert drafts.latest is not None
                    drafts.latest.mentions.add(index)
                    drafts.touched(drafts.latest, index)
                    called_off = _status(doc, index, cue, None)
                    if called_off in (VisitStatus.CANCELLED, VisitStatus.POSTPONED):
                        # "… will travel to Dhaka next week. The visit has been postponed."
                        drafts.latest.status = called_off
                    earlier = _recalled_by_anaphora(doc, index, cue, drafts.latest)
                    if earlier is not None:
                        _merge(drafts, earlier, index)
                continue
            for draft in _drafts(doc, index, cue, traveller):
                if _LEG.search(cue.group()):
                    _month_of_the_trip(draft, drafts.latest)
                if _MOVED_ON.search(cue.group()):
                    _left_when_the_leg_ended(doc, draft, drafts.latest)
                if _ALSO_BEFORE.search(text, max(0, cue.start() - 12), cue.start()) and (
                        drafts.latest is not None and drafts.latest.visitor == draft.visitor):
                    # "Aksoy will also travel to Amman": the same trip's next stop, its month.
                    _month_of_the_trip(draft, drafts.latest)
                _merge(drafts, draft, index)
        for draft in _guests_to_come(doc, index) + _invited_to_attend(doc, index):
            _merge(drafts, draft, index)
        _taken_up(doc, index, drafts)
        _not_to_be(doc, index, trip, drafts)
    return list(drafts)


# "had also been due to travel on to Bolivia", "was to have included a stop in La Paz": a
# part of a trip that will not now happen as planned.
_WAS_TO_HAVE = re.compile(r"(?i)\b(?:was|were)\s+(?:also\s+)?to\s+have\b|\bhad\s+(?:also\s+)?"
                          r"(?:been\s+)?(?:due|expected|scheduled|set|planned|meant)\s+to\b"
                          r"|\b(?:was|were)\s+(?:also\s+)?(?:due|expected|scheduled|meant)\s+to\b")


def _not_to_be(doc: Document, index: int, trip: VisitDraft | None, drafts: _Known) -> None:
    """ "The visit to Peru … has been cancelled. Noboa had also been due to travel on to
    Bolivia": the second trip, named in passing, fares as the first, in its month."""
    if trip is None or trip.status not in (VisitStatus.CANCELLED, VisitStatus.POSTPONED):
        return
    if not _WAS_TO_HAVE.search(doc.sentences[index].text):
        return
    for draft in drafts.recent():
        if draft.sentence == index and draft is not trip and draft.visitor == trip.visitor and (
                draft.from_country == trip.from_country and not draft.recalled):
            draft.status = trip.status
            _month_of_the_trip(draft, trip)


# "will leave for Tokyo on Saturday", "is to depart for Accra": the lexicon's "leaves for"
# in the forms that follow an auxiliary.
_LEAVE_FOR = re.compile(r"(?i)\b(?:leave|depart)\s+for\b"
                        # "is expected back in Lomé in September": another trip there.
                        r"|\b(?:is|are)\s+(?:expected|due|set)\s+back\s+in\b"
                        r"|\bwill\s+be\s+back\s+in\b")


def _cues(text: str) -> list[re.Match[str]]:
    found = list(matches(lexicon.VISIT_CUE, text))
    found += [m for m in _LEAVE_FOR.finditer(text)
              if not any(f.start() < m.end() and m.start() < f.end() for f in found)]
    return sorted(found, key=lambda m: m.start())


# "The visit will be followed by visits to the Kingdom of Tonga on 22 May and to Samoa from
# 24 to 25 May": the next legs of the trip just named, each with its own days.
_FOLLOWED_BY = re.compile(r"(?i)\b(?:will\s+be\s+|is\s+to\s+be\s+|was\s+)?(?:followed|succeeded)"
                          r"\s+by\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:visits?|stops?|trips?)\s+"
                          r"(?:to|in)\b")
_LEG_TO = re.compile(r"(?i)(?:\bto|\bin)\s+(?:the\s+)?$")


def _legs_ahead(doc: Document, index: int, trip: VisitDraft | None) -> list[VisitDraft]:
    """Visits that follow the trip just spoken of, by its traveller, one a place named."""
    text = doc.sentences[index].text
    found = _FOLLOWED_BY.search(text)
    if found is None or trip is None or trip.recalled:
        return []
    places = [p for p in doc.places[index] if p.start >= found.end() - 3 and p.country
              and not p.is_org and _LEG_TO.search(text, max(0, p.start - 12), p.start)]
    out: list[VisitDraft] = []
    for n, place in enumerate(places):
        if place.country in (trip.from_country,) or any(d.to_country == place.country
                                                        for d in out):
            continue
        limit = places[n + 1].start if n + 1 < len(places) else len(text)
        when = [d for d in doc.dates[index] if place.end <= d.start < limit][:1]
        draft = VisitDraft(trip.visitor, trip.office, trip.from_country, place.country, index,
                           mentions={index})
        draft.place_start = place.start
        if place.is_city:
            draft.place = city_name(place.text) or place.text
        if when:
            draft.date, draft.end_date = when[0].date, when[0].end_date
        future = re.search(r"(?i)\b(?:will|is to|are to)\b", found.group()) or (
            draft.date is not None and draft.date.start > doc.anchor)
        draft.status = VisitStatus.PLANNED if future else VisitStatus.COMPLETED
        out.append(draft)
    return out


_TOOK_UP = re.compile(r"(?i)\baccepted\s+(?:the|this|that|his|her|their)\s+invitation\b")


def _taken_up(doc: Document, index: int, drafts: _Known) -> None:
    """ "X invited Y to pay a state visit in 2027. Y accepted the invitation": planned now."""
    if not _TOOK_UP.search(doc.sentences[index].text):
        return
    latest = drafts.latest
    if latest is None or latest.status is not VisitStatus.PROPOSED:
        return
    who = {r.person for r in doc.people_in(index)}
    if latest.visitor is None or latest.visitor in who:
        latest.status = VisitStatus.PLANNED
        latest.mentions.add(index)
        drafts.touched(latest, index)


_MOVED_ON = re.compile(r"(?i)^(?:flew|went|travelled|traveled|headed|continued) on to$")
_WHERE_NEXT = re.compile(r",\s+where\b")


_THE_TOUR = re.compile(r"(?i)^(?:the|her|his|their) (?:[\w-]+ )?(?:tour|trip)\b")


def _tourist(drafts: _Known) -> VisitDraft | None:
    """The latest leg of whoever made the most visits of the report (a tour's traveller)."""
    counts: dict[str, int] = {}
    for draft in drafts.recent():
        if draft.visitor and not draft.recalled:
            counts[draft.visitor] = counts.get(draft.visitor, 0) + 1
    if not counts or max(counts.values()) < 2:
        return None
    who = max(counts, key=lambda k: counts[k])
    return next((d for d in reversed(drafts.recent()) if d.visitor == who and not d.recalled), None)


def _left_when_the_leg_ended(doc: Document, draft: VisitDraft, leg: VisitDraft | None) -> None:
    """ "Kim ended a four-day state visit to Hungary on Friday. … Kim flew on to Warsaw": the
    flight, undated, was on the last day of the leg before it, by the same traveller."""
    if draft.date is not None or leg is None or leg is draft or leg.visitor != draft.visitor:
        return
    last = leg.end_date or leg.date
    if leg.status is VisitStatus.COMPLETED and last is not None and (
            last.precision is Precision.DAY and last.start <= doc.anchor):
        draft.date, draft.status = last, VisitStatus.COMPLETED


_SAME_TRIP = re.compile(r"(?i)\b(?:stop(?:over)?|leg)\b"
                        r"|\b(?:the same|that|this) (?:trip|tour|visit)\b|\balso\b|\bas well\b"
                        # "The tour was to end on Friday with a working visit to South Africa"
                        r"|^(?:the|her|his|their) (?:[\w-]+ )?(?:tour|trip)\b")


def _onward(doc: Document, index: int, cue: re.Match[str],
            latest: VisitDraft | None) -> VisitDraft | None:
    """ "A stop in Kampala planned for the same trip has also been called off": a second
    trip named in passing, by the traveller of the visit just spoken of, to another country."""
    if latest is None or latest.recalled or not _SAME_TRIP.search(doc.sentences[index].text):
        return None
    where = _destination(doc, index, cue.end())
    text = doc.sentences[index].text
    # "The Hanoi leg of his trip": the place names the leg.
    named = next((p for p in doc.places[index] if p.is_city and _LEG.match(cue.group())
                  and re.fullmatch(r"\s+", text[p.end:cue.start()])), None)
    where = where or named
    if where is None or not where.country or where.country in (latest.to_country,
                                                                latest.from_country):
        return None
    if named is not None:
        draft = VisitDraft(latest.visitor, latest.office, latest.from_country, where.country,
                           index, place=city_name(where.text) or where.text, mentions={index})
        when = doc.dates[index][:1]
        if when:
            draft.date, draft.end_date = when[0].date, when[0].end_date
        draft.status = _status(doc, index, cue, draft.date)
        _month_of_the_trip(draft, latest)
        return draft
    who = _Traveller(latest.visitor, latest.office, latest.from_country)
    found = [d for d in _drafts(doc, index, cue, who) if not d.recalled]
    if not found or found[0].to_country != where.country:
        return None
    draft = found[0]
    _month_of_the_trip(draft, latest)
    return draft


_LEG = re.compile(r"(?i)\b(?:stop|stopover|leg)\b")


def _stop_on_the_trip(doc: Document, index: int, cue: re.Match[str],
                      trip: VisitDraft | None) -> bool:
    if trip is None or trip.recalled or not _LEG.search(cue.group()):
        return False
    if not _ANAPHORA.search(doc.sentences[index].text):
        return False
    # A place the tables do not know ("a stop in Manaus") is taken to be on the way too.
    where = _destination(doc, index, cue.end())
    return where is None or where.country == trip.to_country


def _recalled_by_anaphora(doc: Document, index: int, cue: re.Match[str],
                          trip: VisitDraft) -> VisitDraft | None:
    """ "… the preparations for that visit, the first by a Mongolian President to Seoul since
    2021": the trip spoken of recalls an earlier one of its kind, made in that year."""
    text = doc.sentences[index].text
    since = lexicon.VISIT_SINCE.search(text, cue.start())
    if since is None or trip.recalled:
        return None
    when = [d for d in doc.dates[index] if d.start > since.start() and d.date.start <= doc.anchor
            and not _IN_OFFICE_SINCE.search(text, max(0, d.start - 50), d.start)][:1]
    if not when:
        return None
    office = trip.office or (doc.people.get(trip.visitor).title if trip.visitor else "")
    return VisitDraft(None, office, trip.from_country, trip.to_country, index, when[0].date,
                      None, VisitStatus.COMPLETED, recalled=True, mentions={index})


def _month_of_the_trip(draft: VisitDraft, trip: VisitDraft | None) -> None:
    """A stop on a trip the report dates, itself undated: the trip's month, no day."""
    if draft.date is None and trip is not None and trip is not draft and trip.date is not None \
            and trip.date.precision in (Precision.DAY, Precision.MONTH):
        draft.date = FuzzyDate.month(trip.date.start.year, trip.date.start.month)


_WILL_RECEIVE = re.compile(r"(?i)\b(?:will|is to|is due to|is set to|is scheduled to"
                           r"|is expected to)\s+(?:receive|host|welcome)\b")
_HOST_STOP = re.compile(r"[;:]|,\s+(?:the|a|an|who|which|where|while|after)\b|\.\s")


def _guests_to_come(doc: Document, index: int) -> list[VisitDraft]:
    """ "Foreign Minister Bennani will receive Ghanaian Foreign Minister Asante in Rabat on
    Tuesday, 3 March": a visit to come, though the report never says "visit"."""
    text = doc.sentences[index].text
    found = _WILL_RECEIVE.search(text)
    if found is None:
        return []
    stop = _HOST_STOP.search(text, found.end())
    limit = stop.start() if stop else len(text)
    refs = doc.people_in(index)
    hosts = [r for r in refs if r.end <= found.start()]
    host_country = (doc.people.get(hosts[-1].person).country if hosts else "") or doc.host
    where = next((p for p in doc.places[index] if p.is_city and found.end() < p.start < limit),
                 None)
    if where is not None and where.country:
        host_country = where.country
    when = [d for d in doc.dates[index] if found.end() < d.start and d.date.start > doc.anchor]
    out = []
    for ref in refs:
        if not found.end() <= ref.start < limit:
            continue
        guest = doc.people.get(ref.person)
        if not guest.country or not host_country or guest.country == host_country:
            continue
        if lexicon.RESIDENT_TITLES.search(guest.title):
            continue  # an ambassador received where they serve has not travelled
        draft = VisitDraft(ref.person, guest.title, guest.country, host_country, index,
                           when[0].date if when else None, None, VisitStatus.PLANNED,
                           mentions={index})
        if where is not None:
            draft.place = city_name(where.text) or where.text
        out.append(draft)
    return out


def _traveller(doc: Document, index: int, cue: re.Match[str]) -> _Traveller | None:
    """Who makes the visit: a named person or an office ("the Kazakh President")."""
    text = doc.sentences[index].text
    refs = doc.people_in(index)
    asked = _invitee(doc, index, cue)
    if asked is not None:
        return asked
    made = _VISIT_THAT.match(text, cue.end())
    if made is not None and re.search(r"(?i)visit|trip", cue.group()):
        # "recalled the state visit that the President of Paraguay realised to Montevideo":
        # the one who made it, named after "that", not whoever recalls it.
        maker = next((r for r in refs if made.start() <= r.start < made.start("verb")), None)
        if maker is not None:
            return _person(doc, maker.person)
        title = next(lexicon.TITLE.finditer(text, made.start(), made.start("verb")), None)
        if title is not None:
            return _office_at(doc, index, title)
    if lexicon.VISITING_GUEST.fullmatch(cue.group()):
        # "received visiting Cambodian Deputy Prime Minister Sok Chenda": the guest.
        guest = next((r for r in refs if r.start >= cue.end()), None)
        if guest is not None and (_TITLE_WORDS.fullmatch(text, cue.end(), guest.start)
                                  or _COUNTERPART_GAP.fullmatch(text, cue.end(), guest.start)):
            # "… with his visiting Polish counterpart, Marek Zielinski": the counterpart.
            return _person(doc, guest.person)
    # "the planned visit of Foreign Secretary Teresa Villamor": the office before the name
    # is part of the mention.
    after = [r for r in refs if r.start >= cue.end() and _AFTER_BY.match(
        _CAPITALS_AT_END.sub(" ", text[cue.end():r.start]))
        and not _ASKED_BY.search(text, cue.end(), r.start)]
    if after:
        return _person(doc, after[0].person)
    office = _office_after(doc, index, cue.end())
    if office is not None:
        return office
    delegation = re.search(r"(?i)\bvisiting (\w+) delegation", text[cue.start():cue.end() + 30])
    if delegation:
        place = next((p for p in doc.places[index] if p.text == delegation.group(1)), None)
        return _principal(doc, place.country) if place else None
    if _POSSESSIVE.search(text, max(0, cue.start() - 40), cue.start()):
        # "X met Y on Friday, on the second day of his visit to Laos": the subject's visit.
        subject = next((r for r in refs if r.end <= cue.start()), None)
        if subject is not None and subject.start <= 60 and not re.search(
                r"(?i)\b(?:who|whose|the latter)\b", text[subject.end:cue.start()]):
            return _person(doc, subject.person)
    invited = _WHO_INVITED.search(text, max(0, cue.start() - 60), cue.start())
    if invited is not None:
        # "Vermeulen met Seitkali, who invited her to visit Astana": "her" is the one who met
        # the inviter, the other named before "who".
        named = [r for r in refs if r.end <= invited.start()]
        inviter = named[-1].person if named else None
        guest = next((r for r in named if r.person != inviter), None)
        if guest is not None:
            return _person(doc, guest.person)
    if _PARTICIPLE.match(cue.group()) and _THEN_BEFORE.search(
            text, max(0, cue.start() - 12), cue.start()):
        # "X is to meet Y on Thursday before travelling on to Seoul": the sentence's subject.
        subject = next((r for r in refs if r.end <= cue.start()), None)
        if subject is not None and subject.start <= 60:
            return _person(doc, subject.person)
    # "X accepted an invitation from Y to pay a visit", "X, who was received by Y at the end
    # of a visit": the one who invites or receives stays at home.
    before = [r for r in refs if r.end <= cue.start() and not _BREAK.search(text, r.end,
                                                                            cue.start())
              and not _HOST_OR_INVITER.search(text, max(0, r.start - 70), r.start)
              # "accepted President Boric's invitation to visit": Boric invites, at home.
              and not _WHOSE_INVITATION.match(text, r.end)]
    role = _office_before(doc, index, cue.start())
    if role is not None and (not before or role[1] > before[-1].end):
        return role[0]
    if before and doc.host and _DURING_A.search(text, max(0, cue.start() - 40), cue.start()):
        # "Lee held talks with Hungarian President Sulyok on Thursday during a state visit":
        # the visit is the guest's, not that of the host named last.
        guests = [r for r in before if doc.people.get(r.person).country not in ("", doc.host)]
        if guests and doc.people.get(before[-1].person).country == doc.host:
            return _person(doc, guests[-1].person)
    if before:
        return _person(doc, before[-1].person)
    if _PRESIDENTIAL.search(cue.group()):
        return _Traveller(None, "President", "")
    return None


_DURING_A = re.compile(r"(?i)\b(?:during|on|in the course of)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}$")


# "an invitation from the Crown Prince to President Mansour to visit the Kingdom": the one
# the invitation is to; "conveyed to His Royal Highness an invitation to visit Ecuador": the
# one it is conveyed to. Who hands it over stays at home.
_INVITATION_TO = re.compile(r"(?i)\binvitation\s+(?:from\s+[^,.;]{1,60}?\s+)?to\s+"
                            r"(?P<who>[^,.;]{2,80}?)\s+to\s+$")
_CONVEYED_TO = re.compile(r"(?i)\b(?:conveyed|extended|handed|delivered|passed on|presented"
                          r"|issued|transmitted|renewed)\s+to\s+(?P<who>[^,.;]{2,80}?)\s+(?:an?|the)"
                          r"\s+(?:[\w-]+\s+){0,2}invitation\s+(?:from\s+[^,.;]{1,60}?\s+)?to\s+$")
_INVITED_TO = re.compile(r"(?i)\binvit\w*\b[^.;]{0,160}$")


def _invitee(doc: Document, index: int, cue: re.Match[str]) -> _Traveller | None:
    """Who an invitation asks to make the visit: the one it is addressed to, wherever the
    text names them; when it names them by no name the sentence holds ("His Royal
    Highness"), the other side's principal, for the one inviting is at home there."""
    if not re.match(r"(?i)visit|travel|pay|make", cue.group()):
        return None
    text = doc.sentences[index].text
    head = text[max(0, cue.start() - 200):cue.start()]
    found = _INVITATION_TO.search(head) or _CONVEYED_TO.search(head)
    if found is None:
        return None
    offset = max(0, cue.start() - 200)
    start, end = offset + found.start("who"), offset + found.end("who")
    named = [r for r in doc.people_in(index) if start <= r.start < end]
    if named:
        return _person(doc, named[-1].person)
    if re.fullmatch(r"(?i)\s*(?:him|her|them)\s*", found.group("who")):
        return None  # "handed him an invitation to visit": the rules below know "him"
    office = next(lexicon.TITLE.finditer(text, start, end), None)
    where = _destination(doc, index, cue.end())
    if where is None or not where.country:
        return _office_at(doc, index, office) if office is not None else None
    other = doc.other(where.country)
    principal = _principal(doc, other) if other else None
    if principal is not None:
        return principal
    return _office_at(doc, index, office) if office is not None else None


def _person(doc: Document, key: str) -> _Traveller:
    person = doc.people.get(key)
    return _Traveller(key, person.title, person.country)


def _principal(doc: Document, country: str) -> _Traveller | None:
    """The head of a delegation: the most-mentioned named person of that country."""
    people = [p for p in doc.people.people if p.country == country]
    if not people:
        return None
    return _person(doc, max(people, key=lambda p: p.mentions).key)


def _office_at(doc: Document, index: int, match: re.Match[str]) -> _Traveller:
    text = doc.sentences[index].text
    places = doc.places[index]
    country = ""
    before = next((p for p in places if not p.is_city
                   and re.fullmatch(r"(?:'s)?\s+", text[p.end:match.start()])), None)
    if before is not None:
        country = before.country
        lead = text[: before.start]
    else:
        lead = text[: match.start()]
        of = re.match(r"\s+of\s+(?:the\s+)?", text[match.end():])
        if of:
            after = next((p for p in places if p.start == match.end() + of.end()), None)
            country = after.country if after else ""
    office = lexicon.tidy_title(match.group())
    if not re.search(r"(?i)\b(?:an?|any)\s+$", lead):
        person = doc.people.by_role(country, office)
        if person is not None and person.country == country:
            return _person(doc, person.key)
    return _Traveller(None, office, country)


def _office_after(doc: Document, index: int, position: int) -> _Traveller | None:
    text = doc.sentences[index].text
    for match in lexicon.TITLE.finditer(text, position):
        if _AFTER_BY.match(text[position:_start_of_role(doc, index, match)]):
            return _office_at(doc, index, match)
        break
    return None


def _start_of_role(doc: Document, index: int, match: re.Match[str]) -> int:
    text = doc.sentences[index].text
    for place in doc.places[index]:
        if re.fullmatch(r"(?:'s)?\s+", text[place.end:match.start()]):
            return place.start
    return match.start()


def _office_before(
    doc: Document, index: int, position: int
) -> tuple[_Traveller, int] | None:
    text = doc.sentences[index].text
    last = None
    for match in lexicon.TITLE.finditer(text, 0, position):
        if not _BREAK.search(text, match.end(), position):
            last = match
    if last is None or re.match(r",?\s+[A-ZÀ-ÞĀ-ž]", text[last.end():]):
        return None
    return _office_at(doc, index, last), last.end()


def _destination(doc: Document, index: int, position: int) -> PlaceMention | None:
    text = doc.sentences[index].text
    for place in doc.places[index]:
        if place.start >= position and _DESTINATION.match(text[position:place.start]):
            return place
    return None


_ARRIVED_IN = re.compile(
    r"(?i)\b(?:landed|arrived|touched down|received|welcomed)\s+(?:in|at)\s+(?:the\s+)?$")


def _arrived_in(doc: Document, index: int, position: int) -> PlaceMention | None:
    text = doc.sentences[index].text
    return next((place for place in reversed(doc.places[index]) if place.end <= position
                 and _ARRIVED_IN.search(text, max(0, place.start - 30), place.start)), None)


def _drafts(
    doc: Document, index: int, cue: re.Match[str], who: _Traveller
) -> list[VisitDraft]:
    text = doc.sentences[index].text
    where = _destination(doc, index, cue.end())
    if _BEING_IN.fullmatch(cue.group()) and (where is None or where.start - cue.end() > 5):
        return []  # "was in talks", "is in charge": being in a place only when it is named
    if where is None and who.person is not None:
        # "the visit of Foreign Secretary Teresa Villamor to Kuwait": past the visitor's name.
        named = next((r for r in doc.people_in(index)
                      if r.person == who.person and r.start >= cue.end()), None)
        where = _destination(doc, index, named.end) if named is not None else None
    made = _VISIT_THAT.match(text, cue.end())
    if where is None and made is not None:
        where = next((p for p in doc.places[index] if p.start >= made.end()), None)
    if where is None and re.search(r"(?i)visit|arriv", cue.group()):
        where = _destination(doc, index, cue.start())
    if where is None and re.search(r"(?i)visit", cue.group()):
        # "Cavalcanti landed in Luanda on Friday, for a three-day state visit": the place
        # she came to, named before the visit.
        where = _arrived_in(doc, index, cue.start())
    if where is None and _RETURNED.match(cue.group()):
        return []  # "returned from exile": from nowhere the report names
    if where is None and _ABROAD.search(text, max(0, cue.start() - 30), cue.end()):
        return []  # "her next foreign trip": abroad, but nowhere the report names
    if where is None and _REGION_OBJECT.match(text, cue.end()):
        return []  # "will visit the Indian Ocean island states": a region, no one country
    to_country = where.country if where else ""
    from_country = who.country
    if who.person is not None and doc.people.get(who.person).assumed and doc.host and (
            to_country in ("", doc.host)) and doc.other(doc.host):
        # Someone the report gives no country, travelling to the dateline's country, comes
        # from the other side ("… to President Adel Mansour to visit the Kingdom").
        from_country = doc.other(doc.host)
        to_country = doc.host
        doc.people.get(who.person).country = from_country
    if not to_country:
        to_country = doc.host if doc.host and doc.host != from_country else doc.other(from_country)
    if not from_country:
        from_country = doc.other(to_country)
        if find_organisation(from_country) is not None and state_office(who.office):
            from_country = ""  # a minister of no stated country is no organisation's
    if not from_country or not to_country or from_country == to_country:
        return []  # a trip at home, or one whose ends the report does not give
    draft = VisitDraft(who.person, who.office, from_country, to_country, index, mentions={index})
    if where is not None and where.is_city:
        draft.place = city_name(where.text) or where.text
    since = lexicon.VISIT_SINCE.search(text)
    dates = [d for d in doc.dates_for(index, cue.start(), cue.end())
             if not _UNTIL.search(text[: d.start])]
    if _MOVED_ON.search(cue.group()):
        # "flew on to Warsaw, where she is due to meet … on Saturday": that day is the
        # meeting's; the flight is dated by the leg it follows (see find_visits).
        dates = [d for d in dates if not _WHERE_NEXT.search(text, cue.end(), d.start)]
    if not dates:
        dates = _purpose_dates(doc, index, cue)
    when = _WHEN_VISITS.search(text, max(0, cue.start() - 60), cue.start())
    if not dates and when is not None:
        # "to be signed in early 2027, when Haugland visits Addis Ababa": the visit is the
        # time of the clause it closes, and takes that clause's date.
        dates = [d for d in doc.dates[index] if d.end <= when.start()][-1:]
    dates = [d for d in dates if not _IN_OFFICE_SINCE.search(text, max(0, d.start - 50), d.start)]
    if not dates and where is not None:
        # "Mabunda's visit to Brasília, which both sides said would take place in the first
        # quarter of 2027": the clause on the visit gives its time.
        which = _WHICH_TAKES.match(text, where.end)
        if which is not None:
            dates = [d for d in doc.dates[index] if d.start > where.end][:1]
    if not dates and where is not None and not _MOVED_ON.search(cue.group()):
        # "before travelling on to Seoul, where he will attend the meeting on Friday": the
        # day of what the traveller will do there.
        there = _WHERE_NEXT.match(text, where.end)
        dates = [d for d in doc.dates[index] if there and d.start > there.end()][:1]
    recalled = [d for d in doc.dates[index] if since and d.start > since.start()
                and d.date.start <= doc.anchor
                and not _IN_OFFICE_SINCE.search(text, max(0, d.start - 50), d.start)]
    dates = [d for d in dates if d not in recalled]
    current = [d for d in dates if d not in recalled]
    # "postponed to October": the new date wins, wherever in the sentence it is.
    moved = [d for d in doc.dates[index] if _NEW_DATE.search(text[: d.start])]
    options = moved or current
    # "had been postponed": the old date is not the visit's; what else is said decides.
    chosen = options[0] if options and not _PLUPERFECT_DELAY.search(text) else None
    if chosen is not None:
        draft.date, draft.end_date = chosen.date, chosen.end_date
        days_of_the_visit(text, draft)
    draft.status = _status(doc, index, cue, draft.date)
    if draft.status is VisitStatus.COMPLETED and draft.date is not None and (
            draft.date.start > doc.anchor):
        draft.status = VisitStatus.PLANNED  # "arrives on Sunday": not yet made
    out = [draft]
    if where is not None:
        # "will visit Namibia and Botswana from 29 June to 2 July", "will travel to Seoul and
        # Tokyo": a visit to each.
        for other in _also_to(doc, index, where):
            if other.country not in (from_country, to_country):
                place = (city_name(other.text) or other.text) if other.is_city else ""
                out.append(replace(draft, to_country=other.country, place=place,
                                   mentions=set(draft.mentions)))
    years_ago = _YEARS_AGO.search(text)
    if years_ago and not recalled:
        # "the first by an Indian prime minister in nine years": the last was that long ago.
        n = _COUNT.get(years_ago.group("n").lower()) or (
            int(years_ago.group("n")) if years_ago.group("n").isdigit() else 0)
        if n:
            out.append(VisitDraft(None, who.office, from_country, to_country, index,
                                  FuzzyDate.year(doc.anchor.year - n), None,
                                  VisitStatus.COMPLETED, recalled=True, mentions={index}))
    if recalled:
        out.append(VisitDraft(who.person if who.person else None, who.office, from_country,
                              to_country, index, recalled[0].date, None, VisitStatus.COMPLETED,
                              recalled=True, mentions={index}))
        if out[1].visitor is not None:
            out[1].visitor = None  # "the first visit since 2022" says nothing of who made it
            out[1].office = who.office
    return out


_VISIT_THAT = re.compile(r"(?i)\s+(?:that|which)\s+(?:the\s+)?[^,.;]{2,90}?\s+(?P<verb>realised"
                         r"|realized|made|paid|undertook|carried out|conducted)\s+(?:to|in)\s+"
                         r"(?:the\s+)?")
# A trip to a region or a group of countries names no one host: "visit the Gulf states",
# "a tour of Central Asia", "travel to the Pacific island nations".
_REGION_OBJECT = re.compile(
    r"\s+(?:(?:to|of|through|across|around)\s+)?(?:the\s+)?(?:[A-ZÀ-ÞĀ-ž][\w'-]*\s+){0,4}"
    r"(?:Asia|Africa|Europe|America|Americas|Pacific|Caribbean|Balkans|Gulf|Middle East"
    r"|Maghreb|Sahel|Levant|Nordics|Baltics|(?:[Ii]sland\s+)?(?:states|countries|nations))\b")
_ABROAD = re.compile(r"(?i)\b(?:foreign|overseas|international)\s+(?:[\w-]+\s+)?(?:trip|visit|tour"
                     r"|travel)s?$")
_WHICH_TAKES = re.compile(r"(?i),\s+which\s+[^.;]{0,60}?\b(?:take|takes|took)\s+place\b"
                          r"|,\s+which\s+[^.;]{0,60}?\b(?:be|is|was)\s+(?:held|planned|scheduled)\b")
_WHEN_VISITS = re.compile(r"(?i),\s+(?:when|once|as soon as)\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,5}$")
_AND_ALSO = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:then\s+|on\s+to\s+)?")


def _also_to(doc: Document, index: int, first: PlaceMention) -> list[PlaceMention]:
    """The countries listed after a trip's first one ("Namibia, Botswana and Zambia")."""
    text = doc.sentences[index].text
    out: list[PlaceMention] = []
    end = first.end
    for place in doc.places[index]:
        if place.start < end:
            continue
        if place.is_city != first.is_city or place.is_org or not _AND_ALSO.fullmatch(
                text, end, place.start):
            break
        out.append(place)
        end = place.end
    return out


_YEARS_AGO = re.compile(r"(?i)\bfirst (?:such )?(?:visit |trip )?(?:by [^,.;]+? )?"
                        r"in (?P<n>\w+) years\b")
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_DAYS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_LENGTH = re.compile(r"(?i)\b(?P<n>two|three|four|five|six|seven|[2-7])-day\b")
_ENDED = re.compile(r"(?i)\b(?:ended|ends|concluded|concludes|wrapped up|wrapping up|completed"
                    r"|returned (?:home )?from"
                    r"|wound up|winding up|at the end of|at the close of|on the (?:last|final)"
                    r" day of|rounding off)\b")
_ENDED_VERB = re.compile(r"(?i)\b(?:ended|concluded|wrapped up|wound up)\b")


def ended_on(text: str, draft: VisitDraft) -> bool:
    """ "The state visit … ended on Friday": the day read is the visit's last, and the
    sentence gives no length to count its first from."""
    return (draft.date is not None and draft.date.precision is Precision.DAY
            and draft.end_date is None and _ENDED_VERB.search(text) is not None
            and _LENGTH.search(text) is None and _NTH_DAY.search(text) is None)


# "on the second day of his visit": the visit began that many days before.
_NTH_DAY = re.compile(r"(?i)\bon the (?P<n>first|second|third|fourth|fifth|sixth) day of\b")
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}


def days_of_the_visit(text: str, draft: VisitDraft) -> None:
    """ "concluded a three-day visit on Thursday": Tuesday to Thursday; "arrived on Monday
    for a two-day visit": Monday and Tuesday. Only a day and a stated length make a range."""
    length = _LENGTH.search(text)
    nth = _NTH_DAY.search(text)
    if nth is not None and length is None and draft.date is not None and (
            draft.end_date is None and draft.date.precision is Precision.DAY):
        first = draft.date.start - timedelta(days=_NTH[nth.group("n").lower()] - 1)
        draft.date = FuzzyDate.day(first.year, first.month, first.day)
        return
    if length is None or draft.date is None or draft.end_date is not None:
        return
    if draft.date.precision is not Precision.DAY:
        return
    n = int(length.group("n")) if length.group("n").isdigit() else _DAYS[length.group("n").lower()]
    day = draft.date.start
    if _ENDED.search(text):
        first = day - timedelta(days=n - 1)
        draft.date, draft.end_date = FuzzyDate.day(first.year, first.month, first.day), draft.date
    else:
        last = day + timedelta(days=n - 1)
        draft.end_date = FuzzyDate.day(last.year, last.month, last.day)


def _purpose_dates(doc: Document, index: int, cue: re.Match[str]) -> list[DateMention]:
    """ "travels to Nairobi on Thursday for talks with …": a day between the trip and the end
    of its clause is the trip's, though the talks it is for stand nearer."""
    text = doc.sentences[index].text
    stop = _CLAUSE_END.search(text, cue.end())
    limit = stop.start() if stop else len(text)
    return [d for d in doc.dates[index] if cue.end() <= d.start < limit
            and not _UNTIL.search(text[: d.start])][:1]


def _status(
    doc: Document, index: int, cue: re.Match[str], when: FuzzyDate | None
) -> VisitStatus | None:
    text = doc.sentences[index].text
    if _PLUPERFECT_DELAY.search(text):
        return None  # decided by what else the report says of it
    head = text[max(0, cue.start() - 200):cue.start()]
    if _INVITATION_TO.search(head) or _CONVEYED_TO.search(head):
        # "conveyed to X an invitation to visit": asked, not yet agreed, unless taken up.
        return (VisitStatus.PLANNED if _ACCEPTED_AFTER.search(text, cue.end())
                else VisitStatus.PROPOSED)
    found: list[tuple[int, VisitStatus]] = []
    for status, pattern in lexicon.VISIT_STATUS_CUES:
        for match in matches(pattern, text):
            if status is VisitStatus.PROPOSED and _invitation_to(text, match, cue):
                # "extended an invitation to X to visit Asunción": the "to visit" is the
                # invitation's, not a visit planned; unless the sentence says it was taken up.
                return (VisitStatus.PLANNED if _ACCEPTED_AFTER.search(text, cue.end())
                        else VisitStatus.PROPOSED)
            found.append((max(0, match.start() - cue.end(), cue.start() - match.end()), status))
    for status in (VisitStatus.CANCELLED, VisitStatus.POSTPONED):
        if any(s is status for _, s in found):
            return status
    if found:
        nearest = min(found, key=lambda pair: pair[0])[1]
        if nearest is VisitStatus.PROPOSED and _ACCEPTED_AFTER.search(text, cue.end()):
            return VisitStatus.PLANNED  # "Pereyra invited Lamas to visit …; Lamas accepted."
        return nearest
    if when is not None:
        return VisitStatus.PLANNED if when.start > doc.anchor else VisitStatus.COMPLETED
    return None


_ACCEPTED = re.compile(r"(?i)\baccept\w*\b")
_ACCEPTED_AFTER = re.compile(r"(?i)[;,]\s+(?:and\s+)?(?:\S+\s+){1,3}(?:has\s+|had\s+)?accepted\b"
                             r"|,\s+which\s+(?:was|he|she)\s+accepted\b|,\s+which was accepted\b")


def _invitation_to(text: str, invitation: re.Match[str], cue: re.Match[str]) -> bool:
    """Whether the visit word is what an invitation just before it asks for."""
    between = text[invitation.end():cue.start()]
    return (text[max(0, cue.start() - 3):cue.start()].lower() == "to "
            and invitation.end() <= cue.start() and len(between) < 90
            and re.search(r"[,.;]", between) is None and _ACCEPTED.search(between) is None)


_RANK = {VisitStatus.CANCELLED: 0, VisitStatus.POSTPONED: 1, VisitStatus.COMPLETED: 2}


def _merge(drafts: _Known, draft: VisitDraft, index: int) -> None:
    for existing in reversed(drafts.recent()):
        one_sentence = existing.mentions == draft.mentions and existing.visitor == draft.visitor
        if one_sentence and existing.to_country == draft.to_country and not draft.recalled:
            # "arrived in Tashkent on Monday on a two-day official visit": one visit, and
            # the most decided status of its words.
            ranks = [s for s in (existing.status, draft.status) if s is not None]
            existing.status = min(ranks, key=lambda s: _RANK.get(s, 3), default=None)
            existing.date = existing.date or draft.date
            existing.place = existing.place or draft.place
            drafts.touched(existing, index)
            return
        if _same(existing, draft):
            existing.date = existing.date or draft.date
            existing.end_date = existing.end_date or draft.end_date
            existing.place = existing.place or draft.place
            if existing.status is None or draft.status in (VisitStatus.CANCELLED,
                                                           VisitStatus.POSTPONED):
                existing.status = draft.status or existing.status
            elif existing.status is VisitStatus.PROPOSED and draft.status is VisitStatus.PLANNED:
                existing.status = draft.status  # the invitation, then accepted
            if existing.visitor is None and draft.visitor is not None:
                existing.visitor = draft.visitor
            existing.mentions |= draft.mentions
            drafts.touched(existing, index)
            return
    drafts.add(draft, index)


def _same(a: VisitDraft, b: VisitDraft) -> bool:
    if a.recalled != b.recalled or a.to_country != b.to_country:
        return False
    if a.visitor and b.visitor:
        if a.visitor != b.visitor:
            return False
    elif a.office.lower() != b.office.lower() and not (a.visitor or b.visitor):
        return False
    elif (a.visitor or b.visitor) and not _office_fits(a, b):
        return False
    if a.from_country != b.from_country:
        return False
    if a.date and b.date and not a.date.overlaps(b.date.start, b.date.end):
        if not _within(a, b) and not _within(b, a):
            return False
        # "… on an official visit from the 13 to the 15 of May. The delegation will continue
        # tomorrow with a visit to the dam": a day inside a visit under way is that visit.
        return True
    if _within(a, b) or _within(b, a):
        return True
    closed = {VisitStatus.COMPLETED}
    return not (a.status and b.status and (a.status in closed) != (b.status in closed))


def _within(trip: VisitDraft, day: VisitDraft) -> bool:
    """Whether `day` falls inside the days `trip` runs, when it is known to run over several."""
    if trip.date is None or trip.end_date is None or day.date is None:
        return False
    return trip.date.start <= day.date.start and day.date.end <= trip.end_date.end


def _office_fits(a: VisitDraft, b: VisitDraft) -> bool:
    named, other = (a, b) if a.visitor else (b, a)
    return other.office.lower() in named.office.lower()
