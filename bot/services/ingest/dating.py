"""Dating a record the report leaves undated: the day told before it, or the dateline's month.

"Arrived in Belgrade yesterday … After the talks the ministers signed memoranda": the signing
is that day. "Arrived on 12 January for a three-day visit … He also called on the Speaker":
the call is on one of three days, and naming one would invent it. Which reading a sentence
calls for is not one rule: the choice is a logistic score over the cues below, its weights
fitted offline on the labelled evaluation sets (`bot/services/ingest/train.py`, the result
committed in `weights.py`), so the engine stays deterministic and needs nothing at run time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.fuzzydate import FuzzyDate, Precision
from bot.services.ingest import weights
from bot.services.ingest.dates import DateMention
from bot.services.ingest.sentences import Sentence

# How far before the dateline a day told earlier in the report may still date what follows
# it: a report tells this week's events, and a day a month back is history it recalls.
STORY_SPAN = timedelta(days=14)

# The cues a choice is scored on, in the order of `weights.DATING`.
FEATURES = (
    "bias",
    "same_sentence",  # the day is told in the record's own sentence
    "next_sentence",  # in the sentence just before it
    "far",  # three or more sentences back
    "after_cue",  # "After the talks …", "Following the meeting …", "at the end of"
    "sequel_cue",  # "also", "later", "then", "afterwards": more of the same day's work
    "span_day",  # the day opens a stay of several days ("for a two-day visit", "from 3 to 5")
    "arrival_day",  # the day is an arrival's
    "dateline_day",  # the day is the dateline's own
    "many_days",  # the report tells three or more different recent days
    "plan",  # the record is a signed text (else a meeting)
    "side_meeting",  # a call, a tour or a business meeting, not the talks themselves
    "headline",  # the record is named in a headline line
    "meeting_day",  # the day is a meeting's the report dates before the record
)

AFTER = re.compile(r"(?i)\b(?:after|following|at the (?:end|close|conclusion) of|in the wake of"
                    r"|on the (?:sidelines|margins) of)\s+(?:the|their|these|those)\s+"
                    r"(?:[\w-]+\s+){0,2}?(?:talks|meeting|consultations|session|summit|visit"
                    r"|discussions|negotiations)\b")
_SEQUEL = re.compile(r"(?i)\b(?:also|later|then|afterwards|subsequently|thereafter|in addition)\b")
_SPAN = re.compile(r"(?i)\b(?:(?:two|three|four|five|six|seven|\d)-day|(?:two|three|four|five"
                   r"|several|\d) days)\b|\bfrom\s+\d{1,2}\s+(?:to|until)\s+\d{1,2}\b"
                   r"|\b\d{1,2}\s*[-–]\s*\d{1,2}\s+[A-Z][a-z]+")
_ARRIVAL = re.compile(r"(?i)\b(?:arriv(?:ed|es|al)|landed|reached|was welcomed at the airport)\b")
_SIDE = re.compile(r"(?i)\b(?:call(?:ed|s)? on|courtesy call|toured|tour of|visited the|business"
                   r"|community|site|plant|park|zone|port|factory|laid a wreath)\b")


@dataclass
class DateChoice:
    """One record the report left undated: the day it may take, the cues, what was chosen.

    `kind` and `position` say which record ("meeting" or "plan", its place among those
    found), so the training script can score either reading against the labels."""

    kind: str
    position: int
    day: FuzzyDate
    month: FuzzyDate
    cues: dict[str, float] = field(default_factory=dict)
    took_day: bool = False


def story_days(sentences: list[Sentence], dates: list[list[DateMention]],
               anchor: date) -> list[tuple[FuzzyDate, int, bool] | None]:
    """For each sentence, the last recent day the report has told by then, with the sentence
    that told it and whether that day opened a stay of several days."""
    out: list[tuple[FuzzyDate, int, bool] | None] = []
    last: tuple[FuzzyDate, int, bool] | None = None
    for index, mentions in enumerate(dates):
        for mention in sorted(mentions, key=lambda m: m.start):
            value = mention.date
            if value.precision is not Precision.DAY or mention.end_date is not None or not (
                    anchor - STORY_SPAN <= value.start <= anchor):
                # "on a visit from 5 to 8 November … After the talks": which day is not told.
                continue
            span = bool(_SPAN.search(sentences[index].text))
            last = (FuzzyDate.day(value.start.year, value.start.month, value.start.day),
                    index, span)
        out.append(last)
    return out


def cues(sentences: list[Sentence], told: tuple[FuzzyDate, int, bool], sentence: int,
         anchor: date, recent_days: int, *, plan: bool, meeting: bool) -> dict[str, float]:
    """The cues of one choice, each 0 or 1."""
    day, where, span = told
    own = sentences[sentence].text
    gap = sentence - where
    return {
        "bias": 1.0,
        "same_sentence": float(gap == 0),
        "next_sentence": float(gap == 1),
        "far": float(gap >= 3),
        "after_cue": float(bool(AFTER.search(own))),
        "sequel_cue": float(bool(_SEQUEL.search(own))),
        "span_day": float(span),
        "arrival_day": float(bool(_ARRIVAL.search(sentences[where].text))),
        "dateline_day": float(day.start == anchor),
        "many_days": float(recent_days >= 3),
        "plan": float(plan),
        "side_meeting": float(not plan and bool(_SIDE.search(own))),
        "headline": float(sentences[sentence].headline),
        "meeting_day": float(meeting),
    }


def recent_days(dates: list[list[DateMention]], anchor: date) -> int:
    """How many different recent days the report tells."""
    return len({m.date.start for mentions in dates for m in mentions
                if m.date.precision is Precision.DAY
                and anchor - STORY_SPAN <= m.date.start <= anchor})


def score(values: dict[str, float], coefficients: tuple[float, ...] | None = None) -> float:
    """The probability that the record is the told day's, by the fitted weights (read at
    call time, so the training script can score a set with weights fitted without it)."""
    fitted = weights.DATING if coefficients is None else coefficients
    total = sum(w * values[name] for name, w in zip(FEATURES, fitted, strict=True))
    return 1.0 / (1.0 + math.exp(-total))
