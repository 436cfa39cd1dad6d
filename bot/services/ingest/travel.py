"""Visits no sentence tells: each foreign official at an event abroad, kept by fitted weights.

The rules find a visit where a sentence says one ("arrived", "a delegation led by", "left
for"). Reports of a ministerial or a summit mostly do not: they list who took part, who
signed, who "led the team" of an organisation. So each person of another country named at a
meeting held, or a text signed, in a country is a candidate visit there, on the event's day;
whether the report means a trip is a logistic score over the cues below (a participant or a
bystander, by video link, an ambassador posted there, an organisation's staff at its seat),
fitted offline on the labelled sets by `train.py` and committed in `weights.py`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bot.domain.countries import find_country
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import PlanStatus, VisitStatus
from bot.services.ingest import lexicon, weights
from bot.services.ingest.document import Document
from bot.services.ingest.meetings import MeetingDraft
from bot.services.ingest.organisations import is_organisation, seated_in
from bot.services.ingest.places import city_country, city_name
from bot.services.ingest.plans import PlanDraft
from bot.services.ingest.visits import VisitDraft

# The cues a candidate is scored on, in the order of `weights.TRAVEL`.
FEATURES = (
    "bias",
    "participant",  # a side of the meeting, or a signatory of the text
    "in_sentence",  # named in a sentence of the event, but not as a side
    "main_event",  # named elsewhere; dated by the report's one meeting held at home
    "resident",  # an ambassador or envoy, posted where the event is
    "organisation",  # an organisation's official
    "at_seat",  # ... where the organisation sits
    "assumed",  # the person's country was taken from the dateline, not the text
    "remote",  # "by video link", "by telephone" where the person is named
    "travel_cue",  # "arrived", "travelled", "delegation", "led" where the person is named
    "multilateral",  # the event has three sides or more
    "head",  # a head of state or government
    "minister",  # a minister or secretary
    "in_pair",  # of one of the report's two main countries
    "elsewhere",  # the person has a visit to another country proposed
    "ahead",  # the event is still to come
    "many_mentions",  # named three times or more
    "companion",  # a compatriot of a visitor, named while the visit is told
    "signed",  # signed a text the report proposes
)

_REMOTE = re.compile(r"(?i)\b(?:video|virtual(?:ly)?|by (?:tele)?phone|telephone|online|remotely"
                     r"|by link)\b")
_TRAVEL = re.compile(r"(?i)\b(?:arriv\w*|travel\w*|visit\w*|delegation|led|leading|came|flew"
                     r"|accompan\w*|landed|trip|welcomed)\b")
_HEAD = re.compile(r"(?i)\b(?:president|prime minister|premier|king|queen|emir|sultan|chancellor"
                   r"|head of (?:state|government)|chairman of the cabinet)\b")
_MINISTER = re.compile(r"(?i)\b(?:minister|secretary|commissioner)\b")


_LOOK = 6
# How many sentences after a visit's last mention its companions may still be named
_AFTER_VISIT = 4


@dataclass
class TravelChoice:
    """One candidate trip, its cues, and whether it was kept (then it is a proposed visit,
    at `position` among the visits)."""

    person: str
    country: str
    day: FuzzyDate
    cues: dict[str, float] = field(default_factory=dict)
    kept: bool = False
    position: int = -1


@dataclass
class _Event:
    country: str
    place: str
    day: FuzzyDate
    sentences: set[int]
    sides: set[str]
    sides_count: int


def _event_country(doc: Document, place: str) -> str:
    if place:
        land = find_country(place)
        return city_country(place) or (land.name if land else "") or (
            doc.host if place == doc.home else "")
    return doc.host


def _events(doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft]) -> list[_Event]:
    out = []
    for m in meetings:
        if m.remote or m.date is None or m.date.precision is Precision.YEAR:
            continue
        country = _event_country(doc, m.place)
        sides = {doc.people.get(k).country for k in m.participants} - {""}
        out.append(_Event(country, m.place or doc.home, m.date, set(m.mentions) | {m.sentence},
                          set(m.participants), len(sides)))
    for p in plans:
        if p.status is not PlanStatus.SIGNED or p.date is None or (
                p.date.precision is Precision.YEAR):
            continue
        country = _event_country(doc, p.place)
        sides = {doc.people.get(k).country for k in p.signatories} - {""}
        out.append(_Event(country, p.place or doc.home, p.date, set(p.mentions) | {p.sentence},
                          set(p.signatories), len(sides)))
    return [e for e in out if e.country]


def score(values: dict[str, float], coefficients: tuple[float, ...] | None = None) -> float:
    """The probability that the candidate is a trip the report means (weights read at call
    time, so the training script can run the engine on weights fitted without a set)."""
    fitted = weights.TRAVEL if coefficients is None else coefficients
    total = sum(w * values[name] for name, w in zip(FEATURES, fitted, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, total))))


def candidate_trips(doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft],
                    visits: list[VisitDraft]) -> list[TravelChoice]:
    """Adds the candidates the weights keep to `visits`; returns every candidate scored."""
    if weights.TRAVEL_CUT >= 1.0:
        return []  # the model is switched off (see train.threshold): it costs nothing
    events = _events(doc, meetings, plans)
    if not events:
        return []
    named_in: dict[str, set[int]] = {}
    for index, refs in enumerate(doc.refs):
        for ref in refs:
            named_in.setdefault(ref.person, set()).add(index)
    trips = {(v.visitor, v.to_country) for v in visits if v.visitor and not v.recalled}
    going = {v.visitor for v in visits if v.visitor and not v.recalled}
    main = next((e for e in events if e.country == doc.host and e.day.precision is Precision.DAY
                 and e.day.start <= doc.anchor), None)
    found: dict[tuple[str, str], tuple[_Event, bool, bool]] = {}
    for event in events:
        # Those named in the event's own sentences, and its sides: each mention read once.
        here = {ref.person for i in event.sentences for ref in doc.refs[i]} | event.sides
        for key in sorted(here):
            side = key in event.sides
            slot = (key, event.country)
            if slot not in found or event.day.start < found[slot][0].day.start:
                found[slot] = (event, side, False)
    if main is not None:
        for key in named_in:
            found.setdefault((key, main.country), (main, False, True))
    # "The energy memorandum was signed by … Nikola Šćekić, who travelled with the
    # delegation": a compatriot named while a visit is told went on it.
    companions: set[tuple[str, str]] = set()
    for visit in visits:
        if not visit.visitor or visit.recalled or visit.date is None or (
                visit.status not in (VisitStatus.COMPLETED, VisitStatus.PLANNED)):
            continue
        first = min(visit.mentions | {visit.sentence})
        last = max(visit.mentions | {visit.sentence}) + _AFTER_VISIT
        told = {ref.person for i in range(first, min(last, len(doc.refs) - 1) + 1)
                for ref in doc.refs[i]}
        for key in sorted(told):
            if key == visit.visitor or doc.people.get(key).country != visit.from_country:
                continue
            slot = (key, visit.to_country)
            known = found.get(slot)
            if known is None or (known[0].day.precision is not Precision.DAY
                                 and visit.date.precision is Precision.DAY
                                 and known[0].day.overlaps(visit.date.start, visit.date.end)):
                # Seen at a text signed "in June" during a visit of 3 June: the visit's day.
                found[slot] = (_Event(visit.to_country, visit.place, visit.date,
                                      visit.mentions | {visit.sentence}, set(), 0),
                               known[1] if known else False, False)
                companions.add(slot)
    signers = {k for p in plans for k in p.signatories}
    choices = []
    for (key, country), (event, side, from_main) in found.items():
        person = doc.people.get(key)
        if not person.country or person.country == country or (key, country) in trips:
            continue
        # Where the person is named (the first few times: what a report says of someone's
        # coming, it says early)
        said = " ".join(doc.sentences[i].text for i in sorted(named_in.get(key, ()))[:_LOOK])
        where = city_name(event.place) or event.place
        values = {
            "bias": 1.0,
            "participant": float(side),
            "in_sentence": float(not side and not from_main),
            "main_event": float(from_main),
            "resident": float(bool(lexicon.RESIDENT_TITLES.search(person.title))),
            "organisation": float(is_organisation(person.country)),
            "at_seat": float(bool(where) and seated_in(person.country, where)),
            "assumed": float(person.assumed),
            "remote": float(bool(_REMOTE.search(said))),
            "travel_cue": float(bool(_TRAVEL.search(said))),
            "multilateral": float(event.sides_count >= 3 or len(event.sides) >= 3),
            "head": float(bool(_HEAD.search(person.title))),
            "minister": float(bool(_MINISTER.search(person.title))),
            "in_pair": float(person.country in doc.pair),
            "elsewhere": float(key in going),
            "ahead": float(event.day.start > doc.anchor),
            "many_mentions": float(person.mentions >= 3),
            "companion": float((key, country) in companions),
            "signed": float(key in signers),
        }
        choice = TravelChoice(key, country, event.day, values, score(values) > weights.TRAVEL_CUT)
        choices.append(choice)
        if choice.kept:
            past = event.day.start <= doc.anchor
            choice.position = len(visits)
            visits.append(VisitDraft(
                key, person.title, person.country, country, min(event.sentences), event.day,
                None, VisitStatus.COMPLETED if past else VisitStatus.PLANNED,
                place=event.place if city_country(event.place) else "",
                mentions=set(event.sentences)))
    return choices
