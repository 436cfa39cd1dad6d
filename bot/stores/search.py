"""The search index and the words records answer to, written by the store from the registry.

Each record has one row in `search_index` (its title and body text, as the registry's
SearchText names them; full-text search reads it) and one row per word of its names in
`record_words` (autocomplete and pickers read it, by a prefix range inside one server and
type). Both are written in the same transaction as the record, on every way a record is
written, so no trigger is needed and no per-table SQL is written out twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from bot.domain.markup import name_words
from bot.domain.records import Record, RecordType
from bot.domain.registry import REGISTRY, FieldKind, RecordSpec, spec_of
from bot.stores.dialect import Dialect

# A search row's key is the record's row id * STRIDE + its type's code (as since 0002).
STRIDE = 8
# Uids looked up, and rows written, per statement.
BATCH = 500

Linked = Mapping[str, Mapping[str, Any] | None]  # ref field -> the linked record's fields
# (row id, server, number, title, body, words): one record's index rows.
Entry = tuple[int, int, int, str, str, list[str]]


def links_read(spec: RecordSpec) -> dict[str, tuple[str, ...]]:
    """ref field -> fields of the linked record that this type's search text reads."""
    out: dict[str, list[str]] = {}
    for part in spec.search.parts:
        if "." in part:
            ref, name = part.split(".", 1)
            if name not in out.setdefault(ref, []):
                out[ref].append(name)
    return {ref: tuple(names) for ref, names in out.items()}


def readers_of(kind: RecordType) -> list[tuple[RecordSpec, str, tuple[str, ...]]]:
    """(spec, ref field, fields read) for every type whose search text reads a `kind`."""
    found = []
    for spec in REGISTRY.values():
        for ref, names in links_read(spec).items():
            if spec.field(ref).target is kind:
                found.append((spec, ref, names))
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v is not None)
    return str(value)


def compose(spec: RecordSpec, value: Callable[[str], Any]) -> tuple[str, str, list[str]]:
    """(title, body, words it answers to) of one record, as the registry composes them from
    its parts; `value(part)` reads a part (a field, or `link.field`) of the record."""
    search = spec.search

    def joined(parts: tuple[str, ...]) -> str:
        return " ".join(_text(value(p)) for p in parts)

    title, names = joined(search.title), joined(search.names)
    return title, joined(search.body), list(dict.fromkeys(name_words(f"{title} {names}")))


def texts(record: Record, linked: Linked) -> tuple[str, str, list[str]]:
    """compose() of a record in hand, with the fields of the records it links to."""
    def value(part: str) -> Any:
        if "." in part:
            ref, name = part.split(".", 1)
            other = linked.get(ref)
            return other.get(name) if other else None
        return getattr(record, part)

    # No link read (a bulk import's case): the plain attributes, without the closure.
    return compose(spec_of(record), value if linked else record.__dict__.get)


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class SearchIndex:
    """Writes and removes the index rows of records, in the caller's transaction."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect

    async def linked(
        self, conn: Any, guild_id: int, spec: RecordSpec, records: Sequence[Record]
    ) -> list[dict[str, Mapping[str, Any] | None]]:
        """For each record, the fields of the records its search text reads, by ref."""
        out: list[dict[str, Mapping[str, Any] | None]] = [{} for _ in records]
        for ref, names in links_read(spec).items():
            target = spec.field(ref).target
            assert target is not None
            other = spec_of(target)
            columns = {n: other.field(n).store_column for n in names
                       if other.field(n).kind in (FieldKind.TEXT, FieldKind.LONG)}
            uids = sorted({getattr(r, ref) for r in records if getattr(r, ref)})
            found: dict[str, dict[str, Any]] = {}
            for chunk in _chunks(uids):
                marks = ", ".join("?" for _ in chunk)
                listed = ", ".join(columns.values())
                async with conn.execute(
                    f"SELECT uid, {listed} FROM {other.table} WHERE guild_id = ?"
                    f" AND uid IN ({marks})", (guild_id, *chunk),
                ) as cur:
                    for row in await cur.fetchall():
                        found[row[0]] = dict(zip(columns, tuple(row)[1:], strict=True))
            for i, record in enumerate(records):
                out[i][ref] = found.get(getattr(record, ref)) if getattr(record, ref) else None
        return out

    async def write(
        self, conn: Any, guild_id: int, spec: RecordSpec,
        items: Sequence[tuple[int, Record]], *, fresh: bool = False,
    ) -> None:
        """Index rows for records (row id, record named by its number); `fresh`: they have
        none yet (a new record), so nothing is removed first."""
        if not items:
            return
        if not fresh:
            await self.remove(conn, guild_id, spec, [(row_id, r.id or 0) for row_id, r in items])
        rows, words = await self.rows_for(conn, guild_id, spec, items)
        await self._insert(conn, rows, words)

    async def rows_for(
        self, conn: Any, guild_id: int, spec: RecordSpec, items: Sequence[tuple[int, Record]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """(search rows, word rows) of records (row id, record named by its number), for a
        caller that writes them itself (a bulk import, beside its other statements)."""
        linked = await self.linked(conn, guild_id, spec, [r for _, r in items])
        entries = []
        for (row_id, record), links in zip(items, linked, strict=True):
            assert record.id is not None
            entries.append((row_id, guild_id, record.id, *texts(record, links)))
        return self.rows(spec, entries)

    def rows(
        self, spec: RecordSpec, entries: Sequence[Entry]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """(search rows, word rows) of entries whose texts are made: no read of the store,
        so a bulk import can make them outside its transaction."""
        rows: list[tuple[Any, ...]] = []
        words: list[tuple[Any, ...]] = []
        search_row, code, type_ = self._dialect.search_row, spec.code, spec.type.value
        for row_id, guild_id, number, title, body, names in entries:
            rows.append(search_row(row_id * STRIDE + code, guild_id, type_, code, number,
                                   title, body))
            words.extend([(guild_id, type_, w, number) for w in names])
        words.sort()  # in key order: the word index grows in runs, not at random places
        return rows, words

    async def _insert(self, conn: Any, rows: Sequence[tuple[Any, ...]],
                      words: Sequence[tuple[Any, ...]]) -> None:
        await conn.executemany(self._dialect.search_insert, rows)
        await conn.executemany(
            "INSERT INTO record_words (guild_id, record_type, word, number) VALUES (?, ?, ?, ?)",
            words)

    async def remove(
        self, conn: Any, guild_id: int, spec: RecordSpec, items: Sequence[tuple[int, int]]
    ) -> None:
        """Drops the index rows of records given as (row id, number)."""
        await conn.executemany(self._dialect.search_delete,
                               [(row_id * STRIDE + spec.code,) for row_id, _ in items])
        await conn.executemany(
            "DELETE FROM record_words WHERE guild_id = ? AND record_type = ? AND number = ?",
            [(guild_id, spec.type.value, number) for _, number in items])

    async def rebuild(self, conn: Any) -> int:
        """Every server's rows written again from the stored records (after a migration,
        or into a copied desk); returns how many records were indexed.

        It reads only the columns the search text names, joined to what they link to, so a
        row the store would refuse to read whole (an old, odd date) is still indexed.
        """
        await conn.execute("DELETE FROM search_index")
        await conn.execute("DELETE FROM record_words")
        total = 0
        for spec in REGISTRY.values():
            parts = list(dict.fromkeys(spec.search.parts))
            columns, joins = [], []
            for part in parts:
                if "." in part:
                    ref, name = part.split(".", 1)
                    f = spec.field(ref)
                    assert f.target is not None
                    alias = f"r_{ref}"
                    join = (f" LEFT JOIN {spec_of(f.target).table} {alias}"
                            f" ON {alias}.id = t.{f.store_column}")
                    if join not in joins:
                        joins.append(join)
                    columns.append(f"{alias}.{spec_of(f.target).field(name).store_column}")
                else:
                    columns.append(f"t.{spec.field(part).store_column}")
            lists = {p for p in parts if "." not in p and spec.field(p).kind is FieldKind.LIST}
            last = 0
            while True:
                async with conn.execute(
                    f"SELECT t.id, t.guild_id, t.number, {', '.join(columns)}"
                    f" FROM {spec.table} t{''.join(joins)} WHERE t.id > ? ORDER BY t.id LIMIT ?",
                    (last, BATCH),
                ) as cur:
                    rows = [tuple(r) for r in await cur.fetchall()]
                if not rows:
                    break
                entries: list[Entry] = []
                for row in rows:
                    found = dict(zip(parts, row[3:], strict=True))
                    for p in lists:
                        found[p] = json.loads(found[p]) if found[p] else []
                    entries.append((int(row[0]), int(row[1]), int(row[2]),
                                    *compose(spec, found.get)))
                await self._insert(conn, *self.rows(spec, entries))
                total += len(rows)
                last = int(rows[-1][0])
        return total


# --- reading the words records answer to ------------------------------------------------------

def _after(prefix: str) -> str:
    """The first string past every string starting with `prefix` (code point order, which
    is how both backends compare the column: SQLite's BINARY, PostgreSQL's "C")."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def matching(guild_id: int, type_: str, words: Sequence[str]) -> tuple[str, list[Any]]:
    """SELECT of the numbers of one server's records of a type whose names hold every word,
    the last as a prefix (what is being typed): each word is a range of the
    (guild_id, record_type, word) index, so another server's words are never read."""
    selects, params = [], []
    for word in words[:-1]:
        selects.append("SELECT number FROM record_words WHERE guild_id = ? AND record_type = ?"
                       " AND word = ?")
        params += [guild_id, type_, word]
    where, args = prefix_range(guild_id, type_, words[-1])
    selects.append(f"SELECT number FROM record_words WHERE {where}")
    params += args
    return " INTERSECT ".join(selects), params


def prefix_bounds(prefix: str) -> list[str]:
    """The two bounds of `word >= ? AND word < ?` that hold the words starting `prefix`."""
    return [prefix, _after(prefix)]


def prefix_range(guild_id: int, type_: str, prefix: str) -> tuple[str, list[Any]]:
    """WHERE (and parameters) of record_words rows of one server and type whose word starts
    with `prefix`: a range of the (guild_id, record_type, word) index."""
    return ("guild_id = ? AND record_type = ? AND word >= ? AND word < ?",
            [guild_id, type_, *prefix_bounds(prefix)])


def exact_range(guild_id: int, type_: str, word: str) -> tuple[str, list[Any]]:
    """WHERE (and parameters) of record_words rows of one server and type holding `word`."""
    return "guild_id = ? AND record_type = ? AND word = ?", [guild_id, type_, word]


class Shape(NamedTuple):
    """What ranking reads of a candidate's words: whether one of them is the word being
    typed, whole, and how many words its names have."""

    whole: bool
    words: int


def ranked(found: Mapping[int, Shape]) -> list[int]:
    """Numbers best first: the word being typed complete beats a longer word it starts,
    then shorter names (fewer words beside the ones typed), then the newest."""
    def key(number: int) -> tuple[int, int, int]:
        shape = found[number]
        return (0 if shape.whole else 1, shape.words, -number)

    return sorted(found, key=key)
