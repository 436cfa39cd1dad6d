"""Scoring proposals against hand-made expected records: precision, recall and F1 per type/field.

Run `python -m bot.services.ingest.evaluate tests/data/ingest` to print the table. Each case
is `NN-name.txt` with `NN-name.expected.json` beside it (export schema; uids are free).

A record counts as found only when it matches an expected one on what identifies it: its
type, its title (or, for a meeting, its kind and who took part; for a visit, who travelled
from where to where), its date and the date's precision. Fields are scored on records paired
more loosely (same kind of thing, overlapping dates), so a date read to the month instead of
the day shows up as a wrong `visit.date`, not only as a missed visit.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.domain.countries import all_countries
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.interchange import Bundle, bundle_from_json
from bot.domain.records import FollowUp, Meeting, Person, Plan, RecordType, Visit
from bot.services.ingest.extract import propose

# The corpus is read as if today were this day: a text without a dateline needs one, and a
# fixed day keeps the scores the same whenever they are computed.
EVAL_TODAY = date(2026, 6, 30)
_TYPES = (RecordType.PERSON, RecordType.MEETING, RecordType.PLAN, RecordType.VISIT,
          RecordType.SOURCE, RecordType.FOLLOWUP)
_GENERIC = set("""a an the of on for and in to with by at from between its their his her two
    agreement agreements memorandum memoranda understanding mou mous treaty protocol roadmap
    plan action programme cooperation joint statement talks meeting visit""".split())
# A follow-up's verb says what kind of work it is, not which work: "prepare" and "draft" the
# same text are one follow-up, so verbs and their objects' articles do not tell them apart.
_WORK_VERBS = set("""finalise finalize prepare draft hold conclude complete organise organize
    meet work set up launch submit present review start begin sign agree""".split())
_COUNTRY_WORDS = {w for c in all_countries() for form in (c.name, *c.demonyms)
                  for w in re.findall(r"\w+", form.lower())}


@dataclass
class Tally:
    proposed: int = 0
    expected: int = 0
    correct: int = 0

    def add(self, other: Tally) -> None:
        self.proposed += other.proposed
        self.expected += other.expected
        self.correct += other.correct

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    records: dict[RecordType, Tally] = field(default_factory=dict)  # record-level matches
    loose: dict[RecordType, Tally] = field(default_factory=dict)  # the pairing fields use
    fields: dict[str, Tally] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # texts the engine would not read

    def tally(self, kind: RecordType) -> Tally:
        return self.records.setdefault(kind, Tally())

    def loose_tally(self, kind: RecordType) -> Tally:
        return self.loose.setdefault(kind, Tally())

    def field(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def add(self, other: Score) -> None:
        for kind, tally in other.records.items():
            self.tally(kind).add(tally)
        for kind, tally in other.loose.items():
            self.loose_tally(kind).add(tally)
        for name, tally in other.fields.items():
            self.field(name).add(tally)
        self.refused += other.refused


# --- normalising ----------------------------------------------------------------------------


def norm(text: str | None) -> str:
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"^(?:the|and)\s+", "", plain.strip())
    return " ".join(re.findall(r"\w+", plain))


def _tokens(text: str) -> set[str]:
    """Words that tell plans and meetings apart; "Pakistan–Kazakhstan" and "MoU" do not."""
    return {w.rstrip("s") for w in norm(text).split()
            if w not in _GENERIC and w not in _COUNTRY_WORDS}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def role_key(role: str) -> str:
    """ "President of Kazakhstan" and "President" are the same office for scoring."""
    words = [w for w in norm(role).split() if w not in _COUNTRY_WORDS and w != "of"]
    return " ".join(words)


def _date(value: FuzzyDate | None) -> str:
    return f"{value.value}/{value.precision.value}" if value else ""


def _near(a: FuzzyDate | None, b: FuzzyDate | None) -> bool:
    if a is None or b is None:
        return True
    return a.overlaps(b.start, b.end)


# --- pairing --------------------------------------------------------------------------------


class _Names:
    """Person uids of both sides, read as names so references can be compared."""

    def __init__(self, proposed: Bundle, expected: Bundle) -> None:
        self.proposed = {p.uid: norm(p.name) for p in proposed.people}
        self.expected = {p.uid: norm(p.name) for p in expected.people}
        self.pairs: dict[str, str] = {}  # proposed uid -> expected uid, from person pairing
        self.records: dict[str, str] = {}  # the same for visits and plans, matched exactly

    def same(self, proposed_uid: str | None, expected_uid: str | None) -> bool:
        if proposed_uid is None or expected_uid is None:
            return False
        return self.pairs.get(proposed_uid) == expected_uid


def _person_score(a: Person, b: Person, _: _Names) -> float | None:
    x, y = set(norm(a.name).split()), set(norm(b.name).split())
    if x == y:
        return 1.0
    if x and y and (x <= y or y <= x) and norm(a.name).split()[-1] == norm(b.name).split()[-1]:
        return 0.8
    return None


def _meeting_score(a: Meeting, b: Meeting, names: _Names) -> float | None:
    if not _near(a.date, b.date):
        return None
    words = _jaccard(_tokens(a.title + " " + " ".join(a.topics)),
                     _tokens(b.title + " " + " ".join(b.topics)))
    people = {names.pairs.get(p.person) for p in a.participants} - {None}
    theirs = {p.person for p in b.participants}
    shared = _jaccard(people, theirs) if people | theirs else 0.5  # type: ignore[arg-type]
    score = 0.5 * (a.kind is b.kind) + 0.3 * words + 0.2 * shared
    return score if score >= 0.35 else None


def _plan_score(a: Plan, b: Plan, _: _Names) -> float | None:
    if not _near(a.date, b.date):
        return None
    mine, theirs = _tokens(a.title), _tokens(b.title)
    words = _jaccard(mine, theirs)
    if words == 0 and not (a.kind is b.kind and (not mine or not theirs)):
        return None
    return 0.4 * (a.kind is b.kind) + 0.6 * words + 0.1


def _visit_score(a: Visit, b: Visit, names: _Names) -> float | None:
    if not _near(a.date, b.date):
        return None
    if a.visitor and b.visitor:
        who = 1.0 if names.same(a.visitor, b.visitor) else 0.0
        if not who:
            return None
    else:
        who = 1.0 if role_key(a.visitor_role) == role_key(b.visitor_role) else 0.3
    direction = (a.from_country == b.from_country) + (a.to_country == b.to_country)
    score = 0.4 * who + 0.2 * direction + 0.2 * (_date_of(a) == _date_of(b))
    return score if score >= 0.5 else None


def _work(text: str) -> set[str]:
    return {w for w in _tokens(text) if w not in _WORK_VERBS}


def _anchor(f: FollowUp, names: _Names, *, mine: bool) -> str:
    """What a follow-up's deadline hangs on: "visit:<uid>", "plan:<uid>" or "" (a date of
    its own); a proposed link is read as the expected record it was matched with."""
    if not f.due_before:
        return ""
    linked = getattr(f, f.due_before) or ""
    if mine:
        linked = names.records.get(linked, "?")
    return f"{f.due_before}:{linked}"


def _followup_score(a: FollowUp, b: FollowUp, names: _Names) -> float | None:
    words = _jaccard(_work(a.what), _work(b.what))
    same_anchor = _anchor(a, names, mine=True) == _anchor(b, names, mine=False)
    if words == 0 and not (same_anchor and a.due_before):
        return None
    return 0.6 * words + 0.3 * same_anchor + 0.1 * (_date(a.due) == _date(b.due))


def _followup_exact(a: FollowUp, b: FollowUp, names: _Names) -> bool:
    if _date(a.due) != _date(b.due):
        return False
    if _anchor(a, names, mine=True) != _anchor(b, names, mine=False):
        return False
    return _jaccard(_work(a.what), _work(b.what)) >= 0.5


def _date_of(record: Any) -> str:
    return _date(getattr(record, "date", None))


# --- record-level matching --------------------------------------------------------------------


def _titles_agree(a: str, b: str) -> bool | None:
    """Whether two titles name the same thing; None when neither has a telling word."""
    mine, theirs = _tokens(a), _tokens(b)
    if not mine and not theirs:
        return None
    return _jaccard(mine, theirs) >= 0.5


def _same_people(a: Any, b: Any, names: _Names, field_name: str) -> bool:
    mine = {names.pairs.get(p.person) for p in getattr(a, field_name)}
    theirs = {p.person for p in getattr(b, field_name)}
    return bool(theirs) and mine == theirs


def _meeting_exact(a: Meeting, b: Meeting, names: _Names) -> bool:
    if _date(a.date) != _date(b.date):
        return False
    if _titles_agree(a.title + " " + " ".join(a.topics), b.title + " " + " ".join(b.topics)):
        return True
    if a.kind is not b.kind:
        return False
    if a.participants or b.participants:
        return _same_people(a, b, names, "participants")
    return set(a.countries) == set(b.countries)


def _plan_exact(a: Plan, b: Plan, _: _Names) -> bool:
    if _date(a.date) != _date(b.date):
        return False
    agree = _titles_agree(a.title, b.title)
    if agree is None:
        return a.kind is b.kind and set(a.parties) == set(b.parties)
    return agree


def _visit_exact(a: Visit, b: Visit, names: _Names) -> bool:
    if _date(a.date) != _date(b.date):
        return False
    if (a.from_country, a.to_country) != (b.from_country, b.to_country):
        return False
    if a.visitor and b.visitor:
        return names.same(a.visitor, b.visitor)
    return role_key(a.visitor_role) == role_key(b.visitor_role)


_EXACT: dict[RecordType, Callable[[Any, Any, _Names], bool]] = {
    RecordType.PERSON: lambda a, b, names: _person_score(a, b, names) is not None,
    RecordType.MEETING: _meeting_exact,
    RecordType.PLAN: _plan_exact,
    RecordType.VISIT: _visit_exact,
    RecordType.SOURCE: lambda a, b, _: _date(a.published) == _date(b.published),
    RecordType.FOLLOWUP: _followup_exact,
}


_SCORERS: dict[RecordType, Callable[[Any, Any, _Names], float | None]] = {
    RecordType.PERSON: _person_score,
    RecordType.MEETING: _meeting_score,
    RecordType.PLAN: _plan_score,
    RecordType.VISIT: _visit_score,
    RecordType.SOURCE: lambda a, b, _: 1.0,
    RecordType.FOLLOWUP: _followup_score,
}


def _pair(
    kind: RecordType, mine: list[Any], theirs: list[Any], names: _Names, *, exact: bool = False
) -> list[tuple[Any, Any]]:
    """Records paired one to one, best first; `exact` keeps only record-level matches."""
    scored = []
    for i, a in enumerate(mine):
        for j, b in enumerate(theirs):
            value = _SCORERS[kind](a, b, names)
            if exact and not _EXACT[kind](a, b, names):
                continue
            if value is not None or exact:
                scored.append((value or 0.0, i, j))
    pairs, used_a, used_b = [], set(), set()
    for _, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((mine[i], theirs[j]))
    return pairs


# --- fields ---------------------------------------------------------------------------------


def _one(score: Score, name: str, mine: str, theirs: str) -> None:
    tally = score.field(name)
    tally.proposed += bool(mine)
    tally.expected += bool(theirs)
    tally.correct += bool(mine) and mine == theirs


def _many(score: Score, name: str, mine: Iterable[str], theirs: Iterable[str]) -> None:
    a, b = set(mine) - {""}, set(theirs) - {""}
    tally = score.field(name)
    tally.proposed += len(a)
    tally.expected += len(b)
    tally.correct += len(a & b)


def _fields(score: Score, kind: RecordType, a: Any, b: Any, names: _Names) -> None:
    person = names.pairs.get
    if kind is RecordType.PERSON:
        _one(score, "person.title", norm(a.title), norm(b.title))
        _one(score, "person.country", a.country, b.country)
    elif kind is RecordType.MEETING:
        _one(score, "meeting.kind", a.kind.value, b.kind.value)
        _one(score, "meeting.date", _date(a.date), _date(b.date))
        _one(score, "meeting.place", norm(a.place), norm(b.place))
        _many(score, "meeting.countries", a.countries, b.countries)
        _many(score, "meeting.participants", [person(p.person) or "?" for p in a.participants],
              [p.person for p in b.participants])
        _many(score, "meeting.parts", [f"{person(p.person)}:{norm(p.part)}" for p in a.participants
                                       if p.part], [f"{p.person}:{norm(p.part)}"
                                                    for p in b.participants if p.part])
    elif kind is RecordType.PLAN:
        _one(score, "plan.kind", a.kind.value, b.kind.value)
        _one(score, "plan.status", a.status.value, b.status.value)
        _one(score, "plan.date", _date(a.date), _date(b.date))
        _many(score, "plan.parties", a.parties, b.parties)
        _many(score, "plan.signatories", [person(s.person) or "?" for s in a.signatories],
              [s.person for s in b.signatories])
        _many(score, "plan.fields", map(norm, a.fields), map(norm, b.fields))
    elif kind is RecordType.VISIT:
        _one(score, "visit.visitor", (person(a.visitor) or "?") if a.visitor else "",
             b.visitor or "")
        _one(score, "visit.role", role_key(a.visitor_role), role_key(b.visitor_role))
        _one(score, "visit.from", a.from_country, b.from_country)
        _one(score, "visit.to", a.to_country, b.to_country)
        _one(score, "visit.date", _date(a.date), _date(b.date))
        _one(score, "visit.end_date", _date(a.end_date), _date(b.end_date))
        _one(score, "visit.status", a.status.value, b.status.value)
    elif kind is RecordType.FOLLOWUP:
        _one(score, "followup.due", _date(a.due), _date(b.due))
        _one(score, "followup.anchor", _anchor(a, names, mine=True) or "own date",
             _anchor(b, names, mine=False) or "own date")
    else:
        _one(score, "source.published", _date(a.published), _date(b.published))


# Fields grouped as the issue asks for them: dates (with precision), parties, status, signatories.
GROUPS = {
    "dates": ("meeting.date", "plan.date", "visit.date", "visit.end_date", "source.published"),
    "parties": ("meeting.countries", "plan.parties", "visit.from", "visit.to"),
    "status": ("plan.status", "visit.status"),
    "signatories": ("plan.signatories",),
    "people": ("meeting.participants", "plan.signatories", "visit.visitor"),
    "countries": ("person.country", "meeting.countries", "plan.parties", "visit.from",
                  "visit.to"),
}


def score_bundles(proposed: Bundle, expected: Bundle) -> Score:
    """Record-level counts per type (`records`), the looser pairing's counts (`loose`), and
    field counts on the loosely paired records."""
    score = Score()
    names = _Names(proposed, expected)
    people = _pair(RecordType.PERSON, proposed.people, expected.people, names)
    names.pairs = {a.uid: b.uid for a, b in people}
    for kind in _TYPES:
        mine, theirs = proposed.section(kind), expected.section(kind)
        loose = people if kind is RecordType.PERSON else _pair(kind, mine, theirs, names)
        exact = _pair(kind, mine, theirs, names, exact=True)
        if kind in (RecordType.VISIT, RecordType.PLAN):
            names.records.update((a.uid, b.uid) for a, b in exact)
        for tally, pairs in ((score.tally(kind), exact), (score.loose_tally(kind), loose)):
            tally.proposed += len(mine)
            tally.expected += len(theirs)
            tally.correct += len(pairs)
        for a, b in loose:
            _fields(score, kind, a, b, names)
    return score


def load_expected(path: Path) -> Bundle:
    bundle, errors = bundle_from_json(json.loads(path.read_text(encoding="utf-8")))
    if errors:
        raise ValueError(f"{path}: " + "; ".join(map(str, errors)))
    return bundle


def cases(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """(text, expected) pairs from files and directories (and their folders), in name order."""
    found = []
    for path in paths:
        texts = sorted(path.rglob("*.txt"), key=lambda p: p.name) if path.is_dir() else [path]
        for text in texts:
            expected = text.with_suffix(".expected.json")
            if expected.exists():
                found.append((text, expected))
    return found


def evaluate(paths: Sequence[Path]) -> tuple[Score, list[tuple[str, Score]]]:
    """Scores every case; a text the engine refuses scores as a proposal of nothing."""
    total, each = Score(), []
    for text, expected in cases(paths):
        try:
            proposed = propose(text.read_text(encoding="utf-8"), dateline=None,
                               today=EVAL_TODAY).bundle
            refused = []
        except UserError:
            proposed, refused = Bundle(), [text.stem]
        if "followups" not in json.loads(expected.read_text(encoding="utf-8")):
            # A set labelled before ingest read follow-ups says nothing of them either way.
            proposed.followups = []
        score = score_bundles(proposed, load_expected(expected))
        score.refused += refused
        total.add(score)
        each.append((text.stem, score))
    return total, each


def _row(label: str, tally: Tally) -> str:
    return (f"{label:<22}{tally.proposed:>9}{tally.expected:>9}{tally.correct:>9}"
            f"{tally.precision:>8.2f}{tally.recall:>8.2f}{tally.f1:>8.2f}")


def table(total: Score, each: list[tuple[str, Score]], *, per_text: bool = True) -> str:
    head = f"{'':<22}{'proposed':>9}{'expected':>9}{'correct':>9}{'P':>8}{'R':>8}{'F1':>8}"
    lines = [f"Records ({len(each)} texts; type, title or sides, date and precision match)",
             head]
    lines += [_row(kind.value, total.tally(kind)) for kind in _TYPES]
    lines += ["", "Records paired loosely (overlapping dates, similar titles)", head]
    lines += [_row(kind.value, total.loose_tally(kind)) for kind in _TYPES]
    if total.refused:
        lines += ["", f"Refused as not a report: {len(total.refused)} text(s)"]
    lines += ["", "Fields (on loosely paired records)", head]
    lines += [_row(name, tally) for name, tally in sorted(total.fields.items())]
    lines += ["", "Field groups", head]
    for group, members in GROUPS.items():
        tally = Tally()
        for member in members:
            tally.add(total.field(member))
        lines.append(_row(group, tally))
    if not per_text:
        return "\n".join(lines)
    lines += ["", "Record F1 per text",
              f"{'':<40}" + "".join(f"{k.value[:7]:>9}" for k in _TYPES[:4])]
    for name, score in each:
        lines.append(f"{name[:40]:<40}" + "".join(f"{score.tally(k).f1:>9.2f}" for k in _TYPES[:4])
                     + ("  refused" if score.refused else ""))
    return "\n".join(lines)


# The project's evaluation sets, as `--summary` reports them: the ones tuned on, the third
# and fourth (blind when scored first, then studied text by text) and the held-out part of
# the second set, read only as totals. A blind set joins only after its first scoring, so
# that nobody tuning the engine reads its figures on the way.
SETS = (("first corpus (tuned)", "tests/data/ingest"),
        ("second set, tuning part", "tests/data/ingest2/tune"),
        ("second set, held out", "tests/data/ingest2/heldout"),
        ("third set (studied)", "tests/data/ingest3"),
        ("fourth set (studied)", "tests/data/ingest4"),
        ("fifth set (development)", "tests/data/ingest5"),
        ("sixth set, blind", "tests/data/ingest6"),
        ("seventh set (development)", "tests/data/ingest7"))


def summary(root: Path) -> str:
    """Record F1 per type and the field groups of every set under `root`, one row a set."""
    kinds = [k for k in _TYPES if k is not RecordType.SOURCE]
    head = f"{'':<28}" + "".join(f"{k.value[:8]:>10}" for k in kinds) + "".join(
        f"{g[:8]:>10}" for g in ("dates", "parties", "status", "signatories"))
    lines = ["Record F1 per type, and field groups (F1)", head]
    for label, folder in SETS:
        total, each = evaluate([root / folder])
        if not each:
            continue
        groups = []
        for group in ("dates", "parties", "status", "signatories"):
            tally = Tally()
            for member in GROUPS[group]:
                tally.add(total.field(member))
            groups.append(tally.f1)
        cells = [total.tally(k).f1 if total.tally(k).expected else float("nan") for k in kinds]
        lines.append(f"{f'{label} ({len(each)})':<28}" + "".join(f"{v:>10.2f}" for v in cells)
                     + "".join(f"{v:>10.2f}" for v in groups))
    lines.append("(nan: the set labels none of that type)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.services.ingest.evaluate",
                                     description="Score ingest proposals against expected records.")
    parser.add_argument("paths", nargs="*", type=Path, help="case directories or .txt files")
    parser.add_argument("--totals", action="store_true",
                        help="print totals only, no line per text (for a held-out set)")
    parser.add_argument("--summary", action="store_true",
                        help="one row per evaluation set of the project (tuned, held out, blind)")
    args = parser.parse_args(argv)
    if args.summary:
        print(summary(Path.cwd()))
        return 0
    if not args.paths:
        parser.error("give case directories or files, or --summary")
    total, each = evaluate(args.paths)
    if not each:
        print("No cases found (NN-name.txt beside NN-name.expected.json).", file=sys.stderr)
        return 1
    print(table(total, each, per_text=not args.totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
