-- 0010 (PostgreSQL): the store keeps the search index itself, from the record-type registry,
-- as on SQLite (see ../0010_store_kept_search.sql): the triggers of 0002, 0006 and 0007 and
-- their functions go. The index's rows, and record_words, are written again by the store
-- right after this file, in the same transaction (bot/stores/search.py), so existing records
-- are found as before. `doc` stays computed by PostgreSQL from title and body.
--
-- record_words.word compares in the "C" collation (code point order, as SQLite's BINARY),
-- so a prefix is a plain range of its btree index whatever the database's locale.

DROP TRIGGER people_search_ai ON people;
DROP TRIGGER people_search_ad ON people;
DROP TRIGGER people_search_au ON people;
DROP TRIGGER sources_search_ai ON sources;
DROP TRIGGER sources_search_ad ON sources;
DROP TRIGGER sources_search_au ON sources;
DROP TRIGGER visits_search_ai ON visits;
DROP TRIGGER visits_search_ad ON visits;
DROP TRIGGER visits_search_au ON visits;
DROP TRIGGER meetings_search_ai ON meetings;
DROP TRIGGER meetings_search_ad ON meetings;
DROP TRIGGER meetings_search_au ON meetings;
DROP TRIGGER plans_search_ai ON plans;
DROP TRIGGER plans_search_ad ON plans;
DROP TRIGGER plans_search_au ON plans;
DROP TRIGGER followups_search_ai ON followups;
DROP TRIGGER followups_search_ad ON followups;
DROP TRIGGER followups_search_au ON followups;
DROP FUNCTION people_search();
DROP FUNCTION sources_search();
DROP FUNCTION visits_search();
DROP FUNCTION meetings_search();
DROP FUNCTION plans_search();
DROP FUNCTION followups_search();
TRUNCATE search_index;

CREATE TABLE record_words (
    guild_id     BIGINT  NOT NULL,
    record_type  TEXT    NOT NULL,
    word         TEXT    COLLATE "C" NOT NULL,
    number       BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, record_type, word, number)
);
CREATE INDEX record_words_by_record ON record_words (guild_id, record_type, number);

CREATE INDEX visits_by_visitor ON visits (visitor_id);
