-- 0006: queries whose cost follows one server's size, not every server's together.
--
-- record_countries: which countries (or parties) each record names, one row each, kept by
-- the store in the same transaction as the record. Lists filtered by country walk its
-- (server, type, country, date) index instead of reading JSON arrays row by row.
--
-- The search index gains a `scope` column of two tokens, the server ("g<id>") and the
-- server and type ("g<id>t<code>"), so a search names its server inside the full-text
-- query and never reads another server's matches. guild_id is kept, unindexed, as before.

CREATE TABLE record_countries (
    guild_id     INTEGER NOT NULL,
    record_type  TEXT    NOT NULL,
    country      TEXT    NOT NULL COLLATE NOCASE,
    date_start   TEXT,
    row_id       INTEGER NOT NULL  -- the record's internal row id
);
CREATE INDEX record_countries_by_country
    ON record_countries (guild_id, record_type, country, date_start, row_id);
CREATE INDEX record_countries_by_row ON record_countries (record_type, row_id);

INSERT INTO record_countries (guild_id, record_type, country, date_start, row_id)
SELECT guild_id, 'person', country, NULL, id FROM people WHERE country != ''
UNION ALL SELECT guild_id, 'visit', from_country, date_start, id FROM visits
UNION ALL SELECT guild_id, 'visit', to_country, date_start, id FROM visits
UNION ALL SELECT m.guild_id, 'meeting', j.value, m.date_start, m.id
          FROM meetings m, json_each(m.countries) j
UNION ALL SELECT p.guild_id, 'plan', j.value, p.date_start, p.id
          FROM plans p, json_each(p.parties) j;

-- A visit's period runs to its last day: date_end covers end_date too, so a visit of several
-- days is under way (and upcoming) until it ends.
UPDATE visits SET date_end = max(date_end, CASE end_precision
    WHEN 'day' THEN date(substr(end_value, 1, 10), '+1 day')
    WHEN 'month' THEN date(end_value || '-01', '+1 month')
    WHEN 'quarter' THEN date(substr(end_value, 1, 4) || '-'
        || printf('%02d', (CAST(substr(end_value, 7, 1) AS INTEGER) - 1) * 3 + 1) || '-01',
        '+3 months')
    WHEN 'year' THEN date(end_value || '-01-01', '+1 year')
    END)
WHERE end_value IS NOT NULL;

-- Plans filtered by status, in date order, without reading every plan of the server.
CREATE INDEX plans_by_status ON plans (guild_id, status, date_start);
CREATE INDEX visits_by_status ON visits (guild_id, status, date_start);
CREATE INDEX meetings_by_kind ON meetings (guild_id, kind, date_start);

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
DROP TABLE search_index;

CREATE VIRTUAL TABLE search_index USING fts5(
    guild_id UNINDEXED,
    record_type UNINDEXED,
    record_id UNINDEXED,
    scope,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER people_search_ai AFTER INSERT ON people BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 1, NEW.guild_id, 'person', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't1',
            NEW.name,
            NEW.title || ' ' || NEW.country || ' ' || NEW.notes);
END;
CREATE TRIGGER people_search_ad AFTER DELETE ON people BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 1;
END;
CREATE TRIGGER people_search_au AFTER UPDATE ON people BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 1;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 1, NEW.guild_id, 'person', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't1',
            NEW.name,
            NEW.title || ' ' || NEW.country || ' ' || NEW.notes);
END;

CREATE TRIGGER sources_search_ai AFTER INSERT ON sources BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 2, NEW.guild_id, 'source', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't2',
            NEW.title,
            NEW.summary || ' ' || NEW.body);
END;
CREATE TRIGGER sources_search_ad AFTER DELETE ON sources BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 2;
END;
CREATE TRIGGER sources_search_au AFTER UPDATE ON sources BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 2;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 2, NEW.guild_id, 'source', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't2',
            NEW.title,
            NEW.summary || ' ' || NEW.body);
END;

CREATE TRIGGER visits_search_ai AFTER INSERT ON visits BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 3, NEW.guild_id, 'visit', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't3',
            NEW.visitor_role || ' ' || NEW.from_country || ' ' || NEW.to_country,
            NEW.place || ' ' || NEW.purpose || ' ' || NEW.notes || ' '
            || coalesce((SELECT name || ' ' || title FROM people WHERE id = NEW.visitor_id), ''));
END;
CREATE TRIGGER visits_search_ad AFTER DELETE ON visits BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 3;
END;
CREATE TRIGGER visits_search_au AFTER UPDATE ON visits BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 3;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 3, NEW.guild_id, 'visit', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't3',
            NEW.visitor_role || ' ' || NEW.from_country || ' ' || NEW.to_country,
            NEW.place || ' ' || NEW.purpose || ' ' || NEW.notes || ' '
            || coalesce((SELECT name || ' ' || title FROM people WHERE id = NEW.visitor_id), ''));
END;

CREATE TRIGGER meetings_search_ai AFTER INSERT ON meetings BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 4, NEW.guild_id, 'meeting', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't4',
            NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.countries)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.topics)));
END;
CREATE TRIGGER meetings_search_ad AFTER DELETE ON meetings BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 4;
END;
CREATE TRIGGER meetings_search_au AFTER UPDATE ON meetings BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 4;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 4, NEW.guild_id, 'meeting', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't4',
            NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.countries)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.topics)));
END;

CREATE TRIGGER plans_search_ai AFTER INSERT ON plans BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 5, NEW.guild_id, 'plan', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't5',
            NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.parties)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.fields)));
END;
CREATE TRIGGER plans_search_ad AFTER DELETE ON plans BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 5;
END;
CREATE TRIGGER plans_search_au AFTER UPDATE ON plans BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 5;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 5, NEW.guild_id, 'plan', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't5',
            NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.parties)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.fields)));
END;

INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
SELECT t.id * 8 + 1, t.guild_id, 'person', t.number,
       'g' || t.guild_id || ' g' || t.guild_id || 't1',
       t.name,
       t.title || ' ' || t.country || ' ' || t.notes
FROM people t;
INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
SELECT t.id * 8 + 2, t.guild_id, 'source', t.number,
       'g' || t.guild_id || ' g' || t.guild_id || 't2',
       t.title,
       t.summary || ' ' || t.body
FROM sources t;
INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
SELECT t.id * 8 + 3, t.guild_id, 'visit', t.number,
       'g' || t.guild_id || ' g' || t.guild_id || 't3',
       t.visitor_role || ' ' || t.from_country || ' ' || t.to_country,
       t.place || ' ' || t.purpose || ' ' || t.notes || ' '
            || coalesce((SELECT name || ' ' || title FROM people WHERE id = t.visitor_id), '')
FROM visits t;
INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
SELECT t.id * 8 + 4, t.guild_id, 'meeting', t.number,
       'g' || t.guild_id || ' g' || t.guild_id || 't4',
       t.title,
       t.place || ' ' || t.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(t.countries)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(t.topics))
FROM meetings t;
INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
SELECT t.id * 8 + 5, t.guild_id, 'plan', t.number,
       'g' || t.guild_id || ' g' || t.guild_id || 't5',
       t.title,
       t.place || ' ' || t.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(t.parties)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(t.fields))
FROM plans t;
