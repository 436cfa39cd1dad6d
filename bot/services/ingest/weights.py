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
