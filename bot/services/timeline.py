"""The timeline picture: one country's meetings, signings and visits drawn on a time axis as PNG."""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.domain.countries import normalise_country
from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import PlanStatus, RecordType, VisitStatus
from bot.services.desk import DeskService
from bot.stores.timelines import LaneCounts, TimelineRow

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LABEL_MAX = 46
# A label cut shorter than this says too little to be worth drawing.
LABEL_MIN = 10


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
class LeftOut:
    """How many of a lane's records are not drawn: those before its first mark and after its
    last. `capped`: a count stopped at its bound, so there are more than it says."""

    lane: Lane
    earlier: int = 0
    later: int = 0
    earlier_capped: bool = False
    later_capped: bool = False

    def render(self) -> str:
        """'1,234 earlier and 3 later meetings', 'more than 10,000 earlier visits'."""
        parts = []
        for n, capped, which in ((self.earlier, self.earlier_capped, "earlier"),
                                 (self.later, self.later_capped, "later")):
            if n or capped:
                parts.append(f"{'more than ' if capped else ''}{n:,} {which}")
        total = self.earlier + self.later
        noun = self.lane.value if total != 1 or self.earlier_capped or self.later_capped \
            else self.lane.value[:-1]
        return f"{' and '.join(parts)} {noun}"


@dataclass(frozen=True)
class Timeline:
    country: str
    today: date
    marks: tuple[Mark, ...]
    since: FuzzyDate | None = None
    # The lanes with records not drawn (a lane shows the latest and the next few only).
    left_out: tuple[LeftOut, ...] = ()

    @property
    def cut(self) -> bool:
        """Some records before the first mark are not drawn."""
        return any(o.earlier or o.earlier_capped for o in self.left_out)

    @property
    def start(self) -> FuzzyDate:
        """Where the picture starts: `since`, unless records after it had to be left out,
        when it starts at its first mark."""
        if self.since is not None and not self.cut:
            return self.since
        return min(m.when for m in self.marks)

    @property
    def title(self) -> str:
        latest = "latest " if self.cut else ""
        return f"{self.country}: {latest}engagements since {self.start.render()}"

    @property
    def not_drawn(self) -> str:
        """'Not drawn: 1,234 earlier meetings · 3 later visits', or "" when all are."""
        if not self.left_out:
            return ""
        return "Not drawn: " + " · ".join(o.render() for o in self.left_out)

    def count(self, lane: Lane) -> int:
        return sum(1 for m in self.marks if m.lane is lane)


# --- building --------------------------------------------------------------------------------

# A lane draws at most the latest MARKS_BEFORE records started before today and the next
# MARKS_AHEAD from today on: a picture as wide as a phone cannot tell more labels apart,
# and the rest are counted in the title ("and 1,234 earlier meetings").
MARKS_BEFORE = 14
MARKS_AHEAD = 6
# Counting what is not drawn stops here: past it the picture says "more than 10,000".
COUNT_CAP = 10_000

_LANE_OF = {RecordType.MEETING: Lane.MEETINGS, RecordType.PLAN: Lane.SIGNINGS,
            RecordType.VISIT: Lane.VISITS}


async def build_timeline(
    desk: DeskService, guild_id: int, country: str, *, since: FuzzyDate | None = None,
) -> Timeline:
    """The dated meetings, plans and visits on record for `country`, from `since` on: of each
    kind the latest and the next few, read light (TimelineStore), over one stretch of time
    that every lane shows whole, with how many are left out on either side."""
    name = normalise_country(country)
    if not name:
        raise UserError("Name a country, e.g. Kazakhstan, Kazakh or KZ.")
    today = await desk.today(guild_id)
    if since is not None and since.start > today:
        raise UserError(
            f"`since` is {since.render()}, which is after today ({_day(today)}); give a date "
            "in the past, e.g. 2024 or January 2025."
        )
    store = desk.timelines
    after = since.start if since else None
    rows, counts = await asyncio.gather(
        store.rows(guild_id, name, today, since=after, before=MARKS_BEFORE, ahead=MARKS_AHEAD),
        store.counts(guild_id, name, today, since=after, cap=COUNT_CAP))
    kept, left_out = _window(rows, counts)
    marks = [_mark(row, today) for row in kept]
    if not marks:
        after_text = f" since {since.render()}" if since else ""
        raise UserError(
            f"Nothing to draw for **{name}**: no meetings, dated plans or visits are recorded"
            f"{after_text}. Add them with `/meeting add`, `/plan add` or `/visit add`."
        )
    marks.sort(key=lambda m: (m.when, list(Lane).index(m.lane), m.label))
    return Timeline(country=name, today=today, marks=tuple(marks), since=since,
                    left_out=left_out)


def _window(
    rows: Sequence[TimelineRow], counts: dict[RecordType, LaneCounts]
) -> tuple[list[TimelineRow], tuple[LeftOut, ...]]:
    """The rows of one stretch of time that every lane shows whole, and what each leaves out.

    A lane that has more records before today than it read is complete only back to the
    oldest it read; the stretch starts at the latest such point of any lane, so a quiet
    lane is not drawn further back than a busy one can be. Likewise ahead."""
    before = {kind: sorted((r for r in rows if r.kind is kind and not r.ahead),
                           key=lambda r: r.date.start) for kind in counts}
    ahead = {kind: sorted((r for r in rows if r.kind is kind and r.ahead),
                          key=lambda r: r.date.start) for kind in counts}
    starts = [before[k][0].date.start for k, c in counts.items()
              if len(before[k]) >= MARKS_BEFORE and c.before > len(before[k])]
    ends = [ahead[k][-1].date.start for k, c in counts.items()
            if len(ahead[k]) >= MARKS_AHEAD and c.ahead > len(ahead[k])]
    first, last = max(starts, default=None), min(ends, default=None)
    kept: list[TimelineRow] = []
    left: list[LeftOut] = []
    for kind, c in counts.items():
        past = [r for r in before[kind] if first is None or r.date.start >= first]
        next_ = [r for r in ahead[kind] if last is None or r.date.start <= last]
        kept += past + next_
        # The counts are read beside the rows, so a record added in between could make
        # one look smaller than what was read.
        earlier = max(0, min(c.before, COUNT_CAP) - len(past))
        later = max(0, min(c.ahead, COUNT_CAP) - len(next_))
        if earlier or later:
            left.append(LeftOut(_LANE_OF[kind], earlier, later, earlier_capped=c.before > COUNT_CAP,
                                later_capped=c.ahead > COUNT_CAP))
    return kept, tuple(left)


def _mark(row: TimelineRow, today: date) -> Mark:
    if row.kind is RecordType.MEETING:
        state = MarkState.EXPECTED if row.date.start > today else MarkState.HAPPENED
        return Mark(Lane.MEETINGS, short_label(row.title), row.date, state)
    if row.kind is RecordType.PLAN:
        concluded = PlanStatus(row.status).is_concluded
        return Mark(Lane.SIGNINGS, short_label(row.title), row.date,
                    MarkState.HAPPENED if concluded else MarkState.EXPECTED)
    return _visit_mark(row)


def _visit_mark(v: TimelineRow) -> Mark:
    status = VisitStatus(v.status)
    suffix = ""
    if status is VisitStatus.COMPLETED:
        state = MarkState.HAPPENED
    elif status.is_open:
        state = MarkState.EXPECTED
    else:
        state = MarkState.CALLED_OFF
        suffix = f" ({status.label})"
    labels = []
    # The role says the level; a role too long for a label gives way to the visitor's name.
    for who in (v.role, v.visitor):
        if not who:
            continue
        # "Foreign Minister → Kazakhstan" would not say whose minister travelled.
        if v.from_country.casefold() not in who.casefold():
            who = f"{who} ({v.from_country})"
        labels.append(f"{who} → {v.to_country}")
    labels = labels or [f"Visit, {v.from_country} → {v.to_country}"]
    label = next((text for text in labels if len(text) <= LABEL_MAX), labels[0])
    # The status is never cut off: "postponed" and "cancelled" are what a reader needs to see.
    return Mark(Lane.VISITS, short_label(label) + suffix, v.date, state, end=v.end)


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
LABEL_SIZE = 10
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

FONT = "DejaVu Sans"
STYLE = {
    "font.family": FONT,
    "font.size": 9,
    "svg.hashsalt": "attache",
    "date.epoch": "1970-01-01T00:00:00",
    "text.usetex": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "axes.unicode_minus": True,
    # Unhinted glyphs look the same at these sizes and draw a quarter faster (text is most
    # of a picture's time), and their advances are the ones label_width sums.
    "text.hinting": "no_hinting",
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
    """One thing drawn in a lane: a mark, or a group of nearby marks drawn as one with a count."""

    marks: tuple[Mark, ...]
    x0: float
    x1: float
    anchor: float
    segment: int
    text: str = ""
    slot: int = 0
    label_side: str = ""  # "right", "left" or "" when there is no label
    label_px: tuple[float, float] = (0.0, 0.0)  # where the label runs, in pixels

    @property
    def mark(self) -> Mark:
        return self.marks[0]

    @property
    def grouped(self) -> bool:
        return len(self.marks) > 1

    @property
    def first_anchor(self) -> float:
        return min(_anchor(m) for m in self.marks)

    @property
    def last_anchor(self) -> float:
        return max(_anchor(m) for m in self.marks)


def render_timeline(timeline: Timeline) -> bytes:
    """The picture as PNG bytes, WIDTH_PX × HEIGHT_PX; the same timeline gives the same bytes."""
    with _RENDER_LOCK, styled():
        figure = _draw(timeline)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """matplotlib set as every picture is drawn (STYLE over its defaults), while the block
    runs: a figure is laid out and drawn inside it."""
    mpl = _load_matplotlib()
    rc = {k: v for k, v in mpl.rcParamsDefault.items() if k != "backend"}
    with mpl.rc_context({**rc, **STYLE}):
        yield


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
    # Not from `since` when records after it are left out: that stretch is not empty.
    since = None if timeline.cut else timeline.since
    if since is not None:
        spans.append((_num(since.start), _num(since.start), 0, False))
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
    start = _num(since.start) if since is not None else None
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


GROUP_MARKER_PX = 8.0
# Past this many rounds of grouping a lane is drawn as it stands (each round merges at least
# one pair, so a lane of build_timeline's MARKS_BEFORE + MARKS_AHEAD settles long before).
GROUP_ROUNDS = 200


def _single(mark: Mark, segments: list[_Segment]) -> _Placed:
    anchor = _anchor(mark)
    index = next(i for i, s in enumerate(segments) if s.holds(anchor))
    return _Placed((mark,), _num(mark.first), _num(mark.stop), anchor, index)


def _merged(items: Sequence[_Placed]) -> _Placed:
    """Several items drawn as one group, its marker midway between its first and last."""
    marks = tuple(sorted((m for p in items for m in p.marks),
                         key=lambda m: (_anchor(m), m.label)))
    anchors = [_anchor(m) for m in marks]
    # At the marks' mean: a group sits where most of its marks are.
    centre = sum(anchors) / len(anchors)
    return _Placed(marks, min(anchors), max(anchors), centre, items[0].segment)


def _order(items: list[_Placed]) -> list[_Placed]:
    return sorted(items, key=lambda p: (p.segment, p.anchor, p.x1, p.mark.label))


def _group_label(group: _Placed, *, year: bool = True) -> str:
    """'Mar–Jun 2025': the months a group's marks fall in (its marker holds the count);
    without `year`, 'Mar–Jun' when both are in one year (the axis below says which)."""
    firsts = sorted(m.first for m in group.marks)
    a, b = firsts[0], firsts[-1]
    if (a.year, a.month) == (b.year, b.month):
        when = f"{a:%b %Y}" if year else f"{a:%b}"
    elif a.year == b.year:
        when = f"{a:%b}–{b:%b %Y}" if year else f"{a:%b}–{b:%b}"
    else:
        when = f"{a:%b %Y}–{b:%b %Y}"
    return when


def _place(
    items: list[_Placed], segments: list[_Segment], measure: Any, today: float,
) -> tuple[list[_Placed], int, bool]:
    """Gives each item a slot (a row within its lane) so that nothing overlaps.

    Items go in time order to the lowest slot where they fit with their label after them,
    then before them, then without a label. A label never runs over its own span, another
    item, or today's line (it is shortened to stop short of it, or goes on the other side).
    Returns the items, how many slots the lane needs, and whether every item found room
    with its label (False: the lane is too crowded and nearby marks should be grouped).
    """
    ends: list[float] = []  # where each slot is free again, labels included
    complete = True
    for item in items:
        segment = segments[item.segment]
        radius = GROUP_MARKER_PX if item.grouped else MARKER_PX
        centre = segment.px(item.anchor)
        if item.grouped:
            # One marker with its count; the label says the months it covers.
            body = (centre - radius, centre + radius)
        else:
            body = (min(segment.px(item.x0), centre - radius),
                    max(segment.px(item.x1), centre + radius))
        body = (min(body[0], centre - radius), max(body[1], centre + radius))
        line = segment.px(today) if segment.holds(today) else None
        # Where a label may run: after the item, before it, or (for a pale span of a month
        # or more) over its own span from the marker on; never across today's line.
        spans = {
            "right": _room(body[1] + LABEL_PAD_PX, segment.px1 - 2, line),
            "left": _room(segment.px0 + 2, body[0] - LABEL_PAD_PX, line, from_lo=False),
        }
        if not item.grouped and item.mark.uncertain:
            spans["over"] = _room(centre + radius + LABEL_PAD_PX, segment.px1 - 2, line)
        room = max(b - a for a, b in spans.values())
        if item.grouped:
            # The months without their year before the months cut short ("Nov–Dec…").
            full, short = _group_label(item), _group_label(item, year=False)
            item.text = full if measure(full) <= room else _fit(short, room, measure)
        else:
            item.text = _fit(item.mark.label, room, measure)
        if not item.text:
            # Not even a short label fits beside it (squeezed by today's line or the edge):
            # grouped with a neighbour, its months may.
            complete = False
        width = measure(item.text) if item.text else 0.0
        options = []
        for side in ("right", "left", "over"):
            if side not in spans or not item.text:
                continue
            lo, hi = spans[side]
            if hi - lo < width:
                continue
            if side == "left":
                options.append(("left", hi - width, body[1], (hi - width, hi)))
            else:
                options.append(("right", body[0], max(body[1], lo + width), (lo, lo + width)))
        options.append(("", body[0], body[1], (0.0, 0.0)))
        chosen = None
        for side, start, stop, span in options:
            slot = next((i for i, end in enumerate(ends) if end + SLOT_GAP_PX <= start), None)
            if slot is None and len(ends) < MAX_SLOTS:
                slot = len(ends)
                ends.append(-math.inf)
            if slot is not None:
                chosen = (slot, side, stop, span)
                break
        if chosen is None:
            # No room at all: drawn over the slot that frees soonest, unlabelled; the lane
            # is then too crowded and the caller groups nearby marks.
            slot = min(range(len(ends)), key=ends.__getitem__)
            chosen = (slot, "", max(body[1], ends[slot]), (0.0, 0.0))
            complete = False
        item.slot, item.label_side, ends[item.slot], item.label_px = chosen
        if not item.label_side and item.text:
            complete = False  # its label had room on the axis, but not among the others
    return items, max(1, len(ends)), complete


def _room(lo: float, hi: float, line: float | None, *, from_lo: bool = True
          ) -> tuple[float, float]:
    """The stretch [lo, hi] of pixels a label may use, cut short of today's line on the side
    away from its marker (`from_lo`: the label starts at lo, beside the marker)."""
    if line is not None and lo - 2 <= line <= hi + 2:
        return (lo, line - 3) if from_lo else (line + 3, hi)
    return lo, hi


def _lay_out_lane(marks: Sequence[Mark], segments: list[_Segment], measure: Any,
                  today: float) -> tuple[list[_Placed], int]:
    """The lane's items, grouped only where marks crowd most.

    Every mark starts alone. While some items find no room for their label, pairs of
    neighbours are merged, the closest pairs first (in pixels, within one stretch of the
    axis), a third as many pairs as there were such items, and the lane is laid out again.
    """
    items = _order([_single(m, segments) for m in marks])
    placed, slots, complete = _place(items, segments, measure, today)
    for _ in range(GROUP_ROUNDS):
        if complete:
            break
        # A third of what went without a label: merging more at once would group marks
        # that had room after all.
        need = max(1, sum(1 for p in placed if not p.label_side) // 3)
        gaps = sorted(
            (segments[a.segment].px(b.anchor) - segments[a.segment].px(a.anchor), i)
            for i, (a, b) in enumerate(itertools.pairwise(items)) if a.segment == b.segment)
        pairs: set[int] = set()
        used: set[int] = set()
        for _gap, i in gaps:
            if len(pairs) >= need:
                break
            if i in used or i + 1 in used:
                continue
            pairs.add(i)
            used.update((i, i + 1))
        if not pairs:
            break  # nothing left to group: drawn as it is
        merged: list[_Placed] = []
        skip = False
        for i, item in enumerate(items):
            if skip:
                skip = False
                continue
            if i in pairs:
                merged.append(_merged([item, items[i + 1]]))
                skip = True
            else:
                merged.append(item)
        items = _order(merged)
        placed, slots, complete = _place(items, segments, measure, today)
    return placed, slots


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

    # Figure and canvas directly, not pyplot: no global figure registry shared between threads.
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    segments, lanes = _layout(timeline, label_width)
    axes = [_segment_axes(figure, segment, lanes) for segment in segments]
    _lane_names(figure, axes[0], lanes)
    grouped = sum(_draw_lane(figure, axes, lanes, n) for n in range(len(lanes.placed)))
    _draw_today(axes, segments, timeline.today)
    _draw_breaks(figure, segments)
    _draw_titles(figure, timeline, grouped)
    _draw_legend(figure, grouped=bool(grouped))
    return figure


# Each character's advance in a label, in pixels, once per process: laying out a lane tries
# hundreds of cuts of its labels, and having FreeType lay out each one took half the time
# of a picture. Read under _RENDER_LOCK only.
_ADVANCES: dict[str, float] = {}
# Summed advances leave out kerning and the renderer's rounding, which came to 2.5 px
# either way on a label of 40 characters; the margin keeps a label off its neighbour.
WIDTH_MARGIN = 1.02
WIDTH_PAD_PX = 2.0


def label_width(text: str) -> float:
    """How wide `text` is drawn as a label, in pixels, a pixel or two to spare."""
    missing = [ch for ch in set(text) if ch not in _ADVANCES]
    if missing:
        from matplotlib import ft2font
        from matplotlib.font_manager import FontProperties, findfont, get_font

        font = get_font(findfont(FontProperties(family=FONT, size=LABEL_SIZE)))
        font.set_size(LABEL_SIZE, DPI)
        for ch in missing:
            # A character the label font lacks comes from another font: its width is not
            # known here, so it counts as the widest character there is.
            glyph = (font.load_char(ord(ch), flags=ft2font.LoadFlags.NO_HINTING)
                     if font.get_char_index(ord(ch)) else None)
            _ADVANCES[ch] = (glyph.linearHoriAdvance / 65536 if glyph is not None
                             else 2.0 * LABEL_SIZE * DPI / 72)
    return sum(_ADVANCES[ch] for ch in text) * WIDTH_MARGIN + WIDTH_PAD_PX


def _layout(timeline: Timeline, measure: Any) -> tuple[list[_Segment], _Lanes]:
    """Where everything goes: the axis's stretches, and each lane's items in their slots."""
    segments = _segments(timeline)
    today = _num(timeline.today) + 0.5
    return segments, _Lanes([
        (lane, *_lay_out_lane([m for m in timeline.marks if m.lane is lane], segments,
                              measure, today))
        for lane in Lane
    ])


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
        count = sum(len(p.marks) for p in placed)
        ax.text(0, lanes.top(n) + lanes.heights[n] / 2, f"{lane.label}\n({count})",
                transform=beside, ha="right", va="center", fontsize=10, fontweight="bold",
                color=COLOURS[lane], parse_math=False, clip_on=False)


def _draw_lane(figure: Figure, axes: list[Axes], lanes: _Lanes, n: int) -> int:
    """Bars, markers, groups and labels of one lane; returns how many marks were grouped."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import offset_copy

    lane, placed, _ = lanes.placed[n]
    colour = COLOURS[lane]
    plot_h = HEIGHT_PX - TOP - BOTTOM
    half = min(0.32, BAR_HALF_PX / (plot_h / lanes.total))
    for i, ax in enumerate(axes):
        here = [p for p in placed if p.segment == i]
        singles = [p for p in here if not p.grouped]
        # Uncertain periods pale, exact stays of several days solid.
        for alpha, items in ((0.25, [p for p in singles if p.mark.uncertain]),
                             (0.55, [p for p in singles if not p.mark.uncertain
                                     and p.x1 - p.x0 > 1])):
            if items:
                bars = [Rectangle((p.x0, lanes.y(n, p.slot) - half), p.x1 - p.x0, 2 * half)
                        for p in items]
                ax.add_collection(PatchCollection(
                    bars, facecolor=colour, edgecolor=colour, alpha=alpha, linewidth=0.8,
                    zorder=2))
        for state in MarkState:
            group = [p for p in singles if p.mark.state is state]
            if group:
                ax.plot([p.anchor for p in group], [lanes.y(n, p.slot) for p in group],
                        linestyle="none",
                        marker="X" if state is MarkState.CALLED_OFF else MARKERS[lane],
                        markersize=2 * MARKER_PX * 72 / DPI + 2, markeredgewidth=1.4,
                        markeredgecolor=colour,
                        markerfacecolor=colour if state is MarkState.HAPPENED else "white",
                        zorder=3, clip_on=False)
        for p in (p for p in here if p.grouped):
            y = lanes.y(n, p.slot)
            ax.plot([p.anchor], [y], linestyle="none", marker="o",
                    markersize=2 * GROUP_MARKER_PX * 72 / DPI + 3, markerfacecolor=colour,
                    markeredgecolor="white", markeredgewidth=1.0, zorder=3, clip_on=False)
            ax.text(p.anchor, y, str(len(p.marks)), ha="center", va="center", fontsize=7,
                    fontweight="bold", color="white", parse_math=False, zorder=4)
        for p in here:
            if p.label_side:
                right = p.label_side == "right"
                centre = axes_px(ax, p.anchor)
                shift = (p.label_px[0] - centre) if right else (p.label_px[1] - centre)
                ax.text(p.anchor, lanes.y(n, p.slot), p.text,
                        transform=offset_copy(ax.transData, figure, x=shift, units="dots"),
                        ha="left" if right else "right", va="center", fontsize=LABEL_SIZE,
                        color=INK, parse_math=False, clip_on=True, zorder=4,
                        gid="attache-label")
    return sum(len(p.marks) for p in placed if p.grouped)


def axes_px(ax: Axes, x: float) -> float:
    """Where the data x falls, in pixels from the picture's left edge (as _Segment.px)."""
    lo, hi = ax.get_xlim()
    box = ax.get_position()
    return (box.x0 + (x - lo) / (hi - lo) * box.width) * WIDTH_PX


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


def _draw_titles(figure: Figure, timeline: Timeline, grouped: int) -> None:
    figure.text(LEFT / WIDTH_PX, 1 - 14 / HEIGHT_PX, timeline.title, ha="left", va="top",
                fontsize=15, fontweight="bold", color=INK, parse_math=False)
    counts = " · ".join(_count(timeline.count(lane), lane.value[:-1]) for lane in Lane)
    subtitle = f"As of {_day(timeline.today)} · {counts}"
    if grouped:
        subtitle += f" · {_count(grouped, 'mark')} drawn in groups where they crowd"
    figure.text(LEFT / WIDTH_PX, 1 - 40 / HEIGHT_PX, subtitle, ha="left", va="top",
                fontsize=9, color=MUTED, parse_math=False)
    if timeline.not_drawn:
        figure.text(LEFT / WIDTH_PX, 1 - 56 / HEIGHT_PX, timeline.not_drawn, ha="left",
                    va="top", fontsize=9, color=INK, parse_math=False)


def _draw_legend(figure: Figure, *, grouped: bool = False) -> None:
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
    if grouped:
        handles.insert(3, dot("marks close together, with their count", fill=LEGEND))
    figure.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False,
                  fontsize=8, bbox_to_anchor=(0.5, 0.0), handlelength=1.6)
