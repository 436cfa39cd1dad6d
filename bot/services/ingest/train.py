"""Fitting the ingest engine's learned weights on the labelled evaluation sets, offline.

`python -m bot.services.ingest.train` prints each fit; `--loso` adds the leave-one-set-out
figures (each set scored by weights fitted on the others: the honest estimate for unseen
text); `--write` rewrites `weights.py`; `--check` fails when the committed coefficients are
not what the sets give. Each fit is plain batch gradient descent on a logistic loss from
zero weights, a fixed number of steps, rounded: the same sets give the same file, byte for
byte.

Two choices are learned, each read from the hand-made expected records:
- dating (`dating.py`): whether a record the report leaves undated takes the day told before
  it (label 1) or the dateline's month (label 0); a choice where neither or both readings
  match a label is no example;
- travel (`travel.py`): whether a candidate trip (a foreign official at an event abroad) is a
  labelled visit no other proposal already matches (1) or not (0).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.domain.errors import UserError
from bot.domain.records import RecordType
from bot.services.ingest import dating, evaluate, travel, weights
from bot.services.ingest.extract import Proposal

# The labelled sets fitted on. The second set's held-out part stays out, so that it still
# measures text nobody fitted on; the sixth set is blind and is never read here.
TRAIN_SETS = ("tests/data/ingest", "tests/data/ingest2/tune", "tests/data/ingest3",
              "tests/data/ingest4", "tests/data/ingest5")
HELD_OUT = "tests/data/ingest2/heldout"
STEPS = 4000
RATE = 0.5
L2 = 0.02  # keeps a cue seen in a handful of examples from swinging the choice alone
DIGITS = 3
_KEEP_ALL = 60.0  # a bias that keeps every candidate trip, so each can be labelled


@dataclass(frozen=True)
class Example:
    case: str
    cues: tuple[float, ...]
    label: int


@dataclass
class Examples:
    dating: list[Example]
    travel: list[Example]


@contextmanager
def engine_weights(*, dating_w: tuple[float, ...] | None = None,
                   travel_w: tuple[float, ...] | None = None) -> Iterator[None]:
    """Runs the engine on other coefficients for a while (the modules read them per call);
    a model given here is used at the threshold 0.5, switched on."""
    kept = weights.DATING, weights.TRAVEL, weights.DATING_CUT, weights.TRAVEL_CUT
    if dating_w is not None:
        weights.DATING, weights.DATING_CUT = dating_w, 0.5
    if travel_w is not None:
        weights.TRAVEL, weights.TRAVEL_CUT = travel_w, 0.5
    try:
        yield
    finally:
        weights.DATING, weights.TRAVEL, weights.DATING_CUT, weights.TRAVEL_CUT = kept


def _names(proposed: Any, expected: Any) -> Any:
    names = evaluate._Names(proposed, expected)
    people = evaluate._pair(RecordType.PERSON, proposed.people, expected.people, names)
    names.pairs = {a.uid: b.uid for a, b in people}
    return names


def _propose(text: Path) -> Proposal | None:
    try:
        return evaluate.propose(text.read_text(encoding="utf-8"), dateline=None,
                                today=evaluate.EVAL_TODAY)
    except UserError:
        return None


def examples(folder: str, root: Path) -> Examples:
    """Every labelled choice of one set. Trips are read with every candidate kept; dates
    with the committed weights (the cues of either do not depend on the weights)."""
    out = Examples([], [])
    exact_visit = evaluate._EXACT[RecordType.VISIT]
    for text, labels in evaluate.cases([root / folder]):
        expected = evaluate.load_expected(labels)
        with engine_weights(travel_w=(_KEEP_ALL,) + (0.0,) * (len(travel.FEATURES) - 1)):
            proposal = _propose(text)
        if proposal is None:
            continue
        bundle, case = proposal.bundle, f"{folder}/{text.stem}"
        names = _names(bundle, expected)
        for choice in proposal.date_choices:
            kind = RecordType.MEETING if choice.kind == "meeting" else RecordType.PLAN
            record = bundle.section(kind)[choice.position]
            check = evaluate._EXACT[kind]
            as_day = any(check(replace(record, date=choice.day), e, names)
                         for e in expected.section(kind))
            as_month = any(check(replace(record, date=choice.month), e, names)
                           for e in expected.section(kind))
            if as_day != as_month:
                out.dating.append(Example(case, tuple(choice.cues[n] for n in dating.FEATURES),
                                          int(as_day)))
        candidates = {c.position for c in proposal.travel_choices if c.kept}
        told = [v for i, v in enumerate(bundle.visits) if i not in candidates]
        taken = {id(e) for e in expected.visits if any(exact_visit(v, e, names) for v in told)}
        for trip in proposal.travel_choices:
            record = bundle.visits[trip.position]
            hit = next((e for e in expected.visits if id(e) not in taken
                        and exact_visit(record, e, names)), None)
            if hit is not None:
                taken.add(id(hit))  # a second candidate for the same trip is a duplicate
            out.travel.append(Example(case, tuple(trip.cues[n] for n in travel.FEATURES),
                                      int(hit is not None)))
    return out


def fit(data: Sequence[Example]) -> tuple[float, ...]:
    """Logistic regression by batch gradient descent; deterministic, rounded."""
    width = len(data[0].cues) if data else 0
    w = [0.0] * width
    for _ in range(STEPS if data else 0):
        grad = [0.0] * width
        for example in data:
            z = sum(a * b for a, b in zip(w, example.cues, strict=True))
            error = 1.0 / (1.0 + math.exp(-z)) - example.label
            for k, value in enumerate(example.cues):
                grad[k] += error * value
        for k in range(width):
            penalty = 0.0 if k == 0 else L2 * w[k]  # the bias is not shrunk
            w[k] -= RATE * (grad[k] / len(data) + penalty)
    return tuple(round(v, DIGITS) + 0.0 for v in w)


# The thresholds a model may be used at; 1.0 keeps the rules' reading (the model is off).
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def threshold(sets: Sequence[Sequence[Example]]) -> float:
    """The threshold the engine uses a model at, chosen leave-one-set-out: each set's
    examples scored by weights fitted on the other sets, a right change counted +1 and a
    wrong one -1; the threshold with the best net gain wins, the stricter on a tie, and 1.0
    (never change the rules' reading) unless some threshold gains. So a model that does not
    carry from set to set is committed switched off, whatever it does on the sets fitted."""
    held_out = []
    for k, held in enumerate(sets):
        fitted = fit([e for j, rest in enumerate(sets) if j != k for e in rest])
        held_out += [(_probability(fitted, e), e.label) for e in held]
    best, gain = 1.0, 0
    for t in sorted(THRESHOLDS, reverse=True):
        net = sum((1 if label else -1) for p, label in held_out if p > t)
        if net > gain:
            best, gain = t, net
    return best


def _probability(coefficients: tuple[float, ...], e: Example) -> float:
    z = sum(a * b for a, b in zip(coefficients, e.cues, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def accuracy(coefficients: tuple[float, ...], data: Sequence[Example]) -> float:
    right = sum((_probability(coefficients, e) > 0.5) == bool(e.label) for e in data)
    return right / len(data) if data else 1.0


def _rows(features: Sequence[str], coefficients: tuple[float, ...]) -> str:
    return "".join(f"    {value!r},  # {name}\n"
                   for name, value in zip(features, coefficients, strict=True))


def render(dating_w: tuple[float, ...], travel_w: tuple[float, ...],
           cuts: tuple[float, float] = (0.5, 0.5)) -> str:
    sets = ",\n".join(TRAIN_SETS)
    return (f'"""Coefficients the engine reads at run time, fitted offline by '
            f'`bot/services/ingest/train.py`.\n\nGenerated from the labels of {sets}.\n'
            f'Do not edit by hand: `python -m bot.services.ingest.train --write` rewrites it '
            f'and\n`--check` says whether it is current.\n"""\n\n'
            f"from __future__ import annotations\n\n"
            f"# dating.FEATURES, in order: the logistic score for dating an undated record by "
            f"the day told\n# before it (above DATING_CUT) rather than by the dateline's "
            f"month.\n"
            f"DATING: tuple[float, ...] = (\n{_rows(dating.FEATURES, dating_w)})\n\n"
            f"# travel.FEATURES, in order: the logistic score for keeping a candidate trip "
            f"(above TRAVEL_CUT).\n"
            f"TRAVEL: tuple[float, ...] = (\n{_rows(travel.FEATURES, travel_w)})\n\n"
            f"# The thresholds, chosen leave-one-set-out (train.threshold); 1.0 is a model "
            f"switched off:\n# it did not carry from one set to another.\n"
            f"DATING_CUT = {cuts[0]!r}\nTRAVEL_CUT = {cuts[1]!r}\n")


_KINDS = (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT)


def scored(folder: str, root: Path, dating_w: tuple[float, ...],
           travel_w: tuple[float, ...]) -> str:
    """The set's meeting / plan / visit record F1 with the engine on those weights."""
    with engine_weights(dating_w=dating_w, travel_w=travel_w):
        total, _ = evaluate.evaluate([root / folder])
    return " / ".join(f"{total.tally(k).f1:.2f}" for k in _KINDS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.services.ingest.train",
                                     description="Fit the ingest engine's weights.")
    parser.add_argument("--write", action="store_true", help="rewrite weights.py")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if weights.py is not what the sets give")
    parser.add_argument("--loso", action="store_true",
                        help="also score each set with weights fitted on the others")
    args = parser.parse_args(argv)
    root = Path.cwd()
    data = {folder: examples(folder, root) for folder in TRAIN_SETS}
    all_dating = [e for folder in TRAIN_SETS for e in data[folder].dating]
    all_travel = [e for folder in TRAIN_SETS for e in data[folder].travel]
    dating_w, travel_w = fit(all_dating), fit(all_travel)
    cuts = (threshold([data[f].dating for f in TRAIN_SETS]),
            threshold([data[f].travel for f in TRAIN_SETS]))
    target = Path(weights.__file__)
    if args.check:
        current = target.read_text(encoding="utf-8") == render(dating_w, travel_w, cuts)
        print("weights.py is current" if current else "weights.py differs from the fit")
        return 0 if current else 1
    for label, features, fitted, rows in (("dating", dating.FEATURES, dating_w, all_dating),
                                          ("travel", travel.FEATURES, travel_w, all_travel)):
        print(f"{label}: {len(rows)} examples ({sum(e.label for e in rows)} positive), "
              f"training accuracy {accuracy(fitted, rows):.2f}")
        for name, value in zip(features, fitted, strict=True):
            print(f"  {name:<16}{value:>8.3f}")
    print(f"thresholds chosen leave-one-set-out: dating {cuts[0]}, travel {cuts[1]}")
    if args.loso:
        off_dating = (-5.0,) + (0.0,) * (len(dating.FEATURES) - 1)
        off_travel = (-5.0,) + (0.0,) * (len(travel.FEATURES) - 1)
        print("\nmeeting / plan / visit record F1: rules only | fitted without the set | "
              "fitted on all")
        for held in (*TRAIN_SETS, HELD_OUT):
            rest = [data[f] for f in TRAIN_SETS if f != held]
            d_w = fit([e for x in rest for e in x.dating])
            t_w = fit([e for x in rest for e in x.travel])
            print(f"  {held:<28} {scored(held, root, off_dating, off_travel)} | "
                  f"{scored(held, root, d_w, t_w)} | {scored(held, root, dating_w, travel_w)}")
    if args.write:
        target.write_text(render(dating_w, travel_w, cuts), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
