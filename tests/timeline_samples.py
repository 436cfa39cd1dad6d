"""Timelines for the pictures: a crowded one (50 marks per lane) and the sample data's.

`python -m tests.timeline_samples` redraws the pictures the README shows:
data/sample/timeline-50.png and data/sample/timeline-kazakhstan.png.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.domain.fuzzydate import FuzzyDate
from bot.services.timeline import Lane, Mark, MarkState, Timeline, render_timeline

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
TODAY = date(2025, 9, 12)
TITLES = {
    Lane.MEETINGS: ["Delegation-level talks", "Joint working group on trade",
                    "Political consultations", "Business forum"],
    Lane.SIGNINGS: ["MoU on energy", "Action plan of cooperation", "Agreement on air services"],
    Lane.VISITS: ["Foreign Minister (Kazakhstan) → Pakistan", "President (Kazakhstan) → Pakistan",
                  "Trade Minister (Pakistan) → Kazakhstan"],
}


def crowded(per_lane: int, *, days: int = 850, around_today: bool = False,
            seed: int = 7) -> Timeline:
    """`per_lane` marks in each lane over `days` (or packed around today), some known only to
    the month or quarter, some called off."""
    rnd = random.Random(seed)
    start = TODAY - timedelta(days=60 if around_today else 730)
    span = 120 if around_today else days
    marks = []
    for lane in Lane:
        for i in range(per_lane):
            day = start + timedelta(days=rnd.randrange(span))
            when = (FuzzyDate.month(day.year, day.month) if i % 7 == 0 else
                    FuzzyDate.quarter(day.year, (day.month - 1) // 3 + 1) if i % 11 == 0 else
                    FuzzyDate(day))
            state = MarkState.EXPECTED if when.start > TODAY else MarkState.HAPPENED
            if lane is Lane.VISITS and i % 13 == 0:
                state = MarkState.CALLED_OFF
            marks.append(Mark(lane, f"{rnd.choice(TITLES[lane])} #{i}", when, state))
    marks.sort(key=lambda m: (m.when, list(Lane).index(m.lane), m.label))
    return Timeline("Kazakhstan", TODAY, tuple(marks))


async def sample_timeline() -> Timeline:
    """The sample data's timeline for Kazakhstan, built through a real store as the bot does."""
    from bot.services.factory import build_services
    from bot.services.interchange import import_data
    from bot.services.timeline import build_timeline
    from bot.stores.database import Database

    data = json.loads((SAMPLE / "pakistan-kazakhstan-2025-09-10.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "sample.db")
        try:
            services = build_services(db, lambda: datetime(2025, 9, 12, 9, tzinfo=UTC))
            await import_data(services.changes, 1, data, actor_id=None)
            return await build_timeline(services.desk, 1, "Kazakhstan")
        finally:
            await db.close()


def main() -> None:
    (SAMPLE / "timeline-50.png").write_bytes(render_timeline(crowded(50)))
    timeline = asyncio.run(sample_timeline())
    (SAMPLE / "timeline-kazakhstan.png").write_bytes(render_timeline(timeline))


if __name__ == "__main__":
    main()
