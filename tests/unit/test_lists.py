"""Lists typed into one option."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.services.lists import PersonRef, split_list, split_people


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Pakistan, Kazakhstan", ["Pakistan", "Kazakhstan"]),
        ("trade; agriculture;; ", ["trade", "agriculture"]),
        ("politics\ntrade", ["politics", "trade"]),
        ("", []),
        (None, []),
    ],
)
def test_split_list(text: str | None, items: list[str]) -> None:
    assert split_list(text) == items


def test_split_list_is_bounded() -> None:
    with pytest.raises(UserError, match="at most 25"):
        split_list(",".join(str(n) for n in range(26)), what="fields")


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        (
            "Ishaq Dar (co-chair), Murat Nurtleu (co-chair)",
            [PersonRef("Ishaq Dar", "co-chair"), PersonRef("Murat Nurtleu", "co-chair")],
        ),
        (
            "#4; Nurtleu (for the Ministry of Foreign Affairs, Kazakhstan)",
            [
                PersonRef("#4"),
                PersonRef("Nurtleu", "for the Ministry of Foreign Affairs, Kazakhstan"),
            ],
        ),
        ("  Dar  ", [PersonRef("Dar")]),
        ("", []),
    ],
)
def test_split_people(text: str, refs: list[PersonRef]) -> None:
    assert split_people(text) == refs


def test_unreadable_person_entry() -> None:
    with pytest.raises(UserError, match="Name \\(part\\)"):
        split_people("Dar (co-chair")
