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
from datetime import date

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.domain.records import PlanStatus
from bot.services.ingest.dates import DateMention
from bot.services.ingest.document import Document
from bot.services.ingest.plans import PlanDraft, spell_out
from bot.services.ingest.visits import VisitDraft

# Someone is told to do something: "directed their teams to finalise", "tasked X with
# preparing". A request to another state ("asked the EU to lift …") is diplomacy, not work
# the desk prepares, so "asked", "urged" and "called on" are not among them.
_DIRECTIVE = re.compile(
    r"(?i)\b(?:directed|instructed|tasked|mandated|charged|entrusted|commissioned"
    r"|gave instructions to|assigned"
    # "asked their experts to draw up …": a side's own people are told, not another state.
    r"|asked(?=\s+(?:their|its|his|her)\s+(?:own\s+|respective\s+)?(?:[\w-]+\s+)?"
    r"(?:experts|officials|teams|ministries|ministers|negotiators|staff|delegations"
    r"|agencies|services|secretariats?)\b))\b"
    r"(?P<owner>[^.;:]{0,120}?)\s+(?:to\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)"
    r"|with\s+(?:[a-z]+ly\s+)?(?P<gerund>[a-z]+ing))\b")
# The sides agree to do it: "agreed to hold the next round", "agreed that the next session
# will be held in Dakar"; other "agreed to …" only with a deadline ("by the end of the year").
_AGREED = re.compile(
    r"(?i)\b(?:agreed|decided|resolved)(?:\s+on\s+[A-Z]\w+day|\s+[a-z]+ly)?\s+"
    r"(?:to\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\b"
    r"|that\s+(?P<next>the\s+next\s+[^.;:]{3,120}?)\s+(?:will|would|should|is to|are to)\s+be"
    r"\s+(?:held|convened|organi[sz]ed)\b"
    # "agreed that the committee would hold its first meeting in Huambo"
    r"|that\s+(?P<body>the\s+[^.;:,]{3,80}?)\s+(?:will|would|should|is to|are to)\s+"
    r"(?P<bodyverb>hold|convene|meet)\b)")
# An outcome in a list, told in the future: "- The Technical Group on Migration will present
# a report …", "• The Subcommittee on Trade will meet in Tapachula in August."
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*·▪]|\(?[a-z0-9]{1,2}[.)])\s+")
_NUMBER_LINE = re.compile(r"\s*(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]\s*")
_WILL_DO = re.compile(
    r"(?i)^\s*(?:(?:[-–•*·▪]|\(?[a-z0-9]{1,2}[.)])\s+)?(?P<owner>(?:the|both|each|all)\s+[^.;:,]{3,100}?"
    r"|(?-i:[A-ZÀ-ÞĀ-ž])[^.;:,]{2,100}?)\s+(?:will|shall|are to|is to)\s+"
    r"(?:(?:also|jointly|each)\s+)?"
    r"(?P<verb>[a-z]+)\b")
# Verbs of such an outcome that are work; "will continue to support" and "will benefit" are not,
# and "will sign" is a text expected (a plan), not work.
_OUTCOME_VERBS = frozenset("""present submit prepare draft finalise finalize complete convene
    hold meet organise organize host conduct carry undertake elaborate develop establish set
    draw review study examine identify propose launch conclude update design deliver
    report produce issue coordinate""".split())
# A meeting to come: agreeing to hold it is work to prepare even with no deadline given.
_CONVENE = {"hold", "convene", "organise", "organize", "host", "meet", "resume"}
_DEADLINE = re.compile(
    r"(?i)\b(?:before|ahead of|prior to|in time for|no later than|not later than|by|until"
    r"|within|to be signed (?:during|at))\b")
# Where the work ends: a deadline, the next clause, another directive, or the sentence's end.
_WORK_END = re.compile(
    r"(?i)\s*(?:[,;:(]|\.(?:\s|$)|\s[—–]\s|\b(?:before|ahead of|prior to|in time for"
    r"|no later than|not later than|by (?:then|the end|end|\d)|within \w+ (?:days|weeks|months"
    r"|years)|so (?:as|that)|which|who|where|during|(?:expected |due )?to be signed|and to"
    # "a strategy for adoption at that meeting": what it is for is no part of the work.
    r"|for (?:adoption|signature|approval|endorsement|consideration)\b)\b"
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
# "by then", "to be signed on that occasion", "for adoption at that meeting": the time of
# the event named just before.
_BY_THEN = re.compile(r"(?i)\bby then\b|\bby that time\b|\b(?:on|at|for|before)\s+that\s+"
                      r"(?:occasion|meeting|session|summit|visit|date)\b")
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
    # A numbered item may reach here without its number ("4." read as a line of its own).
    listed = _LIST_ITEM.match(text) or (index > 0 and _NUMBER_LINE.fullmatch(
        doc.sentences[index - 1].text))
    item = _WILL_DO.match(text) if listed else None
    if item is not None and item.group("verb").lower() in _OUTCOME_VERBS:
        found.append((item.start("verb"), item.start("verb"), item.group("verb").lower(),
                      " ".join(item.group("owner").split())))
    for match in _AGREED.finditer(text):
        if match.group("next"):
            found.append((match.start(), match.start("next"), "hold", ""))
            continue
        if match.group("body"):
            found.append((match.start(), match.start("bodyverb"), match.group("bodyverb").lower(),
                          " ".join(match.group("body").split())))
            continue
        found.append((match.start(), match.start("verb"), match.group("verb").lower(), "agreed"))
    for first in list(found):
        # "agreed to resume the dialogue, suspended since 2023, and to hold its next round
        # in Tokyo": each infinitive the verb governs is work of its own.
        for more in _AND_TO.finditer(text, first[1], _clause_end(text, first[1])):
            found.append((first[0], more.start("verb"), more.group("verb").lower(), first[3]))
    out: list[FollowUpDraft] = []
    for cue, start, verb, owner in sorted(found):
        agreed = owner == "agreed"
        draft = _draft(doc, index, cue, start, verb, "" if agreed else owner, plans, plans_here,
                       visits, open_visits)
        if draft is not None:
            # "… the first session in Port Louis, and asked their experts to draw up its
            # agenda": "its" is what the work just named is about, else the body tasked.
            body = _body(owner)
            before = _object(out[-1].what) if out else ""
            draft.what = _its(draft.what, before or body)

        # "agreed to deepen cooperation" is no work with a time to it; "agreed to hold the
        # next round" is, and "agreed to conclude a treaty by the end of the year" too.
        if draft is not None and (not agreed or verb in _CONVENE or draft.due is not None
                                  or draft.visit is not None):
            out.append(draft)
    return out


_AND_TO = re.compile(r"(?i),?\s+and\s+(?:also\s+)?to\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\b")
_CLAUSE_END = re.compile(r";|\.(?:\s|$)")


def _clause_end(text: str, start: int) -> int:
    found = _CLAUSE_END.search(text, start)
    return found.start() if found else len(text)


def _draft(doc: Document, index: int, cue: int, start: int, verb: str, owner: str,
           plans: list[PlanDraft], plans_here: list[int], visits: list[VisitDraft],
           open_visits: list[int]) -> FollowUpDraft | None:
    text = doc.sentences[index].text
    what = _work(doc, index, start, verb)
    body = _body(owner)
    if verb == "meet" and body and re.match(r"(?i)meet\b", what):
        # "The Subcommittee on Trade will meet in Tapachula", "tasked the Working Group with
        # meeting before …": a meeting of that body.
        what = f"Hold a meeting of {body}{what[4:]}"
    # "finalise the text of the memorandum": the memorandum the report named in full.
    what = spell_out(what, plans)
    what = _antecedent(doc, index, start, what)
    again = _AGAIN.match(what) if not body else None
    if again is not None:
        # "The Commission … held its seventh meeting … The sides agreed to meet again in Osh":
        # the next meeting of that body.
        series = _series_before(doc, index) or _gathering_before(doc, index)
        if series:
            what = f"Hold the next meeting of {series}{what[again.end():]}"
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


# Owners that are the sides themselves, not a body whose meeting is work of its own.
_SIDES = re.compile(r"(?i)^(?:the\s+)?(?:two\s+|both\s+)?(?:sides|parties|ministers|leaders"
                    r"|presidents|countries|governments|delegations|they|we|agreed)\b"
                    r"|^(?:their|its|his|her|both|each|all)\b")
_BODY_WORD = re.compile(r"(?i)\b(?:committee|commission|group|council|subcommittee|sub-committee"
                        r"|task force|board|panel|mechanism|secretariat|working group|team)s?\b")


_ASIDE = re.compile(r"\s*,\s*(?:before|by|no later than|not later than|until|in|during|within)\s+"
                    r"[^,.;:]{3,40},\s")
_AGAIN = re.compile(r"(?i)^(?:meet\s+again|hold\s+(?:their|its|the)\s+next\s+meeting)\b")
_HELD_ITS = re.compile(r"(?P<body>\b(?:the\s+|The\s+)?[A-ZÀ-ÞĀ-ž][\w'’–-]*"
                       r"(?:\s+(?:[A-ZÀ-ÞĀ-ž][\w'’–-]*"
                       r"|of|on|for|and|the))*?)\s+(?:held|holds|opened|concluded|convened)\s+"
                       r"(?:its|their)\s+(?:[\w-]+\s+)?(?:meeting|session)\b")
# How far back a work's object or a body is looked for: a report names them nearby.
_REACH = 8


def _series_before(doc: Document, index: int) -> str:
    """The body that held a meeting of its series in this sentence or the two before."""
    for back in range(index, max(-1, index - 3), -1):
        held = list(_HELD_ITS.finditer(doc.sentences[back].text))
        found = held[-1] if held else None
        if found is not None:
            body = found.group("body")
            return body[0].lower() + body[1:] if body.startswith("The ") else (
                body if body.startswith("the ") else f"the {body}")
    return ""


# "Nordic foreign ministers meeting in Reykjavik …": a gathering of ministers by office.
_GATHERING = re.compile(r"\b(?P<who>(?:(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]+\s+)?(?i:foreign|defen[cs]e|trade"
                        r"|finance|economy|energy|agriculture|health|interior|transport)\s+"
                        r"ministers)\b(?!\s+of\b)")


def _gathering_before(doc: Document, index: int) -> str:
    """ "Nordic foreign ministers", named in this sentence or the _REACH before it, with the
    word that says whose: the gathering whose next meeting the sides agree."""
    for back in range(index, max(-1, index - _REACH), -1):
        found = [m for m in _GATHERING.finditer(doc.sentences[back].text)
                 if m.group("who").split()[0][:1].isupper()
                 and m.group("who").split()[0].lower() not in ("the", "their", "both", "two")]
        if found:
            return found[-1].group("who")
    return ""


# "Set up the task force": its object named by a shortened phrase, after the verb.
_SHORT_OBJECT = re.compile(r"^\S+(?:\s+(?:up|out|down))?\s+the\s+(?P<np>[a-z][\w-]*"
                           r"(?:\s+[a-z][\w-]*){0,2}?)(?=\s+(?:in|on|at|by|for|with|before|during|to|from)\b|\s*$)")


def _antecedent(doc: Document, index: int, start: int, what: str) -> str:
    """ "Set up the task force" after "agreed to set up a Nordic task force on the protection
    of undersea cables": the object in the words the report first named it with."""
    short = _SHORT_OBJECT.match(what)
    if short is None:
        return what
    np = short.group("np")
    pattern = re.compile(rf"\b(?:an?|the)\s+(?P<full>(?:[\w'’–-]+\s+){{0,3}}?{re.escape(np)}"
                         r"(?:\s+(?:on|of|for)\s+[^,.;:()]{3,80}?)?)(?=\s*[,.;:()]|\s+(?:and\s+[a-z]+ed"
                         r"|which|that|by|to|with|before|after|during)\b|\s*$)")
    for back in range(index, max(-1, index - _REACH), -1):
        text = doc.sentences[back].text
        end = start if back == index else len(text)
        named = list(pattern.finditer(text, 0, end))
        found = named[-1] if named else None
        if found is not None and len(found.group("full").split()) > len(np.split()):
            return f"{what[:short.start('np')]}{found.group('full')}{what[short.end('np'):]}"
    return what


def _body(owner: str) -> str:
    """ "the Technical Group on Migration" when the owner is such a body, else ""."""
    owner = owner.strip()
    if not owner or _SIDES.match(owner) or not _BODY_WORD.search(owner):
        return ""
    return f"the {owner[4:]}" if owner.lower().startswith("the ") else f"the {owner}"


_ITS = re.compile(r"\bits\s+(?P<np>(?:[\w-]+\s+){0,2}?[\w-]+)(?=\s+(?:in|on|at|by|for|with|to"
                  r"|before|during|from)\b|\s*$)")
_TRAILING_PLACE = re.compile(r"\s+(?:in|at)\s+(?:the\s+city\s+of\s+)?(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]*"
                             r"(?:\s+(?-i:[A-ZÀ-ÞĀ-ž])[\w'’-]*)*\s*$")


def _object(what: str) -> str:
    """ "Hold the first session of the Joint Commission in Port Louis" -> "the first session
    of the Joint Commission": what the work is about, without its verb or its place."""
    words = what.split(" ", 1)
    if len(words) < 2 or not re.match(r"(?i)(?:the|a|an)\s", words[1]):
        return ""
    thing = _TRAILING_PLACE.sub("", words[1])
    return "the " + thing.split(" ", 1)[1] if thing.lower().startswith(("a ", "an ")) else thing


def _its(what: str, referent: str) -> str:
    """ "Draw up its agenda" -> "Draw up the agenda of the first session …"."""
    if not referent:
        return what
    return _ITS.sub(lambda m: f"the {m.group('np')} of {referent}", what, count=1)


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
    aside = _ASIDE.match(text, after)
    skip = (after, aside.end() - 1) if aside is not None and any(
        after < m.start < aside.end() for m in doc.dates[index]) else None
    if skip is not None:
        # "to elaborate, before the 30 of September, a work plan": the deadline set off by
        # commas between the verb and its object.
        after = skip[1] + 1
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
    after = [m for m in doc.dates[index] if start <= m.start < limit]
    for mention in after:
        if (mention.end_date or mention.date).end > doc.anchor:
            return mention.date
        ahead = _ahead(mention, text, doc.anchor)
        if ahead is not None:
            return ahead
    if _BY_THEN.search(text, start, limit):
        before = [m for m in doc.dates[index] if m.end <= cue]
        if not before and index > 0:
            # "… would host the next Leaders Meeting in Auckland in 2027. The leaders
            # instructed … for adoption at that meeting."
            before = [m for m in doc.dates[index - 1] if m.date.end > doc.anchor]
        return before[-1].date if before else None
    return None


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_MONTH_NAME = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_SINCE = re.compile(r"(?i)\b(?:since|from|last|after)\s+(?:the\s+)?$")


def _ahead(mention: DateMention, text: str, anchor: date) -> FuzzyDate | None:
    """Work is still to come: "by the end of August" or "to meet in September" written
    without a year, in a report of June, is the month ahead, however the date alone was read
    (a past verb before it reads it as the last one)."""
    value = mention.date
    if _YEAR.search(text, mention.start, mention.end) or mention.end_date is not None:
        return None
    if not _MONTH_NAME.search(mention.text) or _SINCE.search(
            text, max(0, mention.start - 12), mention.start):
        return None  # "on Thursday", "since March": no deadline
    if value.precision is Precision.MONTH:
        later = FuzzyDate.month(value.start.year + 1, value.start.month)
    elif value.precision is Precision.DAY:
        try:
            later = FuzzyDate.day(value.start.year + 1, value.start.month, value.start.day)
        except ValueError:
            return None  # 29 February
    else:
        return None
    return later if later.start > anchor else None


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
