"""Follow-ups a report sets: work someone is directed to do, or the sides agree to do, by when.

"The ministers directed their teams to finalise the MoUs before the President's visit",
"tasked the Joint Working Group with preparing a roadmap", "agreed to hold the next round in
Ankara in 2027": each is preparation work with a deadline, which is a date or the visit it is
for. Who is to do it is kept as the report says it: an owner is a Discord member or role,
which no report can name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import PlanStatus
from bot.services.ingest.document import Document
from bot.services.ingest.plans import PlanDraft
from bot.services.ingest.visits import VisitDraft

# Someone is told to do something: "directed their teams to finalise", "tasked X with
# preparing". A request to another state ("asked the EU to lift …") is diplomacy, not work
# the desk prepares, so "asked", "urged" and "called on" are not among them.
_DIRECTIVE = re.compile(
    r"(?i)\b(?:directed|instructed|tasked|mandated|charged|entrusted|commissioned"
    r"|gave instructions to|assigned)\b"
    r"(?P<owner>[^.;:]{0,120}?)\s+(?:to\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)"
    r"|with\s+(?:[a-z]+ly\s+)?(?P<gerund>[a-z]+ing))\b")
# The sides agree to do it: "agreed to hold the next round", "agreed that the next session
# will be held in Dakar"; other "agreed to …" only with a deadline ("by the end of the year").
_AGREED = re.compile(
    r"(?i)\b(?:agreed|decided|resolved)(?:\s+on\s+[A-Z]\w+day|\s+[a-z]+ly)?\s+"
    r"(?:to\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\b"
    r"|that\s+(?P<next>the\s+next\s+[^.;:]{3,120}?)\s+(?:will|would|should|is to|are to)\s+be"
    r"\s+(?:held|convened|organi[sz]ed)\b)")
# A meeting to come: agreeing to hold it is work to prepare even with no deadline given.
_CONVENE = {"hold", "convene", "organise", "organize", "host", "meet", "resume"}
_DEADLINE = re.compile(
    r"(?i)\b(?:before|ahead of|prior to|in time for|no later than|not later than|by|until"
    r"|within|to be signed (?:during|at))\b")
# Where the work ends: a deadline, the next clause, another directive, or the sentence's end.
_WORK_END = re.compile(
    r"(?i)\s*(?:[,;:(]|\.(?:\s|$)|\s[—–]\s|\b(?:before|ahead of|prior to|in time for"
    r"|no later than|not later than|by (?:then|the end|end|\d)|within \w+ (?:days|weeks|months"
    r"|years)|so (?:as|that)|which|who|where|during|(?:expected |due )?to be signed|and to)\b"
    r"|\band\s+(?:also\s+)?(?:directed|instructed"
    r"|tasked|mandated|charged|agreed|decided|resolved|called|asked|urged|welcomed|signed"
    r"|discussed|noted|reaffirmed|stressed|expressed|reviewed|exchanged)\b)")
# A deadline that is a visit: "before the Prime Minister's visit", "during the forthcoming
# state visit", "ahead of Sadykov's return visit to Tashkent".
_BEFORE_VISIT = re.compile(
    r"(?i)\b(?:before|ahead of|prior to|in time for|during|at the time of|to be signed (?:during"
    r"|at)|for)\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:[\w'’.-]+\s+){0,6}?(?:visit|trip)\b")
# Where the clause of the work ends for its deadline: the next deed, not a deadline word.
_NEXT_DEED = re.compile(
    r"(?i)[;]|\.(?:\s|$)|,\s+(?:and|while|but|as|which|who)\b|\band\s+(?:also\s+)?(?:to\s+"
    r"|directed|instructed|tasked|mandated|charged|agreed|decided|resolved|called|asked|urged"
    r"|welcomed|signed|discussed|noted|reaffirmed|stressed|expressed|reviewed|exchanged)\b")
_BY_THEN = re.compile(r"(?i)\bby then\b|\bby that time\b")
_PREPOSITION = re.compile(r"(?i)\s+(?:in|on|by|from|during|until|for|at)(?:\s+the)?\s*$")
_GERUNDS = {"preparing": "prepare", "finalising": "finalise", "finalizing": "finalize",
            "drafting": "draft", "holding": "hold", "organising": "organise",
            "organizing": "organize", "developing": "develop", "reviewing": "review",
            "exploring": "explore", "identifying": "identify", "working": "work",
            "completing": "complete", "concluding": "conclude", "negotiating": "negotiate",
            "setting": "set", "making": "make", "studying": "study", "elaborating": "elaborate",
            "coordinating": "coordinate", "ensuring": "ensure", "launching": "launch",
            "submitting": "submit", "updating": "update", "drawing": "draw",
            "convening": "convene", "examining": "examine", "designing": "design",
            "implementing": "implement", "following": "follow", "monitoring": "monitor"}
# A link to a visit is looked for among the last few open visits, so each follow-up costs the
# same however long the report; no report names this many.
_RECENT = 64


@dataclass
class FollowUpDraft:
    what: str
    sentence: int
    owner: str = ""  # as the report names them: "their respective teams"
    due: FuzzyDate | None = None
    visit: int | None = None  # position in the visit drafts of the visit it is due before
    plan: int | None = None  # position in the plan drafts of the text it is about
    mentions: set[int] = field(default_factory=set)


def find_followups(doc: Document, plans: list[PlanDraft],
                   visits: list[VisitDraft]) -> list[FollowUpDraft]:
    """Follow-ups in the order the report sets them, one per piece of work."""
    out: list[FollowUpDraft] = []
    seen: set[str] = set()
    open_visits: list[int] = []
    position = 0
    by_sentence: dict[int, list[int]] = {}
    for n, plan in enumerate(plans):
        for index in plan.mentions | {plan.sentence}:
            by_sentence.setdefault(index, []).append(n)
    order = sorted(range(len(visits)), key=lambda n: visits[n].sentence)
    for index, sentence in enumerate(doc.sentences):
        # The open visits named up to this sentence, the last few kept.
        while position < len(order) and visits[order[position]].sentence <= index:
            if _is_open(visits[order[position]]):
                open_visits.append(order[position])
                del open_visits[:-_RECENT]
            position += 1
        if sentence.headline:
            continue
        for draft in _in_sentence(doc, index, plans, by_sentence.get(index, []), visits,
                                  open_visits):
            key = draft.what.casefold()
            if key not in seen:
                seen.add(key)
                out.append(draft)
    return out


def _is_open(visit: VisitDraft) -> bool:
    return not visit.recalled and (visit.status is None or visit.status.is_open)


def _in_sentence(doc: Document, index: int, plans: list[PlanDraft], plans_here: list[int],
                 visits: list[VisitDraft], open_visits: list[int]) -> list[FollowUpDraft]:
    text = doc.sentences[index].text
    found: list[tuple[int, int, str, str]] = []  # (cue start, work start, verb, owner)
    for match in _DIRECTIVE.finditer(text):
        verb = match.group("verb") or _base(match.group("gerund") or "")
        start = match.start("verb") if match.group("verb") else match.start("gerund")
        owner = " ".join(match.group("owner").split())
        if not owner and not re.search(r"(?i)\b(?:been|was|were|is|are)\s+(?:tasked|mandated"
                                       r"|instructed|directed)\s*$",
                                       text[:match.start() + len(match.group().split()[0])]):
            # "the commission instructed to …" without an object is no directive, and a
            # person "charged with organising" a crime is no one's work to prepare.
            continue
        found.append((match.start(), start, verb, owner))
    for match in _AGREED.finditer(text):
        if match.group("next"):
            found.append((match.start(), match.start("next"), "hold", ""))
            continue
        found.append((match.start(), match.start("verb"), match.group("verb").lower(), "agreed"))
    out = []
    for cue, start, verb, owner in sorted(found):
        agreed = owner == "agreed"
        draft = _draft(doc, index, cue, start, verb, "" if agreed else owner, plans, plans_here,
                       visits, open_visits)
        # "agreed to deepen cooperation" is no work with a time to it; "agreed to hold the
        # next round" is, and "agreed to conclude a treaty by the end of the year" too.
        if draft is not None and (not agreed or verb in _CONVENE or draft.due is not None
                                  or draft.visit is not None):
            out.append(draft)
    return out


def _draft(doc: Document, index: int, cue: int, start: int, verb: str, owner: str,
           plans: list[PlanDraft], plans_here: list[int], visits: list[VisitDraft],
           open_visits: list[int]) -> FollowUpDraft | None:
    text = doc.sentences[index].text
    what = _work(doc, index, start, verb)
    if len(what.split()) < 2:
        return None  # "to act": no work a desk could follow
    draft = FollowUpDraft(what, index, owner, mentions={index})
    stop = _NEXT_DEED.search(text, start)
    tail = text[start: stop.start() if stop else len(text)]
    anchor = _BEFORE_VISIT.search(tail)
    if anchor is not None:
        draft.visit = _visit_for(doc, index, start + anchor.start(), start + anchor.end(),
                                 visits, open_visits)
    if draft.visit is None:
        draft.due = _due(doc, index, cue, start, start + len(tail))
    draft.plan = next((n for n in plans_here if _names_plan(what, plans[n])), None)
    return draft


def _base(gerund: str) -> str:
    word = gerund.lower()
    if word in _GERUNDS:
        return _GERUNDS[word]
    stem = word[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        return stem[:-1]  # "planning" → "plan"
    return stem


def _work(doc: Document, index: int, start: int, verb: str) -> str:
    """The work in the imperative ("Prepare a review of …"), its dates taken out."""
    text = doc.sentences[index].text
    word = re.match(r"[a-z]+", text[start:], re.IGNORECASE)
    after = start + (len(word.group()) if word else 0)
    if verb == "hold" and not text[start:after].lower().startswith("hold"):
        # "agreed that the next session will be held in Dakar": hold the next session.
        after = start
    stop = _WORK_END.search(text, after)
    body = _without_dates(doc, index, after, stop.start() if stop else len(text))
    body = re.sub(r"(?i)\s+(?:will|would|should|is to|are to)\s+be\s+(?:held|convened"
                  r"|organi[sz]ed)\b", "", body)
    return f"{verb.capitalize()} {' '.join(body.split())}".strip()


def _without_dates(doc: Document, index: int, start: int, end: int) -> str:
    """The text of [start, end) with its dates, and the words that introduce them, left out:
    the deadline is a field of its own."""
    text = doc.sentences[index].text
    pieces, cursor = [], start
    for mention in doc.dates[index]:
        if start <= mention.start and mention.end <= end:
            pieces.append(_PREPOSITION.sub("", text[cursor:mention.start]))
            cursor = mention.end
    pieces.append(text[cursor:end])
    return " ".join(pieces)


def _due(doc: Document, index: int, cue: int, start: int, limit: int) -> FuzzyDate | None:
    """The work's own deadline: the first date told after its verb, in its clause ("by the
    end of the year", "in September"); "by then" is the date named before it."""
    text = doc.sentences[index].text
    # A deadline is still to come: "talks suspended since 2023" is no time to work to.
    after = [m for m in doc.dates[index] if start <= m.start < limit
             and (m.end_date or m.date).end > doc.anchor]
    if after:
        return after[0].date
    if _BY_THEN.search(text, start, limit):
        before = [m for m in doc.dates[index] if m.end <= cue]
        return before[-1].date if before else None
    return None


def _visit_for(doc: Document, index: int, start: int, end: int, visits: list[VisitDraft],
               open_visits: list[int]) -> int | None:
    """The visit "before the President's visit" means: one named in the phrase, else one
    still to come spoken of in the sentence, else the last one still to come."""
    named = {r.person for r in doc.people_in(index, start, end)}
    candidates = [n for n in open_visits if visits[n].date is not None]
    for n in reversed(candidates):
        if visits[n].visitor in named:
            return n
    for n in reversed(candidates):
        if index in visits[n].mentions:
            return n
    return candidates[-1] if candidates else None


def _names_plan(what: str, plan: PlanDraft) -> bool:
    """Whether the work is about this plan: its title is named in the work."""
    if plan.status is PlanStatus.SIGNED:
        return False
    # "Pakistan–Kazakhstan agreements and MoUs": a title the pair's names open.
    title = re.sub(r"^\S+[–-]\S+\s+(?=\w)", "", plan.title)
    title = re.sub(r"(?i)^(?:an?|the)\s+", "", title).casefold()
    return bool(title) and title[:40] in what.casefold()
