"""Sides of a record: countries by any common name, organisations, and refusals that name
the closest matches."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.domain.organisations import closest, find_organisation, read_parties, read_side


@pytest.mark.parametrize(("typed", "side"), [
    ("Britain", "United Kingdom"), ("England", "United Kingdom"), ("Scotland", "United Kingdom"),
    ("Great Britain", "United Kingdom"), ("Holland", "Netherlands"), ("Burma", "Myanmar"),
    ("Ivory Coast", "Côte d'Ivoire"), ("Timor", "Timor-Leste"), ("KZ", "Kazakhstan"),
    ("EU", "European Union"), ("ASEAN", "ASEAN"), ("gcc", "GCC"), ("the UN", "United Nations"),
    ("Shanghai Cooperation Organization", "SCO"), ("African Union", "African Union"),
])
def test_sides_people_name(typed: str, side: str) -> None:
    assert read_side(typed) == side


def test_a_persons_country_is_no_organisation() -> None:
    with pytest.raises(UserError, match="not a country that I know"):
        read_side("ASEAN", organisations=False)


@pytest.mark.parametrize(("typed", "named"), [
    ("Narnia", ["Did you mean"]),
    ("Pakistn", ["Pakistan"]),
    ("Uzbekstan", ["Uzbekistan"]),
    ("Korea", ["South Korea", "North Korea"]),
    ("AU", ["Australia", "African Union"]),
])
def test_unknown_or_ambiguous_sides_are_refused_with_the_closest(
    typed: str, named: list[str],
) -> None:
    with pytest.raises(UserError) as refused:
        read_side(typed, what="to_country")
    message = refused.value.message
    assert message.startswith("to_country: ") and "/help topic:countries" in message
    for name in named:
        assert name in message


def test_closest_is_best_first() -> None:
    assert closest("Kazakstn")[0] == "Kazakhstan"
    assert find_organisation("Narnia") is None


def test_plan_parties_keep_ministries_and_check_single_names() -> None:
    assert read_parties(["PK", "Ministry of Foreign Affairs of Kazakhstan", "GCC", "Pakistan"]) \
        == ["Pakistan", "Ministry of Foreign Affairs of Kazakhstan", "GCC"]
    with pytest.raises(UserError, match="Narnia"):
        read_parties(["Narnia"])
