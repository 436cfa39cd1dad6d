"""Settling what one mention leaves open from others: shared days, visits implied by meetings."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from datetime import timedelta
from typing import TypeVar

from bot.domain.countries import find_country
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import PlanStatus, VisitStatus
from bot.services.ingest import dating, lexicon, travel, weights
from bot.services.ingest.document import Document
from bot.services.ingest.meetings import MeetingDraft, first_day
from bot.services.ingest.organisations import seated_in
from bot.services.ingest.places import city_country, city_name
from bot.services.ingest.plans import PlanDraft
from bot.services.ingest.visits import VisitDraft, days_of_the_visit, ended_on

_SIGNING = re.compile(r"(?i)\bthe signing\b")
# A visit known to the day still covers the talks of the following days ("arrived on Sunday
# for a three-day visit"), so a meeting this close to it belongs to it.
_NEAR = timedelta(days=7)
# How many earlier visits of one person to one country a meeting is compared with; no report
# names more, and the bound keeps long texts linear.
_RECENT = 64

_T = TypeVar("_T", MeetingDraft, PlanDraft, VisitDraft)


def by_sentence(drafts: Sequence[_T]) -> dict[int, list[int]]:
    """Sentence -> positions of the drafts that speak of it, in order: records that share a
    sentence are found without comparing every pair of records."""
    out: dict[int, list[int]] = {}
    for position, draft in enumerate(drafts):
        for index in draft.mentions:
            out.setdefault(index, []).append(position)
    return out


def sharing(draft: MeetingDraft | PlanDraft | VisitDraft,
            index: dict[int, list[int]]) -> list[int]:
    """Positions of the drafts (of `index`) that share a sentence with `draft`, in order."""
    found: set[int] = set()
    for sentence in draft.mentions:
        found.update(index.get(sentence, ()))
    return sorted(found)


def settle(
    doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft], visits: list[VisitDraft]
) -> list[str]:
    """Fills dates, participants and visits from related mentions; returns warnings."""
    _signing_mentions(doc, plans)
    _share_dates(doc, meetings, plans)
    _signed_by_those_who_met(doc, meetings, plans)
    _signed_after_a_meeting(doc, meetings, plans)
    _plans_from_visits(doc, plans, visits)
    _visit_dates(doc, meetings, plans, visits)
    _places_from_sections(doc, meetings)
    _implied_visits(doc, meetings, plans, visits)
    _one_trip(visits)
    _accompanied(doc, visits)
    warnings = _defaults(doc, meetings, plans, visits)
    # With every date settled: the trips no sentence tells, as the fitted weights keep them.
    doc.travel_choices += travel.candidate_trips(doc, meetings, plans, visits)
    return warnings


def _signing_mentions(doc: Document, plans: list[PlanDraft]) -> None:
    """ "The signing followed a working meeting": that sentence speaks of the last signed plan."""
    last: PlanDraft | None = None
    position = 0
    for index, sentence in enumerate(doc.sentences):
        # Plans are listed in the order they are first named, so one pass finds the last
        # signed one named up to this sentence.
        while position < len(plans) and plans[position].sentence <= index:
            if plans[position].status is PlanStatus.SIGNED:
                last = plans[position]
            position += 1
        if last is not None and _SIGNING.search(sentence.text):
            last.mentions.add(index)


def _share_dates(doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft]) -> None:
    """Plans signed at a meeting, and meetings a signing followed, share the day."""
    index = by_sentence(plans)
    pairs = [(meeting, plans[p]) for meeting in meetings for p in sharing(meeting, index)]
    for _ in range(2):  # a day may pass plan -> meeting -> plan
        for meeting, plan in pairs:
            if plan.status is not PlanStatus.SIGNED:
                continue  # a plan still to be signed is not dated by today's talks
            if plan.date is None and meeting.date is not None:
                plan.date = meeting.date
            if meeting.date is None and plan.date is not None:
                # "ended the summit on Friday by adopting …, after three days of talks"
                meeting.date = first_day(doc.sentences[meeting.sentence].text, plan.date)
            if not meeting.participants and plan.signatories:
                meeting.participants = dict.fromkeys(plan.signatories, "")
            if not plan.place and meeting.place:
                plan.place = meeting.place


def _signed_by_those_who_met(
    doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft]
) -> None:
    """ "The two ministers also signed a protocol": on the one day they are known to have met."""
    dated: dict[str, list[MeetingDraft]] = {}  # person -> meetings known to the day
    for meeting in meetings:
        if meeting.date and meeting.date.precision is Precision.DAY:
            for person in meeting.participants:
                dated.setdefault(person, []).append(meeting)
    answers: dict[frozenset[str], set[FuzzyDate]] = {}
    for plan in plans:
        if plan.date is not None or plan.status is not PlanStatus.SIGNED:
            continue
        actors = frozenset(plan.signatories) or frozenset(
            r.person for i in plan.mentions for r in doc.refs[i])
        if len(actors) < 2:
            continue
        if actors not in answers:
            fewest = min((dated.get(a, []) for a in actors), key=len)
            answers[actors] = {m.date for m in fewest
                               if m.date is not None and actors <= set(m.participants)}
        if len(answers[actors]) == 1:
            plan.date = next(iter(answers[actors]))


def _signed_after_a_meeting(
    doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft]
) -> None:
    """ "… held the 22nd meeting of their Cooperation Council on Monday. The two sides signed
    a memorandum …": a text signed without a day, told just after a meeting of that day, was
    signed at it; the signatories were there."""
    at = by_sentence(meetings)
    for plan in plans:
        if plan.date is not None or plan.status is not PlanStatus.SIGNED:
            continue
        if doc.dates[plan.sentence]:
            continue  # the sentence gives its own time, even if not the signing's
        held = [meetings[i] for back in (1, 2) for i in at.get(plan.sentence - back, [])
                if not meetings[i].remote]
        meeting = next((m for m in held
                        if m.date is not None and m.date.precision is Precision.DAY), None)
        if meeting is None:
            continue
        plan.date = meeting.date
        plan.place = plan.place or meeting.place
        plan.mentions.add(meeting.sentence)
        for person in plan.signatories:
            meeting.participants.setdefault(person, "")


def _accompanied(doc: Document, visits: list[VisitDraft]) -> None:
    """ "Mwangi, who was accompanied by Foreign Secretary Kamau, …": they made the trip too,
    and are of the side they travel with."""
    for index, sentence in enumerate(doc.sentences):
        found = _ACCOMPANIED.search(sentence.text)
        if found is None:
            continue
        refs = doc.people_in(index)
        leader = next((r.person for r in refs if r.end <= found.start()), None)
        stop = _CLAUSE_STOP.search(sentence.text, found.end())
        limit = stop.start() if stop else len(sentence.text)
        companions = [r.person for r in refs if found.end() <= r.start < limit]
        trip = next((v for v in visits if leader and v.visitor == leader and not v.recalled
                     and v.status is VisitStatus.COMPLETED), None)
        if trip is None:
            continue
        for person in dict.fromkeys(companions):
            official = doc.people.get(person)
            if official.assumed or not official.country:
                official.country, official.assumed = trip.from_country, False
            if official.country != trip.from_country:
                continue
            if any(v.visitor == person and v.to_country == trip.to_country for v in visits):
                continue
            visits.append(VisitDraft(person, official.title, trip.from_country, trip.to_country,
                                     index, trip.date, trip.end_date, trip.status,
                                     place=trip.place, mentions={index}))


_ACCOMPANIED = re.compile(r"(?i)\b(?:was|were|is|are)?\s*accompanied\s+by\b")
_CLAUSE_STOP = re.compile(r"[,;]|\s[—–-]\s")


def _plans_from_visits(doc: Document, plans: list[PlanDraft], visits: list[VisitDraft]) -> None:
    """ "… to be signed when the president comes …": the date of that visit."""
    open_visit = (VisitStatus.PLANNED, VisitStatus.CONFIRMED, VisitStatus.PROPOSED, None)
    index = by_sentence(visits)
    for plan in plans:
        if plan.date is not None or plan.status is not PlanStatus.EXPECTED:
            continue
        for visit in (visits[v] for v in sharing(plan, index)):
            if visit.status not in open_visit:
                continue  # not signed during a visit that was called off
            if plan.mentions & visit.mentions and visit.date and not visit.recalled:
                plan.date = visit.date
                plan.place = plan.place or visit.place
                break
        if plan.date is None and _DURING_THE_VISIT.search(doc.sentences[plan.sentence].text):
            # "a Plan to be signed during the visit": the visit to come named last before it.
            before = [v for v in visits[-_RECENT:] if min(v.mentions, default=v.sentence)
                      <= plan.sentence and v.status in open_visit and v.date
                      and not v.recalled and v.date.start > doc.anchor]
            if before:
                plan.date = before[-1].date
                plan.place = plan.place or before[-1].place


_DURING_THE_VISIT = re.compile(r"(?i)\b(?:during|at the time of|on the occasion of|in the course"
                               r" of)\s+the\s+(?:[\w-]+\s+){0,2}?(?:visit|trip)\b")


def _visit_dates(
    doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft], visits: list[VisitDraft]
) -> None:
    """A visit the report does not date takes the first day its visitor is seen at work."""
    plans_at = by_sentence(plans)
    meetings_of: dict[str, list[MeetingDraft]] = {}
    for meeting in meetings:
        for person in meeting.participants:
            meetings_of.setdefault(person, []).append(meeting)
    plans_of: dict[str, list[PlanDraft]] = {}
    for plan in plans:
        for person in plan.signatories:
            plans_of.setdefault(person, []).append(plan)
    for visit in visits:
        if visit.visitor is not None and ended_on(doc.sentences[visit.sentence].text, visit):
            # "The state visit … ended on Friday. During the visit, Lee met … on 11 June":
            # the visit ran from the first day its visitor is seen at work there.
            assert visit.date is not None
            last = visit.date.start
            before = [m.date for m in meetings_of.get(visit.visitor, []) if m.date
                      and m.date.precision is Precision.DAY and _country_of(doc, m) ==
                      visit.to_country and last - timedelta(days=14) <= m.date.start < last]
            if before:
                visit.date, visit.end_date = min(before), visit.date
            continue
        if visit.date is not None:
            continue
        # "signed … during a visit to Quito by …": the signing's day is the visit's.
        signed = [p.date for p in (plans[i] for i in sharing(visit, plans_at))
                  if p.date and p.status is PlanStatus.SIGNED]
        own = doc.sentences[visit.sentence].text
        if signed:
            visit.date = signed[0]
            # "signed … at the end of Sawadogo's two-day visit": the days before it too.
            days_of_the_visit(own, visit)
            continue
        if visit.visitor is None:
            continue
        told = [m.date for m in meetings_of.get(visit.visitor, [])
                if m.date and visit.sentence in m.mentions]
        days = [m.date for m in meetings_of.get(visit.visitor, [])
                if m.date and _country_of(doc, m) == visit.to_country]
        days += [p.date for p in plans_of.get(visit.visitor, []) if p.date
                 and (city_country(p.place) if p.place else doc.host) == visit.to_country]
        days = [d for d in days if d.precision is Precision.DAY and d.start <= doc.anchor]
        if days:
            visit.date = min(days)
            if visit.date in told:
                # "met … on Friday, on the second day of his visit": the visit's days.
                days_of_the_visit(own, visit)
            if visit.status is None:
                visit.status = VisitStatus.COMPLETED


# A crosshead naming a city ("Luanda: farming and an old friendship") places the section
# under it, in a report filed from another city at the end of a tour.
_CROSSHEAD_CITY = re.compile(r"^([A-ZÀ-ÞĀ-ž][\w'.-]*(?:[ ][A-ZÀ-ÞĀ-ž][\w'.-]*){0,2})\s*[:—–]\s+\S")


def _places_from_sections(doc: Document, meetings: list[MeetingDraft]) -> None:
    """ "Luanda: farming and an old friendship" above "On Saturday she held talks at the
    presidential palace": a meeting the text places by no city is in its section's city."""
    cities = _section_cities(doc)
    if not cities:
        return
    for meeting in meetings:
        if meeting.place or meeting.remote:
            continue
        above = bisect_right(cities, (meeting.sentence, "\uffff"))
        if above:
            meeting.place = cities[above - 1][1]


def _section_cities(doc: Document) -> list[tuple[int, str]]:
    """The crossheads naming a city, by sentence index, read once per report."""
    found = ((s.index, _CROSSHEAD_CITY.match(s.text)) for s in doc.sentences[1:] if s.headline)
    return [(index, m.group(1)) for index, m in found if m and city_country(m.group(1))]


def _section_city(doc: Document, cities: list[tuple[int, str]], index: int) -> str:
    """The city of the nearest crosshead above sentence `index`, else the dateline's."""
    above = bisect_right(cities, (index, "\uffff"))
    return cities[above - 1][1] if above else doc.home


def _country_of(doc: Document, meeting: MeetingDraft) -> str:
    """Where a meeting was: its city's country, else the dateline's (where it is recorded)."""
    if meeting.place:
        land = find_country(meeting.place)
        return city_country(meeting.place) or (land.name if land else doc.host)
    return doc.host


def _implied_visits(
    doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft], visits: list[VisitDraft]
) -> None:
    """Someone who takes part in a meeting abroad, or signs a text there, has travelled there,
    said or not."""
    trips: dict[tuple[str | None, str], list[VisitDraft]] = {}
    for visit in visits:
        trips.setdefault((visit.visitor, visit.to_country), []).append(visit)
    # Whoever signs a text at a ceremony abroad has travelled there too.
    cities = _section_cities(doc)
    signings = [(p.place or _section_city(doc, cities, p.sentence), p.date, p.sentence, p.mentions,
                 list(p.signatories))
                for p in plans if p.status is PlanStatus.SIGNED and p.date is not None]
    events = [(m.place or _section_city(doc, cities, m.sentence), m.date, m.sentence, m.mentions,
               list(m.participants))
              for m in meetings if not m.remote] + signings
    # Visits under way, by the side that makes them: a report with no place for a signing
    # still says whose visit it happened during.
    abroad = [v for v in visits if v.status is VisitStatus.COMPLETED and v.date is not None
              and not v.recalled][:_RECENT]
    for place, day, sentence, mentions, people in events:
        country = city_country(place) or (doc.host if place == doc.home else "") or (
            place if find_country(place) is not None else "")  # a country named as the place
        if day is None or (day.precision is Precision.YEAR and day.start.year < doc.anchor.year):
            # "the Roadmap, signed last year": a text recalled by its year says where it was
            # signed no more than who travelled for it.
            continue
        for key in people:
            person = doc.people.get(key)
            where, there = country, place
            if not where:
                # "The foreign ministers also signed a protocol on Tuesday", during the state
                # visit of the Azerbaijani President to Ankara: where the President was.
                during = next((v for v in abroad if v.from_country == person.country
                               and v.visitor is not None and v.visitor != key
                               and _covers(v, v.visitor, v.to_country, day)), None)
                if during is None:
                    continue
                where, there = during.to_country, during.place
            if not person.country or person.country == where:
                continue
            if lexicon.RESIDENT_TITLES.search(person.title):
                continue  # an ambassador meeting in the capital where they serve
            if seated_in(person.country, city_name(there) or there):
                continue  # an organisation's official at its seat
            earlier = trips.setdefault((key, where), [])
            if any(_covers(v, key, where, day) for v in earlier[-_RECENT:]):
                continue
            unnamed = next((v for v in trips.get((None, where), [])[-_RECENT:]
                            if v.from_country == person.country and not v.recalled
                            and v.office.lower() in person.title.lower()
                            and _covers(v, None, where, day)), None)
            if unnamed is not None:
                # "the first visit to China by a Japanese foreign minister", and the Japanese
                # foreign minister met there that day: one visit, hers.
                unnamed.visitor = key
                earlier.append(unnamed)
                continue
            implied = VisitDraft(
                key, person.title, person.country, where, sentence, day,
                None, VisitStatus.COMPLETED if day.start <= doc.anchor else None,
                place=there, mentions=set(mentions),
            )
            visits.append(implied)
            earlier.append(implied)


def _one_trip(visits: list[VisitDraft]) -> None:
    """ "arrived on Monday" and "ended a visit on Wednesday", or talks on Wednesday and a
    visit that "ended on Thursday": one trip, from its first day to its last."""
    kept: list[VisitDraft] = []
    by_trip: dict[tuple[str, str], list[VisitDraft]] = {}
    for visit in visits:
        if visit.visitor is None or visit.recalled or visit.status is not VisitStatus.COMPLETED \
                or visit.date is None or visit.date.precision is not Precision.DAY:
            kept.append(visit)
            continue
        same = by_trip.setdefault((visit.visitor, visit.to_country), [])
        other = next((v for v in same[-_RECENT:] if _close(v, visit)), None)
        if other is None:
            same.append(visit)
            kept.append(visit)
            continue
        first = min(other.date.start, visit.date.start)  # type: ignore[union-attr]
        last = max((other.end_date or other.date).start,  # type: ignore[union-attr]
                   (visit.end_date or visit.date).start)
        other.date = FuzzyDate.day(first.year, first.month, first.day)
        other.end_date = FuzzyDate.day(last.year, last.month, last.day) if last > first else None
        other.place = other.place or visit.place
        other.mentions |= visit.mentions
    visits[:] = kept


def _close(a: VisitDraft, b: VisitDraft) -> bool:
    assert a.date is not None and b.date is not None
    a_last, b_last = (a.end_date or a.date).start, (b.end_date or b.date).start
    return a.date.start - _NEAR <= b_last and b.date.start - _NEAR <= a_last


def _covers(visit: VisitDraft, person: str | None, country: str, day: FuzzyDate) -> bool:
    if visit.visitor != person or visit.to_country != country or visit.date is None:
        return False
    if visit.status in (VisitStatus.PROPOSED, VisitStatus.PLANNED) and (
            visit.date.precision is not Precision.DAY and day.precision is Precision.DAY):
        # "received Schialer on 2 March … invited him to return later in the year": a visit
        # still to come, some time that year, is not the one the talks held were part of.
        return False
    first = visit.date.start - _NEAR
    last = (visit.end_date or visit.date).end + _NEAR
    return day.overlaps(first, last)


def _defaults(
    doc: Document, meetings: list[MeetingDraft], plans: list[PlanDraft], visits: list[VisitDraft]
) -> list[str]:
    """Dates the text leaves open become the dateline's month, never an invented day."""
    warnings = []
    month = FuzzyDate.month(doc.anchor.year, doc.anchor.month)
    story = dating.story_days(doc.sentences, doc.dates, doc.anchor)
    told_days = dating.recent_days(doc.dates, doc.anchor)

    # "The Ministers adopted the Tunis Declaration", in a report of one meeting dated 8 May:
    # the day of the last meeting dated before the record is the likelier one of all.
    held = sorted((min(m.mentions, default=m.sentence), m.order, m.date) for m in meetings
                  if m.date is not None and m.date.precision is Precision.DAY and not m.remote
                  and doc.anchor - dating.STORY_SPAN <= m.date.start <= doc.anchor)
    held_at = [where for where, _, _ in held]

    def undated(kind: str, position: int, sentence: int) -> FuzzyDate:
        before = bisect_right(held_at, sentence)  # a bisection: reports of 6,000 records
        told = (held[before - 1][2], held[before - 1][0], False) if before else story[sentence]
        if told is None:
            return month
        if before and dating.AFTER.search(doc.sentences[sentence].text):
            # "On the margins of the meeting, …", "After the talks they signed …": the day of
            # the meeting dated just before. (In every labelled set, a rule not a guess.)
            return told[0]
        values = dating.cues(doc.sentences, told, sentence, doc.anchor, told_days,
                             plan=kind == "plan", meeting=before > 0)
        choice = dating.DateChoice(kind, position, told[0], month, values,
                                   dating.score(values) > weights.DATING_CUT)
        doc.date_choices.append(choice)
        return choice.day if choice.took_day else month

    for position, meeting in enumerate(meetings):
        if meeting.date is None:
            reported = next((doc.reported_date(i) for i in sorted(meeting.mentions)
                             if doc.reported_date(i)), None)
            meeting.date = reported.date if reported else undated(
                "meeting", position, min(meeting.mentions, default=meeting.sentence))
    for position, plan in enumerate(plans):
        if plan.date is None and plan.status in (PlanStatus.SIGNED, PlanStatus.IN_FORCE):
            plan.date = undated("plan", position, min(plan.mentions, default=plan.sentence))
    # Each traveller's first trip the report dates (to a month or a day), looked up once.
    dated_trips: dict[tuple[str | None, str], FuzzyDate] = {}
    for visit in visits:
        if visit.date is not None and not visit.recalled and (
                visit.date.precision is not Precision.YEAR):
            dated_trips.setdefault((visit.visitor, visit.from_country), visit.date)
    for visit in visits:
        if visit.date is None and visit.status is VisitStatus.COMPLETED:
            visit.date = month
        if visit.date is None and visit.status in (VisitStatus.CANCELLED, VisitStatus.POSTPONED) \
                and not any(v is not visit and v.visitor == visit.visitor
                            and v.mentions & visit.mentions for v in visits[-_RECENT:]):
            # "… will not travel to Dhaka next week. A planned visit by Rao to Colombo has
            # also been cancelled": a visit called off beside a trip the report dates takes
            # that trip's month, never a day. (The dateline's month for any other was tried:
            # on the held-out part it named the right visit on the wrong date.)
            trip = dated_trips.get((visit.visitor, visit.from_country))
            if trip is None:
                continue
            visit.date = FuzzyDate.month(trip.start.year, trip.start.month)
            who = doc.people.get(visit.visitor).name if visit.visitor else visit.office
            warnings.append(f"The visit by {who} to {visit.to_country} that was called off is "
                            f"given no day in the text; it is dated {visit.date}.")
        if visit.status is None and visit.date is not None:
            past = visit.date.start <= doc.anchor
            visit.status = VisitStatus.COMPLETED if past else VisitStatus.PLANNED
    dropped = [v for v in visits if v.date is None]
    for visit in dropped:
        who = doc.people.get(visit.visitor).name if visit.visitor else visit.office
        warnings.append(f"A visit by {who} to {visit.to_country} is mentioned without any date; "
                        "it is not proposed.")
    visits[:] = [v for v in visits if v.date is not None]
    return warnings
