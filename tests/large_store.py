"""A large, varied store for scale tests and benchmarks, written in one import."""

from __future__ import annotations

from typing import Any

COUNTRIES = ["Kazakhstan", "Pakistan", "Uzbekistan", "Türkiye", "China", "Iran", "India",
             "Azerbaijan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Afghanistan"]
KINDS = ["bilateral_talks", "delegation_level_talks", "tete_a_tete", "joint_working_group",
         "business_meeting", "site_visit", "other"]
TOPICS = ["trade", "energy", "railways", "agriculture", "information technology", "security",
          "culture", "tourism", "education", "water", "logistics", "health"]


def large_bundle(meetings: int) -> dict[str, Any]:
    """`meetings` meetings over twenty years and twelve countries, with people and visits."""
    people = [
        {"uid": f"p{n}", "name": f"Minister {n:05d} of {COUNTRIES[n % 12]}",
         "title": "Minister", "country": COUNTRIES[n % 12]}
        for n in range(max(10, meetings // 100))
    ]
    rows = []
    for n in range(meetings):
        a, b = COUNTRIES[n % 12], COUNTRIES[(n * 7 + 3) % 12]
        year = 2006 + n % 20
        rows.append({
            "uid": f"m{n}",
            "title": f"{a}–{b} {TOPICS[n % 12]} round {n}",
            "kind": KINDS[n % 7],
            "date": {"value": f"{year}-{1 + n % 12:02d}", "precision": "month"},
            "countries": [a, b] if a != b else [a],
            "topics": [TOPICS[n % 12], TOPICS[(n + 5) % 12]],
            "participants": [{"person": people[n % len(people)]["uid"], "part": "co-chair"}],
            "summary": f"Round {n} of talks on {TOPICS[n % 12]}.",
        })
    return {"schema_version": 1, "people": people, "meetings": rows}
