"""Records a report leaves undated: the day told before them or the dateline's month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.domain.fuzzydate import FuzzyDate
from bot.services.ingest import dating, train, weights
from bot.services.ingest.dates import find_dates
from bot.services.ingest.extract import propose
from bot.services.ingest.sentences import Sentence

TODAY = date(2026, 10, 30)


def test_a_text_signed_after_talks_of_a_told_day_takes_that_day() -> None:
    text = ("VIENNA, 14 May 2026 — A Slovenian government delegation led by Foreign Minister "
            "Tomaž Rupnik arrived in Vienna yesterday for a two-day visit. Rupnik was received "
            "at the Chancellery by Chancellor Georg Leitner. After the talks the two governments "
            "signed a memorandum of understanding on rail freight.")
    # The fitted weights, switched on (the committed threshold keeps them off until they
    # carry from one labelled set to another; see train.threshold).
    with train.engine_weights(dating_w=weights.DATING):
        proposal = propose(text, dateline=None, today=TODAY)
    (plan,) = proposal.bundle.plans
    assert plan.date == FuzzyDate.day(2026, 5, 13)
    assert [(c.kind, c.took_day) for c in proposal.date_choices] == [("plan", True)]
    if weights.DATING_CUT >= 1.0:
        (plan,) = propose(text, dateline=None, today=TODAY).bundle.plans
        assert plan.date == FuzzyDate.month(2026, 5)


def test_a_call_on_some_day_of_a_stay_keeps_the_month() -> None:
    # Which of three days the call was is not told; naming one would invent it.
    text = ("VIENNA, 14 May 2026 — Slovenian Foreign Minister Tomaž Rupnik arrived in Vienna on "
            "11 May for a three-day visit and held talks with Austrian Foreign Minister Lena "
            "Haberl. Rupnik also called on the Austrian President, Georg Leitner.")
    proposal = propose(text, dateline=None, today=TODAY)
    call = next(m for m in proposal.bundle.meetings if "Leitner" in m.title)
    assert call.date == FuzzyDate.month(2026, 5)
    assert [c.took_day for c in proposal.date_choices] == [False]


def test_only_a_recent_day_before_the_dateline_dates_what_follows() -> None:
    anchor = date(2026, 5, 20)
    told = ["The two countries signed a border treaty on 3 March 2026.",
            "Afterwards they signed a protocol on river patrols.",
            "The ministers met on Monday.",
            "They also adopted a statement."]
    sentences = [Sentence(text=t, start=0, index=n, line=n, headline=False)
                 for n, t in enumerate(told)]
    dates = [find_dates(s.text, anchor) for s in sentences]
    days = dating.story_days(sentences, dates, anchor)
    assert days[:2] == [None, None]  # March is history the report recalls
    assert days[3] == (FuzzyDate.day(2026, 5, 18), 2, False)


def test_the_score_reads_the_weights_in_feature_order() -> None:
    assert len(weights.DATING) == len(dating.FEATURES)
    coefficients = tuple(-2.0 if name == "bias" else 3.0 if name == "after_cue" else 0.0
                         for name in dating.FEATURES)
    after = {name: 0.0 for name in dating.FEATURES} | {"bias": 1.0, "after_cue": 1.0}
    alone = {name: 0.0 for name in dating.FEATURES} | {"bias": 1.0}
    assert dating.score(after, coefficients) > 0.5 > dating.score(alone, coefficients)


def test_the_fit_is_deterministic_and_learns_a_separable_cue() -> None:
    width = len(dating.FEATURES)
    on = tuple(1.0 if k in (0, 4) else 0.0 for k in range(width))  # bias, after_cue
    off = tuple(1.0 if k == 0 else 0.0 for k in range(width))
    data = [train.Example("a", on, 1)] * 3 + [train.Example("b", off, 0)] * 5
    first, second = train.fit(data), train.fit(data)
    assert first == second
    assert train.accuracy(first, data) == 1.0
    assert first[4] > 0 > first[0]


def test_the_committed_weights_are_what_the_training_script_gives() -> None:
    root = Path(__file__).resolve().parents[2]
    data = [train.examples(folder, root) for folder in train.TRAIN_SETS]
    cuts = (train.threshold([x.dating for x in data]), train.threshold([x.travel for x in data]))
    rendered = train.render(train.fit([e for x in data for e in x.dating]),
                            train.fit([e for x in data for e in x.travel]), cuts)
    assert Path(weights.__file__).read_text(encoding="utf-8") == rendered


def test_a_model_that_does_not_carry_across_sets_is_committed_switched_off() -> None:
    width = len(dating.FEATURES)
    cue = tuple(1.0 if k in (0, 4) else 0.0 for k in range(width))
    plain = tuple(1.0 if k == 0 else 0.0 for k in range(width))
    # In one set the cue means the day, in the other the month: fitted on either, the cue
    # misleads on the other.
    first = [train.Example("a", cue, 1)] * 4 + [train.Example("a", plain, 0)] * 4
    second = [train.Example("b", cue, 0)] * 4 + [train.Example("b", plain, 0)] * 4
    assert train.threshold([first, second]) == 1.0
    # Where it means the same in both, it is used.
    assert train.threshold([first, first]) < 1.0


def test_talks_on_the_margins_of_a_dated_meeting_take_its_day_whatever_the_weights() -> None:
    text = ("GRAZ, 9 October 2026 — The Fourth Trilateral Meeting of the foreign ministers of "
            "Austria, Slovenia and Croatia, Lena Haberl, Tomaž Rupnik and Ivana Horvat, was held "
            "in Graz on Thursday 8 October 2026. On the margins of the meeting, Haberl and "
            "Rupnik held bilateral talks on rail freight.")
    meetings = propose(text, dateline=None, today=TODAY).bundle.meetings
    assert len(meetings) == 2
    assert {m.date for m in meetings} == {FuzzyDate.day(2026, 10, 8)}
