-- 0006 (PostgreSQL): queries whose cost follows one server's size, not every server's
-- together.
--
-- record_countries: which countries (or parties) each record names, one row each, kept by
-- the store in the same transaction as the record, so a list filtered by country walks its
-- (server, type, country, date) index instead of reading JSON arrays row by row. Visits
-- stored before now get a period that runs to their last day. Indexes for lists filtered by
-- status or kind. And the search index comes to name records by their number.
--
-- SQLite's search index gains a `scope` column of tokens ("g<id>", "g<id>t<code>") so that a
-- full-text query names its server. Here the server and type are plain columns with a
-- btree index since 0002, so no column is added: the trigger functions are replaced to
-- write the record's number as record_id, and the index is rebuilt from the tables, as in
-- SQLite.

-- SQLite declares `country ... COLLATE NOCASE`, so its comparisons and this index ignore
-- (ASCII) case. PostgreSQL has no NOCASE collation: the column is plain TEXT and the index
-- is on lower(country), under the same name; a case-blind filter or DISTINCT must say
-- lower(country) to match SQLite and to use the index.
CREATE TABLE record_countries (
    guild_id     BIGINT  NOT NULL,
    record_type  TEXT    NOT NULL,
    country      TEXT    NOT NULL,
    date_start   TEXT,
    row_id       BIGINT  NOT NULL  -- the record's internal row id
);
CREATE INDEX record_countries_by_country
    ON record_countries (guild_id, record_type, lower(country), date_start, row_id);
CREATE INDEX record_countries_by_row ON record_countries (record_type, row_id);

-- SQLite's json_each(list) is json_values(list) here (0002).
INSERT INTO record_countries (guild_id, record_type, country, date_start, row_id)
SELECT guild_id, 'person', country, NULL, id FROM people WHERE country <> ''
UNION ALL SELECT guild_id, 'visit', from_country, date_start, id FROM visits
UNION ALL SELECT guild_id, 'visit', to_country, date_start, id FROM visits
UNION ALL SELECT m.guild_id, 'meeting', j.value, m.date_start, m.id
          FROM meetings m CROSS JOIN LATERAL json_values(m.countries) AS j
UNION ALL SELECT p.guild_id, 'plan', j.value, p.date_start, p.id
          FROM plans p CROSS JOIN LATERAL json_values(p.parties) AS j;

-- A visit's period runs to its last day: date_end covers end_date too, so a visit of several
-- days is under way (and upcoming) until it ends. The day after the end's period is worked
-- out with date arithmetic and written as YYYY-MM-DD (to_char, whatever the DateStyle).
-- greatest() compares bytewise (COLLATE "C"), as SQLite's max() does. Where SQLite's
-- max() would be NULL (an end precision it does not know), SQLite's UPDATE fails on the
-- NOT NULL date_end; greatest() ignores the NULL and keeps date_end.
UPDATE visits SET date_end = greatest(date_end COLLATE "C", CASE end_precision
    WHEN 'day' THEN to_char(substr(end_value, 1, 10)::date + 1, 'YYYY-MM-DD')
    WHEN 'month' THEN to_char((end_value || '-01')::date + interval '1 month', 'YYYY-MM-DD')
    WHEN 'quarter' THEN to_char(make_date(substr(end_value, 1, 4)::int,
        (substr(end_value, 7, 1)::int - 1) * 3 + 1, 1) + interval '3 months', 'YYYY-MM-DD')
    WHEN 'year' THEN to_char(make_date(end_value::int, 1, 1) + interval '1 year',
        'YYYY-MM-DD')
    END)
WHERE end_value IS NOT NULL;

-- Plans filtered by status, in date order, without reading every plan of the server.
CREATE INDEX plans_by_status ON plans (guild_id, status, date_start);
CREATE INDEX visits_by_status ON visits (guild_id, status, date_start);
CREATE INDEX meetings_by_kind ON meetings (guild_id, kind, date_start);

-- The triggers (0002) stay; their functions now write the record's number as record_id.
-- Title and body are the same text as before, as in SQLite's 0006.

CREATE OR REPLACE FUNCTION people_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 1, NEW.guild_id, 'person', NEW.number, coalesce(NEW.name, ''),
                coalesce(NEW.title, '') || ' ' || coalesce(NEW.country, '') || ' '
                || coalesce(NEW.notes, ''));
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION sources_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 2;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 2, NEW.guild_id, 'source', NEW.number, coalesce(NEW.title, ''),
                coalesce(NEW.summary, '') || ' ' || coalesce(NEW.body, ''));
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION visits_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 3;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 3, NEW.guild_id, 'visit', NEW.number,
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

CREATE OR REPLACE FUNCTION meetings_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 4;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 4, NEW.guild_id, 'meeting', NEW.number, coalesce(NEW.title, ''),
                coalesce(NEW.place, '') || ' ' || coalesce(NEW.summary, '') || ' '
                || json_words(NEW.countries) || ' ' || json_words(NEW.topics));
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION plans_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE row_key = OLD.id * 8 + 5;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
        VALUES (NEW.id * 8 + 5, NEW.guild_id, 'plan', NEW.number, coalesce(NEW.title, ''),
                coalesce(NEW.place, '') || ' ' || coalesce(NEW.summary, '') || ' '
                || json_words(NEW.parties) || ' ' || json_words(NEW.fields));
    END IF;
    RETURN NULL;
END;
$$;

-- The index rebuilt from the tables, every entry now named by its record's number.
TRUNCATE search_index;
INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
SELECT t.id * 8 + 1, t.guild_id, 'person', t.number,
       coalesce(t.name, ''),
       coalesce(t.title, '') || ' ' || coalesce(t.country, '') || ' ' || coalesce(t.notes, '')
FROM people t;
INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
SELECT t.id * 8 + 2, t.guild_id, 'source', t.number,
       coalesce(t.title, ''),
       coalesce(t.summary, '') || ' ' || coalesce(t.body, '')
FROM sources t;
INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
SELECT t.id * 8 + 3, t.guild_id, 'visit', t.number,
       coalesce(t.visitor_role, '') || ' ' || coalesce(t.from_country, '') || ' '
       || coalesce(t.to_country, ''),
       coalesce(t.place, '') || ' ' || coalesce(t.purpose, '') || ' ' || coalesce(t.notes, '')
       || ' ' || coalesce((SELECT p.name || ' ' || p.title FROM people p
                           WHERE p.id = t.visitor_id), '')
FROM visits t;
INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
SELECT t.id * 8 + 4, t.guild_id, 'meeting', t.number,
       coalesce(t.title, ''),
       coalesce(t.place, '') || ' ' || coalesce(t.summary, '') || ' '
       || json_words(t.countries) || ' ' || json_words(t.topics)
FROM meetings t;
INSERT INTO search_index (row_key, guild_id, record_type, record_id, title, body)
SELECT t.id * 8 + 5, t.guild_id, 'plan', t.number,
       coalesce(t.title, ''),
       coalesce(t.place, '') || ' ' || coalesce(t.summary, '') || ' '
       || json_words(t.parties) || ' ' || json_words(t.fields)
FROM plans t;
