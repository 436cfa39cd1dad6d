"""The few statements SQLite and PostgreSQL write differently: full-text search and its
rows, ids handed out in bulk, case-blind ordering and row locks. Every other query is
written once."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.markup import folded, name_words, query_words

# How many of a server's newest matches a search or an autocomplete ranks.
CANDIDATES = 200
# At most this many words of what was typed are searched for.
MAX_WORDS = 32


def words_of(text: str) -> list[str]:
    """What was typed, as words (split as search highlights them), at most MAX_WORDS:
    quotes, `*`, brackets and operators never reach a full-text query as syntax."""
    return query_words(text)[:MAX_WORDS]


@dataclass(frozen=True)
class Search:
    """(SQL, parameters) of one full-text query; rows are
    (record_type, record_id, title, snippet, rank), lower rank better. When `rank` is set,
    the fifth column is the body it reads instead, it gives each row's rank, and `snippet`
    makes the snippet of each row kept from that body (the fourth column is empty)."""

    sql: str
    params: tuple[Any, ...]
    rank: Callable[[Sequence[Any]], float] | None = None
    snippet: Callable[[str | None], str] | None = None


# How much a word found in the title counts against one found in the body, and BM25's
# saturation and length weight (its usual values).
TITLE_WEIGHT, BODY_WEIGHT, K1, B = 2.0, 1.0, 1.2, 0.75


_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")


def _scan(low: str, forms: dict[str, str]) -> dict[int, str]:
    """Where each form occurs in `low` as a whole word (no letter or digit touching it),
    by its start, with the word it stands for."""
    found: dict[int, str] = {}
    for form, word in forms.items():
        at = low.find(form)
        while at >= 0:
            end = at + len(form)
            if not (at and low[at - 1].isalnum()) and not (end < len(low) and low[end].isalnum()):
                found[at] = word
            at = low.find(form, end)
    return found


class _Words:
    """A query's words as ranking and snippets find them in a candidate's text.

    Each is looked for in the text as stored, lower-cased, by `str.find`; only a text that
    is not ASCII and lacks one of them is read again with accents aside. Folding and
    splitting every one of 200 bodies, or one regular expression of all the words, cost
    more than the statement that found them."""

    def __init__(self, words: Sequence[str]) -> None:
        # Each word as typed (lower case) and as folded, both counted as the folded word.
        self.forms: dict[str, str] = {}
        for word in words:
            for form in (folded(word), word.lower()):
                if form:
                    self.forms.setdefault(form, folded(word))
        self.wanted = set(self.forms.values())
        self._plain = {w: w for w in self.wanted}
        self._ascii = all(w.isascii() for w in self.wanted)

    def found(self, text: str) -> dict[int, str] | None:
        """Where each match starts in `text`, and the folded word it is; None when the
        text must be read with accents aside to tell (not ASCII, a word not found)."""
        low = text.lower()
        if len(low) == len(text):  # offsets in `low` are offsets in `text`
            found = _scan(low, self.forms)
            if text.isascii() or len(set(found.values())) == len(self.wanted):
                return found
        return None

    def held(self, text: str) -> list[str]:
        """The folded words of the query `text` holds, once for each time."""
        found = self.found(text)
        if found is not None:
            return list(found.values())
        if self._ascii:
            # Only ASCII words are wanted: decomposing the text and dropping the accents of
            # Latin letters (what the index's tokenizer drops) is all the folding they need.
            flat = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text))
            return list(_scan(flat.lower(), self._plain).values())
        return [word for word in name_words(text) if word in self.wanted]


def candidate_rank(words: Sequence[str]) -> Callable[[Sequence[Any]], float]:
    """Ranks a candidate row (title at 2, body at 4) by how often and where the query's
    words occur, shorter fields counting for more (BM25 without its corpus statistics:
    every candidate holds every word, so only frequency and length tell them apart).

    SQLite's bm25() reads each word's whole doclist, every server's rows included, to
    count the documents holding it: 20-odd ms for a common word at 300,000 records,
    where finding the 200 newest candidates takes under 1 ms. A field's length is counted
    by its spaces (see _Words for how the words are found)."""
    query = _Words(words)
    if not query.wanted:
        return lambda row: 0.0

    def field(text: str | None, weight: float, average: float) -> float:
        if not text:
            return 0.0
        held = query.held(text)
        if not held:
            return 0.0
        norm = K1 * (1 - B + B * (text.count(" ") + 1) / average)
        return weight * sum(tf * (K1 + 1) / (tf + norm) for tf in Counter(held).values())

    def rank(row: Sequence[Any]) -> float:
        # Fixed average lengths: a record's rank must not depend on which others matched.
        return -(field(row[2], TITLE_WEIGHT, 8.0) + field(row[4], BODY_WEIGHT, 60.0))

    return rank


# Words of the body a snippet shows, as FTS5's snippet() was asked for them.
SNIPPET_WORDS = 12
_WORD = re.compile(r"[^\W_]+")


def candidate_snippet(words: Sequence[str]) -> Callable[[str | None], str]:
    """Makes a kept row's snippet from its body: the SNIPPET_WORDS words holding the most
    of the query's words (the earliest such), each of those between `**` marks, with "…"
    where the body was cut; the body's first words when only the title matched.

    FTS5's snippet() made the same for every one of the CANDIDATES rows, of which 25 are
    kept: 2-6 ms of a common word's search at 100,000 records, for nothing shown."""
    query = _Words(words)

    def snippet(body: str | None) -> str:
        spans = [(m.start(), m.end()) for m in _WORD.finditer(body or "")]
        if not spans or body is None:
            return ""
        found = query.found(body) if query.wanted else {}
        if found is None:
            found = {a: w for a, b in spans if (w := folded(body[a:b])) in query.wanted}
        hits = [found.get(a) for a, _ in spans]  # the folded word each word is, if wanted
        best, best_held = 0, 0
        for at, hit in enumerate(hits):
            if hit is None:
                continue
            start = max(0, min(at - 2, len(spans) - SNIPPET_WORDS))
            held = len({h for h in hits[start:start + SNIPPET_WORDS] if h is not None})
            if held > best_held:
                best, best_held = start, held
        end = min(len(spans), best + SNIPPET_WORDS)
        out = ["…" if best else ""]
        last = spans[best][0]
        for (a, b), hit in zip(spans[best:end], hits[best:end], strict=True):
            if hit is not None:
                out.append(f"{body[last:a]}**{body[a:b]}**")
                last = b
        out.append(body[last:spans[end - 1][1]])
        out.append("…" if end < len(spans) else "")
        return "".join(out)

    return snippet


class Dialect:
    name = ""

    def nocase(self, expr: str) -> str:
        """`expr` for ordering without regard to case."""
        raise NotImplementedError

    def same_text(self, column: str) -> str:
        """`column` equals the parameter, case aside (as its index compares)."""
        raise NotImplementedError

    def search(self, guild_id: int, codes: Sequence[int], types: Sequence[str],
               words: list[str], limit: int) -> Search:
        raise NotImplementedError

    # Writes one record's search row (dialect.search_row's values) and drops it by key.
    search_insert = ""
    search_delete = ""

    def search_row(self, key: int, guild_id: int, type_: str, code: int, number: int,
                   title: str, body: str) -> tuple[Any, ...]:
        """The values of `search_insert` for one record."""
        raise NotImplementedError

    async def reserve_ids(self, conn: Any, table: str, count: int) -> list[int]:
        """`count` fresh row ids of `table`, for a bulk insert that names its ids."""
        raise NotImplementedError

    # Appended to a SELECT of rows about to be claimed, so two processes never take the same.
    claim_lock = ""
    # Names record_words' by-record index where the planner must walk it newest first
    # (SQLite would otherwise read the word range and sort it, the cost being avoided).
    by_record = ""

    def columns(self, table: str) -> tuple[str, tuple[Any, ...]]:
        """(SQL, parameters) listing a table's column names in order."""
        raise NotImplementedError
    # The first statement of a transaction that must read every table from one snapshot.
    snapshot = ""

    async def ids_follow(self, conn: Any, table: str) -> None:
        """After rows arrived with their ids, the table hands out ids past them."""

    async def notify(self, conn: Any, channel: str, payload: str) -> None:
        """Tells other processes, when this transaction commits (and only if it does), that
        something on `channel` changed. One process (SQLite) has no one else to tell."""


class SqliteDialect(Dialect):
    name = "sqlite"
    by_record = "INDEXED BY record_words_by_record"

    def nocase(self, expr: str) -> str:
        return f"{expr} COLLATE NOCASE"

    def columns(self, table: str) -> tuple[str, tuple[Any, ...]]:
        return f"SELECT name FROM pragma_table_info('{table}') ORDER BY cid", ()

    def same_text(self, column: str) -> str:
        return f"{column} = ?"  # the column is declared COLLATE NOCASE

    @staticmethod
    def _match(words: list[str]) -> str:
        return " ".join(f'"{w}"' for w in words)

    @staticmethod
    def _scope(guild_id: int, codes: Sequence[int]) -> str:
        if codes:
            return " OR ".join(f"g{int(guild_id)}t{int(c)}" for c in codes)
        return f"g{int(guild_id)}"

    def search(self, guild_id: int, codes: Sequence[int], types: Sequence[str],
               words: list[str], limit: int) -> Search:
        # The server (and type) are tokens inside the query, so another server's matches
        # are never read. FTS5 walks its doclists newest first; the caller ranks the
        # CANDIDATES rows returned and makes snippets for the best.
        query = (f"scope : ({self._scope(guild_id, codes)}) AND {{title body}} : "
                 f"({self._match(words)})")
        return Search(
            "SELECT record_type, record_id, title, '', body"
            " FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT ?",
            (query, CANDIDATES), candidate_rank(words), candidate_snippet(words))

    # The scope tokens name the server, and the server and type, so a search names its
    # server inside the full-text query (see search).
    search_insert = ("INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope,"
                     " title, body) VALUES (?, ?, ?, ?, ?, ?, ?)")
    search_delete = "DELETE FROM search_index WHERE rowid = ?"

    def search_row(self, key: int, guild_id: int, type_: str, code: int, number: int,
                   title: str, body: str) -> tuple[Any, ...]:
        return (key, guild_id, type_, number, f"g{int(guild_id)} g{int(guild_id)}t{int(code)}",
                title, body)

    async def reserve_ids(self, conn: Any, table: str, count: int) -> list[int]:
        # One writer at a time (the store's lock), so the highest id is the last handed out.
        async with conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}") as cur:
            row = await cur.fetchone()
        first = int(row[0]) + 1 if row else 1
        return list(range(first, first + count))


class PostgresDialect(Dialect):
    name = "postgresql"
    claim_lock = " FOR UPDATE OF deliveries SKIP LOCKED"
    snapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"

    async def notify(self, conn: Any, channel: str, payload: str) -> None:
        await conn.execute("SELECT pg_notify(?, ?)", (channel, payload))

    async def ids_follow(self, conn: Any, table: str) -> None:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" coalesce(max(id), 0) + 1, false) FROM {table}")

    def nocase(self, expr: str) -> str:
        return f"lower({expr})"

    def columns(self, table: str) -> tuple[str, tuple[Any, ...]]:
        return ("SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                " AND table_schema = current_schema() ORDER BY ordinal_position", (table,))

    def same_text(self, column: str) -> str:
        return f"lower({column}) = lower(?)"  # the index is on lower(column)

    @staticmethod
    def _tsquery(words: list[str]) -> str:
        # Each word is letters and digits only (words_of), quoted as one lexeme.
        return " & ".join(f"'{w.lower()}'" for w in words)

    def search(self, guild_id: int, codes: Sequence[int], types: Sequence[str],
               words: list[str], limit: int) -> Search:
        kinds = " AND record_type = ANY(?::text[])" if types else ""
        params: list[Any] = [self._tsquery(words), guild_id]
        if types:
            params.append(list(types))
        params += [CANDIDATES, limit]
        # The newest CANDIDATES matches of the server, ranked here; a snippet is made only
        # for the rows kept, as ts_headline re-reads the text.
        return Search(
            "SELECT c.record_type, c.record_id, c.title,"
            " ts_headline('attache_words', c.body, c.q, 'StartSel=**, StopSel=**, MaxWords=12,"
            " MinWords=4, MaxFragments=1, FragmentDelimiter=…'), c.r FROM ("
            "SELECT s.record_type, s.record_id, s.title, s.body, s.q,"
            " -ts_rank(s.doc, s.q) AS r FROM ("
            "SELECT i.record_type, i.record_id, i.title, i.body, i.doc, q.q"
            " FROM search_index i, to_tsquery('attache_words', ?) AS q(q)"
            f" WHERE i.guild_id = ?{kinds} AND i.doc @@ q.q"
            " ORDER BY i.row_key DESC LIMIT ?) s ORDER BY r LIMIT ?) c ORDER BY c.r",
            tuple(params))

    # `doc`, the tsvector, is computed by PostgreSQL from title and body (migration 0002).
    search_insert = ("INSERT INTO search_index (row_key, guild_id, record_type, record_id, title,"
                     " body) VALUES (?, ?, ?, ?, ?, ?)")
    search_delete = "DELETE FROM search_index WHERE row_key = ?"

    def search_row(self, key: int, guild_id: int, type_: str, code: int, number: int,
                   title: str, body: str) -> tuple[Any, ...]:
        return (key, guild_id, type_, number, title, body)

    async def reserve_ids(self, conn: Any, table: str, count: int) -> list[int]:
        # From the table's own identity sequence, so concurrent writers (other processes)
        # and later single inserts never collide with these ids.
        async with conn.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
            " FROM generate_series(1, ?)", (count,),
        ) as cur:
            return [int(row[0]) for row in await cur.fetchall()]


SQLITE = SqliteDialect()
POSTGRES = PostgresDialect()
