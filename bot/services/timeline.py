"""The timeline picture: one country's meetings, signings and visits drawn on a time axis as PNG."""

from __future__ import annotations

import io
import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    Person,
    Plan,
    PlanStatus,
    RecordType,
    Visit,
    VisitStatus,
)
from bot.services.desk import DeskService
from bot.stores.records import RecordFilter

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LABEL_MAX = 46
# A label cut shorter than this says too little to be worth drawing.
LABEL_MIN = 10

CONCLUDED = (PlanStatus.SIGNED, PlanStatus.IN_FORCE, PlanStatus.EXPIRED)


class Lane(StrEnum):
    MEETINGS = "meetings"
    SIGNINGS = "signings"
    VISITS = "visits"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MarkState(StrEnum):
    """How a mark is drawn: filled once it happened, hollow while expected, crossed if off."""

    HAPPENED = "happened"
    EXPECTED = "expected"
    CALLED_OFF = "called off"


@dataclass(frozen=True)
class Mark:
    lane: Lane
    label: str
    when: FuzzyDate
    state: MarkState
    # The last day of a visit lasting several days, as far as it is known.
    end: FuzzyDate | None = None

    @property
    def first(self) -> date:
        return self.when.start

    @property
    def stop(self) -> date:
        """The first day after the mark's period (exclusive end)."""
        return max((self.end or self.when).end, self.when.end)

    @property
    def uncertain(self) -> bool:
        """Known only to the month, quarter or year: drawn as a pale span over the whole period."""
        return not self.when.is_exact_day or (self.end is not None and not self.end.is_exact_day)


@dataclass(frozen=True)
class Timeline:
    country: str
    today: date
    marks: tuple[Mark, ...]
    since: FuzzyDate | None = None

    @property
    def start(self) -> FuzzyDate:
        if self.since is not None:
            return self.since
        return min(m.when for m in self.marks)

    @property
    def title(self) -> str:
        return f"{self.country}: engagements since {self.start.render()}"

    def count(self, lane: Lane) -> int:
        return sum(1 for m in self.marks if m.lane is lane)


# --- building --------------------------------------------------------------------------------


MARKS_PER_LANE = 300


async def build_timeline(
    desk: DeskService, guild_id: int, country: str, *, since: FuzzyDate | None = None
) -> Timeline:
    """The dated meetings, plans and visits on record for `country`, from `since` on."""
    name = normalise_country(country)
    if not name:
        raise UserError("Name a country, e.g. Kazakhstan, Kazakh or KZ.")
    today = await desk.today(guild_id)
    if since is not None and since.start > today:
        raise UserError(
            f"`since` is {since.render()}, which is after today ({_day(today)}); give a date "
            "in the past, e.g. 2024 or January 2025."
        )
    # The newest MARKS_PER_LANE of each kind: more marks than that cannot be told apart in
    # one picture, and reading them all would make a big country's picture slow.
    flt = RecordFilter(country=name, date_from=since.start if since else None,
                       newest_first=True, limit=MARKS_PER_LANE)
    meetings = [m for m in await desk.records_page(guild_id, RecordType.MEETING, flt)
                if isinstance(m, Meeting)]
    plans = [p for p in await desk.records_page(guild_id, RecordType.PLAN, flt)
             if isinstance(p, Plan) and p.date is not None]
    visits = [v for v in await desk.records_page(guild_id, RecordType.VISIT, flt)
              if isinstance(v, Visit)]
    people = await desk.people(guild_id, {v.visitor for v in visits if v.visitor})

    marks = [_meeting_mark(m, today) for m in meetings]
    marks += [_plan_mark(p) for p in plans]
    marks += [_visit_mark(v, people) for v in visits]
    if not marks:
        after = f" since {since.render()}" if since else ""
        raise UserError(
            f"Nothing to draw for **{name}**: no meetings, dated plans or visits are recorded"
            f"{after}. Add them with `/meeting add`, `/plan add` or `/visit add`."
        )
    marks.sort(key=lambda m: (m.when, list(Lane).index(m.lane), m.label))
    return Timeline(country=name, today=today, marks=tuple(marks), since=since)


def _meeting_mark(m: Meeting, today: date) -> Mark:
    state = MarkState.EXPECTED if m.date.start > today else MarkState.HAPPENED
    return Mark(Lane.MEETINGS, short_label(m.title), m.date, state)


def _plan_mark(p: Plan) -> Mark:
    assert p.date is not None
    state = MarkState.HAPPENED if p.status in CONCLUDED else MarkState.EXPECTED
    return Mark(Lane.SIGNINGS, short_label(p.title), p.date, state)


def _visit_mark(v: Visit, people: dict[str, Person]) -> Mark:
    person = people.get(v.visitor or "")
    suffix = ""
    if v.status is VisitStatus.COMPLETED:
        state = MarkState.HAPPENED
    elif v.status.is_open:
        state = MarkState.EXPECTED
    else:
        state = MarkState.CALLED_OFF
        suffix = f" ({v.status.label})"
    labels = []
    # The role says the level; a role too long for a label gives way to the visitor's name.
    for who in (v.visitor_role, person.name if person else v.visitor):
        if not who:
            continue
        # "Foreign Minister → Kazakhstan" would not say whose minister travelled.
        if v.from_country.casefold() not in who.casefold():
            who = f"{who} ({v.from_country})"
        labels.append(f"{who} → {v.to_country}")
    labels = labels or [f"Visit, {v.from_country} → {v.to_country}"]
    label = next((text for text in labels if len(text) <= LABEL_MAX), labels[0])
    # The status is never cut off: "postponed" and "cancelled" are what a reader needs to see.
    return Mark(Lane.VISITS, short_label(label) + suffix, v.date, state, end=v.end_date)


def short_label(text: str, limit: int = LABEL_MAX) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when it is too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Break after a word: at a space, or inside "delegation-level" at its hyphen.
    space = max(cut.rfind(" "), cut.rfind("-"), cut.rfind("–"))
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-→") + "…"


def attachment_name(prefix: str, country: str, extension: str) -> str:
    """'timeline-kazakhstan.png': ASCII, lowercase, safe as a file name anywhere."""
    plain = unicodedata.normalize("NFKD", country).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "country"
    return f"{prefix}-{slug}.{extension}"


def _count(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


# --- drawing ---------------------------------------------------------------------------------

WIDTH_PX = 1200
HEIGHT_PX = 600
DPI = 100

# The plot area inside the picture, in pixels: room for lane names, title, ticks and legend.
LEFT, RIGHT, TOP, BOTTOM = 110, 24, 84, 92
SEGMENT_GAP = 28
MIN_SEGMENT_SHARE = 0.22
MAX_SEGMENTS = 3
# An empty stretch longer than this (and than a fifth of the whole) is cut out of the axis,
# so a visit in 2003 does not squeeze everything since 2025 into a few pixels.
MIN_BREAK_DAYS = 730
BREAK_SHARE = 0.2
EDGE_DAYS = 30
MAX_SLOTS = 8
LABEL_SIZE = 8
MARKER_PX = 5.0
LABEL_PAD_PX = 3.0
SLOT_GAP_PX = 4.0
BAR_HALF_PX = 6.5

COLOURS = {Lane.MEETINGS: "#0072B2", Lane.SIGNINGS: "#009E73", Lane.VISITS: "#D55E00"}
MARKERS = {Lane.MEETINGS: "o", Lane.SIGNINGS: "D", Lane.VISITS: "^"}
TODAY_COLOUR = "#CC2A6B"
INK = "#222222"
MUTED = "#666666"
LEGEND = "#555555"
GRID = "#E5E7EB"
SHADE = "#F3F4F6"

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "attache",
    "date.epoch": "1970-01-01T00:00:00",
    "text.usetex": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "axes.unicode_minus": True,
}

# matplotlib keeps global state (rcParams, font caches) that is not safe to share between
# threads, and renders run in worker threads: one picture at a time.
_RENDER_LOCK = threading.Lock()
_matplotlib: Any = None


def _load_matplotlib() -> Any:
    """Imports matplotlib on first use: it is slow to import and only this picture needs it."""
    global _matplotlib
    if _matplotlib is None:
        import matplotlib

        matplotlib.use("Agg")  # never a display, even if pyplot is imported later
        _matplotlib = matplotlib
    return _matplotlib


@dataclass
class _Segment:
    """One stretch of the time axis, in matplotlib date numbers, and where it sits in pixels."""

    lo: float
    hi: float
    weight: float
    px0: float = 0.0
    px1: float = 0.0

    def px(self, x: float) -> float:
        return self.px0 + (x - self.lo) / (self.hi - self.lo) * (self.px1 - self.px0)

    def holds(self, x: float) -> bool:
        return self.lo <= x <= self.hi


@dataclass
class _Placed:
    mark: Mark
    x0: float
    x1: float
    anchor: float
    segment: int
    text: str = ""
    slot: int = 0
    label_side: str = ""  # "right", "left" or "" when the label was left out


def render_timeline(timeline: Timeline) -> bytes:
    """The picture as PNG bytes, WIDTH_PX × HEIGHT_PX; the same timeline gives the same bytes."""
    mpl = _load_matplotlib()
    with _RENDER_LOCK:
        rc = {k: v for k, v in mpl.rcParamsDefault.items() if k != "backend"}
        with mpl.rc_context({**rc, **STYLE}):
            figure = _draw(timeline)
            out = io.BytesIO()
            figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _num(d: date) -> float:
    """A day as matplotlib's date number (days since 1970-01-01, the epoch set in STYLE)."""
    return float(d.toordinal() - date(1970, 1, 1).toordinal())


def _anchor(mark: Mark) -> float:
    """Where the marker sits: at the start of the mark's period, midday if the day is known.

    Not the middle of an uncertain period: a meeting "in September" drawn on the 15th would
    look like it is still to come on the 12th.
    """
    return _num(mark.first) + (0.5 if mark.when.is_exact_day else 0.0)


def _segments(timeline: Timeline) -> list[_Segment]:
    """The stretches of time worth drawing, with long empty stretches between them cut out."""
    today = _num(timeline.today) + 0.5
    # (first, end, marks, holds today)
    spans = [(_num(m.first), _num(m.stop), 1, False) for m in timeline.marks]
    spans.append((today, today, 0, True))
    if timeline.since is not None:
        spans.append((_num(timeline.since.start), _num(timeline.since.start), 0, False))
    spans.sort()
    whole = max(s[1] for s in spans) - spans[0][0]
    threshold = max(MIN_BREAK_DAYS, BREAK_SHARE * whole)
    clusters: list[tuple[float, float, int, bool]] = []
    for lo, hi, n, now in spans:
        if clusters and lo - clusters[-1][1] <= threshold:
            c_lo, c_hi, c_n, c_now = clusters[-1]
            clusters[-1] = (c_lo, max(c_hi, hi), c_n + n, c_now or now)
        else:
            clusters.append((lo, hi, n, now))
    # A `since` long before the first record is said in the title, not drawn as empty space.
    clusters = [c for c in clusters if c[2] or c[3]]
    while len(clusters) > MAX_SEGMENTS:
        gaps = [clusters[i + 1][0] - clusters[i][1] for i in range(len(clusters) - 1)]
        i = gaps.index(min(gaps))
        a, b = clusters[i], clusters[i + 1]
        clusters[i : i + 2] = [(a[0], b[1], a[2] + b[2], a[3] or b[3])]
    start = _num(timeline.since.start) if timeline.since is not None else None
    out = []
    for lo, hi, n, _ in clusters:
        pad = max(EDGE_DAYS, 0.05 * (hi - lo))
        # An axis asked to begin at `since` begins there, not a month before.
        left = lo if lo == start else lo - pad
        out.append(_Segment(left, hi + pad, weight=math.sqrt(max(n, 1))))
    width = WIDTH_PX - LEFT - RIGHT - SEGMENT_GAP * (len(out) - 1)
    shares = [s.weight / sum(s.weight for s in out) for s in out]
    if len(out) > 1:
        # The busiest stretch gets the most room, but a lone visit in 2003 still gets some.
        shares = [max(MIN_SEGMENT_SHARE, share) for share in shares]
        shares = [share / sum(shares) for share in shares]
    x = float(LEFT)
    for segment, share in zip(out, shares, strict=True):
        segment.px0, segment.px1 = x, x + share * width
        x = segment.px1 + SEGMENT_GAP
    return out


def _place(
    marks: Sequence[Mark], segments: list[_Segment], measure: Any
) -> tuple[list[_Placed], int]:
    """Gives each mark a slot (a row within its lane) so labels do not run into each other.

    Marks go in time order to the lowest slot where they fit with their label to the right,
    then to the left, then without a label. When every slot is taken, the label before the
    mark gives way (marks matter more than their labels), and only if even that is not enough
    do marks overlap. Returns the placed marks and how many slots the lane needs.
    """
    placed = []
    for mark in marks:
        anchor = _anchor(mark)
        index = next(i for i, s in enumerate(segments) if s.holds(anchor))
        placed.append(_Placed(mark, _num(mark.first), _num(mark.stop), anchor, index))
    placed.sort(key=lambda p: (p.anchor, p.x1, p.mark.label))
    ends: list[float] = []  # where each slot is free again, labels included
    last: list[tuple[_Placed, float]] = []  # each slot's latest mark and where its body ends
    for item in placed:
        segment = segments[item.segment]
        centre = segment.px(item.anchor)
        body = (min(segment.px(item.x0), centre - MARKER_PX),
                max(segment.px(item.x1), centre + MARKER_PX))
        gap = MARKER_PX + LABEL_PAD_PX
        room_right = segment.px1 - 2 - centre - gap
        room_left = centre - gap - segment.px0 - 2
        item.text = _fit(item.mark.label, max(room_right, room_left), measure)
        width = measure(item.text) if item.text else 0.0
        options = []
        if item.text and width <= room_right:
            options.append(("right", body[0], max(body[1], centre + gap + width)))
        if item.text and width <= room_left:
            options.append(("left", min(body[0], centre - gap - width), body[1]))
        options.append(("", body[0], body[1]))
        chosen = None
        for side, start, stop in options:
            slot = next((i for i, end in enumerate(ends) if end + SLOT_GAP_PX <= start), None)
            if slot is None and len(ends) < MAX_SLOTS:
                slot = len(ends)
                ends.append(-math.inf)
                last.append((item, -math.inf))
            if slot is not None:
                chosen = (slot, side, stop)
                break
        if chosen is None:
            # Every slot is taken: the slot whose last mark ends soonest drops that mark's label.
            slot = min(range(len(last)), key=lambda i: last[i][1])
            previous, previous_end = last[slot]
            previous.label_side = ""
            chosen = (slot, "", max(body[1], previous_end))
        item.slot, item.label_side, ends[item.slot] = chosen
        last[item.slot] = (item, body[1])
    return placed, max(1, len(ends))


def _fit(label: str, room: float, measure: Any) -> str:
    """The label, cut at a word if need be to fit `room` pixels; "" if too little would be left."""
    limit = len(label)
    text = label
    while measure(text) > room:
        limit = min(limit - 1, len(text) - 1)
        if limit < LABEL_MIN:
            return ""
        text = short_label(label, limit)
    return text


@dataclass
class _Lanes:
    """Where each lane sits vertically, in data units (one unit a slot), top to bottom."""

    placed: list[tuple[Lane, list[_Placed], int]]

    @property
    def heights(self) -> list[float]:
        # Each lane is as tall as its slots plus a margin, and at least two units.
        return [max(2.0, slots + 1.0) for _, _, slots in self.placed]

    @property
    def total(self) -> float:
        return sum(self.heights)

    def top(self, index: int) -> float:
        return sum(self.heights[:index])

    def y(self, index: int, slot: int) -> float:
        slots = self.placed[index][2]
        return self.top(index) + (self.heights[index] - slots) / 2 + 0.5 + slot


def _draw(timeline: Timeline) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    # Figure and canvas directly, not pyplot: no global figure registry shared between threads.
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    renderer = FigureCanvasAgg(figure).get_renderer()
    font = FontProperties(size=LABEL_SIZE)
    widths: dict[str, float] = {}

    def measure(text: str) -> float:
        if text not in widths:
            widths[text] = renderer.get_text_width_height_descent(text, font, ismath=False)[0]
        return widths[text]

    segments = _segments(timeline)
    lanes = _Lanes([
        (lane, *_place([m for m in timeline.marks if m.lane is lane], segments, measure))
        for lane in Lane
    ])
    axes = [_segment_axes(figure, segment, lanes) for segment in segments]
    _lane_names(figure, axes[0], lanes)
    left_out = sum(_draw_lane(figure, axes, lanes, n) for n in range(len(lanes.placed)))
    _draw_today(axes, segments, timeline.today)
    _draw_breaks(figure, segments)
    _draw_titles(figure, timeline, left_out)
    _draw_legend(figure)
    return figure


def _segment_axes(figure: Figure, segment: _Segment, lanes: _Lanes) -> Axes:
    from matplotlib import dates as mdates

    plot_h = HEIGHT_PX - TOP - BOTTOM
    ax = figure.add_axes((segment.px0 / WIDTH_PX, BOTTOM / HEIGHT_PX,
                          (segment.px1 - segment.px0) / WIDTH_PX, plot_h / HEIGHT_PX))
    ax.set_xlim(segment.lo, segment.hi)
    ax.set_ylim(lanes.total, 0)
    for name in ("top", "right", "left"):
        ax.spines[name].set_visible(False)
    ax.spines["bottom"].set_color(MUTED)
    ax.tick_params(axis="x", colors=MUTED, labelsize=8, labelcolor=INK)
    ax.set_yticks([])
    # At least four, or a stretch of a year or so finds no tick interval it likes.
    ticks = max(4, int((segment.px1 - segment.px0) / 95))
    locator = mdates.AutoDateLocator(minticks=2, maxticks=ticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for n, height in enumerate(lanes.heights):
        if n % 2 == 1:
            ax.axhspan(lanes.top(n), lanes.top(n) + height, color=SHADE, zorder=0, lw=0)
    return ax


def _lane_names(figure: Figure, ax: Axes, lanes: _Lanes) -> None:
    from matplotlib.transforms import blended_transform_factory, offset_copy

    beside = blended_transform_factory(
        offset_copy(ax.transAxes, figure, x=-10, units="dots"), ax.transData)
    for n, (lane, placed, _) in enumerate(lanes.placed):
        ax.text(0, lanes.top(n) + lanes.heights[n] / 2, f"{lane.label}\n({len(placed)})",
                transform=beside, ha="right", va="center", fontsize=10, fontweight="bold",
                color=COLOURS[lane], parse_math=False, clip_on=False)


def _draw_lane(figure: Figure, axes: list[Axes], lanes: _Lanes, n: int) -> int:
    """Bars, markers and labels of one lane; returns how many labels were left out."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import offset_copy

    lane, placed, _ = lanes.placed[n]
    colour = COLOURS[lane]
    plot_h = HEIGHT_PX - TOP - BOTTOM
    half = min(0.32, BAR_HALF_PX / (plot_h / lanes.total))
    gap = MARKER_PX + LABEL_PAD_PX
    for i, ax in enumerate(axes):
        here = [p for p in placed if p.segment == i]
        # Uncertain periods pale, exact stays of several days solid.
        for alpha, items in ((0.25, [p for p in here if p.mark.uncertain]),
                             (0.55, [p for p in here if not p.mark.uncertain
                                     and p.x1 - p.x0 > 1])):
            if items:
                bars = [Rectangle((p.x0, lanes.y(n, p.slot) - half), p.x1 - p.x0, 2 * half)
                        for p in items]
                ax.add_collection(PatchCollection(
                    bars, facecolor=colour, edgecolor=colour, alpha=alpha, linewidth=0.8,
                    zorder=2))
        for state in MarkState:
            group = [p for p in here if p.mark.state is state]
            if group:
                ax.plot([p.anchor for p in group], [lanes.y(n, p.slot) for p in group],
                        linestyle="none",
                        marker="X" if state is MarkState.CALLED_OFF else MARKERS[lane],
                        markersize=2 * MARKER_PX * 72 / DPI + 2, markeredgewidth=1.4,
                        markeredgecolor=colour,
                        markerfacecolor=colour if state is MarkState.HAPPENED else "white",
                        zorder=3, clip_on=False)
        for p in here:
            if p.label_side:
                right = p.label_side == "right"
                ax.text(p.anchor, lanes.y(n, p.slot), p.text,
                        transform=offset_copy(ax.transData, figure, x=gap if right else -gap,
                                              units="dots"),
                        ha="left" if right else "right", va="center", fontsize=LABEL_SIZE,
                        color=INK, parse_math=False, clip_on=True, zorder=4)
    return sum(1 for p in placed if not p.label_side)


def _draw_today(axes: list[Axes], segments: list[_Segment], today: date) -> None:
    from matplotlib.transforms import blended_transform_factory

    x = _num(today) + 0.5
    for ax, segment in zip(axes, segments, strict=True):
        if segment.holds(x):
            ax.axvline(x, color=TODAY_COLOUR, linestyle="--", linewidth=1.2, zorder=1)
            ax.text(x, 1.0, f"today, {today.day} {today:%b %Y}",
                    transform=blended_transform_factory(ax.transData, ax.transAxes),
                    ha="center", va="bottom", fontsize=8, color=TODAY_COLOUR,
                    parse_math=False, clip_on=False)


def _draw_breaks(figure: Figure, segments: list[_Segment]) -> None:
    """Slanted ticks where the axis skips an empty stretch, and how long the stretch is."""
    from matplotlib.lines import Line2D

    y = BOTTOM / HEIGHT_PX
    middle_y = (BOTTOM + (HEIGHT_PX - TOP - BOTTOM) / 2) / HEIGHT_PX
    for before, after in itertools.pairwise(segments):
        for x in (before.px1, after.px0):
            figure.add_artist(Line2D(
                [(x - 4) / WIDTH_PX, (x + 4) / WIDTH_PX], [y - 6 / HEIGHT_PX, y + 6 / HEIGHT_PX],
                transform=figure.transFigure, color=MUTED, linewidth=1))
        days = after.lo - before.hi
        years = round(days / 365.25)
        skipped = (_count(years, "year") if years >= 1
                   else _count(max(1, round(days / 30.4)), "month"))
        figure.text((before.px1 + after.px0) / 2 / WIDTH_PX, middle_y, f"{skipped} skipped",
                    rotation=90, ha="center", va="center", fontsize=7, color=MUTED,
                    parse_math=False)


def _draw_titles(figure: Figure, timeline: Timeline, left_out: int) -> None:
    figure.text(LEFT / WIDTH_PX, 1 - 14 / HEIGHT_PX, timeline.title, ha="left", va="top",
                fontsize=15, fontweight="bold", color=INK, parse_math=False)
    counts = " · ".join(_count(timeline.count(lane), lane.value[:-1]) for lane in Lane)
    subtitle = f"As of {_day(timeline.today)} · {counts}"
    if left_out:
        subtitle += f" · {_count(left_out, 'label')} left out where marks crowd"
    figure.text(LEFT / WIDTH_PX, 1 - 40 / HEIGHT_PX, subtitle, ha="left", va="top",
                fontsize=9, color=MUTED, parse_math=False)


def _draw_legend(figure: Figure) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def dot(label: str, marker: str = "o", fill: str | None = None) -> Line2D:
        return Line2D([], [], linestyle="none", marker=marker, markersize=7, color=LEGEND,
                      markerfacecolor=fill or LEGEND, label=label)

    handles = [
        dot("happened / signed"),
        dot("expected", fill="white"),
        dot("postponed or cancelled", marker="X", fill="white"),
        Patch(facecolor=LEGEND, alpha=0.25, edgecolor=LEGEND,
              label="date known only to the month, quarter or year"),
        Line2D([], [], color=TODAY_COLOUR, linestyle="--", label="today"),
    ]
    figure.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
                  fontsize=8, bbox_to_anchor=(0.5, 0.0), handlelength=1.6)
