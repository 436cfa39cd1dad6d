"""Plans a report describes: action plans, MoUs, agreements — their status, parties and fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import PlanKind, PlanStatus
from bot.services.ingest import lexicon
from bot.services.ingest.dates import DateMention, tense_before
from bot.services.ingest.document import Document
from bot.services.ingest.places import find_places
from bot.services.ingest.refs import Ref
from bot.services.ingest.sentences import matches

_DEFINITE = re.compile(r"(?i)\b(?:the|this|these|both|that)\s+(?:[\w-]+\s+){0,3}$")
_DESCRIPTIVE = re.compile(r"(?i)\b(?<!well )(?:provides?|is|are|was|as|constitutes|represents)"
                          r"\s+(?:an?)\s+(?:[\w-]+\s+)?$")
_HORIZON = re.compile(r"\s+(?:until|till|through|up to)\s+(?:19|20)\d{2}\b")
_YEARS = re.compile(r"\s*,?\s*(?:for\s+)?(\d{4}\s*[-–]\s*\d{4})")
_LIST_OPENER = re.compile(r"(?i)^\s*,?\s*(?:covering|on|in the (?:fields?|areas?|spheres?|domains?)"
                          r" of|in|:)\s+")
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*·]|\(?[a-z0-9]{1,2}[.)])\s+")


def _lead_in(text: str) -> PlanStatus | None:
    """The status a list of documents inherits from the line that opens it with a colon."""
    if not text.rstrip().endswith(":"):
        return None
    return _status(text, len(text), len(text))


_CLAUSE_LINK = re.compile(r"(?i)\b(?:when|during which|at which|in which)\b")
_NEXT_DEED = re.compile(r",\s+(?:and|while|but)\s+(?:also\s+)?[a-z]+ed\b|;\s")
_OTHER_DEED = re.compile(r"\s+and\s+(?:also\s+)?(?-i:(?:directed|instructed|tasked|asked|requested"
                         r"|mandated|urged|called on))\b")
# "They also signed …", "The two ministers signed …"; "the two governments" are no people.
_THEY = re.compile(r"(?i)^(?:they|the two|both)\b(?!\s+(?:governments|countries|states|nations"
                   r"|sides|parties)\b)")
_SIGNED_THEN = re.compile(r"(?i),\s+(?:which was\s+|that was\s+|first\s+)?signed\b")
# "welcomed the signing of an agreement on … by Foreign Minister Aoki and Ambassador Dunn"
_SIGNED_BY = re.compile(r"(?i)\bsigned by\b|\bsigning of\b[^.;:]{0,160}?\s+by\b"
                        r"(?=\s+(?:the\s+)?(?-i:[A-ZÀ-ÞĀ-ž]))")
# Adopting a joint statement is not signing it, so "adopted" names no signatories.
_SIGN_VERB = re.compile(r"(?i)\b(?:signed|sign|inked|initial+ed|signatures?|countersigned"
                        r"|subscribed)\b")
# "Bárcenas had also visited Bogotá in March, when the two countries signed …": he is the
# subject of another verb, not a signatory.
_SUBJECT_BREAK = re.compile(r"(?i)\b(?:when|where|which|while|as|after|who|countries|sides"
                            r"|governments)\b")
_NOT_SIGNERS = re.compile(r"(?i)\bin the presence of\b|\bwitnessed by\b")
_WITH_COUNTERPART = re.compile(r"(?i)\bwith\s+(?:his|her|their)\s+(?:[\w-]+\s+){0,2}?"
                               r"counterparts?,?\s+")
_WITNESS_END = re.compile(r",\s+(?=(?:the\s+)?(?:H\.E\.|Mr|Ms|Mrs|Dr|Hon|[A-ZÀ-ÞĀ-ž]))")
_SIGNER_STOP = re.compile(r"(?i)\b(?:following|after|at|during|in the presence|on behalf|which"
                          r"|who|on (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b")
_BEHALF = re.compile(r"(?i)\bon behalf of\s+(?P<orgs>[^.;]+)")
_PLURAL = re.compile(r"(?i)^(?:memoranda|mous|agreements|treaties|protocols|roadmaps|accords"
                     r"|conventions|programmes|action plans|joint statements|declarations)\b")
_SINGULAR = {"memoranda": "memorandum", "mous": "MoU", "agreements": "agreement",
             "treaties": "treaty", "protocols": "protocol", "roadmaps": "roadmap",
             "accords": "accord", "conventions": "convention", "programmes": "programme",
             "action plans": "action plan", "joint statements": "joint statement",
             "declarations": "declaration"}


@dataclass
class PlanDraft:
    kind: PlanKind
    status: PlanStatus
    sentence: int
    title: str
    date: FuzzyDate | None = None
    place: str = ""
    signatories: dict[str, str] = field(default_factory=dict)  # person key -> on behalf of
    fields: list[str] = field(default_factory=list)
    mentions: set[int] = field(default_factory=set)
    linked_clause: bool = False  # "… in March 2023, when the two countries signed …"
    ratified: bool = False  # dated by its ratification until the report says when it was signed
    at: int = -1  # where its word stands in the sentence that introduced it


# A plan named again ("the agreement") is looked for among the last few of its kind, so that
# each mention costs the same however long the report; no report names this many.
_RECENT = 64


class _Known:
    """The plans found so far, indexed by kind and by title."""

    def __init__(self) -> None:
        self.all: list[PlanDraft] = []
        self._ids: set[int] = set()
        self._by_kind: dict[PlanKind, list[PlanDraft]] = {}
        self._by_title: dict[tuple[PlanKind, str], list[PlanDraft]] = {}

    def add(self, draft: PlanDraft) -> None:
        if id(draft) in self._ids:
            return
        self._ids.add(id(draft))
        self.all.append(draft)
        self._by_kind.setdefault(draft.kind, []).append(draft)
        self._by_title.setdefault((draft.kind, _norm(draft.title)), []).append(draft)

    def of_kind(self, kind: PlanKind) -> list[PlanDraft]:
        return self._by_kind.get(kind, [])[-_RECENT:]

    def drop(self, draft: PlanDraft) -> None:
        """Forgets a plan found to be another one named again."""
        self._ids.discard(id(draft))
        self.all = [d for d in self.all if d is not draft]
        kinds = self._by_kind.get(draft.kind, [])
        kinds[:] = [d for d in kinds if d is not draft]
        titled = self._by_title.get((draft.kind, _norm(draft.title)), [])
        titled[:] = [d for d in titled if d is not draft]

    def titled(self, kind: PlanKind, title: str) -> list[PlanDraft]:
        return self._by_title.get((kind, _norm(title)), [])

    def last_group(self) -> list[PlanDraft]:
        """ "The documents were signed by …": the plans named together most recently."""
        if not self.all:
            return []
        last = self.all[-1].sentence  # plans are found in the order of the text
        group = []
        for draft in reversed(self.all):
            if draft.sentence != last:
                break
            group.append(draft)
        return group[::-1]


def find_plans(doc: Document) -> list[PlanDraft]:
    known = _Known()
    lead: PlanStatus | None = None  # "welcomed the signing of the following documents:"
    last_signed: list[PlanDraft] = []  # the texts the last signing sentence named
    for index, sentence in enumerate(doc.sentences):
        text = sentence.text
        item = _LIST_ITEM.match(text) is not None
        if not item:
            lead = _lead_in(text)
            opening = index  # the line a list's items hang on
        here: list[PlanDraft] = []
        covered = 0  # end of the last complement: plans named inside it are not new plans
        triggers = _triggers(text)
        skip_next = False
        for position, (kind, match) in enumerate(triggers):
            if skip_next or match.start() < covered:
                skip_next = False
                continue
            nxt = triggers[position + 1][1] if position + 1 < len(triggers) else None
            joined = nxt is not None and re.fullmatch(r"\s+and\s+", text[match.end():nxt.start()])
            end = nxt.end() if joined and nxt is not None else match.end()
            skip_next = bool(joined)
            found = _mention(doc, index, kind, match, end, known, lead if item else None)
            if found is None:
                continue
            new, complement_end = found
            covered = max(covered, complement_end)
            for draft in new:
                known.add(draft)
                draft.mentions.add(index)
                here.append(draft)
        group = lexicon.PLURAL_GROUP.search(text)
        if group and not here:
            here = known.last_group()
            for draft in here:
                draft.mentions.add(index)
        if not here and known.all and known.all[-1].sentence == index - 1 and (
                _IT_TO_BE_SIGNED.match(text)):
            # "… initialled an agreement on visas. It is to be signed during the visit …":
            # the text just named, still to be signed, and dated by this sentence.
            _to_be_signed(doc, index, known.all[-1])
        for draft in here:
            # links.py dates a signing from a meeting up to two sentences before it; an item
            # further down its list, or a sentence whose dates are other events', is dated here.
            far = item and index - opening > 1
            if draft.sentence == index and draft.date is None and (doc.dates[index] or far) and (
                    draft.status is PlanStatus.SIGNED):
                # "… held talks on 29 January. Following the talks, the two Presidents
                # witnessed the signing of: (c) the Plan … 2026–2030", "… met on Wednesday.
                # The sides adopted a schedule … and agreed to meet in 2027": signed the day of
                # the talks just told, though the sentence names other times.
                draft.date = _day_of_talks_before(doc, opening if item else index)
        dated = next((d.date for d in here if d.date and d.sentence == index), None)
        for draft in here:  # "signed a roadmap … and an agreement …" on the same day
            if draft.sentence == index and draft.date is None and dated is not None and (
                    draft.status is not PlanStatus.UNDER_NEGOTIATION):
                draft.date = dated
        if not here and last_signed and index - last_signed[0].sentence <= 2 and (
                _SIGN_VERB.search(text)):
            # "The agreement was signed by …", "… put their signatures to the document": the
            # signatories of the texts just signed, named in a sentence of their own.
            here = [d for d in last_signed if not d.signatories]
            # "… signed a programme on rail. The ministers signed it in Vienna on 4
            # February": the day of the signing, told with its signatories.
            told = [m for m in doc.dates[index] if m.date.precision is Precision.DAY
                    and m.date.start <= doc.anchor and tense_before(text, m.start) != "future"]
            for draft in here:
                if draft.date is None and len(told) == 1:
                    draft.date = told[0].date
        elif any(d.status is PlanStatus.SIGNED and d.sentence == index for d in here):
            last_signed = [d for d in here if d.status is PlanStatus.SIGNED]
        _signatories(doc, index, here)
        _fields(text, here)
    return known.all


def _triggers(text: str) -> list[tuple[PlanKind, re.Match[str]]]:
    found: list[tuple[PlanKind, re.Match[str]]] = []
    for kind, pattern in lexicon.PLAN_CUES:
        for match in matches(pattern, text):
            if not any(m.start() < match.end() and match.start() < m.end() for _, m in found):
                found.append((kind, match))
    return sorted(found, key=lambda pair: pair[1].start())


def _mention(
    doc: Document, index: int, kind: PlanKind, match: re.Match[str], end: int, known: _Known,
    inherited: PlanStatus | None = None,
) -> tuple[list[PlanDraft], int] | None:
    """The plans one plan word speaks of: an earlier plan, one new plan, or several."""
    text = doc.sentences[index].text
    before = text[: match.start()]
    if _DESCRIPTIVE.search(before):
        return None  # "provides a structured roadmap": a description, not a document
    if _REPORT_ON.search(before[-60:]):
        return None  # "prepare a report on the revised roadmap": the report is the work
    if _TIMETABLE.match(match.group()) and not _ADOPTED.search(before[-60:]):
        return None  # "the schedule of the visit": a plan only when the sides adopt it
    complement, complement_end = _complement(doc, index, end)
    if lexicon.PREPARATORY.match(complement):
        return None  # "Roadmap for the President's visit"
    words, determiner = _modifiers(before)
    definite = determiner in ("the", "this", "these", "both", "its", "their")
    definite = definite and "previous" not in words
    if _ATTRIBUTIVE.match(text, match.end()):
        return None  # "a treaty ally", "agreement partners": the word qualifies another
    if _ANY.search(before):
        return None  # "more than any agreement signed on the trip": no text in particular
    if definite and not complement:
        earlier = known.of_kind(kind)
        named = [d for d in earlier if all(w.lower() in d.title.lower() for w in words)]
        if not named and any(w[:1].isupper() for w in words):
            # "the long-promised Brazil–South Africa defence industry agreement": named by
            # words no earlier text has, it is another text.
            earlier = []
        if (named or earlier) and _PLURAL.match(match.group()):
            last = (named or earlier)[-1].sentence  # "The memoranda were signed by …": all
            return [d for d in (named or earlier) if d.sentence == last], complement_end
        if named or earlier:
            target = (named or earlier)[-1]
            if (target.status is PlanStatus.IN_FORCE or target.ratified) and _status(
                    text, match.start(), end) is PlanStatus.SIGNED:
                # "… entered into force on 1 July. The treaty was signed in March 2024": a
                # plan's date is when it was signed.
                signed = _own_dates(doc, index, PlanStatus.SIGNED,
                                    doc.dates_for(index, match.start(), match.end())
                                    + _status_dates(doc, index, match))
                if signed:
                    target.date = signed[0].date
                    target.ratified = False
            if target.status is PlanStatus.UNDER_NEGOTIATION and _status(
                    text, match.start(), end) is PlanStatus.EXPECTED:
                _to_be_signed(doc, index, target)  # "The agreement will be signed in May"
            return [target], complement_end
        if not words and known.all and index - known.all[-1].sentence <= 2 and not _PLURAL.match(
                match.group()):
            # "… signed a fisheries protocol. The agreement was signed by …": a report calls
            # the text just named by another name; with none of that kind, it is that text.
            return [known.all[-1]], complement_end
    status = _status(text, match.start(), end) or inherited
    if _TO_BE_SIGNED.match(text, complement_end):
        # "a memorandum on …, which is to be signed in early 2027": whatever the sides did
        # with it today, the text is still to be signed.
        status = PlanStatus.EXPECTED
    if status is None:
        return None
    head = _PLURAL.match(match.group())
    plural = head is not None or end != match.end()
    noun = text[match.start():end] if end != match.end() else match.group()
    # "exchanged notes on the return of relics" is an exchange of notes on it.
    noun = _EXCHANGED.sub(lambda m: f"exchange of {m.group(1)}", noun)
    items = []
    if plural and not complement:
        items = _split_list(_after_date(doc, index, complement_end))
    elif plural and re.match(r"(?i)(?:on|in the (?:fields?|areas?|spheres?) of)\s", complement):
        # "memoranda of understanding on hydropower, cross-border trade and vocational
        # training", "… on Antarctic research and on cooperation in lithium technology".
        listed = _split_list(text[end:])
        rest = text[complement_end:complement_end + 12]
        short = all(len(i.split()) <= 3 for i in listed)
        if len(listed) >= 2 and (rest.startswith(",") or re.match(r"\s+and\s+on\b", rest)
                                 or (head is not None and short and re.match(r"\s+and\s", rest))):
            items = listed
    count = lexicon.NUMBER_WORDS.get(determiner)
    if plural and not items and head is not None and re.match(
            r"(?i)on\s", complement):
        # "signed memoranda of understanding on border health and river navigation.": a
        # short list that ends the sentence is one text each.
        listed = _split_list(text[end:])
        # "… on health and tourism on 2 June.": its day may close the sentence after it.
        if 2 <= len(listed) <= 4 and all(len(i.split()) <= 3 for i in listed) and re.match(
                r"\s*(?:[.;]|$)", _after_date(doc, index, complement_end)[:3]):
            items = listed
    if plural and len(items) >= 2 and (count is None or count == len(items)):
        single = match.group()
        if head is not None:
            single = _SINGULAR[head.group().lower()] + single[head.end():]
        titles = [f"{_cap(single)} on {item}" for item in items]
    else:
        lead = [w for w in words if w.lower() not in ("new", "further", "previous")]
        title = " ".join([*lead, noun, complement]).strip()
        one = _INCLUDING_ONE.match(text, complement_end) if plural else None
        if not complement and not lead and one is not None:
            # "four agreements, including one on the LAPSSET corridor, remained ready": the
            # one named is the text the desk can follow, not the count.
            kind_word = _SINGULAR.get(head.group().lower(), noun) if head else noun
            title = f"{kind_word} {one.group('what')}"
        elif not complement and not lead and len(doc.pair) == 2:
            title = f"{doc.pair[0]}–{doc.pair[1]} {noun}"
        titles = [_cap(title)]
    own = _own_dates(doc, index, status, doc.dates_for(index, match.start(), match.end())
                     + _status_dates(doc, index, match))
    titles = [_the_session(doc, index, spell_out(t, known.all)) for t in titles]
    same = known.titled(kind, titles[0])
    if len(titles) == 1 and same:
        # The headline's plan, named again in full, perhaps with its day this time.
        if same[-1].date is None and own and status is not PlanStatus.UNDER_NEGOTIATION:
            same[-1].date = own[0].date
        return [same[-1]], complement_end
    new = []
    for title in titles:
        draft = PlanDraft(kind, status, index, title[:256], at=match.start())
        draft.ratified = status is PlanStatus.SIGNED and _RATIFIED.search(
            text, max(0, match.start() - 40), match.start()) is not None
        if own and status is not PlanStatus.UNDER_NEGOTIATION:
            draft.date = own[0].date
        elif status is not PlanStatus.UNDER_NEGOTIATION:
            draft.date, draft.linked_clause = _clause_date(doc, index, match.start())
        then = _SIGNED_THEN.search(text, match.end()) if draft.ratified else None
        when = [d for d in doc.dates[index] if then and d.start >= then.end()
                and d.start - then.end() < 40]
        if when:
            # "ratified the Treaty on …, signed in Rome in November 2021": its signing day.
            draft.date, draft.ratified = when[0].date, False
        if draft.date is None and status is PlanStatus.EXPECTED:
            # "will hold talks … on Monday, and the two leaders are expected to sign …"
            coming = [d for d in doc.dates[index] if d.date.start > doc.anchor]
            if not coming and index > 0 and _THE_SIDES.match(text):
                # "… will hold talks with X on Monday. The sides are expected to sign …": the
                # day of the talks just announced.
                coming = [d for d in doc.dates[index - 1] if d.date.start > doc.anchor]
            draft.date = coming[0].date if len(coming) == 1 else None
        new.append(draft)
    if len(new) == 1:
        headline = _headline_twin(doc, known, new[0])
        if headline is not None:
            # "Norway and Ethiopia to sign agreement on …" above "a memorandum of
            # understanding on …": the headline's text is the one the body names.
            known.drop(headline)
            new[0].mentions |= headline.mentions
    return new, complement_end


_REPORT_ON = re.compile(r"(?i)\b(?:an?|the)\s+(?:report|study|review|assessment|proposals?)"
                        r"\s+(?:on|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
_TIMETABLE = re.compile(r"(?i)schedule|timetable")
_ADOPTED = re.compile(r"(?i)\b(?:adopted|approved|endorsed|agreed(?:\s+on)?|signed)\s+(?:an?|the"
                      r"|their|its)\s+(?:[\w-]+\s+){0,3}$")
# A status word this far from a plan word is another clause's ("signed in October 2025, gives
# …, and … produced warm words and a long communiqué").
_FAR = 200
_ATTRIBUTIVE = re.compile(r"\s+(?:ally|allies|partners?|obligations|commitments|negotiators"
                          r"|regime|bodies|status|powers?)\b")
_ANY = re.compile(r"(?i)\b(?:any|no|every|each|such)\s+(?:[\w-]+\s+){0,2}$")
_NUMBER_ONLY = re.compile(r"\s*(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]?\s*")
_AFTER_TALKS = re.compile(r"(?i)^(?:\d{1,2}\.\s+)?(?:(?:following|after)\s+(?:the|their|these)\s+"
                          r"(?:talks|meeting|consultations|session)\b|the\s+(?:two\s+)?sides\b"
                          r"|they\b|the\s+two\s+(?:ministers|leaders|presidents)\b)")


def _day_of_talks_before(doc: Document, index: int) -> FuzzyDate | None:
    """The one day the sentence before `index` names, when `index` goes on from it."""
    if index < 1 or not _AFTER_TALKS.match(doc.sentences[index].text):
        return None
    before = index - 1
    while before > 0 and _NUMBER_ONLY.fullmatch(doc.sentences[before].text):
        before -= 1  # "3." of a numbered statement is no sentence
    days = {m.date for m in doc.dates[before]
            if m.date.precision is Precision.DAY and m.end_date is None
            and m.date.start <= doc.anchor}  # a visit's range is no day of talks
    return days.pop() if len(days) == 1 else None


_IT_TO_BE_SIGNED = re.compile(r"(?i)^(?:it|this|the text)\s+(?:is|will\s+be|would\s+be)\s+"
                              r"(?:(?:due|expected|set|scheduled|planned)\s+)?(?:to\s+be\s+)?"
                              r"(?:\w+\s+)?signed\b")


def _to_be_signed(doc: Document, index: int, draft: PlanDraft) -> None:
    """The text is still to be signed, as sentence `index` says, perhaps with when."""
    draft.status = PlanStatus.EXPECTED
    draft.mentions.add(index)
    text = doc.sentences[index].text
    cue = _SIGN_VERB.search(text)
    when = doc.dates_for(index, cue.start(), cue.end()) if cue else []
    when = [m for m in when or doc.dates[index] if m.date.end > doc.anchor]
    if when and draft.date is None:
        draft.date = when[0].date


_TO_BE_SIGNED = re.compile(r",?\s+(?:which|that)\s+(?:is|are|will\s+be|would\s+be)\s+"
                           r"(?:(?:due|expected|set|scheduled|planned)\s+)?(?:to\s+be\s+)?"
                           r"(?:\w+\s+)?signed\b")
_SUBJECT = re.compile(r"(?i)\s(?:on|for|concerning|regarding)\s+(?P<what>.+)$")


def _subject(title: str) -> str:
    found = _SUBJECT.search(title)
    return _norm(found.group("what")) if found else ""


def _headline_twin(doc: Document, known: _Known, draft: PlanDraft) -> PlanDraft | None:
    """A plan of a headline on the same subject as `draft`, named again in the body."""
    subject = _subject(draft.title)
    if not subject or doc.sentences[draft.sentence].headline:
        return None
    for other in known.all:
        if (other is not draft and doc.sentences[other.sentence].headline
                and _subject(other.title) == subject):
            return other
    return None


# "the implementation programme of the Agreement": the text named before, in full.
_BARE_REFERENCE = re.compile(r"(?i)\b(?P<det>the|this|that)\s+(?P<noun>agreement|memorandum"
                             r"(?:\s+of\s+understanding)?|mou|treaty|protocol|roadmap"
                             r"|declaration|convention|accord)\b(?!\s+(?:on|of|for|between"
                             r"|concerning|regarding|to)\b)(?!['’-])")


_OF_THE_SESSION = re.compile(r"(?i)\bof the (?:session|meeting)$")
_NUMBERED_MEETING = re.compile(rf"(?i)\b(?:the\s+)?(?P<name>{lexicon.ORDINAL}\s+"
                               r"(?:ordinary\s+|regular\s+)?(?:meeting|session)\s+of\s+the\s+"
                               r"[^,.;()]{3,120}?)(?=\s+(?:was|were|is|held|took|opened|closed|in"
                               r"|on\s+(?:\w+day|\d)|at|co-chaired|chaired)\b|[,.;()]|$)")


def _the_session(doc: Document, index: int, title: str) -> str:
    """ "The seventh meeting of the … Commission was held … The parties signed the protocol
    of the session": the protocol of that meeting."""
    bare = _OF_THE_SESSION.search(title)
    if bare is None:
        return title
    for back in range(index, max(-1, index - 3), -1):
        found = list(_NUMBERED_MEETING.finditer(doc.sentences[back].text))
        if found:
            return f"{title[:bare.start()]}of the {found[-1].group('name')}"
    return title


def spell_out(text: str, plans: list[PlanDraft]) -> str:
    """ "Finalise the text of the memorandum" -> "… of the memorandum of understanding on
    climate-resilient agriculture": a text named by its kind alone is the last plan of that
    kind named in full (one with more to its title than the kind)."""
    def full(found: re.Match[str]) -> str:
        noun = found.group("noun").lower().split()[0]
        for plan in reversed(plans):
            title = plan.title
            if title.lower().startswith(noun) and len(title.split()) > len(
                    found.group("noun").split()) + 1:
                written = found.group("noun")
                title = title if written[:1].isupper() else title[:1].lower() + title[1:]
                return f"{found.group('det')} {title}"
        return found.group()
    return _BARE_REFERENCE.sub(full, text)


_NOT_MODIFIERS = {"sides", "countries", "governments", "ministers", "leaders", "presidents",
                  "delegations", "parties", "signed", "adopted", "approved", "endorsed",
                  "issued", "agreed", "inked", "exchanged", "concluded", "ratified", "witnessed"}


_THE_SIDES = re.compile(r"(?i)^(?:the\s+(?:two\s+)?(?:sides|ministers|leaders|delegations)|they"
                        r"|both\s+sides)\b")
_EXCHANGED = re.compile(r"(?i)^exchanged (?:diplomatic )?(notes|letters)$")
_ENTRY_OF = re.compile(r"(?i)\bentry into force of\s+(?:the\s+|their\s+|its\s+)?"
                       r"(?:(?-i:[A-ZÀ-ÞĀ-ž])[\w'’–-]*\s+){0,6}$")
_TO_COME = re.compile(r"(?i)\b(?:will|would|shall|should|could|may|to|is\s+expected\s+to"
                      r"|is\s+due\s+to|is\s+set\s+to)\s+(?:\w+\s+)?$")
_PURPOSE = re.compile(r"(?i)(?:adoption|signature|signing|approval|ratification|consideration"
                      r"|endorsement)\b")
_INCLUDING_ONE = re.compile(r",?\s+(?:including|among them)\s+one\s+(?P<what>(?:on|for|concerning)"
                            r"\s+[^,.;()]{3,120}?)(?=\s*[,.;()]|\s+(?:which|that|was|were|is|are"
                            r"|remained|remain|will|would|has|have)\b|$)")


def _own_dates(
    doc: Document, index: int, status: PlanStatus, dates: list[DateMention]
) -> list[DateMention]:
    """The dates that can be a plan's: not its horizon ("until 2035"), and for a signed one
    not a date the sentence puts in the future ("the next meeting will be held in 2027")."""
    text = doc.sentences[index].text
    out = []
    for mention in dates:
        if re.search(r"(?i)\b(?:until|till|through|up to|for)\s+$", text[max(0, mention.start - 9):
                                                                    mention.start]):
            continue
        if status is not PlanStatus.SIGNED and re.search(
                r"(?i)\bsince\s+$", text[max(0, mention.start - 7):mention.start]):
            continue  # "under negotiation since 2024": when the talks began, not the text's date
        if status is PlanStatus.SIGNED and tense_before(text, mention.start) == "future":
            continue
        out.append(mention)
    return out


def _modifiers(before: str) -> tuple[list[str], str]:
    """The words between the last determiner and the plan noun, and that determiner.

    "Qatar and the Philippines signed four memoranda" -> ([], "four"); "an intergovernmental
    agreement" -> (["intergovernmental"], "an"); "sign Strategic Cooperation Programme" keeps
    the capitalised "Strategic", which is part of the name.
    """
    words = before.split()[-6:]
    for position in range(len(words) - 1, -1, -1):
        if words[position].lower() in lexicon.DETERMINERS:
            between = words[position + 1:]
            if any(w.lower() in _NOT_MODIFIERS for w in between):
                return [], ""  # "the two sides signed memoranda": a subject and its verb
            return between, words[position].lower()
    capitalised: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() or not word.isalpha():
            break
        capitalised.insert(0, word)
    places = [w for w in capitalised if find_places(w)]
    return ([] if places else capitalised), ""


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _status_dates(doc: Document, index: int, match: re.Match[str]) -> list[DateMention]:
    """Dates that hang on the plan's status verbs: "was to be signed during the visit, will
    now be signed … in April 2026" — the nearest verb that has a date gives it."""
    text = doc.sentences[index].text
    # "signed on Monday …, which will enter into force next year": the year is the force's.
    cues = [c for status, p in lexicon.PLAN_STATUS_CUES for c in matches(p, text)
            if not (status is PlanStatus.IN_FORCE
                    and _TO_COME.search(text, max(0, c.start() - 25), c.start()))]
    cues.sort(key=lambda c: max(0, c.start() - match.end(), match.start() - c.end()))
    for cue in cues:
        found = doc.dates_for(index, cue.start(), cue.end())
        if found:
            return found
    return []


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_RATIFIED = re.compile(r"(?i)\bratif\w+\b")
_AT_CITY = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?$")


def _complement(doc: Document, index: int, end: int) -> tuple[str, int]:
    """ "on the joint operation of the Ak-Tash reservoir" after the plan word, up to a stop."""
    text = doc.sentences[index].text
    if re.match(r"\s+on behalf\b", text[end:]):
        return "", end
    partner = next((p for p in doc.places[index] if not p.is_city
                    and re.fullmatch(r"\s+with\s+(?:the\s+)?", text[end:p.start])), None)
    if partner is not None and re.match(r"\s+(?:on|of|for|concerning|regarding)\s",
                                        text[partner.end:]):
        end = partner.end  # "an agreement with Lithuania on …": the partner, then the subject
    sides = [p for p in doc.places[index] if not p.is_city and p.start > end]
    if (len(sides) >= 2 and re.fullmatch(r"\s+between\s+(?:the\s+)?", text[end:sides[0].start])
            and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[sides[0].end:sides[1].start])
            and re.match(r"\s+(?:on|of|for|concerning|regarding)\s", text[sides[1].end:])):
        end = sides[1].end  # "the Agreement between Kazakhstan and Azerbaijan on …"
    else:
        # "the Agreement between the Government of Mongolia and the Government of the
        # Republic of Korea on Cooperation in …": a text is named by its subject, not its sides.
        between = _BETWEEN_SIDES.match(text, end)
        if between is not None and any(
                not p.is_city and between.start("sides") <= p.start < between.end("sides")
                for p in doc.places[index]) and _only_sides(between.group("sides")):
            end = between.end("sides")
    for mention in doc.dates[index]:
        # "issued a joint statement on 26 May on Iran's nuclear programme": the day told
        # between the text and what it is on.
        if mention.start >= end and re.fullmatch(r"\s+(?:on|in)?\s*", text[end:mention.start]) and (
                re.match(r"\s+(?:on|concerning|regarding)\s", text[mention.end:])):
            end = mention.end
            break
    years = _YEARS.match(text, end)
    horizon = _HORIZON.match(text, end)
    if horizon:  # "the SCO Development Strategy until 2035": its horizon, not its date
        return horizon.group().strip(), horizon.end()
    # "an Agreement to Avoid Double Taxation" is named by its purpose; "a Plan to be signed
    # during the visit" is not named by its future.
    # "a communiqué calling for the return of constitutional order" is one on it.
    found = re.match(r"\s+(?:on|of|for|concerning|regarding|amending|to(?!\s+be\b)|in the"
                     r" (?:fields?|areas?|spheres?) of|calling for|urging|condemning)\s+",
                     text[end:])
    if not found:
        if years:
            return f"for {years.group(1)}" if "," in years.group() else years.group(1), years.end()
        return "", end
    start = end + found.end()
    if _PURPOSE.match(text, start) and found.group().strip() == "for":
        return "", end  # "a strategy for adoption at that meeting": what it is for, no name
    stop = lexicon.PLAN_COMPLEMENT_STOP.search(text, start)
    while stop is not None and _UNDER_NAMED.match(text, stop.start()):
        # "Notes concerning a grant under the Economic and Social Development Programme":
        # what the text is made under is part of its name (not "under the chairmanship").
        stop = lexicon.PLAN_COMPLEMENT_STOP.search(text, stop.end())
    limit = stop.start() if stop else len(text)
    for mention in doc.dates[index]:
        if start <= mention.start < limit:
            limit = mention.start  # "on green hydrogen on Wednesday"
            break
    for place in doc.places[index]:
        at = _AT_CITY.search(text, start, place.start) if place.is_city else None
        if at is not None and start <= place.start < limit:
            limit = at.start()  # "a protocol on grain exports in Cairo": where, not what
            break
    body = text[start:limit].strip()
    body = re.sub(r"\s+(?:on|in|at|by|from|for|during|until|since|before|after)$", "", body)
    # "would sign a new agreement on fisheries soon": when, not what.
    body = re.sub(r"(?i)\s+(?:soon|shortly|eventually|quickly|as well|too|also)$", "", body)
    if not body or re.fullmatch(r"(?i)(?:monday|tuesday|wednesday|thursday|friday|saturday"
                                r"|sunday|today)", body):
        return "", end
    word = found.group().strip()
    word = "on" if word.lower() in ("calling for", "urging", "condemning") else word
    return f"{word} {body}", start + len(text[start:limit].rstrip())


_BETWEEN_SIDES = re.compile(r"\s+between\s+(?P<sides>[^,;:.()]{3,160}?\s+and\s+[^,;:.()]{3,120}?)"
                            r"(?=\s+(?:on|for|concerning|regarding|in the fields? of)\s)")
# Words that name a side's state or government; any capitalised word may be part of its name.
_SIDE_WORDS = frozenset("""the of and government governments republic kingdom state states
    federal socialist united democratic people's islamic arab plurinational bolivarian
    sultanate emirate emirates federation principality grand duchy""".split())


def _only_sides(text: str) -> bool:
    """ "the Government of X and the Government of the Republic of Y": sides and nothing else."""
    return all(w[:1].isupper() or w.lower() in _SIDE_WORDS for w in text.split())


_UNDER_NAMED = re.compile(r"\s+under\s+the\s+(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]*"
                          r"(?:\s+(?:(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]*"
                          r"|and|of|for))*\s+(?-i:Programme|Program|Fund|Framework|Agreement"
                          r"|Initiative|Facility)\b")
_TALKS_OVER = re.compile(r"(?i)\b(?:conclud(?:ing|ed)|end(?:ing|ed)|complet(?:ing|ed)"
                         r"|clos(?:ing|ed)|crown(?:ing|ed)|after|following|(?:years|months"
                         r"|rounds) of)"
                         r"\s+(?:the\s+|their\s+|its\s+|(?:\w+\s+){0,3}of\s+)?$")


def _status(text: str, start: int, end: int) -> PlanStatus | None:
    """The status word nearest the plan word; the more telling status wins a shared word."""
    found: list[tuple[int, int, PlanStatus]] = []
    for status, pattern in lexicon.PLAN_STATUS_CUES:
        for cue in matches(pattern, text):
            if status is PlanStatus.UNDER_NEGOTIATION and _TALKS_OVER.search(
                    text, max(0, cue.start() - 30), cue.start()):
                continue  # "signed …, concluding negotiations that began in 2023": done
            if status is PlanStatus.SIGNED and cue.group().lower() == "sign" and tense_before(
                    text, cue.start()) == "future":
                # "will hold the council's session and sign several agreements": to come.
                status = PlanStatus.EXPECTED
            if not any(s < cue.end() and cue.start() < e for s, e, _ in found):
                found.append((cue.start(), cue.end(), status))
    if not found:
        return None
    if _ENTRY_OF.search(text, max(0, start - 80), start):
        return PlanStatus.IN_FORCE  # "welcomed the entry into force of the … Agreement"
    if any(status is PlanStatus.IN_FORCE and s > start
           and not _TO_COME.search(text, max(0, s - 25), s) for s, _, status in found):
        return PlanStatus.IN_FORCE  # "signed in 2024, entered into force in January"
    # "signed an Agreement, which will enter into force next year": not in force yet.
    found = [f for f in found if not (f[2] is PlanStatus.IN_FORCE
                                      and _TO_COME.search(text, max(0, f[0] - 25), f[0]))]
    if not found:
        return None

    def distance(item: tuple[int, int, PlanStatus]) -> int:
        gap = max(0, item[0] - end, start - item[1])
        # "signed … a plan of action, and tasked their officials with preparing …": a word
        # past the next deed of the sentence is that deed's; "adopted the Plan … and directed
        # the Commission to report on the roadmap": the roadmap is the directive's, not adopted.
        if item[0] >= end and _NEXT_DEED.search(text, end, item[0]):
            gap += 1000
        if item[1] <= start and _OTHER_DEED.search(text, item[1], start):
            gap += 1000
        return gap
    best = min(found, key=distance)
    if distance(best) >= 1000 or distance(best) > _FAR:
        return None
    if best[2] is PlanStatus.UNDER_NEGOTIATION and any(
            status is PlanStatus.EXPECTED and s >= end and distance((s, e, status)) < 1000
            for s, e, status in found):
        # "initialled … and will be signed at …", "under discussion since the summer, is
        # expected to be signed early next year": the text is still to be signed.
        return PlanStatus.EXPECTED
    return best[2]


def _clause_date(doc: Document, index: int, position: int) -> tuple[FuzzyDate | None, bool]:
    """ "since March 2023, when the two countries signed …": the date the clause hangs on."""
    text = doc.sentences[index].text
    link = None
    for found in _CLAUSE_LINK.finditer(text, 0, position):
        link = found
    if link is None:
        return None, False
    earlier = [m for m in doc.dates[index] if m.end <= link.start()]
    if not earlier:
        return None, False
    value = earlier[-1].date
    if link.group().lower() == "during which" and value.precision is Precision.DAY:
        # "wrapped up a state visit on Saturday, during which …": some day of the visit.
        value = FuzzyDate.month(value.start.year, value.start.month)
    return value, True


def _after_date(doc: Document, index: int, position: int) -> str:
    """The text after `position`, past a date that follows at once ("… on Sunday, covering")."""
    text = doc.sentences[index].text
    for mention in doc.dates[index]:
        gap = text[position:mention.start]
        if mention.start >= position and re.fullmatch(r"\s*(?:on|in)?\s*", gap):
            return text[mention.end:]
    return text[position:]


def _split_list(text: str) -> list[str]:
    """ "covering labour mobility, health, tourism and sport, at the close …" -> four items."""
    opener = _LIST_OPENER.match(text)
    if not opener:
        return []
    return list_items(text[opener.end():])


_ITEM_TAIL = re.compile(r"(?i)\s+(?:after|following|during|when|while|at the|in the presence"
                        r"|on the sidelines|on behalf)\b"
                        # "… and energy on 2 March in Kigali": the list ends at its day.
                        r"|\s+(?:on|since|from)\s+(?=\d|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
                        r"|(?:January|February|March|April|May|June|July|August|September"
                        r"|October|November|December)\b)"
                        r"|(?-i:\s+(?:in|at)\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?$)")


def list_items(text: str) -> list[str]:
    """Items of an English list; a last "and" splits only when there is no serial comma."""
    end = re.search(r"[.;:]\s|[.;:]$|\(|—", text)
    body = text[: end.start()] if end else text
    raw = [p.strip() for p in body.split(",")]
    items: list[str] = []
    serial = False
    for part in raw:
        if not part:
            continue
        if lexicon.LIST_ITEM_STOP.match(part):
            break
        cut = _ITEM_TAIL.search(part)
        if cut is not None:
            # "… and youth development after talks between …": the list ends there.
            part = part[: cut.start()]
            if len(part.split()) <= 9:
                items.append(part[4:] if part.lower().startswith("and ") else part)
                serial = serial or part.lower().startswith("and ")
            break
        if len(part.split()) > 9:
            break
        if part.lower().startswith("and "):
            serial = True
            part = part[4:]
        items.append(part)
    if items and not serial and " and " in items[-1]:
        head, _, tail = items[-1].rpartition(" and ")
        items[-1:] = [head, tail]
    cleaned = [re.sub(r"(?i)^(?:on|the)\s+", "", item).strip() for item in items]
    return [c for c in cleaned if c]


def _signatories(doc: Document, index: int, plans: list[PlanDraft]) -> None:
    signed = [p for p in plans if p.status is PlanStatus.SIGNED]
    text = doc.sentences[index].text
    if not signed:
        return
    refs = doc.people_in(index)
    excluded = _NOT_SIGNERS.search(text)
    chosen = []
    by = _SIGNED_BY.search(text)
    verb = _SIGN_VERB.search(text)
    if by:
        stop = _SIGNER_STOP.search(text, by.end())
        limit = stop.start() if stop else len(text)
        chosen = [r for r in refs if by.end() <= r.start < limit]
        if by.group().lower().startswith("signing"):
            # "issued a joint statement and welcomed the signing of an agreement … by A and
            # B": they signed the agreement, not the statement.
            signed = [p for p in signed if not (p.sentence == index and 0 <= p.at < by.start())]
    elif verb:
        chosen = [r for r in refs if r.end <= verb.start()
                  and not _breaks(text, r.end, verb.start())]
        own = [p for p in signed if p.sentence == index and p.at >= 0]
        several = len(list(_SIGN_VERB.finditer(text))) > 1
        # "the Roadmap, signed last year" recalls a text named before the verb; "A, the
        # Ambassador, and B, the Permanent Secretary, signed Notes …" names its signers.
        recall = _SIGNED_THEN.match(text, _comma_before(text, verb.start())) is not None and any(
            0 <= p.at < verb.start() for p in own)
        if own and len(own) == len(signed) and (several or recall):
            # "the presidents signed a Treaty …, and the two governments signed a
            # Programme …": each text has the subject of its own verb; "the Roadmap, signed
            # last year" was signed by no one the sentence names.
            for plan in own:
                subject = _subject_of_signing(text, refs, plan.at)
                if subject is None:
                    subject = [] if recall else list(dict.fromkeys(r.person for r in chosen))
                for person in subject:
                    plan.signatories.setdefault(person, "")
            return
    if verb and not by and chosen:
        # "Lacerda … signed the Joint Action Plan … with his Mozambican counterpart, Luísa
        # Cossa": the counterpart signed it too.
        partner = _WITH_COUNTERPART.search(text, verb.end())
        if partner is not None:
            chosen += [r for r in refs if partner.start() <= r.start <= partner.end() + 80][:1]
    if not chosen and verb and index > 0 and _THEY.match(text):
        # "… held talks in Sofia. They also signed a memorandum": the two just named.
        before = list(dict.fromkeys(r.person for r in doc.people_in(index - 1)))
        sides = {doc.people.get(p).country for p in before}
        if len(before) == 2 and len(sides) == 2:
            chosen = [r for r in doc.people_in(index - 1) if r.person in before]
    if excluded:
        # "in the presence of A and B, C and D signed …": the witnesses end at the comma
        # after them; those after it may sign.
        close = _WITNESS_END.search(text, excluded.end())
        after = close.end() if close and (verb is None or close.end() <= verb.start()) else None
        chosen = [r for r in chosen if r.start < excluded.start()
                  or (after is not None and r.start >= after)]
    behalf = _BEHALF.search(text)
    orgs = re.split(r",?\s+and\s+(?=the\b)", behalf.group("orgs")) if behalf else []
    people = list(dict.fromkeys(r.person for r in chosen))
    for position, person in enumerate(people):
        org = _org_for(doc, person, orgs, position)
        for plan in signed:
            plan.signatories.setdefault(person, org)


def _subject_of_signing(text: str, refs: list[Ref], at: int) -> list[str] | None:
    """Who signed the text whose word stands at `at`: those before the last signing verb
    before it, back to the verb before that one; None when no verb comes before it."""
    verbs = list(_SIGN_VERB.finditer(text, 0, at))
    if not verbs:
        return None
    verb = verbs[-1]
    since = verbs[-2].end() if len(verbs) > 1 else 0
    return list(dict.fromkeys(
        r.person for r in refs if since <= r.start and r.end <= verb.start()
        and not _breaks(text, r.end, verb.start())
        and not (_NOT_SIGNERS.search(text, since, r.start))))


_ASIDE_CLAUSE = re.compile(r",\s+(?:who|which)\b[^,;]*,")


def _breaks(text: str, start: int, end: int) -> bool:
    """Whether a subject is cut from the verb at `end` ("when the two countries signed"); a
    clause set off by commas ("Brandão, who flew in for the signing, and Sebastião signed")
    does not cut it."""
    return _SUBJECT_BREAK.search(_ASIDE_CLAUSE.sub(",", text[start:end])) is not None


def _comma_before(text: str, position: int) -> int:
    found = re.search(r",\s*(?:which was\s+|that was\s+|first\s+)?$", text[:position])
    return found.start() if found else position


def _org_for(doc: Document, person: str, orgs: list[str], position: int) -> str:
    country = doc.people.get(person).country
    for org in orgs:
        if country and country.lower() in org.lower():
            return re.sub(r"^the\s+", "", org.strip())
    if position < len(orgs):
        return re.sub(r"^the\s+", "", orgs[position].strip())
    return ""


def _fields(text: str, plans: list[PlanDraft]) -> None:
    """ "… in diverse fields, including politics, trade, …" for the plan the sentence is about."""
    if len(plans) != 1:
        return
    found = None
    for pattern in lexicon.FIELD_LISTS:
        found = pattern.search(text)
        if found:
            break
    if found is None:
        return
    items = list_items(text[found.end():])
    if len(items) >= 2 and not plans[0].fields:
        plans[0].fields = items[:25]
