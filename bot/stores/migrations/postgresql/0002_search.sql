-- 0002 (PostgreSQL): one full-text index over every record's words, kept in step by triggers.
--
-- SQLite keeps an FTS5 virtual table whose rowid is the record's row id * 8 + a code per
-- record type. PostgreSQL has no virtual tables: `search_index` is a plain table keyed by the
-- same number (`row_key`), so a trigger finds the row to replace by its key. The words are
-- the same title and body text SQLite indexes, and `doc` is their tsvector (title weighted
-- A, body B), computed by PostgreSQL itself and searched through a GIN index. guild_id and
-- record_type are plain columns, and the btree index (guild_id, record_type, row_key) scopes
-- a search to one server (and type), newest first. The `attache_words` configuration is
-- 'simple' (lowercase, no stemming, as FTS5's unicode61 tokenizer) with the words unaccented
-- first, as FTS5's remove_diacritics does, so "tete a tete" finds "tête-à-tête". unaccent
-- ships with PostgreSQL and is a trusted extension: the database's owner may create it.
-- FTS5's prefix indexes ('2 3') have no counterpart to declare: a tsquery prefix
-- (`word:*`) uses the GIN index. Every run of other characters becomes a space before the
-- words are read: PostgreSQL's parser would otherwise keep a URL, an address or a tag such
-- as <t:0:R> as one token (or drop it), where FTS5 sees the words inside.
--
-- record_id is the row id until 0006, as in SQLite (which names records by number from
-- 0006 on).

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION attache_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION attache_words
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, simple;

CREATE TABLE search_index (
    row_key      BIGINT  PRIMARY KEY,
    guild_id     BIGINT  NOT NULL,
    record_type  TEXT    NOT NULL,
    record_id    BIGINT  NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    doc          tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('attache_words', regexp_replace(title, '\W+', ' ', 'g')), 'A')
                     || setweight(to_tsvector('attache_words', regexp_replace(body, '\W+', ' ', 'g')),
                                  'B')) STORED
);
CREATE INDEX search_index_words ON search_index USING gin (doc);
CREATE INDEX search_index_scope ON search_index (guild_id, record_type, row_key);

-- The `value` column of SQLite's json_each(doc), in order: an array's elements, an object's
-- values, or a scalar document itself. As in SQLite, a string is its text, true and false
-- are 1 and 0, a JSON null is NULL. A nested array or object is its JSON text and a number
-- its digits, here as written where SQLite rewrites them (`["a",1]` for `["a", 1]`, 100.0
-- for 1e2). The `json` type (not `jsonb`) keeps an object's keys in their written order,
-- duplicates included, as SQLite does. The stored lists are arrays of strings, for which
-- both give exactly the same words.
CREATE FUNCTION json_values_scalar(v json) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE json_typeof(v)
           WHEN 'string' THEN v #>> '{}'
           WHEN 'boolean' THEN CASE v::text WHEN 'true' THEN '1' ELSE '0' END
           WHEN 'null' THEN NULL
           ELSE v::text
           END
$$;

CREATE FUNCTION json_values(doc text) RETURNS TABLE (ord bigint, value text)
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    j json := doc::json;
BEGIN
    CASE json_typeof(j)
    WHEN 'array' THEN
        RETURN QUERY SELECT e.n, json_values_scalar(e.v)
                     FROM json_array_elements(j) WITH ORDINALITY AS e (v, n) ORDER BY e.n;
    WHEN 'object' THEN
        RETURN QUERY SELECT e.n, json_values_scalar(e.v)
                     FROM json_each(j) WITH ORDINALITY AS e (k, v, n) ORDER BY e.n;
    ELSE
        RETURN QUERY SELECT 1::bigint, json_values_scalar(j);
    END CASE;
END;
$$;

-- SQLite's `(SELECT coalesce(group_concat(value, ' '), '') FROM json_each(list))`: a list's
-- values joined by spaces (NULLs skipped), '' for an empty list.
CREATE FUNCTION json_words(doc text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(value, ' ' ORDER BY ord), '') FROM json_values(doc)
$$;

-- One trigger function per record table serves its three triggers (named as in SQLite):
-- on UPDATE or DELETE the old row's entry goes, on INSERT or UPDATE the new one comes. Each
-- part is coalesced, so a NULL part can never blank the whole text (in SQLite a NULL part
-- makes the whole `||` NULL); every part SQLite reads is NOT NULL or already coalesced
-- there, so the text is the same.

CREATE FUNCTION people_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 1, NEW.guild_id, 'person', NEW.id, coalesce(NEW.name, ''),
                coalesce(NEW.title, '') || ' ' || coalesce(NEW.country, '') || ' '
                || coalesce(NEW.notes, ''));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER people_search_ai AFTER INSERT ON people
    FOR EACH ROW EXECUTE FUNCTION people_search();
CREATE TRIGGER people_search_ad AFTER DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION people_search();
CREATE TRIGGER people_search_au AFTER UPDATE ON people
    FOR EACH ROW EXECUTE FUNCTION people_search();

CREATE FUNCTION sources_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 2;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 2, NEW.guild_id, 'source', NEW.id, coalesce(NEW.title, ''),
                coalesce(NEW.summary, '') || ' ' || coalesce(NEW.body, ''));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sources_search_ai AFTER INSERT ON sources
    FOR EACH ROW EXECUTE FUNCTION sources_search();
CREATE TRIGGER sources_search_ad AFTER DELETE ON sources
    FOR EACH ROW EXECUTE FUNCTION sources_search();
CREATE TRIGGER sources_search_au AFTER UPDATE ON sources
    FOR EACH ROW EXECUTE FUNCTION sources_search();

CREATE FUNCTION visits_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 3;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 3, NEW.guild_id, 'visit', NEW.id,
                coalesce(NEW.visitor_role, '') || ' ' || coalesce(NEW.from_country, '') || ' '
                || coalesce(NEW.to_country, ''),
                coalesce(NEW.place, '') || ' ' || coalesce(NEW.purpose, '') || ' '
                || coalesce(NEW.notes, '') || ' '
                || coalesce((SELECT p.name || ' ' || p.title FROM people p
                             WHERE p.id = NEW.visitor_id), ''));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER visits_search_ai AFTER INSERT ON visits
    FOR EACH ROW EXECUTE FUNCTION visits_search();
CREATE TRIGGER visits_search_ad AFTER DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION visits_search();
CREATE TRIGGER visits_search_au AFTER UPDATE ON visits
    FOR EACH ROW EXECUTE FUNCTION visits_search();

CREATE FUNCTION meetings_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 4;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 4, NEW.guild_id, 'meeting', NEW.id, coalesce(NEW.title, ''),
                coalesce(NEW.place, '') || ' ' || coalesce(NEW.summary, '') || ' '
                || json_words(NEW.countries) || ' ' || json_words(NEW.topics));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER meetings_search_ai AFTER INSERT ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_search();
CREATE TRIGGER meetings_search_ad AFTER DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_search();
CREATE TRIGGER meetings_search_au AFTER UPDATE ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_search();

CREATE FUNCTION plans_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 5;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 5, NEW.guild_id, 'plan', NEW.id, coalesce(NEW.title, ''),
                coalesce(NEW.place, '') || ' ' || coalesce(NEW.summary, '') || ' '
                || json_words(NEW.parties) || ' ' || json_words(NEW.fields));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER plans_search_ai AFTER INSERT ON plans
    FOR EACH ROW EXECUTE FUNCTION plans_search();
CREATE TRIGGER plans_search_ad AFTER DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION plans_search();
CREATE TRIGGER plans_search_au AFTER UPDATE ON plans
    FOR EACH ROW EXECUTE FUNCTION plans_search();
