"""Synthetic stores for benchmarks: meetings, plans and visits among 50 countries, in the
interchange format, with the kind of text a desk writes. Deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

# (canonical name, capital, demonym): the names normalise_country keeps as they are.
COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("Afghanistan", "Kabul", "Afghan"), ("Argentina", "Buenos Aires", "Argentine"),
    ("Armenia", "Yerevan", "Armenian"), ("Australia", "Canberra", "Australian"),
    ("Azerbaijan", "Baku", "Azerbaijani"), ("Bangladesh", "Dhaka", "Bangladeshi"),
    ("Belarus", "Minsk", "Belarusian"), ("Brazil", "Brasília", "Brazilian"),
    ("Canada", "Ottawa", "Canadian"), ("China", "Beijing", "Chinese"),
    ("Egypt", "Cairo", "Egyptian"), ("Ethiopia", "Addis Ababa", "Ethiopian"),
    ("France", "Paris", "French"), ("Georgia", "Tbilisi", "Georgian"),
    ("Germany", "Berlin", "German"), ("Hungary", "Budapest", "Hungarian"),
    ("India", "New Delhi", "Indian"), ("Indonesia", "Jakarta", "Indonesian"),
    ("Iran", "Tehran", "Iranian"), ("Iraq", "Baghdad", "Iraqi"),
    ("Italy", "Rome", "Italian"), ("Japan", "Tokyo", "Japanese"),
    ("Jordan", "Amman", "Jordanian"), ("Kazakhstan", "Astana", "Kazakh"),
    ("Kenya", "Nairobi", "Kenyan"), ("Kuwait", "Kuwait City", "Kuwaiti"),
    ("Kyrgyzstan", "Bishkek", "Kyrgyz"), ("Malaysia", "Kuala Lumpur", "Malaysian"),
    ("Mexico", "Mexico City", "Mexican"), ("Mongolia", "Ulaanbaatar", "Mongolian"),
    ("Morocco", "Rabat", "Moroccan"), ("Nigeria", "Abuja", "Nigerian"),
    ("Oman", "Muscat", "Omani"), ("Pakistan", "Islamabad", "Pakistani"),
    ("Poland", "Warsaw", "Polish"), ("Qatar", "Doha", "Qatari"),
    ("Russia", "Moscow", "Russian"), ("Saudi Arabia", "Riyadh", "Saudi"),
    ("South Africa", "Pretoria", "South African"), ("South Korea", "Seoul", "South Korean"),
    ("Spain", "Madrid", "Spanish"), ("Sri Lanka", "Colombo", "Sri Lankan"),
    ("Tajikistan", "Dushanbe", "Tajik"), ("Thailand", "Bangkok", "Thai"),
    ("Türkiye", "Ankara", "Turkish"), ("Turkmenistan", "Ashgabat", "Turkmen"),
    ("United Arab Emirates", "Abu Dhabi", "Emirati"), ("United Kingdom", "London", "British"),
    ("Uzbekistan", "Tashkent", "Uzbek"), ("Vietnam", "Hanoi", "Vietnamese"),
)
NAMES = [c[0] for c in COUNTRIES]

TOPICS = (
    "trade", "energy", "railways", "agriculture", "information technology", "security",
    "culture", "tourism", "education", "water management", "logistics", "health",
    "transit corridors", "mining", "banking", "customs", "aviation", "pharmaceuticals",
    "climate", "counter-terrorism", "visa facilitation", "investment", "textiles",
    "digital connectivity", "food security", "hydropower", "higher education", "space",
)
GIVEN = (
    "Aigerim", "Ahmed", "Ana", "Bakhyt", "Carlos", "Chen", "Daniel", "Dilnoza", "Elena",
    "Farida", "Fatima", "Hassan", "Ingrid", "Jamal", "Kenji", "Leila", "Marat", "María",
    "Mohammad", "Nadia", "Nurlan", "Olga", "Omar", "Priya", "Rustam", "Sara", "Sergei",
    "Shavkat", "Sofia", "Tomasz", "Usman", "Yuki", "Zarina", "Ishaq", "Kassym", "Amina",
)
FAMILY = (
    "Abdullayev", "Akhmetov", "Bakirov", "Chaudhry", "Dar", "Fernández", "García", "Haidari",
    "Ibragimov", "Iskakov", "Kim", "Kowalski", "Li", "Malik", "Mirzaev", "Müller", "Nazarov",
    "Nurtleu", "Okafor", "Petrov", "Qureshi", "Rahimov", "Rossi", "Saidov", "Sharma",
    "Suleimenov", "Tanaka", "Tokayev", "Usmonov", "Wang", "Yilmaz", "Zhang", "Zhumabekov",
)
TITLES = (
    "Foreign Minister", "Deputy Foreign Minister", "Minister of Trade", "Minister of Energy",
    "Minister of Transport", "Ambassador", "Prime Minister", "President",
    "Deputy Prime Minister", "Special Envoy", "Chair of the Senate", "Minister of Economy",
)
VISIT_ROLES = (
    "President", "Prime Minister", "Foreign Minister", "Deputy Prime Minister",
    "Speaker of Parliament", "Minister of Trade", "Minister of Defence", "Crown Prince",
)
MEETING_KINDS = (
    ("bilateral_talks", "bilateral talks"), ("delegation_level_talks", "delegation-level talks"),
    ("tete_a_tete", "tête-à-tête"), ("joint_working_group", "joint working group"),
    ("business_meeting", "business forum"), ("site_visit", "site visit"), ("other", "meeting"),
)
PLAN_KINDS = (
    ("action_plan", "Action plan"), ("mou", "Memorandum of understanding"),
    ("agreement", "Agreement"), ("treaty", "Treaty"), ("joint_statement", "Joint statement"),
    ("roadmap", "Roadmap"),
)
PLAN_STATUSES = ("signed", "signed", "in_force", "expired", "expected", "under_negotiation")
VISIT_STATUSES = ("completed", "completed", "completed", "planned", "confirmed", "proposed",
                  "postponed", "cancelled")
SENTENCES = (
    "The sides reviewed progress on {t1} and agreed to meet again before the end of the year.",
    "Both delegations stressed {t1} and {t2} as priorities for the coming period.",
    "The {d} side proposed a joint working group on {t1}; the {e} side will reply in writing.",
    "Talks were held in {place} in a constructive atmosphere.",
    "A follow-up round on {t2} is expected at the level of deputy ministers.",
    "The ministers noted that trade turnover had grown and set a target for {t1}.",
    "The communiqué mentions {t1}, {t2} and regional connectivity.",
    "Officials from the {d} ministry of {t2} attended as observers.",
)


def _text(rng: random.Random, a: int, b: int, sentences: int) -> str:
    (_, capital, demonym), (_, _, other) = COUNTRIES[a], COUNTRIES[b]
    t1, t2 = rng.sample(TOPICS, 2)
    return " ".join(
        rng.choice(SENTENCES).format(t1=t1, t2=t2, d=demonym, e=other, place=capital)
        for _ in range(sentences)
    )


def _pair(rng: random.Random) -> tuple[int, int]:
    a = rng.randrange(len(COUNTRIES))
    b = (a + 1 + rng.randrange(len(COUNTRIES) - 1)) % len(COUNTRIES)
    return a, b


def _date(rng: random.Random, first: int, last: int) -> dict[str, str]:
    """Mostly exact days, some months, a few quarters and years, as reports give them."""
    year = rng.randint(first, last)
    month = rng.randint(1, 12)
    roll = rng.random()
    if roll < 0.7:
        day = rng.randint(1, 28)
        return {"value": f"{year:04d}-{month:02d}-{day:02d}", "precision": "day"}
    if roll < 0.9:
        return {"value": f"{year:04d}-{month:02d}", "precision": "month"}
    if roll < 0.97:
        return {"value": f"{year:04d}-Q{(month - 1) // 3 + 1}", "precision": "quarter"}
    return {"value": f"{year:04d}", "precision": "year"}


def synthetic_bundle(meetings: int, plans: int | None = None, visits: int | None = None, *,
                     seed: int = 5, this_year: int | None = None,
                     prefix: str = "") -> dict[str, Any]:
    """An interchange file: `meetings` meetings, `plans` plans and `visits` visits (each
    defaulting to `meetings`) over 50 countries, with people who take part in them.

    Dates run from twenty years back to three years ahead, so lists, briefings and
    `/visit upcoming` all have past and future records to choose from. `prefix` starts every
    uid, so that a second file can be imported into a server that holds the first.
    """
    plans = meetings if plans is None else plans
    visits = meetings if visits is None else visits
    rng = random.Random(seed)
    year = this_year or datetime.now(UTC).year
    people = []
    for n in range(max(50, (meetings + plans + visits) // 60)):
        country = n % len(COUNTRIES)
        people.append({
            "uid": f"{prefix}person-{n}", "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "title": rng.choice(TITLES), "country": NAMES[country],
            "notes": f"Met the desk in {COUNTRIES[country][1]}." if n % 3 == 0 else "",
        })
    by_country: list[list[str]] = [[] for _ in COUNTRIES]
    for n, person in enumerate(people):
        by_country[n % len(COUNTRIES)].append(person["uid"])

    def someone(country: int) -> str:
        return rng.choice(by_country[country])

    visit_rows = []
    for n in range(visits):
        a, b = _pair(rng)
        role = rng.choice(VISIT_ROLES)
        when = _date(rng, year - 20, year + 3)
        future = int(when["value"][:4]) > year
        status = rng.choice(("planned", "confirmed", "proposed")) if future else rng.choice(
            VISIT_STATUSES)
        visit_rows.append({
            "uid": f"{prefix}visit-{n}", "visitor": someone(a) if n % 4 == 0 else None,
            "visitor_role": role, "from_country": NAMES[a], "to_country": NAMES[b],
            "date": when, "status": status, "place": COUNTRIES[b][1],
            "purpose": f"{COUNTRIES[a][2]} {role.lower()} visit: {_text(rng, a, b, 1)}",
            "notes": _text(rng, a, b, 2) if n % 2 == 0 else "",
        })
    meeting_rows = []
    for n in range(meetings):
        a, b = _pair(rng)
        kind, label = rng.choice(MEETING_KINDS)
        topics = rng.sample(TOPICS, 3)
        meeting_rows.append({
            "uid": f"{prefix}meeting-{n}",
            "title": f"{NAMES[a]}–{NAMES[b]} {label} on {topics[0]}",
            "kind": kind, "date": _date(rng, year - 20, year + 1),
            "place": rng.choice((COUNTRIES[a][1], COUNTRIES[b][1])),
            "countries": [NAMES[a], NAMES[b]],
            "participants": [{"person": someone(a), "part": "co-chair"},
                             {"person": someone(b), "part": "co-chair"}],
            "topics": topics, "summary": _text(rng, a, b, 3),
            "visit": f"{prefix}visit-{rng.randrange(visits)}" if visits and n % 5 == 0 else None,
        })
    plan_rows = []
    for n in range(plans):
        a, b = _pair(rng)
        kind, label = rng.choice(PLAN_KINDS)
        status = rng.choice(PLAN_STATUSES)
        fields = rng.sample(TOPICS, 2)
        undated = status in ("expected", "under_negotiation") and n % 2 == 0
        plan_rows.append({
            "uid": f"{prefix}plan-{n}",
            "title": f"{label} between {NAMES[a]} and {NAMES[b]} on {fields[0]}",
            "kind": kind, "status": status,
            "date": None if undated else _date(rng, year - 20, year + 2),
            "place": COUNTRIES[a][1], "parties": [NAMES[a], NAMES[b]],
            "signatories": [] if status in ("expected", "under_negotiation") else [
                {"person": someone(a), "on_behalf_of": f"Government of {NAMES[a]}"},
                {"person": someone(b), "on_behalf_of": f"Government of {NAMES[b]}"}],
            "fields": fields, "summary": _text(rng, a, b, 2),
            "meeting": f"{prefix}meeting-{rng.randrange(meetings)}"
            if meetings and n % 3 == 0 else None,
        })
    return {"schema_version": 1, "people": people, "visits": visit_rows,
            "meetings": meeting_rows, "plans": plan_rows}


def timed_visits(starts: list[datetime], *, seed: int = 7, prefix: str = "due") -> dict[str, Any]:
    """Planned visits starting at exact instants (kept to the millisecond), for reminders."""
    rng = random.Random(seed)
    rows = []
    for n, start in enumerate(starts):
        a, b = _pair(rng)
        rows.append({
            "uid": f"{prefix}-{n}", "visitor_role": rng.choice(VISIT_ROLES),
            "from_country": NAMES[a], "to_country": NAMES[b],
            "date": {"value": start.astimezone(UTC).isoformat(timespec="milliseconds"),
                     "precision": "day", "zone": "UTC"},
            "status": "planned", "place": COUNTRIES[b][1],
            "purpose": _text(rng, a, b, 1),
        })
    return {"schema_version": 1, "visits": rows}


def open_visits(count: int, *, seed: int = 11, prefix: str = "open",
                this_year: int | None = None) -> dict[str, Any]:
    """`count` open visits (planned, confirmed or proposed), all ahead: from next year over
    three years, mostly exact days, so each has reminders to plan once a channel is set."""
    rng = random.Random(seed)
    year = this_year or datetime.now(UTC).year
    rows = []
    for n in range(count):
        a, b = _pair(rng)
        role = rng.choice(VISIT_ROLES)
        rows.append({
            "uid": f"{prefix}-{n}", "visitor_role": role,
            "from_country": NAMES[a], "to_country": NAMES[b],
            "date": _date(rng, year + 1, year + 3),
            "status": rng.choice(("planned", "confirmed", "proposed")),
            "place": COUNTRIES[b][1],
            "purpose": f"{COUNTRIES[a][2]} {role.lower()} visit: {_text(rng, a, b, 1)}",
        })
    return {"schema_version": 1, "visits": rows}


def spread(first: datetime, count: int, over: timedelta) -> list[datetime]:
    """`count` distinct instants from `first`, evenly `over` a period."""
    step = over / count
    return [first + step * n for n in range(count)]


def today() -> date:
    return datetime.now(UTC).date()
