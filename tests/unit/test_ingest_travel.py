"""Candidate trips no sentence tells (a compatriot of a visitor, an official at an event abroad)."""

from __future__ import annotations

from datetime import date

from bot.domain.fuzzydate import FuzzyDate
from bot.services.ingest import travel, weights
from bot.services.ingest.extract import propose
from bot.services.ingest.train import engine_weights

TODAY = date(2026, 6, 30)
COMPANION = ("BELGRADE, 26 March 2026 — A Montenegrin government delegation led by Deputy Prime "
             "Minister Vesna Bulatović arrived in Belgrade yesterday for a two-day visit. "
             "Bulatović held talks with Serbian Prime Minister Miloš Radenković. The memorandum "
             "on energy was signed by the Serbian Minister of Energy, Dragana Ilić, and the "
             "Montenegrin Minister of Energy, Nikola Šćekić.")


def _keep(cue: str) -> tuple[float, ...]:
    """Weights that keep exactly the candidates showing `cue`."""
    return tuple(-5.0 if name == "bias" else 10.0 if name == cue else 0.0
                 for name in travel.FEATURES)


def test_a_compatriot_signing_during_a_visit_is_a_candidate_on_its_day() -> None:
    with engine_weights(travel_w=weights.TRAVEL):
        proposal = propose(COMPANION, dateline=None, today=TODAY)
    (choice,) = proposal.travel_choices
    names = {p.uid: p.name for p in proposal.bundle.people}
    assert (choice.country, choice.day) == ("Serbia", FuzzyDate.day(2026, 3, 25))
    assert choice.cues["companion"] == choice.cues["signed"] == 1.0
    assert choice.cues["main_event"] == 0.0
    assert [names[v.visitor] for v in proposal.bundle.visits if v.visitor] == ["Vesna Bulatović"]


def test_a_model_switched_off_reads_no_candidates() -> None:
    with engine_weights(travel_w=weights.TRAVEL):
        weights.TRAVEL_CUT = 1.0
        proposal = propose(COMPANION, dateline=None, today=TODAY)
    assert proposal.travel_choices == []


def test_a_kept_candidate_is_a_visit_of_the_event_day() -> None:
    with engine_weights(travel_w=_keep("companion")):
        proposal = propose(COMPANION, dateline=None, today=TODAY)
    people = {p.uid: p.name for p in proposal.bundle.people}
    trips = {(people[v.visitor], v.from_country, v.to_country, v.date, v.status.value)
             for v in proposal.bundle.visits if v.visitor}
    assert ("Nikola Šćekić", "Montenegro", "Serbia", FuzzyDate.day(2026, 3, 25),
            "completed") in trips
    assert proposal.travel_choices[0].kept


def test_no_one_is_a_candidate_for_a_trip_to_their_own_country() -> None:
    text = ("VALLETTA, 12 May 2026 — Maltese Foreign Minister Carmen Vella hosted Cypriot Foreign "
            "Minister Andreas Kyriakou for talks in Valletta on Monday. Kyriakou arrived on "
            "Sunday. The Maltese Minister for Energy, Joe Farrugia, joined the talks.")
    with engine_weights(travel_w=(60.0,) + (0.0,) * (len(travel.FEATURES) - 1)):
        proposal = propose(text, dateline=None, today=TODAY)
    assert all(c.country != "Malta" or c.person not in {p.uid for p in proposal.bundle.people}
               for c in proposal.travel_choices)
    people = {p.uid: p for p in proposal.bundle.people}
    for visit in proposal.bundle.visits:
        if visit.visitor:
            assert people[visit.visitor].country != visit.to_country


def test_a_participant_the_rules_already_send_there_is_no_second_candidate() -> None:
    text = ("NUKU'ALOFA, 13 May 2026 — The Pacific Islands Forum Foreign Ministers Meeting was "
            "held in Nuku'alofa on 12 May 2026, chaired by Tonga's Foreign Minister Sione Lata. "
            "Fiji's Foreign Minister Josefa Rabuka took part.")
    with engine_weights(travel_w=(60.0,) + (0.0,) * (len(travel.FEATURES) - 1)):
        proposal = propose(text, dateline=None, today=TODAY)
    people = {p.uid: p.name for p in proposal.bundle.people}
    assert [(people.get(v.visitor or ""), v.to_country) for v in proposal.bundle.visits] == [
        ("Josefa Rabuka", "Tonga")]
    assert proposal.travel_choices == []


def test_the_score_is_a_logistic_of_the_committed_weights() -> None:
    assert len(weights.TRAVEL) == len(travel.FEATURES)
    cues = {name: 0.0 for name in travel.FEATURES} | {"bias": 1.0}
    assert 0.0 < travel.score(cues) < 0.5
