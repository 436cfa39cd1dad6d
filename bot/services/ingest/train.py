"""Fitting the ingest engine's learned weights on the labelled evaluation sets, offline.

`python -m bot.services.ingest.train` prints the fit and its leave-one-set-out figures;
`--write` rewrites `weights.py` with the coefficients; `--check` fails when the committed
coefficients are not what the sets give. The fit is plain batch gradient descent on a
logistic loss from zero weights, a fixed number of steps, rounded: the same sets give the
same file, byte for byte.

What is learned: for each record the report leaves undated (see `dating.py`), whether the
day told before it is its date (label 1) or the dateline's month is (label 0), read from the
hand-made expected records. A choice where neither or both readings match is no example.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.domain.errors import UserError
from bot.domain.interchange import Bundle
from bot.domain.records import RecordType
from bot.services.ingest import dating, evaluate, weights

# The labelled sets fitted on. The second set's held-out part stays out, so that it still
# measures text nobody fitted on; the sixth set is blind and is never read here.
TRAIN_SETS = ("tests/data/ingest", "tests/data/ingest2/tune", "tests/data/ingest3",
              "tests/data/ingest4", "tests/data/ingest5")
HELD_OUT = "tests/data/ingest2/heldout"
STEPS = 4000
RATE = 0.5
L2 = 0.02  # keeps a cue seen in a handful of examples from swinging the choice alone
DIGITS = 3


@dataclass(frozen=True)
class Example:
    case: str
    cues: tuple[float, ...]
    label: int


def _names(proposed: Bundle, expected: Bundle) -> Any:
    names = evaluate._Names(proposed, expected)
    people = evaluate._pair(RecordType.PERSON, proposed.people, expected.people, names)
    names.pairs = {a.uid: b.uid for a, b in people}
    return names


def _matches(kind: RecordType, record: Any, expected: Bundle, names: Any) -> bool:
    check = evaluate._EXACT[kind]
    return any(check(record, theirs, names) for theirs in expected.section(kind))


def _propose(text: Path) -> tuple[Bundle, list[dating.DateChoice]]:
    try:
        proposal = evaluate.propose(text.read_text(encoding="utf-8"), dateline=None,
                                    today=evaluate.EVAL_TODAY)
    except UserError:
        return Bundle(), []
    return proposal.bundle, proposal.date_choices


def examples(folder: str, root: Path) -> list[Example]:
    """Every labelled choice of one set."""
    out = []
    for text, labels in evaluate.cases([root / folder]):
        bundle, choices = _propose(text)
        expected = evaluate.load_expected(labels)
        names = _names(bundle, expected)
        for choice in choices:
            kind = RecordType.MEETING if choice.kind == "meeting" else RecordType.PLAN
            record = bundle.section(kind)[choice.position]
            as_day = _matches(kind, replace(record, date=choice.day), expected, names)
            as_month = _matches(kind, replace(record, date=choice.month), expected, names)
            if as_day != as_month:
                out.append(Example(f"{folder}/{text.stem}",
                                   tuple(choice.cues[name] for name in dating.FEATURES),
                                   int(as_day)))
    return out


def fit(data: Sequence[Example]) -> tuple[float, ...]:
    """Logistic regression by batch gradient descent; deterministic, rounded."""
    width = len(dating.FEATURES)
    w = [0.0] * width
    if not data:
        return tuple(w)
    for _ in range(STEPS):
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


def accuracy(coefficients: tuple[float, ...], data: Sequence[Example]) -> float:
    right = sum((dating.score(dict(zip(dating.FEATURES, e.cues, strict=True)), coefficients)
                 > 0.5) == bool(e.label) for e in data)
    return right / len(data) if data else 1.0


def scored(folder: str, root: Path, coefficients: tuple[float, ...]) -> evaluate.Score:
    """The set's record scores with the engine running on `coefficients`."""
    kept = weights.DATING
    weights.DATING = coefficients
    try:
        total, _ = evaluate.evaluate([root / folder])
    finally:
        weights.DATING = kept
    return total


def render(coefficients: tuple[float, ...]) -> str:
    rows = "".join(f"    {value!r},  # {name}\n"
                   for name, value in zip(dating.FEATURES, coefficients, strict=True))
    sets = ",\n".join(TRAIN_SETS)
    return (f'"""Coefficients the engine reads at run time, fitted offline by '
            f'`bot/services/ingest/train.py`.\n\nGenerated from the labels of {sets}.\n'
            f'Do not edit by hand: `python -m bot.services.ingest.train --write` rewrites it '
            f'and\n`--check` says whether it is current.\n"""\n\n'
            f"from __future__ import annotations\n\n"
            f"# dating.FEATURES, in order: the logistic score for dating an undated record by "
            f"the day told\n# before it (above 0.5) rather than by the dateline's month.\n"
            f"DATING: tuple[float, ...] = (\n{rows})\n")


_KINDS = (RecordType.MEETING, RecordType.PLAN, RecordType.VISIT)


def _f1(score: evaluate.Score) -> str:
    return " / ".join(f"{score.tally(k).f1:.2f}" for k in _KINDS)


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
    # Examples are read with the engine's choices made by the committed weights; the cues
    # themselves do not depend on the weights, so the examples do not either.
    data = {folder: examples(folder, root) for folder in TRAIN_SETS}
    everything = [e for folder in TRAIN_SETS for e in data[folder]]
    coefficients = fit(everything)
    target = Path(weights.__file__)
    if args.check:
        current = target.read_text(encoding="utf-8") == render(coefficients)
        print("weights.py is current" if current else "weights.py differs from the fit")
        return 0 if current else 1
    positives = sum(e.label for e in everything)
    print(f"{len(everything)} examples ({positives} take the told day), "
          f"training accuracy {accuracy(coefficients, everything):.2f}")
    for name, value in zip(dating.FEATURES, coefficients, strict=True):
        print(f"  {name:<16}{value:>8.3f}")
    if args.loso:
        print("\nLeave one set out (meeting / plan / visit record F1): "
              "month always, fitted without the set, fitted on all")
        month_only = (-1.0,) + (0.0,) * (len(dating.FEATURES) - 1)
        for held in (*TRAIN_SETS, HELD_OUT):
            rest = [e for folder in TRAIN_SETS if folder != held for e in data[folder]]
            without = fit(rest)
            held_data = data.get(held) or examples(held, root)
            print(f"  {held:<28} {_f1(scored(held, root, month_only))}   "
                  f"{_f1(scored(held, root, without))}   {_f1(scored(held, root, coefficients))}"
                  f"   (choices right {accuracy(without, held_data):.2f} of {len(held_data)})")
    if args.write:
        target.write_text(render(coefficients), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
