"""Finding the date phrases of a sentence and reading them against the dateline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.dateparse import parse_fuzzy_date
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.services.ingest.memo import cached

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_TO = r"\s*(?:-|–|—|to|and|until)\s*"
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "last": 4, "final": 4}

# Longest forms first: the scan keeps the first form that matches at a position.
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # "from 29 June to 2 July", "June 29 to July 2": a range across two months.
        ("range_mm", rf"\b(?:from\s+)?(?P<d1>{_ORD})\s+(?P<m1>{_MONTH}){_TO}(?P<d2>{_ORD})\s+"
                     rf"(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
        ("range_mm", rf"\b(?:from\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_ORD}){_TO}(?P<m>{_MONTH})\s+"
                     rf"(?P<d2>{_ORD})\b(?:,?\s+(?P<y>{_YEAR}))?"),
        # "from 13 to 15 May", and as some translations write it, "from the 13 to the 15 of May".
        ("range_dm", rf"\b(?:from\s+)?(?:the\s+)?(?P<d1>{_ORD}){_TO}(?:the\s+)?(?P<d2>{_ORD})"
                     rf"\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
        ("range_md", rf"\b(?:from\s+)?(?P<m>{_MONTH})\s+(?P<d1>{_ORD}){_TO}(?P<d2>{_ORD})\b"
                     rf"(?:,?\s+(?P<y>{_YEAR}))?"),
        ("day", rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_ORD}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"),
        ("day", rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_ORD}\b(?!\s*(?:-|–)\s*\d)(?:,?\s+{_YEAR})?"),
        ("day", r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
        ("month", rf"\b(?:(?:early|mid|late|mid-)\s*)?{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
        ("quarter", rf"(?i:\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|last"
                    rf"|final)\s+quarter\s+of\s+(?P<qy>{_YEAR}|this year|next year|last year"
                    # "in the third quarter of the year": the dateline's year.
                    r"|the year|the present year|the current year))"),
        # FuzzyDate has no halves, so "the second half of the year" keeps the whole year.
        # A semester is a half ("the second semester of the present year", in translations).
        ("half", rf"(?i:\b(?:the\s+)?(?:first|second) (?:half|semester) of (?:the\s+)?"
                 rf"(?P<hy>{_YEAR}|year|this year|next year|present year|current year))"
                 rf"|\bH[12]\s+(?P<hy2>{_YEAR})\b"),
        # A season keeps its year: it straddles two quarters, and its months depend on the
        # hemisphere. A bare "fall" or "spring" is a season only after a preposition or
        # "this/next/last" ("in the autumn", "next spring"), not "a fall in exports".
        ("season", rf"(?:\b(?i:in|for|by|during|until|before|after|this|next|last|early|late"
                   rf"|mid)\s+(?:(?i:the)\s+)?(?:(?i:early|late|mid)-?\s*)?"
                   rf"(?P<s>(?i:spring|summer|autumn|fall|winter))\b"
                   rf"(?:\s+(?:of\s+)?(?P<sy>{_YEAR}|(?i:this|next) year))?)"
                   rf"|\b(?P<s2>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)\s+(?:of\s+)?"
                   rf"(?P<sy2>{_YEAR})\b"),
        ("rest_of_year", r"(?i:\b(?:later|earlier)\s+in\s+the\s+year\b|\b(?:the\s+)?end\s+of"
                         r"\s+the\s+year\b|\b(?:the\s+)?year[-\s]end\b"
                         # "within the year", "in the first semester": some time this year.
                         r"|\b(?:within|during|in\s+the\s+course\s+of)\s+the\s+(?:current\s+)?year\b"
                         r"|\bearly\s+in\s+the\s+year\b"
                         r"|\b(?:the\s+)?(?:first|second)\s+semester\b(?!\s+of\b))"),
        # "before August", "ahead of September": some time before that month, so only the
        # year is known (FuzzyDate has no "until"); "by August" is the month itself, a
        # deadline's.
        ("before_month", rf"\b(?i:before|ahead\s+of|prior\s+to)\s+(?P<body>{_MONTH})\b(?!\s*\d)"),
        # "by mid-2026": its year.
        ("mid_year", rf"\b(?i:in|by|until|from|since|before|around|after)\s+(?P<body>(?i:mid)-?"
                     rf"(?P<my>{_YEAR}))\b"),
        ("period", r"(?i:\b(?:(?P<qual>earlier|later|early|late|mid|the middle of|end of"
                   r"|the end of|the beginning of)\s+)?(?P<which>this|next|last|past)\s+"
                   r"(?P<unit>week|month|year)\b)"),
        ("relative", r"(?i:\b(?:today|yesterday|tomorrow)\b)"),
        ("weekday", rf"\b(?:(?i:last|next|this)\s+)?{_WEEKDAY}\b"),
        ("bare_month", rf"\b(?i:in|for|to|until|since|by|from|of|during|early|late"
                       rf"|no\s+later\s+than|not\s+later\s+than)\s+"
                       rf"(?P<body>(?:mid-)?{_MONTH})\b(?!\s*\d)"),
        ("year", rf"\b(?i:in|since|from|until|by|during|early|late|mid|of)\s+(?P<body>{_YEAR})\b"
                 r"(?!\s*(?:-|–|/)\s*\d)"),
    )
)

# Words that put a clause in the future or the past; the nearest one before a date wins.
# "planned for April" and "scheduled for May" say nothing of which April: plans get cancelled.
_FUTURE = re.compile(r"(?i)\b(?:will|would|shall|expected|expects|plans? to|due to|is due|coming"
                     r"|are due|prepares? to|preparing to|travels|goes on|heads (?:to|for)"
                     r"|(?:is|are) (?:scheduled|slated|set) to"
                     r"|flies to|leaves for|arrives|arrive"
                     r"|forthcoming|upcoming|to visit|to be|next|is to|are to|set to|invit\w+"
                     # "an invitation extended by X to make an official visit in the autumn"
                     r"|to (?:pay|make) (?:an?|his|her|their) (?:[\w-]+ ){0,2}?visit"
                     r"|accepted an invitation|agreed to"
                     # Work for an event makes it one to come: "a roadmap for the state visit"
                     # (not "adopted a roadmap for a minerals partnership on Wednesday").
                     r"|roadmap for (?:[\w'’.-]+ ){0,5}?(?:visit|trip|summit|meeting|session"
                     r"|talks)"
                     r"|preparations? for|in preparation for|ahead of|to prepare"
                     r"|(?:postponed|moved|rescheduled|delayed|put off) (?:to|until|for))\b")
_PAST = re.compile(r"(?i)\b(?:was|were|had|has been|have been|last|ago|earlier|previous"
                   r"|originally|since|\w+ed)\b")


@dataclass(frozen=True)
class DateMention:
    start: int  # position in the sentence
    end: int
    text: str
    date: FuzzyDate
    end_date: FuzzyDate | None = None


def tense_before(sentence: str, position: int) -> str | None:
    """'future', 'past' or None from the nearest tense word in the clause before `position`."""
    clause_start = max(sentence.rfind(",", 0, position), sentence.rfind(";", 0, position), 0)
    while clause_start > 0 and _LISTED_ON.match(sentence, clause_start) and not (
            _FUTURE.search(sentence, clause_start, position)
            or _PAST.search(sentence, clause_start, position)):
        # "will attend the meeting of China, Japan and South Korea on Friday", "will host the
        # Prime Minister, Nasser Khalil, in Oslo on Thursday": a comma inside a list of names,
        # or before a name or a place set off, ends no clause.
        clause_start = max(sentence.rfind(",", 0, clause_start), 0)
    clause = sentence[clause_start:position]
    if re.search(r"(?i)\b(?:originally|initially)\b", clause):
        # "originally scheduled for June": the plan that no longer holds, the nearer June.
        return "nearest"
    if _WAS_DUE.search(clause):
        return "due"  # "had been due in Beijing on 23 March": the plan, as it stood
    future = [m.end() for m in _FUTURE.finditer(clause)
              # "when the President travels": the time of something else, not a plan.
              if not (_PRESENT_MOVE.fullmatch(m.group()) and _WHEN.search(clause, 0, m.start()))]
    past = [
        m.end() for m in _PAST.finditer(clause)
        if m.group().lower() not in _NOT_PAST and not _PASSIVE.search(clause, 0, m.start())
        and not _ATTRIBUTIVE.search(clause, max(0, m.start() - 8), m.start())
    ]
    if not future and not past:
        return None
    if max(future, default=-1) > max(past, default=-1):
        return "future"
    if _PLANNED.search(clause, max(past)):
        # "cancelled his visit scheduled for 20 October", "has suspended the planned visit …
        # on 10 November": the plan's date, which the past verb does not date; the nearer one.
        return "nearest"
    return "past"


# "agreed to hold the first session of the revived Commission in October": a participle
# after an article or possessive describes a noun; it is no verb in the past.
_ATTRIBUTIVE = re.compile(r"(?i)\b(?:the|a|an|its|their|his|her|our)\s+$")
_PLANNED = re.compile(r"(?i)\b(?:planned|scheduled|proposed|intended|slated)\b")
# ", Japan and South Korea on Friday": a name in a list, after its comma.
_LISTED_ON = re.compile(r",\s+(?:(?:and\s+)?[A-ZÀ-ÞĀ-ž][\w'’-]*(?:\s+[A-ZÀ-ÞĀ-ž][\w'’-]*)?"
                        r"(?:\s+and\s+|,|\s+(?:on|in)\s)|(?:in|at)\s+[A-ZÀ-ÞĀ-ž][\w'’-]*"
                        r"(?:\s+[A-ZÀ-ÞĀ-ž][\w'’-]*)?\s+on\s)")
_PRESENT_MOVE = re.compile(r"(?i)travels|goes on|heads (?:to|for)|flies to|leaves for|arrives"
                           r"|arrive")
_WHEN = re.compile(r"(?i)\b(?:when|whenever|if|as|once)\b")
_WAS_DUE = re.compile(r"(?i)\b(?:had been|was|were)\s+(?:due|scheduled|planned|set|supposed)\b"
                      r"|\b(?:was|were)\s+to\s+(?!be\s+\w+ed\b)")  # "was to travel on 12 June"
# "will be received": a participle after "be" says nothing about the tense.
_PASSIVE = re.compile(r"\b(?:be|being)\s+$", re.IGNORECASE)
_NOT_PAST = {"need", "speed", "proceed", "indeed", "red", "bed", "hundred", "united", "based",
             "planned", "scheduled", "expected", "invited", "due"}


def find_dates(sentence: str, anchor: date) -> list[DateMention]:
    """Every date phrase in `sentence`, read against the dateline `anchor`.

    Yearless months and days take the year that fits the tense: "visited Bogotá in March"
    read in July is this March; "originally planned for December" read in January is last
    December. Bare weekdays are the past one ("on Tuesday"), or the next one in a clause
    about the future ("will be received on Friday").
    """
    return list(_dates_in(sentence, anchor))


@cached(8192)
def _dates_in(sentence: str, anchor: date) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    taken = [False] * (len(sentence) + 1)
    for name, form in _FORMS:
        for match in form.finditer(sentence):
            if any(taken[match.start():match.end()]):
                continue
            mention = _read(name, match, sentence, anchor)
            if mention is None:
                continue
            for i in range(match.start(), match.end()):
                taken[i] = True
            found.append(mention)
    return tuple(sorted(found, key=lambda m: m.start))


@cached(4096)
def _parse(text: str, anchor: date) -> FuzzyDate | None:
    # Reports repeat their dates; reading each phrase once per dateline saves most of the time.
    try:
        return parse_fuzzy_date(text, today=anchor, news=True).date
    except UserError:
        return None


def _read(name: str, match: re.Match[str], sentence: str, anchor: date) -> DateMention | None:
    # Some forms need the preposition to be sure ("in May", not "may"); it is not the date.
    span = "body" if "body" in match.re.groupindex else 0
    text = match.group(span)
    tense = tense_before(sentence, match.start(span))
    if tense == "due":
        # A day a plan was due on is the next such day; a month says nothing of which year.
        tense = "future" if name in ("weekday", "day") else None
    nearest = tense == "nearest"
    if nearest:
        tense = None
    if tense is None and name == "bare_month" and re.match(r"(?i)by|no|not", match.group()):
        tense = "future"  # "by September", "no later than May": a deadline is ahead
    first: FuzzyDate | None
    last: FuzzyDate | None = None
    if name.startswith("range"):
        year = match.group("y") or ""
        first_month = match.group("m1") if name == "range_mm" else match.group("m")
        first = _parse(f"{match.group('d1')} {first_month} {year}", anchor)
        last = _parse(f"{match.group('d2')} {match.group('m')} {year}", anchor)
        if first and last and not year:
            first, last = _fit_year(first, tense, anchor), _fit_year(last, tense, anchor)
        if first and last and last.start < first.start:
            # "from 30 December to 2 January": the range runs into the next year.
            moved = last.start.replace(year=first.start.year + 1)
            last = FuzzyDate.day(moved.year, moved.month, moved.day)
    elif name == "quarter":
        which = match.group("qy").lower()
        shift = {"this year": 0, "next year": 1, "last year": -1}.get(which)
        if not which[0].isdigit() and shift is None:
            shift = 0  # "the year", "the present year"
        year = anchor.year + shift if shift is not None else int(which)
        first = FuzzyDate.quarter(year, _QUARTERS[match.group("q").lower()])
    elif name == "period":
        first = _period(match, anchor)
    elif name == "season":
        first = _season(match, sentence, tense, anchor)
    elif name == "rest_of_year":
        first = FuzzyDate.year(anchor.year)
    elif name == "mid_year":
        first = FuzzyDate.year(int(match.group("my")))
    elif name == "before_month":
        month = _parse(text, anchor)
        if month is not None:
            month = _fit_year(month, tense or "future", anchor, nearest=nearest)
        first = FuzzyDate.year(month.start.year) if month is not None else None
    elif name == "half":
        which = (match.group("hy") or match.group("hy2")).lower()
        shift = {"year": 0, "this year": 0, "present year": 0, "current year": 0,
                 "next year": 1}.get(which)
        first = FuzzyDate.year(anchor.year + shift if shift is not None else int(which))
    elif name == "weekday" and tense == "future" and not re.match(r"(?i)last|this", text):
        first = _parse("next " + re.sub(r"(?i)^next\s+", "", text), anchor)
    else:
        bare = re.sub(r"^the\s+", "", text)
        if name == "day" and not re.search(r"\d{4}", text):
            # The weekday is checked against the year chosen below, not against this one.
            bare = re.sub(rf"^{_WEEKDAY},?\s+(?:the\s+)?", "", bare)
        first = _parse(bare, anchor)
        if first is not None and name in ("day", "bare_month") and not re.search(r"\d{4}", text):
            first = _fit_year(first, tense, anchor, nearest=nearest)
            first = _weekday_year(first, text, anchor)
    if first is None:
        return None
    return DateMention(match.start(span), match.end(span), text, first, last)


# The month each season starts in (the northern one, which reports of the desk's kind mean
# when they give no year; only its year is kept).
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(match: re.Match[str], sentence: str, tense: str | None, anchor: date) -> FuzzyDate:
    """ "in spring 2027" is 2027; "in the autumn", read in April, is this autumn, and read
    in a past clause ("visited in the spring") the last one; "next spring" is the next."""
    season = (match.group("s") or match.group("s2")).lower()
    given = match.group("sy") or match.group("sy2")
    if given and given[0].isdigit():
        return FuzzyDate.year(int(given))
    lead = match.group().lower()
    start_month = _SEASONS[season]
    # The season's last month (winter runs into the next year's February).
    last_month = start_month + 2
    if given or lead.startswith("next"):
        shift = 1 if lead.startswith("next") or (given or "").lower().startswith("next") else 0
        if lead.startswith("next") and anchor.month < start_month:
            shift = 0  # "next autumn" read in April is this year's
        return FuzzyDate.year(anchor.year + shift)
    if lead.startswith("last") or tense == "past":
        year = anchor.year if anchor.month > last_month or (
            anchor.month >= start_month and tense == "past") else anchor.year - 1
        return FuzzyDate.year(year)
    if lead.startswith("this"):
        return FuzzyDate.year(anchor.year)
    # Still to come: this year's, unless it is over.
    return FuzzyDate.year(anchor.year if anchor.month <= last_month else anchor.year + 1)


def _period(match: re.Match[str], anchor: date) -> FuzzyDate | None:
    which = "last" if match.group("which").lower() == "past" else match.group("which").lower()
    qualifier = (match.group("qual") or "").lower().replace("the ", "")
    # "earlier this month" and "the middle of next year" keep the whole period: FuzzyDate has
    # no halves, and a writer's "earlier" names no day.
    qualifier = {"earlier": "", "middle of": "mid", "beginning of": "early"}.get(qualifier,
                                                                                 qualifier)
    phrase = f"{qualifier} {which} {match.group('unit').lower()}".strip()
    return _parse(phrase, anchor)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_year(value: FuzzyDate, text: str, anchor: date) -> FuzzyDate:
    """ "Friday, 12 June", read on 30 June 2026: the 12 June that is a Friday (2026), not the
    next one (a Saturday), whatever the tense made of it. A weekday that no year near the
    dateline fits leaves the date as it was."""
    named = re.match(rf"(?i)({_WEEKDAY})", text)
    if named is None or value.precision is not Precision.DAY:
        return value
    weekday = _WEEKDAYS.index(named.group(1).lower())
    start = value.start
    if start.weekday() == weekday:
        return value
    fits = []
    for year in (start.year - 1, start.year + 1, anchor.year):
        try:
            moved = start.replace(year=year)
        except ValueError:
            continue
        if moved.weekday() == weekday and abs((moved - anchor).days) <= 366:
            fits.append(moved)
    if not fits:
        return value
    best = min(fits, key=lambda d: abs((d - anchor).days))
    return FuzzyDate(best, value.precision)


def _fit_year(
    value: FuzzyDate, tense: str | None, anchor: date, *, nearest: bool = False
) -> FuzzyDate:
    """Moves a yearless date a year back or forward when the tense says it must be."""
    start = value.start
    if value.precision is Precision.MONTH:
        reference = anchor.replace(day=1)
    else:
        reference = anchor
    shift = 0
    if tense == "past" and start > reference:
        shift = -1
    elif tense == "future" and start < reference:
        shift = 1
    elif tense is None and (value.precision is Precision.MONTH or nearest):
        # "planned for April … cancelled": with no tense to go by, the nearer April.
        months = (start.year - reference.year) * 12 + start.month - reference.month
        shift = -1 if months > 6 else (1 if months < -6 else 0)
    if not shift:
        return value
    try:
        moved = start.replace(year=start.year + shift)
    except ValueError:
        return value
    return FuzzyDate(moved, value.precision)
