"""The timeline picture stays readable however crowded: labels never overlap each other or
today's line, and marks that crowd are drawn as groups with their count, never dropped.

Checked on the figure matplotlib actually draws: every label's box as rendered."""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

import pytest

from bot.services.timeline import _draw, _layout, label_width, render_timeline, styled
from tests.timeline_samples import crowded


@functools.cache
def drawn(name: str) -> tuple[Any, list[Any], list[float]]:
    """The figure, its label boxes as rendered (pixels), and where today's line is drawn."""
    with styled():
        figure = _draw(CASES[name])
        figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    labels = [t.get_window_extent(renderer) for ax in figure.axes for t in ax.texts
              if t.get_gid() == "attache-label" and t.get_text()]
    lines = [ax.transData.transform((line.get_xdata()[0], 0))[0]
             for ax in figure.axes for line in ax.get_lines() if line.get_linestyle() == "--"]
    return figure, labels, lines


CASES = {
    "50 per lane over two years": crowded(50),
    "50 per lane around today": crowded(50, around_today=True),
    "100 per lane": crowded(100, seed=3),
    "5 per lane": crowded(5, seed=11),
}


@pytest.mark.parametrize("name", list(CASES))
def test_no_label_overlaps_another_or_todays_line(name: str) -> None:
    _, labels, lines = drawn(name)
    assert labels, "nothing was labelled"
    assert lines, "today's line was not drawn"
    for a, b in itertools.combinations(labels, 2):
        assert not a.overlaps(b), (name, a, b)
    for box in labels:
        for x in lines:
            assert not box.x0 - 1 <= x <= box.x1 + 1, (name, box, x)


@pytest.mark.parametrize("name", list(CASES))
def test_every_mark_is_labelled_alone_or_counted_in_a_group(name: str) -> None:
    timeline = CASES[name]
    figure, _, _ = drawn(name)
    _, lanes = _layout(timeline, label_width)
    for lane, placed, _ in lanes.placed:
        assert sum(len(p.marks) for p in placed) == timeline.count(lane)
        for item in placed:
            assert item.label_side, (name, lane, item.text, len(item.marks))
            if item.grouped:
                # Its label says the months ("Mar–Jun 2025", or "Mar–Jun" where that is
                # too long), its marker the count.
                assert re.fullmatch(r"[A-Z][a-z]{2}( \d{4})?(–[A-Z][a-z]{2}( \d{4})?)?",
                                    item.text), item.text
    counts = sorted(t.get_text() for ax in figure.axes for t in ax.texts
                    if t.get_text().isdigit())
    assert counts == sorted(str(len(p.marks)) for _, placed, _ in lanes.placed
                            for p in placed if p.grouped)


def test_groups_are_only_where_marks_crowd() -> None:
    _, lanes = _layout(CASES["5 per lane"], lambda text: 6.0 * len(text))
    assert all(not p.grouped for _, placed, _ in lanes.placed for p in placed)
    _, lanes = _layout(CASES["50 per lane over two years"], lambda text: 6.0 * len(text))
    singles = sum(1 for _, placed, _ in lanes.placed for p in placed if not p.grouped)
    assert singles >= 25  # at 50 per lane, many marks still keep a label of their own


def test_the_subtitle_says_how_many_were_grouped() -> None:
    figure, _, _ = drawn("100 per lane")
    texts = [t.get_text() for t in figure.texts]
    assert any("drawn in groups where they crowd" in t for t in texts)
    assert not any("left out" in t for t in texts)


def test_fifty_per_lane_renders_to_the_readme_picture_size() -> None:
    png = render_timeline(CASES["50 per lane over two years"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@pytest.mark.parametrize(("text", "known"), [
    ("Foreign Minister (Kazakhstan) → Pakistan #12", True), ("AVAVAVAV Wally", True),
    ("W" * 46, True), ("iiiiiiiiiiiiiiii", True), ("Côte d'Ivoire talks «x» (postponed)", True),
    ("Mar–Jun 2025", True), ("Türkiye–Mexico bilateral talks on tourism", True),
    # Characters the label font lacks count as wider than any is.
    ("日本 talks", False),
])
def test_a_label_is_measured_no_narrower_than_it_is_drawn(text: str, known: bool) -> None:
    """Labels are measured from each character's advance, not laid out by FreeType one by
    one: never narrower than drawn (so neighbours never touch), and only a little wider."""
    from matplotlib.font_manager import FontProperties

    from bot.services.timeline import LABEL_SIZE

    with styled():
        figure = _draw(CASES["5 per lane"])
        drawn_px = figure.canvas.get_renderer().get_text_width_height_descent(
            text, FontProperties(size=LABEL_SIZE), ismath=False)[0]
    assert drawn_px <= label_width(text)
    if known:
        # Kerning ("AV") is what is left out: a few per cent.
        assert label_width(text) <= drawn_px * 1.1 + 4


def test_the_axis_starts_at_since_only_when_nothing_after_it_is_left_out() -> None:
    from datetime import date

    from bot.domain.fuzzydate import FuzzyDate
    from bot.services.timeline import Lane, LeftOut, Mark, MarkState, Timeline

    today = date(2025, 9, 12)
    marks = (Mark(Lane.MEETINGS, "Talks", FuzzyDate(date(2025, 8, 1)), MarkState.HAPPENED),)
    since = FuzzyDate.month(2025, 3)
    whole = Timeline("Atlantis", today, marks, since=since)
    cut = Timeline("Atlantis", today, marks, since=since,
                   left_out=(LeftOut(Lane.MEETINGS, earlier=40),))
    day_of = date(1970, 1, 1).toordinal()
    assert _layout(whole, label_width)[0][0].lo == date(2025, 3, 1).toordinal() - day_of
    # Cut: what lies between `since` and the first mark is not drawn as if it were empty.
    assert _layout(cut, label_width)[0][0].lo > date(2025, 7, 1).toordinal() - day_of
    assert whole.title == "Atlantis: engagements since March 2025"
    assert cut.title == "Atlantis: latest engagements since 1 August 2025"
