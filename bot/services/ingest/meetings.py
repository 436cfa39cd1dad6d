"""Meetings a report describes: their kind, day, place, and who took part in which capacity."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import MeetingKind
from bot.services.ingest import lexicon
from bot.services.ingest.dates import DateMention, tense_before
from bot.services.ingest.document import Document
from bot.services.ingest.places import city_country, city_name, find_places, organisation_spans
from bot.services.ingest.plans import list_items
from bot.services.ingest.refs import Ref
from bot.services.ingest.sentences import matches

_DEFINITE = re.compile(r"(?i)\b(?:the|these|those|both|its)\s+$")
_SPECIFIC = (MeetingKind.JOINT_WORKING_GROUP, MeetingKind.OTHER, MeetingKind.SITE_VISIT)
_TOPIC = re.compile(r"\s*(?:\([A-Za-z]+\)\s*)?on\s+(?P<topic>[^,.;()]+?)(?=\s+(?:were|was|which"
                    r"|met|held|is|are|has|have)\b|[,.;()]|$)")
_SESSION = re.compile(r"(?i)\b(?P<nth>\w+) (?:session|meeting|round)\b")


@dataclass
class MeetingDraft:
    kind: MeetingKind
    sentence: int
    name: str = ""  # how the text names it: "Kenya–Ethiopia Joint Ministerial Commission"
    topic: str = ""
    session: str = ""  # "ninth"
    date: FuzzyDate | None = None
    place: str = ""
    participants: dict[str, str] = field(default_factory=dict)  # person key -> part
    mentions: set[int] = field(default_factory=set)
    order: int = 0  # place among the meetings found, in the order of the text
    remote: bool = False  # by telephone or video: nobody travelled
    separate: bool = False  # one of the meetings "met separately with A and B" tells
    last: int = -1  # the last sentence that speaks of it

    def __post_init__(self) -> None:
        self.last = max(self.mentions, default=-1)

    def take(self, other: MeetingDraft) -> None:
        """Folds a later mention of the same meeting into this one."""
        self.date = self.date or other.date
        self.place = self.place or other.place
        self.session = self.session or other.session
        for person, part in other.participants.items():
            if part or person not in self.participants:
                self.participants[person] = part
        self.mentions |= other.mentions
        self.remote = self.remote or other.remote
        self.last = max(self.last, other.last)


# A meeting named again is looked for among the last few of its kind, so that each mention
# costs the same however long the report; no report names this many meetings of one kind.
_RECENT = 64


class _Known(list[MeetingDraft]):
    """The meetings found so far, by kind, and which was spoken of last."""

    def __init__(self) -> None:
        super().__init__()
        self.by_kind: dict[MeetingKind, list[MeetingDraft]] = {}
        self.latest: MeetingDraft | None = None  # of those "the session" may refer to

    def add(self, draft: MeetingDraft) -> None:
        draft.order = len(self)
        self.append(draft)
        self.by_kind.setdefault(draft.kind, []).append(draft)
        self.touched(draft)

    def touched(self, draft: MeetingDraft) -> None:
        """Keeps `latest` the meeting whose last mention is latest, the first such in order."""
        if draft.kind in (MeetingKind.SITE_VISIT, MeetingKind.BUSINESS_MEETING):
            return
        last = self.latest
        if last is None or (draft.last, -draft.order) > (last.last, -last.order):
            self.latest = draft


def find_meetings(doc: Document) -> list[MeetingDraft]:
    drafts = _Known()
    for index, sentence in enumerate(doc.sentences):
        text = sentence.text
        cues, echoes = _cues(text, doc.people_in(index))
        if drafts.latest is not None:
            # "The meeting, hosted by X, brought together …": X hosted the meeting just
            # named; the anaphora gives X the part (see _anaphora).
            cues = [(k, m) for k, m in cues if not _HOSTED_BY_ANAPHORA.search(
                text[max(0, m.start() - 30):m.end() + 3])]
        beside: list[tuple[MeetingDraft, bool, bool]] = []
        future = [m for _, m in cues if _future(doc, index, m) or _not_met(text, m)]
        if future:
            # "received the Ambassador … to review preparations for the Business Forum": the
            # forum is to come, so "received" is a meeting of its own, not the forum's echo.
            freed = [e for e in echoes if any(_nearest(e, cues) is m for m in future)
                     and not _future(doc, index, e)]
            echoes = [e for e in echoes if all(e is not f for f in freed)]
            cues = sorted([*cues, *((MeetingKind.BILATERAL_TALKS, e) for e in freed)],
                          key=lambda pair: pair[1].start())
        for kind, match in cues:
            if any(match is m for m in future):
                continue  # "agreed to hold the next round": not a meeting yet
            if _hosted_the_last(doc, index, drafts, match):
                continue
            habit = _OVER_AND_OVER.match(text, match.end(), min(len(text), match.end() + 80))
            if habit and not any(d.date.precision is Precision.DAY
                                 for d in doc.dates_for(index, match.start(), match.end())):
                continue  # "have held talks on the border for years": no one meeting
            if _ARRIVED_FOR.search(text, max(0, match.start() - 90), match.start()) and not (
                    _HELD.search(text)):
                continue  # "arrived on Sunday for the fifth meeting of …": it is yet to sit
            # "last met in Copenhagen on 9 January, when they held talks": the echo's day and
            # place are the talks' own.
            # "…, which has strained relations since the collapse of talks in 2024": an echo
            # in a clause of its own after the meeting is another matter, with its own day.
            mine = [e for e in echoes if _nearest(e, cues) is match
                    and not _RELATIVE.search(text, match.end(), max(match.end(), e.start()))]
            also = _ALSO.search(text, max(0, match.start() - 6), match.start()) is not None
            live = [(k, m) for k, m in cues if all(m is not f for f in future)]
            for draft in _drafts(doc, index, kind, match, live, mine):
                _on_the_same_day(text, draft, drafts.latest)
                definite = _DEFINITE.search(text[: match.start()]) is not None
                if _SIDELINES.search(text) and draft.kind is not MeetingKind.OTHER:
                    # "met Y on the sidelines of the G20 summit on Wednesday": the summit
                    # may be named after the talks, so they wait for the sentence's end.
                    beside.append((draft, definite, also))
                    continue
                _merge(drafts, draft, definite, also=also)
        for draft, definite, also in beside:
            _on_the_sidelines(drafts, draft)
            _merge(drafts, draft, definite, also=also)
        _anaphora(doc, index, drafts, cues)
        _attended(doc, index, drafts, cues)
        _previous_of_series(doc, index, drafts)
    return [d for d in _headlines_folded(doc, drafts) if not _at_home(doc, d)]


# What is done over and over, or for a long time, is no meeting of a day.
_OVER_AND_OVER = re.compile(r"(?i)[^.;]*?\b(?:for (?:years|decades|months|a long time)"
                            r"|repeatedly|(?:several|many|numerous) times"
                            r"|on (?:several|many) occasions"
                            r"|over the (?:years|decades|past \w+ years))\b")


def _at_home(doc: Document, draft: MeetingDraft) -> bool:
    """ "Ruto met business leaders in Nairobi. Ruto said Kenya and Uganda share …": a
    minister among compatriots at home is no meeting between countries, whatever other
    country the report names elsewhere."""
    if draft.kind not in (MeetingKind.BUSINESS_MEETING, MeetingKind.SITE_VISIT):
        return False
    countries = {doc.people.get(k).country for k in draft.participants}
    if len(countries) != 1 or not doc.host:
        return False
    [home] = countries
    where = city_country(draft.place) if draft.place else doc.host
    named = {p.country for i in draft.mentions | {draft.sentence} for p in doc.places[i]}
    return home == where == doc.host and named <= {home}


_GENERIC_NAME = {"meeting", "session", "summit", "round", "the", "of", "and"}


def _name_words(name: str) -> set[str]:
    return set(_norm(name).split()) - _GENERIC_NAME


def _headlines_folded(doc: Document, drafts: _Known) -> list[MeetingDraft]:
    """ "Mexico and Guatemala hold XV Meeting of the Binational Commission" above "The XV
    Meeting of the Mexico–Guatemala Binational Commission took place yesterday": a meeting
    a headline names, in words the body's meeting has, is the body's meeting."""
    body = [d for d in drafts if d.name
            and not all(doc.sentences[i].headline for i in d.mentions)]
    orders = [b.order for b in body]  # in the order of the text, as drafts are
    out = []
    for draft in drafts:
        if draft.name and draft.mentions and all(
                doc.sentences[i].headline for i in draft.mentions):
            # "Windhoek: hydrogen and a business forum" over "the Brazil–Namibia Business
            # Forum": whatever kind each was read as.
            words = _name_words(draft.name)
            # The body's meetings told next, a bounded few, so a text of many headlines
            # costs what it is long.
            first = bisect_right(orders, draft.order)
            near = body[first:first + _RECENT]
            same = next((b for b in near if words and words <= _name_words(b.name)), None)
            if same is not None:
                same.mentions |= draft.mentions
                continue
        out.append(draft)
    return out


# "the previous meeting of the Commission, held in Mexico City in 2023": an earlier meeting
# of the series just named, with its own place and year.
_PREVIOUS = re.compile(r"(?i)\b(?:the\s+)?(?:previous|last|preceding|prior|earlier)\s+"
                       r"(?:meeting|session|round|summit|sitting)\s+of\s+(?:the\s+|its\s+|their\s+)?"
                       r"(?P<body>[^,.;]{3,60}?),\s+(?:which\s+was\s+)?held\s+")


def _previous_of_series(doc: Document, index: int, drafts: _Known) -> None:
    text = doc.sentences[index].text
    found = _PREVIOUS.search(text)
    if found is None:
        return
    stop = re.compile(r"[,;]").search(text, found.end())
    limit = stop.start() if stop else len(text)
    when = [d for d in doc.dates[index] if found.end() <= d.start < limit
            and d.date.start <= doc.anchor][:1]
    if not when:
        return
    body = found.group("body").split()[-1].lower()
    series = next((d for d in reversed(drafts.by_kind.get(MeetingKind.OTHER, [])[-_RECENT:])
                   if body in _norm(d.name).split()), None)
    name = series.name.split(",")[0] if series is not None else found.group("body")
    draft = MeetingDraft(MeetingKind.OTHER, index, name=f"{name}, previous meeting",
                         date=when[0].date, mentions={index})
    where = [p for p in doc.places[index] if p.is_city and found.end() <= p.start < limit]
    if where:
        draft.place = city_name(where[0].text) or where[0].text
    drafts.add(draft)


_HOSTED_BY_ANAPHORA = re.compile(r"(?i)\b(?:the|this|that)\s+(?:meeting|session|summit|talks"
                                 r"|conference|gathering|forum)(?:,|\s+(?:was|were))\s+(?:co-)?"
                                 r"hosted\s+by$")
_MET_WITH = re.compile(r"(?i)^(?:met|meets|with)\s+")
_WHO_MET = re.compile(r",\s+who\s+(?:also\s+|then\s+|later\s+|separately\s+)?$")
_CHAIRED_WITH = re.compile(r"(?i)\s+with\s+")
_ARRIVED_FOR = re.compile(r"(?i)\barriv(?:ed|es|ing)\b[^.;:]{0,80}?\bfor\s+(?:the\s+|a\s+|an\s+)?$")
_TASKED = re.compile(r"(?i)\b(?:tasked|instructed|directed|mandated|charged|entrusted"
                     r"|commissioned)\s+(?:the|their|its|a)?\s*(?:[\w'’–-]+\s+){0,2}$")
_FOUNDED = re.compile(r"(?i)\b(?:set up|sets up|establish|establishes|create|creates|form|launch"
                      r"|establishment of|creation of"
                      r"|setting up|revive|reviving|revival of|relaunch|reactivate|restore"
                      r"|resume|re-establish)\s+(?:a|an|the|their|its)?\s*(?:[\w-]+\s+){0,2}$")
_HOSTED_EVENT = re.compile(r"(?i)\s+(?:the|its)\s+(?:(?:opening|closing|plenary|final|first)\s+)?"
                           r"(?:session|meeting|conference|summit|plenary|proceedings)\b")


def _on_the_same_day(text: str, draft: MeetingDraft, before: MeetingDraft | None) -> None:
    """ "The same day, Choi was received by Prime Minister Batbayar": on the day, and in the
    city, of the meeting told just before."""
    if not _SAME_DAY.match(text) or before is None or before.date is None:
        return
    if before.date.precision is Precision.DAY:
        draft.date = before.date
        draft.place = draft.place or before.place


def _not_met(text: str, match: re.Match[str]) -> bool:
    """ "tasked the Joint Working Group with …" (told to work), "agreed to set up a joint
    working group", "agreed to revive their Joint Commission" (none has met yet); a
    parliament's session ("Congress was called into an extraordinary session"), which is
    no meeting between states; talks a plan "was to include", which did not take place; a
    forum someone is in town for, which is no meeting of the sides."""
    before = text[max(0, match.start() - 60):match.start()]
    return bool(_TASKED.search(text, max(0, match.start() - 40), match.start())
                or _FOUNDED.search(text, max(0, match.start() - 40), match.start())
                or _DOMESTIC_BODY.search(before) or _WAS_TO.search(before)
                or _PLAN_BEFORE.search(text, max(0, match.start() - 150), match.start())
                or (match.groupdict().get("series") is not None
                    and _AS_LABEL.match(text, match.end()) is not None)
                or (_FORUM.search(match.group()) is not None and _IN_TOWN_FOR.search(
                    text[max(0, match.start() - 60):match.end()]) is not None))


# A legislature or a party sits at home: its sessions are not meetings between states.
_DOMESTIC_BODY = re.compile(r"(?i)\b(?:congress|parliament|senate|national assembly|legislature"
                            r"|chamber of deputies|house of representatives|duma|majlis|knesset"
                            r"|storting|bundestag|diet|party)(?:'s)?\s+(?:was|were|is|has been"
                            r"|had been|will be)?\s*(?:called|convened|summoned|recalled|met"
                            r"|opened|held|sat|gathered)?\s*(?:into|in|for)?\s*(?:an?|its|the)?\s*$")
# "The visit was to include talks with …", "were due to hold talks": the plan, not the deed.
_WAS_TO = re.compile(r"(?i)\b(?:was|were|had been)\s+(?:to|due to|expected to|scheduled to"
                     r"|planned to|set to|meant to|supposed to)\s+(?:\w+\s+){0,2}$"
                     r"|\bhad\s+(?:hoped|planned|intended)\s+to\s+(?:\w+\s+){0,2}$")
# "The tour was to end on Friday with a working visit to South Africa and talks in Pretoria":
# what the plan was, in the clause that tells it.
_PLAN_BEFORE = re.compile(r"(?i)\b(?:was|were)\s+(?:to|due to|scheduled to|expected to|planned to"
                          r"|set to|meant to|supposed to)\s+\w+\b[^.;]{0,120}$")
# "Tadesse is in Norway for the Oslo Forum on food systems": why he is there.
_IN_TOWN_FOR = re.compile(r"(?i)\b(?:is|are|was|were)\s+in\s+[A-ZÀ-ÞĀ-ž][\w'’-]*"
                          r"(?:\s+[A-ZÀ-ÞĀ-ž][\w'’-]*)?\s+(?:for|to attend)\s+(?:the\s+|an?\s+)?"
                          r"[^,.;]{0,80}$")
_FORUM = re.compile(r"(?i)\b(?:forum|conference|fair|expo|exhibition|festival|congress"
                    r"|symposium|week)\b")


def _hosted_the_last(doc: Document, index: int, drafts: _Known, match: re.Match[str]) -> bool:
    """ "Austrian Foreign Minister Reiter hosted the closing session": of the meeting last
    named, whose host she is; not talks of her own."""
    target = drafts.latest
    if target is None or match.group().lower() != "hosted":
        return False
    text = doc.sentences[index].text
    if not _HOSTED_EVENT.match(text, match.end()):
        # "…met for their first trilateral meeting. Bourita hosted Rangel and Albares": the
        # guests of a meeting of several sides just named, on no day of their own.
        guests = {r.person for r in doc.people_in(index) if r.start >= match.end()}
        if (target.kind is not MeetingKind.OTHER or target.last != index - 1
                or len(guests) < 2 or doc.dates[index]):
            return False
        for ref in doc.people_in(index):
            target.participants.setdefault(ref.person, "host" if ref.end <= match.start() else "")
        target.mentions.add(index)
        target.last = index
        return True
    for ref in doc.people_in(index, 0, match.start()):
        target.participants.setdefault(ref.person, "")
    target.mentions.add(index)
    target.last = max(target.last, index)
    return True


_ATTENDED = re.compile(r"(?i)\b(?:also\s+)?(?:attended|took part|participated"
                       r"|were (?:also )?present|(?:were\s+)?among\s+(?:those\s+)?(?:attending"
                       r"|present|taking part|the participants)|in attendance|attending\s+were"
                       # "X, Y and Z were among 16 leaders at the meeting"
                       r"|(?:was|were)\s+among\s+(?:the\s+)?(?:\d+|\w+)\s+(?:leaders|ministers"
                       r"|heads of (?:state|government)|delegates|participants)"
                       r"|(?:was|were)\s+attended\s+by|brought together|gathered"
                       r"|joined (?:the )?(?:talks|meeting|summit|session))\b")


def _attended(
    doc: Document, index: int, drafts: _Known, cues: list[tuple[MeetingKind, re.Match[str]]]
) -> None:
    """ "Senegalese President Faye and Ghanaian President Asante attended": they were at the
    meeting last named, when this sentence names no meeting of its own."""
    text = doc.sentences[index].text
    found = _ATTENDED.search(text)
    target = drafts.latest
    if target is not None and not cues and _SIDE_LED.search(text):
        # "The Saudi side was headed by X, and the French side by Y": each heads a side.
        for ref in doc.people_in(index):
            target.participants.setdefault(ref.person, "head of delegation")
        target.mentions.add(index)
        target.last = max(target.last, index)
        return
    if found is None or target is None or cues:
        return
    people = [r.person for r in doc.people_in(index) if r.end <= found.start()]
    if people and _ATTENDED_BY.match(text, found.start()):
        # "The meeting, hosted by X, brought together Y and Z": X and those after the verb.
        people += [r.person for r in doc.people_in(index) if r.start >= found.end()]
    if not people and _ATTENDED_BY.search(text):
        # "Also attending were Nurtleu and Saidov", "brought together Kallas and …"
        people = [r.person for r in doc.people_in(index) if r.start >= found.end()]
    for person in people:
        target.participants.setdefault(person, "")
    if people:
        target.mentions.add(index)
        target.last = max(target.last, index)


_SPOKE_AT = re.compile(r"(?i)(?:speaking|addressing|in (?:his|her) (?:remarks|address|speech))"
                      r"\s+(?:(?:at|to|during)\s+)?the\s+(?:meeting|summit|session|conference)\b")
_ATTENDED_BY = re.compile(r"(?i)\b(?:attending\s+were|attended\s+by|brought together)\b")
_SIDE_LED = re.compile(r"(?i)^the\s+\S+\s+(?:side|delegation)\s+(?:was|were|is)\s+(?:led|headed)"
                       r"\s+by\b")
_SIDELINES = re.compile(r"(?i)\bon\s+(?:the|its|their)\s+(?:sidelines|margins)\b"
                        r"|\bon\s+the\s+(?:sidelines|margins)\s+of\b"
                        r"|\b(?:also\s+)?held\s+a\s+separate\s+(?:meeting|talks)\b")


_CONSULTATIONS = re.compile(r"(?i)\b(?:intergovernmental|interministerial|strategic|consular"
                            r"|security|foreign ministry|foreign office)\s+consultations\b")
_WHERE = re.compile(r"[^.;]{0,40}?,\s+where\b")
_SIDELINES_OF = re.compile(r"(?i)\bon\s+the\s+(?:sidelines|margins)\s+of\s+(?:the\s+|an?\s+)?$")


def _on_the_sidelines(drafts: _Known, draft: MeetingDraft) -> None:
    """ "On the sidelines, X held talks with Y": on the day and in the place of the meeting
    whose sidelines they are, the last one named."""
    host = next((d for d in reversed(drafts.by_kind.get(MeetingKind.OTHER, []))), None)
    if host is None:
        return
    if draft.date is None or (host.date is not None and host.date.precision is Precision.DAY
                              and draft.date.start <= host.date.start < draft.date.end):
        draft.date = host.date
    draft.place = draft.place or host.place
    for person in draft.participants:  # who met on its sidelines was at it
        host.participants.setdefault(person, "")


def _future(doc: Document, index: int, match: re.Match[str]) -> bool:
    """A meeting still to come is not recorded: the report only announces it."""
    text = doc.sentences[index].text
    if _WELCOMED.search(text, max(0, match.start() - 12), match.end() + 30):
        return True  # "was met at the airport by": a welcome, not a meeting
    if re.match(r"\s*for\s+$", text[max(0, match.start() - 5):match.start()]) and (
            tense_before(text, match.start()) == "future"):
        return True  # "will travel to Tokyo next week for talks with …"
    if _CALLED_OFF.search(text, match.end(), match.end() + 120) and not _HELD.search(
            text, match.end(), match.end() + 120):
        return True  # "The meeting …, originally scheduled for 12 May, has been moved to 3 June"
    if _AHEAD_OF.search(text, max(0, match.start() - 40), match.start()):
        return True  # "to review preparations for the Business Forum"
    if _OPENS.match(text, match.end()):
        return True  # "for the 12th session …, which opens on Friday"
    if lexicon.FUTURE_MEETING.search(text[max(0, match.start() - 40):match.start()]):
        return True
    # "agreed to hold the next session of the Ghana–Togo Permanent Joint Commission": the
    # body's name is long, and "to hold" stands before the session, not the body.
    if _NEXT_OF.search(text, max(0, match.start() - 80), match.start()):
        return True
    # "The Council, co-chaired by …, is scheduled to meet": the verb may follow an aside.
    after = text[match.end():]
    if re.match(r"(?i)(?:\s*,[^,.;]*,)?\s+(?:will|would|is to|are to|is scheduled|is due"
                r"|are scheduled|are due)\b", after):
        return True
    if match.groupdict().get("series") and tense_before(text, match.start()) == "future":
        return True  # "will travel to Praia in July for the Portugal–Cabo Verde Summit"
    dates = doc.dates_for(index, match.start(), match.end())
    return bool(dates) and dates[0].date.start > doc.anchor


def _nearest(
    echo: re.Match[str], cues: list[tuple[MeetingKind, re.Match[str]]]
) -> re.Match[str] | None:
    return min((m for _, m in cues), key=lambda m: abs(m.start() - echo.start()), default=None)


def _cues(
    text: str, refs: list[Ref] | None = None
) -> tuple[list[tuple[MeetingKind, re.Match[str]]], list[re.Match[str]]]:
    """The meeting words of a sentence without overlaps, and the weak echoes ("met") of them."""
    found: list[tuple[MeetingKind, re.Match[str]]] = []
    orgs = organisation_spans(text)
    for kind, pattern in lexicon.MEETING_CUES:
        for match in matches(pattern, text):
            if any(m.start() < match.end() and match.start() < m.end() for _, m in found):
                continue
            if any(s <= match.start() and match.end() <= e for s, e in orgs):
                continue  # "the Gulf Cooperation Council" is an organisation, not a meeting
            if text[max(0, match.start() - 1):match.start()] == "(":
                continue  # "Joint Working Groups (JWGs)": the same groups again
            if kind is MeetingKind.SITE_VISIT and not _a_site(match.group("site")):
                continue  # "toured southern Africa", "the governments visited issued …"
            if kind is MeetingKind.SITE_VISIT and _is_place(match.group("site")):
                continue  # "visited Bogotá" is a visit to a country, not to a site
            if lexicon.HOSTED_FOR.search(text, max(0, match.start() - 120), match.start()):
                continue  # "hosted her counterpart for talks": the hosting is the meeting
            found.append((kind, match))
    for match in _CALL_IN.finditer(text):
        if not any(m.start() < match.end() and match.start() < m.end() for _, m in found):
            found.append((MeetingKind.BILATERAL_TALKS, match))
    for pattern in (_GATHERED, _SIDELINE_TALK):
        for match in pattern.finditer(text):
            if pattern is _GATHERED:
                if any(k is MeetingKind.OTHER for k, _ in found):
                    # "ECOWAS heads of state met in Abuja for an extraordinary summit": the
                    # summit is named; the gathering is it.
                    continue
                # "Baltic defence ministers met": their meeting, not talks told by "met".
                found = [(k, m) for k, m in found
                         if not (match.start() <= m.start() and m.end() <= match.end())]
            span = (match.start("verb"), match.end("verb"))
            if any(m.start() < span[1] and span[0] < m.end() for _, m in found):
                continue
            if pattern is _GATHERED:
                found.append((MeetingKind.OTHER, match))
                continue
            verb = _TALK_VERB.match(text, match.start("verb"))
            if verb is not None:  # the verb alone is the cue: its people stand round it
                found.append((MeetingKind.BILATERAL_TALKS, verb))
    for match in _RECEIVED_GUEST.finditer(text):
        if any(m.start() < match.end() and match.start() < m.end() for _, m in found):
            continue
        if not _guest_follows(text, match.end(), refs):
            continue
        found.append((MeetingKind.BILATERAL_TALKS, match))
    # "Luanda welcomed Brazil's interest": a thing welcomed, not a guest; "the two leaders
    # have met at several gatherings since": a habit, not a meeting.
    found = [(k, m) for k, m in found
             if not (_WELCOMED_THING.match(text, m.end()) and re.match(
                 r"(?i)(?:received|receives|welcomed|welcomes)\s*$", m.group()))
             and not (m.group().lower() == "met" and _HABITUAL.search(
                 text, max(0, m.start() - 12), min(len(text), m.end() + 70)))]
    # "the XV Meeting of the Mexico–Guatemala Binational Commission": a number in Roman
    # figures before the body's name is that body's meeting, one meeting, not two.
    bodies = [m for k, m in found if k is MeetingKind.OTHER]
    found = [(k, m) for k, m in found if not (
        k is MeetingKind.OTHER and _NUMBERED.fullmatch(m.group())
        and any(_OF_THE.fullmatch(text, m.end(), b.start()) for b in bodies))]
    strong = [(k, m) for k, m in found if not lexicon.WEAK_MEETING_CUE.match(m.group())]
    if not strong:
        return sorted(found, key=lambda pair: pair[1].start()), []
    echoes = [m for k, m in found if lexicon.WEAK_MEETING_CUE.match(m.group())]
    # "held talks with X … and later met President Y": a "met" with a new person after it
    # is a second meeting, not an echo of the first.
    own = [(k, m) for k, m in found if m in echoes and (
        _meets_someone_new(text, m, strong, refs) or _beside(text, m, strong))]
    echoes = [m for m in echoes if all(m is not o for _, o in own)]
    return sorted(strong + own, key=lambda pair: pair[1].start()), echoes


# "paid a courtesy call in Suva on the Deputy Prime Minister": the place may stand between
# the call and whom it was paid on.
_FOR_THE = re.compile(r"(?i)\bfor\s+(?:the\s+)?$")
_ON_A_VISIT = re.compile(r"(?i)(?:\s+(?:in|at)\s+[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'’-]*)?)?"
                         r"\s+(?:on|during)\s+(?:an?|his|her|their)\s+(?:[\w-]+\s+)?visit\b")
_WELCOMED_THING = re.compile(r"\s*(?:the\s+)?[A-ZÀ-ÞĀ-ž][\w-]*'s\s+(?-i:[a-z])")
_HABITUAL = re.compile(r"(?i)\b(?:have|has|had)\s+(?:also\s+)?met\b[^.;]{0,60}?\b(?:several|many"
                       r"|numerous|often|regularly|repeatedly|since|times|occasions|before)\b")
_CHAIRMANSHIP = re.compile(r"(?i)\bunder\s+the\s+(?:chairmanship|chairpersonship|chairship"
                           r"|presidency|chair)\s+of\b")
_NUMBERED = re.compile(r"(?:[IVXLC]+|\d{1,3}(?:st|nd|rd|th)?)\s+(?:Meeting|Session|Summit|Round"
                       r"|Sitting)")
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?(?:[\w–-]+\s+){0,3}")
_CALL_IN = re.compile(r"(?i)\b(?:paid|pays|paying|made|makes)\s+an?\s+(?:courtesy\s+|official\s+)?"
                      r"call\s+(?:in|at)\s+[^,.;]{1,50}?\s+on\b")
# "Nordic foreign ministers meeting in Reykjavik on Monday adopted …", "Baltic defence
# ministers met in Riga": a gathering of ministers named by where they come from.
_GATHERED = re.compile(
    r"\b(?P<who>(?-i:[A-ZÀ-ÞĀ-ž][\w'’-]+)(?:(?:,\s+|\s+and\s+)(?-i:[A-ZÀ-ÞĀ-ž][\w'’-]+)){0,3})\s+"
    r"(?P<office>(?:foreign|defen[cs]e|trade|finance|economy|energy|agriculture|health"
    r"|interior|justice|environment|transport|education)\s+ministers|heads\s+of\s+(?:state|government)"
    r"|leaders)\s+(?P<verb>meeting|met|gathered|convened|assembled)\b(?!\s+(?:with|on\s+the\s+"
    r"sidelines)\b)", re.IGNORECASE)
# "On the sidelines of the meeting, Bakken and Eiríksdóttir discussed the quota dispute":
# two who spoke beside a meeting met, though no meeting word says so.
_SIDELINE_TALK = re.compile(r"(?i)^(?:on|in)\s+the\s+(?:sidelines|margins)\s+of\s+[^,.;]{3,80},"
                            r"\s+[^,.;]{3,120}?\b(?P<verb>discussed|talked|conferred"
                            r"|exchanged views|spoke)\b")
_TALK_VERB = re.compile(r"(?i)discussed|talked|conferred|exchanged views|spoke")


# "received this Thursday in the Palacio de López the Vice Minister …", "received at the
# Ministry's headquarters in Riyadh today the Minister …": where and when may come between
# the verb and its guest, in any words, as long as the clause runs on.
_RECEIVED_GUEST = re.compile(r"(?i)(?<!\bbe )(?<!\bbeen )\b(?:received|receives|welcomed)"
                             r"(?=\s+[^.;,:()]{0,90}?\bthe\s+(?:visiting\s+)?(?-i:[A-ZÀ-ÞĀ-ž]))")
_GUEST_THE = re.compile(r"(?i)\bthe\s+(?:visiting\s+)?(?=(?-i:[A-ZÀ-ÞĀ-ž]))")


def _guest_follows(text: str, position: int, refs: list[Ref] | None) -> bool:
    """Whether the first "the …" after a verb of receiving opens an office held by a person
    the sentence names ("the Vice Minister … of Uruguay, Martín Pereira"), not a thing
    ("received the award", "welcomed the Ambassador's report")."""
    stop = re.compile(r"[.;,:()]").search(text, position)
    limit = min(stop.start() if stop else len(text), position + 100)
    for the in _GUEST_THE.finditer(text, position, limit):
        title = lexicon.TITLE.match(text, the.end())
        if title is None:
            continue  # "in the Palacio de López": where, before whom
        if text.startswith(("'s", "’s"), title.end()):
            return False
        return any(0 <= r.start - title.start() <= 160 for r in refs or [])
    return False


def _beside(
    text: str, echo: re.Match[str], strong: list[tuple[MeetingKind, re.Match[str]]]
) -> bool:
    """ "met the Brazilian minister today on the sidelines of the G20 meeting": a meeting
    beside the one named, not an echo of it."""
    after = [m for _, m in strong if m.start() >= echo.end()]
    if after and _SIDELINES.search(text, echo.end(), after[0].start()) is not None:
        return True
    # "On the sidelines of the G20 summit in New Delhi, Carvalho met Widodo": the summit
    # is named first, and the meeting beside it after.
    before = [m for _, m in strong if m.end() <= echo.start()]
    return any(_SIDELINES_OF.search(text, max(0, m.start() - 30), m.start()) for m in before)


def _meets_someone_new(
    text: str, echo: re.Match[str], strong: list[tuple[MeetingKind, re.Match[str]]],
    refs: list[Ref] | None,
) -> bool:
    if not refs or not re.search(r"(?i)\band (?:later |also |then )?$", text[: echo.start()]):
        return False
    after = [r for r in refs if 0 <= r.start - echo.end() <= 60]
    before = {r.person for r in refs if r.end <= echo.start()}
    return any(r.person not in before for r in after) and all(
        m.start() < echo.start() for _, m in strong)


_REGION = re.compile(r"(?i)\b(?:africa|asia|europe|america|americas|pacific|caribbean|balkans"
                     r"|gulf|region|middle east|sahel|maghreb|levant|oceania|arctic)$")


def _a_site(text: str) -> bool:
    """A site is named, with a capital ("the National Aerospace Park", "the boundary line near
    Ergneti"), is no region, and is no verb ("the governments visited issued statements")."""
    text = text.strip()
    if not text or _REGION.search(text) or not re.search(r"\b[A-ZÀ-ÞĀ-ž]", text):
        return False
    return text[0].isupper() or not re.match(r"\w+(?:ed|ing)\b", text)


def _is_place(text: str) -> bool:
    places = find_places(text.strip())
    return bool(places) and places[0].start == 0 and places[0].end >= len(text.strip()) - 1


def _drafts(
    doc: Document, index: int, kind: MeetingKind, match: re.Match[str],
    cues: list[tuple[MeetingKind, re.Match[str]]], echoes: list[re.Match[str]],
) -> list[MeetingDraft]:
    text = doc.sentences[index].text
    dates = doc.dates_for(index, match.start(), match.end())
    for echo in echoes:
        dates += doc.dates_for(index, echo.start(), echo.end())
    # "the first by a Uruguayan president since 2019": a year recalled, not the meeting's.
    dates = [d for d in dates if not _RECALLED.search(text, max(0, d.start - 8), d.start)]
    when = _WHEN_CLAUSE.search(text, 0, match.start())
    if when is not None:
        inside = [d for d in dates if d.start > when.start()]
        before = [d for d in doc.dates[index] if d.end <= when.start()][-1:]
        dates = inside or before or dates
    if not dates and _FOR_THE.search(text[max(0, match.start() - 12):match.start()]):
        # "last visited Brazil in August 2025, for the Amazon summit in Belém": the summit
        # was when the trip made for it was.
        dates = [d for d in doc.dates[index] if 0 <= match.start() - d.end <= 40][-1:]
    if not dates and _ON_A_VISIT.match(text, match.end()):
        # "Kiala was received in Brasília on a state visit in 2024": the reception is dated
        # by the visit it was part of.
        dates = [d for d in doc.dates[index] if d.start > match.end()][:1]
    if not dates and match.re is _GATHERED:
        # "ministers meeting in Reykjavik on Monday": the day that follows, in its clause.
        dates = [d for d in doc.dates[index] if 0 <= d.start - match.end() <= 60
                 and not re.search(r"[,.;]", text[match.end():d.start])][:1]
    if not dates:
        dates = _day_of_the_sentence(doc, index, match)
    if dates and dates[0].date.precision in (Precision.YEAR, Precision.QUARTER):
        # "adopted a roadmap on Thursday at the close of their Eighth Consultative Meeting,
        # held this year at Avaza": the sentence's day in that year is the meeting's.
        coarse = dates[0].date
        days = [d for d in doc.dates[index] if d.date.precision is Precision.DAY
                and d.end_date is None and coarse.overlaps(d.date.start, d.date.end)]
        if len(days) == 1:
            dates = days
    base = MeetingDraft(kind, index, mentions={index})
    base.remote = _REMOTE.search(text, match.start(), match.end() + 40) is not None
    if dates:
        base.date = first_day(text, dates[0].date)
    base.place = _place(doc, index, match) or next(
        (p for p in (_place(doc, index, e) for e in echoes) if p), "")
    base.participants = _participants(doc, index, match, cues)
    session = _SESSION.search(text[: match.start()])
    if session and session.group("nth").lower() not in ("the", "a", "its", "this"):
        base.session = session.group("nth").lower()
    if kind is MeetingKind.SITE_VISIT:
        base.name = match.group("site").strip()
        base.place = base.name
        return [base]
    if kind is MeetingKind.OTHER and match.groupdict().get("series"):
        base.name = series_name(match)
        return [base]
    if match.re is _GATHERED:
        base.name = f"Meeting of {match.group('who')} {match.group('office').lower()}"
        return [base]
    named = match.groupdict().get("named") or match.groupdict().get("named2")
    if kind is MeetingKind.OTHER and named:
        base.name = " ".join(named.split())
        return [base]
    if kind is MeetingKind.OTHER:
        lead = re.search(r"((?:[A-ZÀ-ÞĀ-ž][\w'’]*(?:[–-][A-ZÀ-ÞĀ-ž][\w'’ ]*)?\s+)+)$",
                         text[: match.start()])
        base.name = ((lead.group(1) if lead else "") + match.group()).strip()
        base.name = base.name[0].upper() + base.name[1:]
        return [base]
    if kind is MeetingKind.JOINT_WORKING_GROUP:
        topic = _TOPIC.match(text, match.end())
        if topic is None:
            return [base]
        plural = re.search(r"(?i)groups|JWGs", match.group()) is not None
        topics = _split_topics(topic.group("topic")) if plural else [topic.group("topic")]
        if plural and len(topics) == 1:
            # "Working groups on transport, energy and customs met": the list runs on.
            rest = text[topic.start("topic"):]
            verb = _VERB_AFTER_LIST.search(rest)
            listed = list_items(rest[:verb.start()] if verb else rest)
            topics = listed if len(listed) > 1 else topics
        out = []
        for item in topics:
            draft = MeetingDraft(kind, index, topic=item, date=base.date, place=base.place,
                                 participants=dict(base.participants), mentions={index})
            out.append(draft)
        return out
    body = _BODY_MET.search(text, 0, match.start()) if match.group().lower() == "met" else None
    if body is not None:
        org = next((p for p in doc.places[index] if p.is_org and p.end == body.end("body")), None)
        if org is not None and org.text.split()[-1].lower() in _BODY_WORDS:
            # "The African Union Peace and Security Council met at ministerial level": a
            # meeting of that body, not talks between two sides.
            base.kind, base.name = MeetingKind.OTHER, org.text
            return [base]
    if kind is MeetingKind.BUSINESS_MEETING:
        # "met business leaders" is a meeting with them, not "met business leaders".
        base.name = _MET_WITH.sub("meeting with ", match.group().strip())
    if re.search(r"(?i)consultations", match.group()):
        # "held intergovernmental consultations" keeps its format; other rounds are political.
        own = _CONSULTATIONS.search(match.group())
        base.name = own.group().lower() if own else "political consultations"
    if _SEPARATE.search(match.group()) or _SEPARATELY.match(text, match.end()):
        return _separately(doc, index, match, base)
    return [base]


_DAYS_OF_TALKS = re.compile(r"(?i)\b(?:ended|concluded|closed|wrapped up|ending|concluding"
                            r"|closing)\b[^.;]{0,160}?\b(?:after|following)\s+(?P<n>two|three|four"
                            r"|five|[2-5])\s+days\s+of\s+(?:talks|meetings|deliberations"
                            r"|discussions|negotiations)\b")
_N_DAYS = {"two": 2, "three": 3, "four": 4, "five": 5}


def first_day(text: str, day: FuzzyDate) -> FuzzyDate:
    """ "ended their summit on Friday, after three days of talks": it opened on Wednesday,
    and a meeting is recorded by the day it opened."""
    found = _DAYS_OF_TALKS.search(text)
    if found is None or day.precision is not Precision.DAY:
        return day
    n = _N_DAYS.get(found.group("n").lower()) or int(found.group("n"))
    first = day.start - timedelta(days=n - 1)
    return FuzzyDate.day(first.year, first.month, first.day)


_CALLED_OFF = re.compile(r"(?i)\b(?:has|have|had|was|were)\s+been\s+(?:moved|postponed|put off"
                         r"|cancel+ed|called off|rescheduled|delayed|deferred)\b")
_HELD = re.compile(r"(?i)\b(?:was|were)\s+held\b|\btook place\b")
_AHEAD_OF = re.compile(r"(?i)\b(?:preparations?\s+for|ahead\s+of|in\s+preparation\s+for"
                       r"|prepare|preparing)\s+(?:the\s+)?(?:next\s+|upcoming\s+|forthcoming\s+)?$")
_OPENS = re.compile(r"(?i)(?:\s+(?:in|at)\s+[A-ZÀ-ÞĀ-ž][\w'-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'-]*)?)?"
                    r"\s*,\s+which"
                    r"\s+(?:opens|begins|starts|will|is\s+to|is\s+due|is\s+expected)\b")
_NEXT_OF = re.compile(r"(?i)\b(?:next|upcoming|forthcoming|coming)\s+(?:\w+\s+)?"
                     r"(?:session|meeting|round|summit|edition|sitting)\s+of\s+(?:the\s+|its\s+"
                     r"|their\s+)?[^.;,]{0,60}$")
_WELCOMED = re.compile(r"(?i)\b(?:was|were|is|are)\s+met\s+(?:at\s+the\s+\w+\s+)?by\b")
_VERB_AFTER_LIST = re.compile(r"\s+(?:were|was|met|held|is|are|has|have|which|convened"
                              r"|gathered|reviewed|discussed)\b")
# The invitation's own phrase: "the invitation was delivered by X, who was received … on a
# visit to Hanoi" names X as the bearer, past the comma, and X was met.
_INVITED = re.compile(r"(?i)\binvitation\b[^.;,]{0,120}?\bto\s+(?:visit\b|[A-ZÀ-ÞĀ-ž][^,.;]*)")
_RIGHT_AFTER = 80
# What ends the phrase a meeting word opens: a person past it is no longer its object.
_PHRASE_BREAK = re.compile(r",|;|\band\b|\bwho\b|\bwhich\b|\bwhile\b|\bafter\b|\bbefore\b")
_ALSO = re.compile(r"(?i)\balso\s+$")
_RELATIVE = re.compile(r",\s+(?:which|who|whose)\b")
_REMOTE = re.compile(r"(?i)\b(?:by|via|over)\s+(?:video(?:conference|[- ]link|[- ]call)?|telephone"
                     r"|phone)\b|\b(?:virtual|online|videoconference)\b")
_IN_CITY = re.compile(r"(?i)\b(?:in|at)\s+(?:the\s+[^,.;]{0,30}?\s+in\s+)?(?:the\s+)?$"
                      # "talks at State House, Nairobi": a venue, then its city.
                      r"|\bat\s+(?:the\s+)?(?-i:[A-ZÀ-ÞĀ-ž][\w'’-]*)(?:\s+(?-i:[A-ZÀ-ÞĀ-ž][\w'’-]*)){0,3},\s+$")
_RECALLED = re.compile(r"(?i)\b(?:since|until|till)\s+$")
_SEPARATE = re.compile(r"(?i)\bseparate\b|\bmeetings\b")
_SEPARATELY = re.compile(r"(?i)\s+separately\b")  # "met separately with A and B"
# "On the same day, …", "The same day, X was received by Y": the day of the meeting before.
_SAME_DAY = re.compile(r"(?i)^\W*(?:on\s+)?(?:the|that)\s+same\s+(?:day|occasion)\b")
# "Prime Minister Wambi's visit to Canberra in March, when he and his counterpart held the
# Leaders' Dialogue": the meeting is the time the clause before names.
_WHEN_CLAUSE = re.compile(r"(?i),\s+when\s+[^,.;]{0,100}$")
# "the 42 commitments in the Leaders' Dialogue communiqués": the series named as a label.
_AS_LABEL = re.compile(r"(?i)\s+(?:communiqu[ée]s?|process|framework|mechanism|format"
                       r"|secretariat|commitments?|outcomes?|declarations?)\b")
# "X, who travelled with Walker, met Y": the clause's people are not at the meeting.
_ASIDE = re.compile(r",\s+(?:who|which|whose)\b[^,;]*,")
# "X, in Ottawa for the G7 meeting, held talks": where X is, and why; X is the talks' subject.
_PRESENCE = re.compile(r",\s+(?:who\s+(?:is|was)\s+)?(?:(?:in|at)\s+[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+"
                       r"[A-ZÀ-ÞĀ-ž][\w'’-]*)?\s+(?:for|to\s+attend)|attending)\s+[^,;]{3,90},")


def _day_of_the_sentence(doc: Document, index: int, match: re.Match[str]) -> list[DateMention]:
    """ "Sosa began a state visit on Tuesday … and was received by Rojas", "on Tuesday
    resolved …, after talks in Windhoek": the subject's day, when the meeting names none."""
    text = doc.sentences[index].text
    asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text)]
    for mention in doc.dates[index]:
        if mention.start >= match.start():
            break
        if mention.date.precision is not Precision.DAY or mention.date.start > doc.anchor:
            continue
        if any(s <= mention.start < e for s, e in asides):
            continue
        if _RECALLED.search(text, max(0, mention.start - 8), mention.start):
            continue
        return [mention]
    return []


def _separately(
    doc: Document, index: int, match: re.Match[str], base: MeetingDraft
) -> list[MeetingDraft]:
    """ "held separate talks with A and B", "held bilateral meetings with A and B": one
    meeting with each, the subject at all of them."""
    refs = doc.people_in(index)
    subject = [r.person for r in refs if r.end <= match.start()][:1]
    guests = list(dict.fromkeys(r.person for r in refs if r.start >= match.end()))
    if len(guests) < 2:
        return [base]
    out = []
    for guest in guests:
        draft = MeetingDraft(base.kind, index, date=base.date, place=base.place,
                             mentions={index})
        draft.participants = {p: base.participants.get(p, "") for p in [*subject, guest]}
        draft.separate = True
        out.append(draft)
    return out


_PLACE_FOR = re.compile(r"^(?P<place>[A-ZÀ-ÞĀ-ž][\w'.-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'.-]*)?)\s+for\s+the\s+"
                        r"(?=[A-ZÀ-ÞĀ-ž0-9])")
_OF_BODY = re.compile(r"(?i)^(?P<nth>.+?)\s+of\s+(?:the\s+|their\s+)?(?P<body>.+)$")


def series_name(match: re.Match[str]) -> str:
    """ "Kenya–Ethiopia Joint Ministerial Commission, ninth session" from "the Kenya–Ethiopia
    Joint Ministerial Commission held its ninth session" or "the ninth session of …"."""
    text = " ".join(match.group("series").split())
    # "in Ottawa for the North American Foreign Ministers' Meeting": the name starts after
    # the place the person is in.
    lead = _PLACE_FOR.match(text)
    if lead is not None and city_country(lead.group("place")):
        text = text[lead.end():]
    holder = match.group("holder")
    if holder and not _only_countries(holder):
        return f"{holder}, {' '.join(match.group('nth').split()).lower()}"
    if holder:
        # "the foreign ministers of Türkiye, Azerbaijan and Georgia held their tenth
        # trilateral meeting": the countries are its sides, not its name.
        nth = " ".join(match.group("nth").split()).lower()
        return nth[0].upper() + nth[1:]
    of = _OF_BODY.match(text)
    if of and re.match(r"(?i)\d|[a-z]+(?:th|st|nd|rd)\b|first|second|third", of.group("nth")):
        if _only_countries(of.group("body")):
            # "the tenth trilateral meeting of Türkiye, Azerbaijan and Georgia": its sides.
            return of.group("nth")[0].upper() + of.group("nth")[1:].lower()
        return f"{of.group('body')}, {of.group('nth').lower()}"
    return text[0].upper() + text[1:]


def _only_countries(text: str) -> bool:
    rest = text
    for place in reversed(find_places(text)):
        if not place.is_city and not place.is_org:
            rest = rest[:place.start] + rest[place.end:]
    return rest != text and not re.sub(r"(?i)\band\b|\bthe\b|[,\s–-]", "", rest)


def _split_topics(text: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", text)
    return [p.strip() for p in parts if p.strip()]


def _place(doc: Document, index: int, match: re.Match[str]) -> str:
    """The city named after the meeting word ("met in Osh"), else the one before it."""
    cities = [p for p in doc.places[index] if p.is_city]
    text = doc.sentences[index].text
    # "met in Osh", "held talks at the Aq Saray in Astana", not "discussed the Geneva talks".
    after = [p for p in cities if p.start >= match.end()
             and _IN_CITY.search(text, max(match.end(), p.start - 40), p.start)]
    # "paid a courtesy call in Suva on …": the city inside the cue's own words.
    after = [p for p in cities if match.start() < p.start and p.end <= match.end()
             and _IN_CITY.search(text, max(match.start(), p.start - 40), p.start)] + after
    before = [p for p in cities if p.end <= match.start()
              and (re.search(r"\bin\s+$", text[max(0, p.start - 6): p.start])
                   # "travelled to Rabat on Monday, where he met": the talks are in Rabat.
                   or _WHERE.match(text, p.end, match.start()))]
    chosen = after[0] if after else (before[-1] if before else None)
    if chosen is None:
        # "concluded a visit to Guatemala, where she met …": the country, when no city is
        # named, rather than the dateline's.
        land = [p for p in doc.places[index] if not p.is_city and not p.is_org and p.country
                and p.end <= match.start() and _WHERE.match(text, p.end, match.start())
                and p.country != doc.host]
        return land[-1].country if land else ""
    return city_name(chosen.text) or chosen.text


def _participants(
    doc: Document, index: int, match: re.Match[str], cues: list[tuple[MeetingKind, re.Match[str]]]
) -> dict[str, str]:
    """The people of the sentence nearest to this meeting word, with their parts."""
    text = doc.sentences[index].text
    refs = doc.people_in(index)
    # "During the talks the ministers reviewed the working group, which met in Osh": the
    # ministers are at the talks named by "the talks", not at the group.
    others = [m for _, m in cues if m is not match]
    # "On the sidelines of the meeting, Bakken and Eiríksdóttir discussed …": the meeting
    # beside which they spoke takes nobody from them.
    others += [m for m in matches(lexicon.MEETING_ANAPHORA, text)
               if not (match.start() <= m.start() < match.end())
               and not _SIDELINES_OF.search(text, max(0, m.start() - 30), m.start())]
    # "Sato, in Ottawa for the G7 meeting, held talks with Dubois": the meeting the aside
    # names does not take the sentence's subject from the talks.
    present = [(m.start(), m.end()) for m in _PRESENCE.finditer(text)]
    if not any(s <= match.start() < e for s, e in present):
        others = [m for m in others if not any(s <= m.start() < e for s, e in present)]

    def mine(start: int, end: int) -> bool:
        # "paid a courtesy call on Deputy President Dlamini and visited …": a person right
        # after a meeting word is that meeting's, whatever comes next.
        follows = [m for m in [match, *others] if 0 <= start - m.end() <= _RIGHT_AFTER
                   and not _PHRASE_BREAK.search(text, m.end(), start)]
        if follows:
            return max(follows, key=lambda m: m.end()) is match
        own = abs(start - match.start())
        return all(abs(start - m.start()) >= own for m in others)

    asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text)
              if not (m.start() <= match.start() < m.end())]
    # "handed him an invitation … to President Adel Mansour": invited, not present.
    asides += [(m.start(), m.end()) for m in _INVITED.finditer(text)]
    refs = [r for r in refs if not any(s <= r.start < e for s, e in asides)]
    chosen = {r.person: "" for r in refs if mine(r.start, r.end)}
    lead = _lead_subject(doc, index)
    if lead is not None:
        chosen.setdefault(lead, "")  # "During the visit, President Annayev:\n- held talks …"
    first_cue = min([match.start(), *(m.start() for m in others)])
    who = _WHO_MET.search(text, max(0, match.start() - 20), match.start())
    if who is not None:
        # "X was accompanied by Y, who met Z separately": Y met Z; X is not at it.
        before = [r for r in refs if r.end <= who.start()]
        keep = before[-1].person if before else None
        for ref in before[:-1]:
            if ref.person != keep:
                chosen.pop(ref.person, None)
        if keep is not None:
            chosen.setdefault(keep, "")
    elif refs and refs[0].end <= first_cue and re.match(r"\W*$", text[: refs[0].start]):
        chosen.setdefault(refs[0].person, "")  # the sentence's subject is at each of its meetings
    for pattern, part in lexicon.PARTS:
        for found in matches(pattern, text):
            passive = found.group().lower().endswith(" by")
            for ref in refs:
                if ref.person in chosen and (ref.start > found.start()) == passive:
                    chosen[ref.person] = part
            with_whom = _CHAIRED_WITH.match(text, found.end()) if part == "co-chair" else None
            if with_whom is not None:
                # "which she co-chaired with Foreign Minister Hasan": he co-chaired too.
                other = next((r for r in refs if r.start >= with_whom.end()
                              and r.person in chosen), None)
                if other is not None and other.start - with_whom.end() <= 60:
                    chosen[other.person] = part
    for chair in _CHAIRMANSHIP.finditer(text, match.end()):
        # "was held in Accra … under the chairmanship of Prof. Kamara": he chaired it, though
        # another word ("Chair of the Council") stands nearer him than the meeting's name.
        if any(match.end() <= m.start() < chair.start() for _, m in cues if m is not match):
            break
        chaired = next((r for r in refs if 0 <= r.start - chair.end() <= 40), None)
        if chaired is not None:
            chosen[chaired.person] = "chair"
    received = lexicon.HOSTING.search(text)
    if received:
        mine_refs = [r for r in refs if r.person in chosen and not chosen[r.person]]
        host = None
        if received.group("by") is not None or received.group("of") is not None:
            # "hosted by X", "at the invitation of X": X is the host, everyone else a guest.
            host = next((r.person for r in mine_refs if r.start >= received.end()), None)
        elif received.group("who") is not None:
            # "talks with X, who hosted him": X is the host.
            host = next((r.person for r in reversed(mine_refs) if r.end <= received.start()),
                        None)
        for ref in mine_refs:
            if host is not None:
                chosen[ref.person] = "host" if ref.person == host else "guest"
            else:
                chosen[ref.person] = "host" if ref.end <= received.start() else "guest"
    return chosen


_BODY_MET = re.compile(r"(?P<body>\S)\s+$")
_BODY_WORDS = {"council", "commission", "committee", "assembly", "parliament", "authority",
               "forum", "summit", "conference"}
_ITEM = re.compile(r"^\s*(?:[-–•*·]|\(?[a-z0-9]{1,2}[.)])\s+")


def _lead_subject(doc: Document, index: int) -> str | None:
    """The person a list of deeds belongs to, named in the line that opens it with a colon."""
    if not _ITEM.match(doc.sentences[index].text):
        return None
    # Each item remembers where its list opens, so a long list is read back once, not once
    # an item.
    openings = doc.list_openings
    back = index - 1
    while back >= 0 and _ITEM.match(doc.sentences[back].text):
        if back in openings:
            back = openings[back]
            break
        back -= 1
    openings[index] = back
    if back < 0 or not doc.sentences[back].text.rstrip().endswith(":"):
        return None
    refs = doc.people_in(back)
    return refs[-1].person if refs else None


def _merge(drafts: _Known, draft: MeetingDraft, definite: bool, *, also: bool = False) -> None:
    for existing in reversed(drafts.by_kind.get(draft.kind, [])[-_RECENT:]):
        if also and set(draft.participants) - set(existing.participants):
            continue  # "President Lee also met the Prime Minister": another meeting
        if _same(existing, draft, definite):
            existing.take(draft)
            drafts.touched(existing)
            return
    drafts.add(draft)


def _same(a: MeetingDraft, b: MeetingDraft, definite: bool) -> bool:
    if a.kind in _SPECIFIC:
        return _norm(a.topic or a.name) == _norm(b.topic or b.name) or (
            definite and not (b.topic or b.name)) or _named_alike(a, b)
    if definite:
        return True
    if a.kind is MeetingKind.BILATERAL_TALKS and a.participants and b.participants:
        mine, theirs = set(a.participants), set(b.participants)
        if not (mine & theirs and (mine <= theirs or theirs <= mine)):
            return False  # the cheaper test first: most meetings differ in who met
    return not (a.date and b.date and not a.date.overlaps(b.date.start, b.date.end))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


_ORDINAL_WORD = re.compile(rf"(?i)^{lexicon.ORDINAL}$")
# Words a name may be written with or without: "of the Republic of Türkiye" is "of Türkiye".
_FORM_WORDS = {"the", "of", "republic", "kingdom", "state", "federation", "sultanate"}


def _name_key(text: str) -> tuple[str, frozenset[str]]:
    words = _norm(text).split()
    numbers = frozenset(w for w in words if _ORDINAL_WORD.match(w))
    rest = " ".join(w for w in words if w not in numbers and w not in _FORM_WORDS)
    return rest, numbers


def _named_alike(a: MeetingDraft, b: MeetingDraft) -> bool:
    """ "The 21st EU–Central Asia Ministerial Meeting" in the text and "EU–Central Asia
    Ministerial Meeting" in its headline are one meeting: the same name but for the form of a
    state and a number only one of them gives, on days that do not differ."""
    if not (a.name and b.name) or (a.date and b.date and a.date != b.date):
        return False
    (mine, my_numbers), (theirs, their_numbers) = _name_key(a.name), _name_key(b.name)
    return bool(mine) and mine == theirs and (
        my_numbers == their_numbers or not my_numbers or not their_numbers)


def _anaphora(
    doc: Document, index: int, drafts: _Known, cues: list[tuple[MeetingKind, re.Match[str]]],
) -> None:
    """ "The session was co-chaired by …": parts and people for the meeting last named."""
    text = doc.sentences[index].text
    for found in matches(lexicon.MEETING_ANAPHORA, text):
        if any(m.start() <= found.start() < m.end() for _, m in cues):
            continue
        target = drafts.latest
        if target is None:
            return
        if target.separate and re.match(r"(?i)the talks", found.group()):
            # "… held talks. The same day, X met separately with A and B. Following the
            # talks, …": the talks are the ones held, not the separate meetings after them.
            target = next((d for d in reversed(drafts[-_RECENT:]) if not d.separate
                           and d.kind in _TALKS), target)
        extra = MeetingDraft(target.kind, index, mentions={index})
        # "Speaking at the meeting, Bayramov said …": at a meeting of several sides, whoever
        # a sentence about it names was there; at talks, only whom it gives a part.
        several = (target.kind is MeetingKind.OTHER and not cues
                   and _SPOKE_AT.match(text) is not None)
        extra.participants = {
            person: part for person, part in _participants(doc, index, found, cues).items()
            if part or person in target.participants or several
        }
        target.take(extra)
        drafts.touched(target)
        return


_TALKS = (MeetingKind.BILATERAL_TALKS, MeetingKind.TETE_A_TETE, MeetingKind.DELEGATION_LEVEL_TALKS)


def co_chairs_apart(doc: Document, meetings: list[MeetingDraft]) -> None:
    """ "co-chaired by Chancellor Weber and Prime Minister Nowak": two co-chairs of a meeting
    between the pair sit on its two sides, so one whose country was only the dateline's is
    of the other side (the second named, when both were)."""
    if len(doc.pair) != 2:
        return
    for draft in meetings:
        chairs = [doc.people.get(k) for k, part in draft.participants.items() if part == "co-chair"]
        if (draft.kind is MeetingKind.OTHER and len(draft.participants) == 2 and not chairs
                and {p.country for p in find_places(draft.name)} == set(doc.pair)):
            # "President Prabowo and Prime Minister Albanese held the Indonesia–Australia
            # Annual Leaders' Meeting": the two who held a meeting of two sides, one each.
            chairs = [doc.people.get(k) for k in draft.participants]
        moved = None
        if len(chairs) == 2 and chairs[0].country == chairs[1].country in doc.pair:
            moved = chairs[1] if chairs[1].assumed else chairs[0] if chairs[0].assumed else None
        elif draft.kind in _TALKS and len(draft.participants) == 2:
            # "Omani Foreign Minister Albusaidi met Minister of External Affairs Jaishankar":
            # talks between the pair have a side each; the one the text gave no country, or
            # the guest when it gave neither, is of the other.
            (a, part_a), (b, part_b) = draft.participants.items()
            one, two = doc.people.get(a), doc.people.get(b)
            if one.country == two.country in doc.pair:
                if one.assumed != two.assumed:
                    moved = one if one.assumed else two
                elif one.assumed and {part_a, part_b} == {"host", "guest"}:
                    moved = one if part_a == "guest" else two
        if moved is None:
            continue
        old = moved.country
        moved.country = doc.pair[1] if old == doc.pair[0] else doc.pair[0]
        moved.assumed = False
        doc.warnings[:] = [w for w in doc.warnings
                           if w != f"{moved.name}: country taken from the dateline ({old})."]
        doc.people.touch()

