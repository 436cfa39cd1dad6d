-- 0015 (PostgreSQL): an import's checked file in a table of its own (see the SQLite file of
-- the same number for why; PostgreSQL keeps a big value out of line and does not rewrite it
-- on an update of another column, but both stores keep one schema).

CREATE TABLE import_sources (
    journal_id  BIGINT  PRIMARY KEY REFERENCES import_journal (id) ON DELETE CASCADE,
    source      TEXT    NOT NULL
);
INSERT INTO import_sources (journal_id, source) SELECT id, source FROM import_journal;
ALTER TABLE import_journal DROP COLUMN source;
