-- 0010: the store keeps the search index itself, from the record-type registry, in the same
-- transaction as each record: no trigger is written per table (and per backend) any more.
-- What each type's title and body hold is the registry's SearchText (bot/domain/registry.py).
--
-- The FTS5 table is made again without its prefix indexes ('2 3'): prefix queries served
-- autocomplete and pickers, which now read record_words, and those indexes were most of
-- the index's bytes. Its rows, and record_words, are written again by the store right after
-- this file, in the same transaction (bot/stores/search.py, rebuild_search), so existing
-- records are found as before, a visit with its visitor's current name.
--
-- record_words: each word of the names a record answers to (its search title, and a
-- visit's visitor), folded as autocomplete compares them (case and accents aside), one row
-- each. A prefix is a range of the (guild_id, record_type, word) key, so autocomplete in a
-- small server never reads a big server's words.

DROP TRIGGER people_search_ai;
DROP TRIGGER people_search_ad;
DROP TRIGGER people_search_au;
DROP TRIGGER sources_search_ai;
DROP TRIGGER sources_search_ad;
DROP TRIGGER sources_search_au;
DROP TRIGGER visits_search_ai;
DROP TRIGGER visits_search_ad;
DROP TRIGGER visits_search_au;
DROP TRIGGER meetings_search_ai;
DROP TRIGGER meetings_search_ad;
DROP TRIGGER meetings_search_au;
DROP TRIGGER plans_search_ai;
DROP TRIGGER plans_search_ad;
DROP TRIGGER plans_search_au;
DROP TRIGGER followups_search_ai;
DROP TRIGGER followups_search_ad;
DROP TRIGGER followups_search_au;
DROP TABLE search_index;

CREATE VIRTUAL TABLE search_index USING fts5(
    guild_id UNINDEXED,
    record_type UNINDEXED,
    record_id UNINDEXED,
    scope,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE record_words (
    guild_id     INTEGER NOT NULL,
    record_type  TEXT    NOT NULL,
    word         TEXT    NOT NULL,
    number       INTEGER NOT NULL,
    PRIMARY KEY (guild_id, record_type, word, number)
) WITHOUT ROWID;
CREATE INDEX record_words_by_record ON record_words (guild_id, record_type, number);

-- A person's rename re-indexes the visits they make; this finds them (and the check that
-- a person is unused before a delete) without reading every visit.
CREATE INDEX visits_by_visitor ON visits (visitor_id);
