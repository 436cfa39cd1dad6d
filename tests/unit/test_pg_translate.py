"""The stores' `?` statements as asyncpg takes them: placeholders numbered in order, question
marks inside quoted text left alone, and whether the statement returns rows."""

from __future__ import annotations

import pytest

from bot.stores.dialect import POSTGRES, words_of
from bot.stores.postgres import translate


@pytest.mark.parametrize(("sql", "expected", "returns"), [
    ("SELECT a FROM t WHERE x = ? AND y IN (?, ?)",
     "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)", True),
    ("UPDATE t SET a = ? WHERE b = '?' AND c = ?", "UPDATE t SET a = $1 WHERE b = '?' AND c = $2",
     False),
    ('INSERT INTO "odd?name" (a) VALUES (?)', 'INSERT INTO "odd?name" (a) VALUES ($1)', False),
    ("INSERT INTO t (a) VALUES (?) RETURNING id", "INSERT INTO t (a) VALUES ($1) RETURNING id",
     True),
    ("  with q as (select 1) select * from q", "  with q as (select 1) select * from q", True),
    ("DELETE FROM t WHERE a = 'it''s ?' AND b = ?", "DELETE FROM t WHERE a = 'it''s ?' AND b = $1",
     False),
])
def test_placeholders_are_numbered_outside_quotes(sql: str, expected: str, returns: bool) -> None:
    assert translate(sql) == (expected, returns)


@pytest.mark.parametrize("typed", [
    "'; DROP TABLE visits; --", 'a:* | b', "x & !y", "(z) <-> w", "\\' OR 1=1", "wé'ird",
])
def test_typed_text_reaches_a_tsquery_only_as_quoted_words(typed: str) -> None:
    words = words_of(typed)
    query = POSTGRES.search(1, [], [], words, 10).params[0] if words else ""
    # Every lexeme is a quoted run of word characters joined by '&': no operator of the user's.
    for part in filter(None, query.split(" & ")):
        assert part.startswith("'") and part.endswith("'")
        assert "'" not in part[1:-1] and all(c.isalnum() or c == "_" for c in part[1:-1])
