"""What a typed value may hold: record numbers in range, text that can be stored and shown."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.domain.textinput import (
    RECORD_NUMBER_MAX,
    check_text,
    quoted,
    record_number,
    text_problem,
)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), ("#12", 12), (" # 12 ", 12), ("#007", 7), (str(RECORD_NUMBER_MAX),
                                                            RECORD_NUMBER_MAX)],
)
def test_record_numbers(typed: str, number: int) -> None:
    assert record_number(typed) == number


@pytest.mark.parametrize("typed", ["Tokayev", "#Tokayev", "12a", "-3", "#-3", "²", "١٢", "1.5",
                                   "#", ""])
def test_not_a_number_is_left_to_the_name_lookup(typed: str) -> None:
    assert record_number(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        "#99999999999999999999",
        "#9223372036854775808",  # one past SQLite's largest integer
        "9223372036854775807",  # SQLite's largest: still past the bound
        str(RECORD_NUMBER_MAX + 1),
        "#" + "9" * 500,
        "#0",
        "0000",
    ],
)
def test_numbers_out_of_range_are_refused_saying_the_range(typed: str) -> None:
    with pytest.raises(UserError) as caught:
        record_number(typed)
    message = caught.value.message
    assert "is not a record number" in message
    assert "from #1 to #9,007,199,254,740,991" in message
    assert len(message) < 300  # a 500-digit number is not echoed in full


@pytest.mark.parametrize(
    "text",
    ["\ud800", "Tok\udfffayev", "\x00", "a\x07b", "\x1b[31mred", "\x7f", "\x85", "tab\there",
     "two\nlines", "line\u2028separator", "carriage\rreturn"],
)
def test_one_line_text_refuses_surrogates_and_control_characters(text: str) -> None:
    assert text_problem(text) is not None
    with pytest.raises(UserError) as caught:
        check_text(text, "place")
    assert caught.value.message.startswith("Refused: place contains")


@pytest.mark.parametrize("text", ["\ud800", "\x00", "a\x07b", "\x1b", "\x7f"])
def test_long_text_refuses_them_too(text: str) -> None:
    with pytest.raises(UserError):
        check_text(text, "Notes", multiline=True)


@pytest.mark.parametrize(
    "text",
    ["Kassym-Jomart Tokayev", "Tête-à-tête", "Қазақстан", "می‌خواهم",  # with a ZWNJ
     "👩‍💼 envoy", "  spaced  "],
)
def test_ordinary_text_passes(text: str) -> None:
    assert check_text(text, "name") == text


def test_long_text_keeps_line_breaks_and_tabs() -> None:
    text = "First line\n\tindented\r\nlast"
    assert check_text(text, "Notes", multiline=True) == text


def test_a_limit_is_named() -> None:
    with pytest.raises(UserError, match="is 7 characters long; at most 5"):
        check_text("x" * 7, "title", limit=5)


def test_quoted_text_is_clipped_and_escaped() -> None:
    assert quoted("a\x00b\ud800") == "“a\\u0000b\\ud800”"
    assert quoted("x" * 100).endswith("…”") and len(quoted("x" * 100)) == 42
