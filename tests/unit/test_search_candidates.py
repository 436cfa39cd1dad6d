"""How SQLite's search candidates are ranked and given snippets in Python (bot/stores/dialect):
whole words, case and accents aside, both ways round; snippets mark only the query's words."""

from __future__ import annotations

import pytest

from bot.domain.markup import highlight
from bot.stores.dialect import SNIPPET_WORDS, candidate_rank, candidate_snippet, words_of


def _rank(query: str, title: str, body: str = "") -> float:
    return candidate_rank(words_of(query))(("plan", 1, title, "", body))


@pytest.mark.parametrize(("query", "text"), [
    ("Muller", "Talks with Elena Müller"),  # typed without the accent
    ("Müller", "Talks with Elena Muller"),  # typed with it
    ("müller", "Talks with Elena MÜLLER"),
    ("Muller", "Talks with Elena Mu\u0308ller"),  # the accent as a combining mark
    ("energy", "ENERGY talks"),
    ("sao", "São Tomé and Príncipe"),
])
def test_a_word_counts_with_case_and_accents_aside(query: str, text: str) -> None:
    assert _rank(query, text) < 0
    assert _rank(query, text) == _rank(query, text.lower())


@pytest.mark.parametrize("text", ["Trademark talks", "Free-trader summit", "retrade",
                                  "Talks in Москваtrade"])
def test_only_whole_words_count(text: str) -> None:
    assert _rank("trade", text) == 0.0


def test_more_occurrences_and_shorter_fields_rank_better() -> None:
    assert _rank("visa", "Visa visa talks") < _rank("visa", "Visa talks")
    assert _rank("visa", "Visa talks") < _rank("visa", "Visa talks on the many other topics")
    # The title counts for more than the body.
    assert _rank("visa", "Visa talks") < _rank("visa", "Talks", "Visa talks")


def test_a_query_of_words_found_nowhere_ranks_nothing() -> None:
    assert _rank("***", "Visa talks") == 0.0
    assert _rank("visa", "") == 0.0


def test_a_snippet_marks_the_query_words_around_the_best_place() -> None:
    body = ("Opening remarks were made. " * 10 + "The sides discussed visa facilitation and "
            "energy in Astana, then visa rules again. " + "Closing remarks were made. " * 10)
    made = candidate_snippet(words_of("visa energy"))(body)
    assert "**visa** facilitation and **energy**" in made
    assert made.startswith("…") and made.endswith("…")
    assert len(made.replace("…", "").split()) == SNIPPET_WORDS
    # Every mark pair encloses a query word, so highlight keeps them all.
    assert highlight(made, ["visa", "energy"]).count("**") == made.count("**")


def test_a_snippet_folds_as_the_index_does_and_escapes_nothing_itself() -> None:
    made = candidate_snippet(words_of("muller"))("Minister Elena Müller met **Dar**")
    assert made == "Minister Elena **Müller** met **Dar"
    # highlight escapes the text's own asterisks and keeps the query word's marks.
    assert highlight(made, ["muller"]) == "Minister Elena **Müller** met \\*\\*Dar"


def test_a_body_without_the_words_shows_its_beginning() -> None:
    body = " ".join(f"w{i}" for i in range(30))
    made = candidate_snippet(words_of("visa"))(body)
    assert made == " ".join(f"w{i}" for i in range(SNIPPET_WORDS)) + "…"
    assert candidate_snippet(words_of("visa"))("") == ""
    assert candidate_snippet(words_of("visa"))(None) == ""
