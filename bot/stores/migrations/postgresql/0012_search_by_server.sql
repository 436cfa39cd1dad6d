-- 0012 (PostgreSQL): the full-text index is keyed by the server first, so a search reads only
-- its own server's entries (see ../0012_search_by_server.sql for SQLite's side).
--
-- The GIN index of 0002 held `doc` alone: a search found every server's matches of its words
-- and kept its own server's afterwards, so a server of 1,000 records paid for one of 100,000
-- (a common word: every match of every server read from the table, then filtered). With the
-- server as the index's first column, the scan intersects the server's entries with the
-- words' entries inside the index (GIN skips through the longer list), and the table is read
-- for this server's matches only. A bigint column in a GIN index needs the btree_gin operator
-- classes; btree_gin ships with PostgreSQL and is a trusted extension, so the database's
-- owner may create it without a superuser, as with unaccent (0002).

CREATE EXTENSION IF NOT EXISTS btree_gin;

DROP INDEX search_index_words;
CREATE INDEX search_index_words ON search_index USING gin (guild_id, doc);

-- As on SQLite (../0012_search_by_server.sql): upcoming visits pass over ended ones inside the
-- index, and a capped count of them reads the index alone.
CREATE INDEX visits_by_period ON visits (guild_id, date_start, date_end, status);
