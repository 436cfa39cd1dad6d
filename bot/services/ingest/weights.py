"""Coefficients the engine reads at run time, fitted offline by `bot/services/ingest/train.py`.

Generated from the labels of tests/data/ingest,
tests/data/ingest2/tune,
tests/data/ingest3,
tests/data/ingest4,
tests/data/ingest5.
Do not edit by hand: `python -m bot.services.ingest.train --write` rewrites it and
`--check` says whether it is current.
"""

from __future__ import annotations

# dating.FEATURES, in order: the logistic score for dating an undated record by the day told
# before it (above DATING_CUT) rather than by the dateline's month.
DATING: tuple[float, ...] = (
    -2.116,  # bias
    -0.372,  # same_sentence
    0.477,  # next_sentence
    0.274,  # far
    1.697,  # after_cue
    -0.066,  # sequel_cue
    0.177,  # span_day
    0.099,  # arrival_day
    -0.415,  # dateline_day
    -0.191,  # many_days
    0.568,  # plan
    -0.782,  # side_meeting
    0.093,  # headline
    0.163,  # meeting_day
)

# travel.FEATURES, in order: the logistic score for keeping a candidate trip (above TRAVEL_CUT).
TRAVEL: tuple[float, ...] = (
    -1.063,  # bias
    -0.6,  # participant
    0.531,  # in_sentence
    0.068,  # main_event
    -0.463,  # resident
    0.022,  # organisation
    -0.623,  # at_seat
    -0.149,  # assumed
    0.0,  # remote
    -1.21,  # travel_cue
    0.82,  # multilateral
    -0.437,  # head
    0.52,  # minister
    -0.535,  # in_pair
    -0.269,  # elsewhere
    -0.173,  # ahead
    -1.08,  # many_mentions
    0.684,  # companion
    -0.051,  # signed
)

# The thresholds, chosen leave-one-set-out (train.threshold); 1.0 is a model switched off:
# it did not carry from one set to another.
DATING_CUT = 1.0
TRAVEL_CUT = 1.0
