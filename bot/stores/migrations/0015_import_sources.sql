-- 0015: an import's checked file moves out of its journal row into a table of its own.
-- SQLite rewrites a whole row, overflow pages and all, whenever one of its columns changes,
-- so every batch's "done = N" rewrote the file kept beside it: 11 MB into the WAL per batch
-- at 100,000 records (measured 20-330 ms an update). The file is written once, read only
-- by a run that finishes the import, and goes with its journal row (the foreign key).

CREATE TABLE import_sources (
    journal_id  INTEGER PRIMARY KEY REFERENCES import_journal (id) ON DELETE CASCADE,
    source      TEXT    NOT NULL
);
INSERT INTO import_sources (journal_id, source) SELECT id, source FROM import_journal;
ALTER TABLE import_journal DROP COLUMN source;
