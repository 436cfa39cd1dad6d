"""The timeline: marks built from the reference sample in a real SQLite store, and the PNG."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from PIL import Image

from bot.domain.errors import UserError
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.records import (
    Meeting,
    MeetingKind,
    Person,
    Plan,
    PlanKind,
    PlanStatus,
    Visit,
    VisitStatus,
)
from bot.services.changes import ChangePipeline
from bot.services.desk import DeskService
from bot.services.factory import Services
from bot.services.interchange import import_data
from bot.services.timeline import (
    HEIGHT_PX,
    LABEL_MAX,
    MARKS_AHEAD,
    MARKS_BEFORE,
    WIDTH_PX,
    Lane,
    LeftOut,
    Mark,
    MarkState,
    Timeline,
    attachment_name,
    build_timeline,
    render_timeline,
    short_label,
)
from bot.stores.database import Database
from bot.stores.records import RecordStore
from tests.conftest import GUILD, OTHER_GUILD, FixedClock

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TODAY = date(2025, 9, 12)


@pytest.fixture
async def desk(changes: ChangePipeline, services: Services,
    db: Database, store: RecordStore, clock: FixedClock, sample_data: dict[str, Any]
) -> DeskService:
    await import_data(changes, GUILD, sample_data, actor_id=None)
    return services.desk


@pytest.fixture
async def kazakhstan(desk: DeskService) -> Timeline:
    return await build_timeline(desk, GUILD, "Kazakhstan")


def decoded(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


# --- the marks -------------------------------------------------------------------------------


def test_sample_marks_by_lane(kazakhstan: Timeline) -> None:
    assert kazakhstan.country == "Kazakhstan"
    assert kazakhstan.today == TODAY
    assert [kazakhstan.count(lane) for lane in Lane] == [7, 2, 3]
    assert kazakhstan.title == "Kazakhstan: engagements since 2003"
    # Oldest first: the 2003 visit, then September 2025, then November.
    assert kazakhstan.marks[0].when == FuzzyDate.year(2003)
    assert kazakhstan.marks[-1].when == FuzzyDate.month(2025, 11)


def test_signings_and_visits_as_drawn(kazakhstan: Timeline) -> None:
    signings = [(m.label, m.when, m.state) for m in kazakhstan.marks if m.lane is Lane.SIGNINGS]
    assert signings == [
        ("Pakistan–Kazakhstan Action Plan of Cooperation", FuzzyDate.day(2025, 9, 9),
         MarkState.HAPPENED),
        ("Agreements and MoUs for the Kazakh…", FuzzyDate.month(2025, 11),
         MarkState.EXPECTED),
    ]
    visits = [(m.label, m.state, m.uncertain) for m in kazakhstan.marks if m.lane is Lane.VISITS]
    assert visits == [
        ("President of Kazakhstan → Pakistan", MarkState.HAPPENED, True),
        # The role is too long for a label, so the visitor's name stands in.
        ("Murat Nurtleu (Kazakhstan) → Pakistan", MarkState.HAPPENED, False),
        ("President of Kazakhstan → Pakistan", MarkState.EXPECTED, True),
    ]


def test_month_precision_meetings_are_spans(kazakhstan: Timeline) -> None:
    meetings = [m for m in kazakhstan.marks if m.lane is Lane.MEETINGS]
    spans = [m for m in meetings if m.uncertain]
    assert len(spans) == 6
    assert {(m.first, m.stop) for m in spans} == {(date(2025, 9, 1), date(2025, 10, 1))}
    [talks] = [m for m in meetings if not m.uncertain]
    assert (talks.first, talks.stop) == (date(2025, 9, 9), date(2025, 9, 10))
    assert all(m.state is MarkState.HAPPENED for m in meetings)


async def test_since_leaves_out_what_ended_before(desk: DeskService) -> None:
    timeline = await build_timeline(desk, GUILD, "KZ", since=FuzzyDate.year(2025))
    assert timeline.title == "Kazakhstan: engagements since 2025"
    assert [timeline.count(lane) for lane in Lane] == [7, 2, 2]
    assert all(m.when.start.year == 2025 for m in timeline.marks)


async def test_since_in_the_future_is_refused(desk: DeskService) -> None:
    with pytest.raises(UserError, match="after today"):
        await build_timeline(desk, GUILD, "Kazakhstan", since=FuzzyDate.year(2026))


async def test_nothing_to_draw_is_a_user_error(desk: DeskService, store: RecordStore) -> None:
    await store.add(OTHER_GUILD, Person(name="Envoy", country="Atlantis", uid="envoy"),
                    actor_id=None)
    await store.add(OTHER_GUILD, Plan(
        title="Undated talks", kind=PlanKind.MOU, status=PlanStatus.UNDER_NEGOTIATION,
        parties=["Atlantis"], uid="undated"), actor_id=None)
    with pytest.raises(UserError, match=r"Nothing to draw for \*\*Atlantis\*\*"):
        await build_timeline(desk, OTHER_GUILD, "Atlantis")
    # Another server's records are not this server's.
    with pytest.raises(UserError, match="Nothing to draw"):
        await build_timeline(desk, OTHER_GUILD, "Kazakhstan")


async def test_an_empty_country_name_is_refused(desk: DeskService) -> None:
    with pytest.raises(UserError, match="Name a country"):
        await build_timeline(desk, GUILD, "  ")


async def test_called_off_visits_say_so(desk: DeskService, store: RecordStore) -> None:
    await store.add(GUILD, Visit(
        visitor=None, visitor_role="Foreign Minister", from_country="Pakistan",
        to_country="Kazakhstan", date=FuzzyDate.day(2025, 10, 1),
        end_date=FuzzyDate.day(2025, 10, 3), status=VisitStatus.CANCELLED, uid="off",
    ), actor_id=None)
    timeline = await build_timeline(desk, GUILD, "Kazakhstan")
    [off] = [m for m in timeline.marks if m.state is MarkState.CALLED_OFF]
    assert off.label == "Foreign Minister (Pakistan) → Kazakhstan (cancelled)"
    assert (off.first, off.stop) == (date(2025, 10, 1), date(2025, 10, 4))
    assert not off.uncertain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short", "Short"),
        ("  spaced \n out  ", "spaced out"),
        ("Pakistan–Kazakhstan delegation-level talks on trade", "Pakistan–Kazakhstan delegation…"),
        ("x" * 60, "x" * 31 + "…"),
    ],
)
def test_short_label(text: str, expected: str) -> None:
    assert short_label(text, 32) == expected
    assert len(short_label(text * 3)) <= LABEL_MAX


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("Kazakhstan", "timeline-kazakhstan.png"),
        ("Côte d'Ivoire", "timeline-cote-d-ivoire.png"),
        ("United States", "timeline-united-states.png"),
        ("日本", "timeline-country.png"),
    ],
)
def test_attachment_name(country: str, expected: str) -> None:
    assert attachment_name("timeline", country, "png") == expected


# --- the picture -----------------------------------------------------------------------------


def test_sample_picture_decodes_to_the_right_size(kazakhstan: Timeline) -> None:
    png = render_timeline(kazakhstan)
    assert len(png) > 10_000
    image = decoded(png)
    assert image.size == (WIDTH_PX, HEIGHT_PX) == (1200, 600)
    # Not a blank page: the picture uses the lanes' colours.
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50


def test_same_timeline_same_bytes(kazakhstan: Timeline) -> None:
    assert render_timeline(kazakhstan) == render_timeline(kazakhstan)


def test_no_software_stamp_in_the_file(kazakhstan: Timeline) -> None:
    png = render_timeline(kazakhstan)
    assert b"matplotlib" not in png.lower()
    assert "Software" not in decoded(png).info


def test_different_data_different_picture(kazakhstan: Timeline) -> None:
    later = Timeline(kazakhstan.country, date(2025, 10, 1), kazakhstan.marks)
    assert render_timeline(later) != render_timeline(kazakhstan)


def _meetings(n: int) -> tuple[Mark, ...]:
    marks = []
    for i in range(n):
        day = date.fromordinal(date(2022, 1, 1).toordinal() + 3 * i)
        when = (FuzzyDate.month(day.year, day.month) if i % 4 == 0
                else FuzzyDate(day))
        marks.append(Mark(Lane.MEETINGS, f"Round {i} of talks on trade and transit", when,
                          MarkState.HAPPENED))
    return tuple(marks)


def test_five_hundred_meetings(kazakhstan: Timeline) -> None:
    crowded = Timeline("Kazakhstan", TODAY, _meetings(500) + kazakhstan.marks)
    assert decoded(render_timeline(crowded)).size == (1200, 600)


async def test_five_hundred_meetings_from_the_store_draw_the_newest(
    services: Services, db: Database, store: RecordStore, clock: FixedClock
) -> None:
    for i in range(500):
        day = date.fromordinal(date(2023, 1, 1).toordinal() + i)
        await store.add(OTHER_GUILD, Meeting(
            title=f"Round {i}", kind=MeetingKind.BILATERAL_TALKS, date=FuzzyDate(day),
            countries=["Kazakhstan"], uid=f"round-{i}"), actor_id=None)
    desk = services.desk
    timeline = await build_timeline(desk, OTHER_GUILD, "Kazakhstan")
    # All in the past: the lane holds the newest MARKS_BEFORE, and says how many are not.
    assert timeline.count(Lane.MEETINGS) == MARKS_BEFORE < 500
    labels = {m.label for m in timeline.marks}
    assert labels == {f"Round {i}" for i in range(500 - MARKS_BEFORE, 500)}
    assert timeline.left_out == (LeftOut(Lane.MEETINGS, earlier=500 - MARKS_BEFORE),)
    assert timeline.not_drawn == f"Not drawn: {500 - MARKS_BEFORE} earlier meetings"
    first = date.fromordinal(date(2023, 1, 1).toordinal() + 500 - MARKS_BEFORE)
    assert timeline.title == f"Kazakhstan: latest engagements since {first.day} {first:%B %Y}"
    assert decoded(render_timeline(timeline)).size == (1200, 600)


async def _busy_country(store: RecordStore) -> None:
    """In the other server: 30 meetings on the days before today, 12 plans to be signed
    on the days after, visits in 2003 and 2019 and one a month ago."""
    for i in range(30):
        await store.add(OTHER_GUILD, Meeting(
            title=f"Round {i}", kind=MeetingKind.BILATERAL_TALKS,
            date=FuzzyDate(TODAY - timedelta(days=30 - i)), countries=["Kazakhstan"],
            uid=f"round-{i}"), actor_id=None)
    for i in range(12):
        await store.add(OTHER_GUILD, Plan(
            title=f"MoU {i}", kind=PlanKind.MOU, status=PlanStatus.EXPECTED,
            date=FuzzyDate(TODAY + timedelta(days=1 + i)), parties=["Kazakhstan"],
            uid=f"mou-{i}"), actor_id=None)
    for uid, when in (("v2003", FuzzyDate.year(2003)), ("v2019", FuzzyDate.month(2019, 5)),
                      ("v2025", FuzzyDate(TODAY - timedelta(days=30)))):
        await store.add(OTHER_GUILD, Visit(
            visitor=None, visitor_role="President", from_country="Kazakhstan",
            to_country="Pakistan", date=when, status=VisitStatus.COMPLETED, uid=uid),
            actor_id=None)


async def test_every_lane_shows_one_stretch_whole(
    services: Services, store: RecordStore
) -> None:
    await _busy_country(store)
    timeline = await build_timeline(services.desk, OTHER_GUILD, "Kazakhstan")
    # The latest MARKS_BEFORE meetings and the next MARKS_AHEAD plans set the stretch:
    # from the 20th meeting before today to the 8th plan after it.
    first = TODAY - timedelta(days=MARKS_BEFORE)
    last = TODAY + timedelta(days=MARKS_AHEAD)
    assert min(m.first for m in timeline.marks) == first
    assert max(m.first for m in timeline.marks) == last
    assert timeline.count(Lane.MEETINGS) == MARKS_BEFORE
    assert timeline.count(Lane.SIGNINGS) == MARKS_AHEAD
    # The quiet lane is drawn over the same stretch: its visits before it are counted.
    assert timeline.count(Lane.VISITS) == 0
    assert timeline.left_out == (
        LeftOut(Lane.MEETINGS, earlier=30 - MARKS_BEFORE),
        LeftOut(Lane.SIGNINGS, later=12 - MARKS_AHEAD),
        LeftOut(Lane.VISITS, earlier=3),
    )
    assert timeline.not_drawn == (
        f"Not drawn: {30 - MARKS_BEFORE} earlier meetings · {12 - MARKS_AHEAD} later signings"
        " · 3 earlier visits")
    assert timeline.title.startswith("Kazakhstan: latest engagements since")
    png = render_timeline(timeline)
    assert decoded(png).size == (WIDTH_PX, HEIGHT_PX)


async def test_a_lane_that_fits_is_drawn_whole(services: Services, store: RecordStore) -> None:
    await _busy_country(store)
    timeline = await build_timeline(services.desk, OTHER_GUILD, "Kazakhstan",
                                    since=FuzzyDate.year(2019))
    # Since 2019 there are no more than a lane holds of anything but meetings and plans,
    # and the visits are drawn only back to where the meetings are whole.
    # The title starts where the picture does, not at `since`, before what is left out.
    first = TODAY - timedelta(days=MARKS_BEFORE)
    assert timeline.title == f"Kazakhstan: latest engagements since {first.day} {first:%B %Y}"
    assert [o.lane for o in timeline.left_out] == [Lane.MEETINGS, Lane.SIGNINGS, Lane.VISITS]
    assert timeline.left_out[2] == LeftOut(Lane.VISITS, earlier=2)


async def test_counts_past_their_cap_say_more_than(
    services: Services, store: RecordStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.services.timeline as timeline_module

    await _busy_country(store)
    monkeypatch.setattr(timeline_module, "COUNT_CAP", 25)
    timeline = await build_timeline(services.desk, OTHER_GUILD, "Kazakhstan")
    [meetings, _, _] = timeline.left_out
    assert meetings == LeftOut(Lane.MEETINGS, earlier=25 - MARKS_BEFORE, earlier_capped=True)
    assert meetings.render() == f"more than {25 - MARKS_BEFORE} earlier meetings"


@pytest.mark.parametrize(("left_out", "text"), [
    (LeftOut(Lane.VISITS, earlier=1), "1 earlier visit"),
    (LeftOut(Lane.SIGNINGS, later=1), "1 later signing"),
    (LeftOut(Lane.MEETINGS, earlier=1_234, later=1), "1,234 earlier and 1 later meetings"),
    (LeftOut(Lane.MEETINGS, earlier=10_000, earlier_capped=True, later=2),
     "more than 10,000 earlier and 2 later meetings"),
])
def test_what_is_not_drawn_reads_as_english(left_out: LeftOut, text: str) -> None:
    assert left_out.render() == text


@pytest.mark.parametrize(
    "marks",
    [
        # One exact day, on today.
        (Mark(Lane.SIGNINGS, "Treaty", FuzzyDate(TODAY), MarkState.HAPPENED),),
        # Only the far past: today stands alone beyond a long break.
        (Mark(Lane.VISITS, "King → Atlantis", FuzzyDate.year(1990), MarkState.HAPPENED),),
        # Three far-apart stretches and one too many: the nearest two share a segment.
        (Mark(Lane.VISITS, "A → B", FuzzyDate.year(1970), MarkState.HAPPENED),
         Mark(Lane.VISITS, "A → B", FuzzyDate.quarter(1985, 2), MarkState.HAPPENED),
         Mark(Lane.VISITS, "A → B", FuzzyDate.month(2000, 5), MarkState.CALLED_OFF),
         Mark(Lane.MEETINGS, "Talks", FuzzyDate(date(2030, 1, 2)), MarkState.EXPECTED)),
        # Text matplotlib would read as mathematics, and a long unbroken word.
        (Mark(Lane.MEETINGS, "$5bn_deal$ ^ talks", FuzzyDate(TODAY), MarkState.HAPPENED),
         Mark(Lane.MEETINGS, "W" * 46, FuzzyDate(TODAY), MarkState.HAPPENED)),
    ],
    ids=["one-day", "far-past", "many-breaks", "odd-text"],
)
def test_unusual_timelines_render(marks: tuple[Mark, ...]) -> None:
    assert decoded(render_timeline(Timeline("Atlantis", TODAY, marks))).size == (1200, 600)


def test_since_long_before_the_first_record_renders() -> None:
    marks = (Mark(Lane.MEETINGS, "Talks", FuzzyDate(date(2025, 9, 1)), MarkState.HAPPENED),)
    timeline = Timeline("Atlantis", TODAY, marks, since=FuzzyDate.year(1990))
    assert timeline.title == "Atlantis: engagements since 1990"
    assert decoded(render_timeline(timeline)).size == (1200, 600)
