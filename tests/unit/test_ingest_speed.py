"""Extraction grows linearly with the text, on inputs crafted to make it quadratic.

Two checks, neither timed against a fixed budget: the number of function calls (exact, so
it catches a scan of every earlier record or sentence), and the CPU time of a 50 KB input
against the same input's unit read alone, times the number of units (catches the quadratic
work done inside one regex or one slice, which no call count sees). The 200 KB figures are in
tests/benchmarks/test_ingest_bench.py.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from types import FrameType
from typing import Any

import pytest

from bot.domain.errors import UserError
from bot.services.ingest import propose
from bot.services.ingest.build import _Uids
from bot.services.ingest.memo import clear_caches
from bot.services.ingest.sentences import MAX_SENTENCE, split_sentences
from tests.unit.ingest_crafted import BUILDERS, UNITS, crafted

TODAY = date(2026, 6, 30)


def _read(text: str) -> None:
    try:
        propose(text, dateline=None, today=TODAY)
    except UserError:
        pass  # refusing a text is reading it too


def _calls(text: str) -> int:
    clear_caches()
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        _read(text)
    finally:
        sys.setprofile(None)
    return count


def _cpu(text: str, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        clear_caches()
        start = time.process_time()
        _read(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_calls_grow_linearly(name: str) -> None:
    small, large = _calls(crafted(name, 4_000)), _calls(crafted(name, 16_000))
    # Four times the text, at most about four times the calls (quadratic work gives sixteen).
    assert large <= 5 * small, f"{name}: {small} calls at 4 KB, {large} at 16 KB"


def test_a_long_list_is_read_back_once() -> None:
    # Every item of a list looked back to the line opening it: at 4 KB that hid in the
    # noise, at 80 KB it made 5.5 times the calls of 20 KB.
    small, large = _calls(crafted("list-items", 20_000)), _calls(crafted("list-items", 80_000))
    assert large <= 4.5 * small, f"{small} calls at 20 KB, {large} at 80 KB"


@pytest.mark.parametrize("name", sorted(UNITS))
def test_cpu_time_grows_linearly(name: str) -> None:
    unit = UNITS[name]
    _cpu(unit * 8)  # the first reading pays for compiling patterns
    per_unit = _cpu(unit * 8, runs=5) / 8
    count = 50_000 // len(unit)
    spent = _cpu(unit * count)
    # A generous bound: four times what the units cost read eight at a time, plus a little.
    bound = 4 * count * per_unit + 0.05
    assert spent <= bound, f"{name}: {spent:.2f} s for {count} units; linear is ~{bound / 4:.2f}"


def test_no_sentence_runs_past_the_cap_however_long_the_line() -> None:
    line = "Deputy Prime Minister and Foreign Minister " * 2_000
    sentences = split_sentences(line)
    assert len(sentences) > len(line) // MAX_SENTENCE
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    # Cut between words, never inside one.
    words = {w for s in sentences for w in s.text.split()}
    assert words == {"Deputy", "Prime", "Minister", "and", "Foreign"}


def test_a_long_prose_sentence_is_cut_after_a_clause() -> None:
    clause = "the ministers reviewed trade, energy and transport links"
    line = ", ".join([clause] * 40) + "."
    first, *_ = split_sentences(line)
    assert len(first.text) <= MAX_SENTENCE and first.text.endswith(",")


def test_caches_do_not_change_the_answer() -> None:
    text = crafted("reports", 20_000)
    clear_caches()
    cold = propose(text, dateline=None, today=TODAY).bundle
    warm = propose(text, dateline=None, today=TODAY).bundle
    assert cold == warm


def test_uids_for_the_same_title_do_not_rescan_the_ones_taken() -> None:
    # Thousands of meetings called "Talks between Kenya and Ghana" once made each new uid
    # try -2, -3, … up to its own number: quadratic in loop steps, which no call count sees.
    uids = _Uids("a report")
    start = time.process_time()
    made = [uids.new("Talks between Kenya and Ghana") for _ in range(20_000)]
    spent = time.process_time() - start
    assert len(set(made)) == len(made)
    assert made[:3] == ["talks-between-kenya-and-ghana-" + uids.suffix,
                        "talks-between-kenya-and-ghana-2-" + uids.suffix,
                        "talks-between-kenya-and-ghana-3-" + uids.suffix]
    # Linear takes some hundredths of a second; the rescan took a minute.
    assert spent < 2.0, f"{spent:.2f} s for 20,000 uids"
