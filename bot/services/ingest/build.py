"""Turning drafts into records of the export schema, with fresh uids that cite the source."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle
from bot.domain.organisations import find_organisation
from bot.domain.records import (
    LIST_MAX,
    LONG_MAX,
    NAME_MAX,
    SHORT_MAX,
    SOURCE_TEXT_MAX,
    TITLE_MAX,
    FollowUp,
    Meeting,
    MeetingKind,
    Participant,
    Person,
    Plan,
    Signatory,
    Source,
    Visit,
    VisitStatus,
)
from bot.services.ingest import lexicon
from bot.services.ingest.document import Document
from bot.services.ingest.followups import FollowUpDraft
from bot.services.ingest.links import by_sentence, sharing
from bot.services.ingest.meetings import MeetingDraft
from bot.services.ingest.plans import PlanDraft
from bot.services.ingest.visits import VisitDraft
from bot.services.records import clean_record


class _Uids:
    """Readable uids, the same for the same text (so a proposal can be compared and re-run)
    and distinct across texts (so they never collide with records already stored)."""

    def __init__(self, text: str) -> None:
        self.suffix = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}  # the number to try next for a slug already used

    def new(self, label: str) -> str:
        plain = unicodedata.normalize("NFKD", re.sub(r"[–—]", " ", label))
        plain = plain.encode("ascii", "ignore").decode()
        slug = "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[:48].strip("-") or "record"
        uid, n = f"{slug}-{self.suffix}", self.next.get(slug, 2)
        while uid in self.taken:
            uid, n = f"{slug}-{n}-{self.suffix}", n + 1
        self.taken.add(uid)
        self.next[slug] = n
        return uid


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_bundle(
    doc: Document, original: str, meetings: list[MeetingDraft], plans: list[PlanDraft],
    visits: list[VisitDraft], followups: list[FollowUpDraft] | None = None,
) -> Bundle:
    uids = _Uids(original)
    source = _source(doc, original, uids)
    people = {p.key: Person(_clip(p.name, NAME_MAX), _clip(p.title, SHORT_MAX), p.country,
                            source=source.uid, uid=uids.new(p.name))
              for p in doc.people.people}
    visit_records = [_visit(doc, v, people, source, uids) for v in visits]
    meeting_records = [_meeting(doc, m, people, source, uids) for m in meetings]
    trips: dict[str | None, list[int]] = {}
    for position, visit in enumerate(visits):
        trips.setdefault(visit.visitor, []).append(position)
    for meeting_draft, meeting_record in zip(meetings, meeting_records, strict=True):
        meeting_record.visit = _visit_of(meeting_draft.participants, meeting_draft.date, visits,
                                         visit_records, trips)
    plan_records = [_plan(doc, p, people, source, uids) for p in plans]
    meetings_at, visits_at = by_sentence(meetings), by_sentence(visits)
    for draft, record in zip(plans, plan_records, strict=True):
        shared = sharing(draft, meetings_at)
        meeting = meeting_records[shared[0]] if shared else None
        record.meeting = meeting.uid if meeting else None
        if not record.place and meeting is not None and draft.status.value == "signed":
            record.place = meeting.place  # signed where the meeting was held
        record.visit = next((visit_records[v].uid for v in sharing(draft, visits_at)
                             if not visits[v].recalled), None)
    followup_records = [_followup(doc, f, visit_records, plan_records, source, uids)
                        for f in followups or ()]
    bundle = Bundle(
        sources=[source],
        people=list(people.values()),
        visits=visit_records,
        meetings=meeting_records,
        plans=plan_records,
        followups=followup_records,
    )
    for kind in ("people", "visits", "meetings", "plans", "followups"):
        section = getattr(bundle, kind)
        section[:] = [clean_record(r) for r in section]
    return bundle


def _source(doc: Document, original: str, uids: _Uids) -> Source:
    headline = _heading(doc) or next(
        (s.text for s in doc.sentences[:3] if s.headline and len(s.text) > 25), "")
    lead = next((s.text for s in doc.sentences if not s.headline), doc.sentences[0].text)
    about = ["report"] + ([doc.home] if doc.home else [])
    if doc.anchor_given:
        about.append(_day(doc.anchor).render())
    title = f"{_clip(headline or lead, 160)} ({', '.join(about)})"
    return Source(
        title=_clip(title, TITLE_MAX),
        published=_day(doc.anchor) if doc.anchor_given else None,
        summary=_clip(lead, LONG_MAX),
        text=original[:SOURCE_TEXT_MAX],
        uid=uids.new(f"source {headline or lead}"[:40]),
    )


_NOT_HEADLINE = re.compile(r"(?i)^by\s|\bministry\b|\bpress (?:release|service)\b|\bpublished\b"
                           r"|\bno\.\s|\d|[.!?\"”]$")


def _heading(doc: Document) -> str:
    """A headline above the dateline ("Hungary and Egypt sign grain protocol"), not a byline,
    a ministry's name, a release number or a stamp."""
    if doc.dateline is None or doc.dateline.start == 0:
        return ""
    for line in doc.text[: doc.dateline.start].split("\n"):
        line = line.strip()
        if len(line.split()) >= 4 and not _NOT_HEADLINE.search(line):
            return line
    return ""


def _day(value: date) -> FuzzyDate:
    return FuzzyDate.day(value.year, value.month, value.day)


def _evidence(doc: Document, mentions: set[int]) -> str:
    """The sentences a record comes from, so a reviewer can check it against the text."""
    parts, size = [], 0
    for index in sorted(mentions):
        if size > LONG_MAX:
            break  # the rest would be clipped: a record named in every sentence costs no more
        parts.append(doc.sentences[index].text)
        size += len(parts[-1]) + 1
    return _clip(" ".join(parts), LONG_MAX)


def _pair_label(doc: Document) -> str:
    return "–".join(doc.pair) if doc.pair else "Bilateral"


# Where the family name is written first, as a desk calls them: "Wang Yi" is Wang, "Park
# Min-jun" Park, "Tran Quoc Hung" Tran.
_REGNAL = re.compile(r"[IVX]+")
_FAMILY_FIRST = {"China", "Taiwan", "South Korea", "North Korea", "Vietnam"}


def family_name(name: str, country: str, alone: str = "") -> str:
    """The name a desk titles talks by: a word in capitals ("KAMIKAWA Yoko") is the family
    name, then the one word the report calls the person by ("Zhao and Ishikawa agreed" after
    "Ishikawa Kenji"), the first word for a country whose names put it first, else the last."""
    words = [w for w in name.split() if not _REGNAL.fullmatch(w)]  # "Abdullah II" is Abdullah
    capitals = [w for w in words if len(w) > 1 and w.isupper() and w.isalpha()]
    if capitals and len(capitals) < len(words):
        return capitals[0].capitalize()
    if alone in words[:-1] and country not in _FAMILY_FIRST:
        return alone
    if country in _FAMILY_FIRST and len(words) > 1:
        return words[0]
    return words[-1]


def _meeting_title(doc: Document, draft: MeetingDraft, people: dict[str, Person]) -> str:
    names = [family_name(people[k].name, people[k].country, doc.called_alone(k))
             for k in list(draft.participants)[:2]]
    pair = _pair_label(doc)
    kind = draft.kind
    if kind is not MeetingKind.OTHER:
        sides = _talks_sides(doc, draft, people)
        pair = "–".join(sides) if len(sides) == 2 else pair  # the meeting's own sides
    if kind is MeetingKind.JOINT_WORKING_GROUP:
        return f"Joint Working Group on {draft.topic}" if draft.topic else "Joint Working Group"
    if kind is MeetingKind.SITE_VISIT:
        return f"Visit to {draft.name}"
    if kind is MeetingKind.OTHER and draft.name and not (draft.name[:1].isupper() or (
            # "the 46th ASEAN Summit" is named; "their third 2+2 dialogue" is a format
            draft.name[:1].isdigit() and re.search(r"\s[A-Z]", draft.name))):
        return f"{pair} {draft.name}"  # "held their strategic dialogue": a format, no name
    if kind is MeetingKind.OTHER:
        return f"{draft.name}, {draft.session} session" if draft.session else draft.name
    if kind is MeetingKind.BUSINESS_MEETING:
        return f"{pair} {draft.name}"
    if kind is MeetingKind.TETE_A_TETE and len(names) == 2:
        return f"{names[0]}–{names[1]} tête-à-tête"
    if kind is MeetingKind.DELEGATION_LEVEL_TALKS:
        return f"{pair} delegation-level talks"
    if draft.name:
        return f"{pair} {draft.name}"
    return f"{names[0]}–{names[1]} talks" if len(names) == 2 else f"{pair} talks"


_SIDE_SENTENCES = 4  # a meeting named in every sentence of a long text costs no more
_JOIN = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
_LISTED = 3


def _sides(doc: Document, index: int, more: set[int] | frozenset[int] = frozenset()) -> list[str]:
    """The report's two sides, and the others a meeting's or a text's sentence lists with them:
    "the foreign ministers of Uzbekistan, Kazakhstan, Kyrgyzstan and Tajikistan held …" is
    a meeting of four. Only a list of three or more counts; two names may be anything."""
    runs: list[list[str]] = []
    # The sentences that speak of it again count too ("… was attended by the foreign
    # ministers of Armenia, Kazakhstan and Russia").
    for number in [index, *sorted(more - {index})][:_SIDE_SENTENCES]:
        text = doc.sentences[number].text
        end = -1
        for place in doc.places[number]:
            if place.is_city or not place.country:
                continue
            if runs and end >= 0 and _JOIN.fullmatch(text, end, place.start):
                runs[-1].append(place.country)
            else:
                runs.append([place.country])
            end = place.end
    listed = [run for run in runs if len(set(run)) >= _LISTED]
    if listed:
        # "ASTANA — Finland, Estonia and Latvia adopted …": the sides are those listed; the
        # dateline's country is one only when the text names it as a state.
        named = {country for run in runs for country in run}
        out = [c for c in doc.pair if c in named]
    else:
        out = list(doc.pair)
    for run in listed:
        out += [country for country in run if country not in out]
    return out


def _plan_sides(doc: Document, draft: PlanDraft, people: dict[str, Person]) -> list[str]:
    """The sides of a text: those of its signatories, else the two its sentence names (a
    city standing for its government when only one state is named: "Canberra and Nauru are
    negotiating …"), else the two named just before it in its paragraph; a text an
    organisation's council adopts alone is the organisation's. Else the report's sides."""
    signers = list(dict.fromkeys(people[k].country for k in draft.signatories
                                 if people[k].country))
    if len(signers) >= 2:
        return signers
    sentence = doc.sentences[draft.sentence]
    # "Lepp and Nielsen agreed that the memorandum … will be signed at the meeting of NATO
    # foreign ministers": those who speak of it, not where it is to be signed.
    speakers = list(dict.fromkeys(people[r.person].country for r in doc.refs[draft.sentence]
                                  if people[r.person].country))
    if len(speakers) == 2:
        return speakers
    for back in range(_PARAGRAPH_REACH):
        number = draft.sentence - back
        if number < 0 or doc.sentences[number].headline or (
                sentence.line - doc.sentences[number].line > back):
            break  # another paragraph: another story
        named = _named_sides(doc, number)
        if len(named) == 2:
            return named
        if back == 0 and len(named) == 1 and find_organisation(named[0]) is not None and (
                not signers):
            return named
    return _sides(doc, draft.sentence)


def _named_sides(doc: Document, number: int) -> list[str]:
    states = [p for p in doc.places[number] if p.country and not p.is_city]
    named = list(dict.fromkeys(p.country for p in states))
    if len(named) == 1:
        cities = [p.country for p in doc.places[number] if p.country and p.is_city
                  and _STANDS_FOR.match(doc.sentences[number].text, p.end)]
        named = list(dict.fromkeys(named + cities))
    return named


# "Canberra and Nauru are …": a capital is its government when it does something.
_STANDS_FOR = re.compile(r"\s+(?:and|have|has|are|is|will|signed|agreed)\b")
# How many sentences back a text's sides are looked for, within its paragraph.
_PARAGRAPH_REACH = 3


def _with_theirs(sides: list[str], draft: MeetingDraft, people: dict[str, Person]) -> list[str]:
    """A meeting of several has the sides of those who took part too."""
    theirs = [people[k].country for k in draft.participants if people[k].country]
    return list(dict.fromkeys([*sides, *theirs]))


def _talks_sides(doc: Document, draft: MeetingDraft, people: dict[str, Person]) -> list[str]:
    """Talks are between the report's two sides, unless those who took part are of others
    ("Ba also met the President of the Andean Community"): then theirs, the host's first."""
    theirs = list(dict.fromkeys(people[k].country for k in draft.participants
                                if people[k].country))
    if len(theirs) == 1:
        # "Ruto, who visited Ethiopia last year, met the Japanese Ambassador": the side of
        # an office the report does not name, not the country named beside it.
        unnamed = _unnamed_sides(doc, draft.sentence) - set(theirs)
        if len(unnamed) == 1:
            return sorted([*theirs, *unnamed], key=lambda c: c != doc.host)
    if len(theirs) < 2 or set(theirs) <= set(doc.pair):
        return list(doc.pair)
    return sorted(theirs, key=lambda c: c != doc.host)


_OFFICE_OF = re.compile(r"(?i)\b(?:ambassador|envoy|delegation|side|counterpart|minister"
                        r"|president|prime minister|government)\s+(?:of|from)\s+(?:the\s+)?$")


def _unnamed_sides(doc: Document, index: int) -> set[str]:
    """Countries whose office the sentence names without a name after it: "the Japanese
    Ambassador", "a delegation from Senegal"."""
    text = doc.sentences[index].text
    out = set()
    for place in doc.places[index]:
        if place.is_city or not place.country:
            continue
        office = lexicon.TITLE.match(text, place.end + 1) if text[place.end:place.end + 1] == " " \
            else None
        if office is None and not _OFFICE_OF.search(text, max(0, place.start - 40), place.start):
            continue
        after = office.end() if office is not None else place.end
        if office is not None and lexicon.NAME.match(text, after + 1) and (
                text[after:after + 1] == " "):
            continue  # "the Japanese Ambassador Kenji Ito": a named person, counted already
        out.add(place.country)
    return out


def _meeting(doc: Document, draft: MeetingDraft, people: dict[str, Person], source: Source,
             uids: _Uids) -> Meeting:
    title = _clip(_meeting_title(doc, draft, people), TITLE_MAX)
    assert draft.date is not None  # links.settle dates every meeting
    return Meeting(
        title=title,
        kind=draft.kind,
        date=draft.date,
        place=_clip("" if draft.remote else draft.place or doc.home, NAME_MAX),
        # A meeting of several sides is named as such; talks are between the two.
        countries=(_with_theirs(_sides(doc, draft.sentence, draft.mentions), draft, people)
                   if draft.kind is MeetingKind.OTHER else _talks_sides(doc, draft, people)),
        participants=[Participant(people[k].uid, part)
                      for k, part in list(draft.participants.items())[:LIST_MAX]],
        topics=[_clip(draft.topic, NAME_MAX)] if draft.topic else [],
        summary=_evidence(doc, draft.mentions),
        source=source.uid,
        uid=uids.new(title),
    )


def _plan(doc: Document, draft: PlanDraft, people: dict[str, Person], source: Source,
          uids: _Uids) -> Plan:
    return Plan(
        title=_clip(draft.title, TITLE_MAX),
        kind=draft.kind,
        status=draft.status,
        date=draft.date,
        place=_clip(draft.place, NAME_MAX),
        parties=_plan_sides(doc, draft, people),
        signatories=[Signatory(people[k].uid, _clip(org, SHORT_MAX))
                     for k, org in list(draft.signatories.items())[:LIST_MAX]],
        fields=[_clip(f, NAME_MAX) for f in draft.fields[:LIST_MAX]],
        summary=_evidence(doc, draft.mentions),
        source=source.uid,
        uid=uids.new(draft.title),
    )


def _visit(doc: Document, draft: VisitDraft, people: dict[str, Person], source: Source,
           uids: _Uids) -> Visit:
    visitor = people[draft.visitor] if draft.visitor else None
    role = visitor.title if visitor else draft.office
    if not visitor and draft.from_country:
        role = f"{role} of {draft.from_country}"
    assert draft.date is not None  # links.settle drops undated visits
    label = f"{visitor.name if visitor else role} visit {draft.date.value}"
    return Visit(
        visitor=visitor.uid if visitor else None,
        visitor_role=_clip(role, SHORT_MAX),
        from_country=draft.from_country,
        to_country=draft.to_country,
        date=draft.date,
        end_date=draft.end_date,
        status=draft.status or VisitStatus.PLANNED,
        place=_clip(draft.place, NAME_MAX),
        notes=_evidence(doc, draft.mentions),
        source=source.uid,
        uid=uids.new(label),
    )


def _followup(doc: Document, draft: FollowUpDraft, visits: list[Visit], plans: list[Plan],
              source: Source, uids: _Uids) -> FollowUp:
    """Open, with no owner: the desk names a member or role; who the report tasks is in the
    notes, with the sentence it comes from."""
    said = doc.sentences[draft.sentence].text
    notes = f"Owner in the report: {draft.owner}. " if draft.owner else ""
    visit = visits[draft.visit].uid if draft.visit is not None else None
    return FollowUp(
        what=_clip(draft.what, TITLE_MAX),
        due=None if visit else draft.due,
        due_before="visit" if visit else "",
        visit=visit,
        plan=plans[draft.plan].uid if draft.plan is not None else None,
        notes=_clip(f"{notes}From the report: {said}", LONG_MAX),
        source=source.uid,
        uid=uids.new(f"followup {draft.what}"[:40]),
    )


def _visit_of(participants: dict[str, str], day: FuzzyDate | None, drafts: list[VisitDraft],
              records: list[Visit], trips: dict[str | None, list[int]]) -> str | None:
    """The visit during which a meeting took place: a participant's visit over that day."""
    mine = sorted(p for person in participants for p in trips.get(person, ()))
    for draft, record in ((drafts[p], records[p]) for p in mine):
        if draft.visitor in participants and day and draft.date and not draft.recalled:
            last = (draft.end_date or draft.date).end
            if day.start <= last and draft.date.start <= day.end:
                return record.uid
    return None
