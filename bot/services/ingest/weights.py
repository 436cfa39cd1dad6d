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
# before it (above 0.5) rather than by the dateline's month.
DATING: tuple[float, ...] = (
    -1.867,  # bias
    -0.354,  # same_sentence
    0.438,  # next_sentence
    0.311,  # far
    2.071,  # after_cue
    -0.264,  # sequel_cue
    0.108,  # span_day
    -0.015,  # arrival_day
    -0.388,  # dateline_day
    -0.183,  # many_days
    0.288,  # plan
    -0.852,  # side_meeting
    0.016,  # headline
    0.328,  # meeting_day
)

# travel.FEATURES, in order: the logistic score for keeping a candidate trip (above 0.5).
TRAVEL: tuple[float, ...] = (
    -1.544,  # bias
    -0.425,  # participant
    0.012,  # in_sentence
    0.412,  # main_event
    -0.344,  # resident
    0.121,  # organisation
    -0.613,  # at_seat
    -0.145,  # assumed
    0.0,  # remote
    -1.038,  # travel_cue
    0.47,  # multilateral
    -0.819,  # head
    0.862,  # minister
    -0.736,  # in_pair
    -0.272,  # elsewhere
    -0.137,  # ahead
    -0.871,  # many_mentions
    0.891,  # companion
    0.207,  # signed
)
