-- 0002: one FTS5 index over every record's words, kept in step by triggers.
-- guild_id, record_type and record_id are stored but not tokenised: they scope and identify.
-- A row's rowid is record_id * 8 + a code per record type, so a trigger finds the row to
-- replace by rowid instead of scanning the index.

CREATE VIRTUAL TABLE search_index USING fts5(
    guild_id UNINDEXED,
    record_type UNINDEXED,
    record_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER people_search_ai AFTER INSERT ON people BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 1, NEW.guild_id, 'person', NEW.id, NEW.name,
            NEW.title || ' ' || NEW.country || ' ' || NEW.notes);
END;
CREATE TRIGGER people_search_ad AFTER DELETE ON people BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 1;
END;
CREATE TRIGGER people_search_au AFTER UPDATE ON people BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 1;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 1, NEW.guild_id, 'person', NEW.id, NEW.name,
            NEW.title || ' ' || NEW.country || ' ' || NEW.notes);
END;

CREATE TRIGGER sources_search_ai AFTER INSERT ON sources BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 2, NEW.guild_id, 'source', NEW.id, NEW.title, NEW.summary || ' ' || NEW.body);
END;
CREATE TRIGGER sources_search_ad AFTER DELETE ON sources BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 2;
END;
CREATE TRIGGER sources_search_au AFTER UPDATE ON sources BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 2;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 2, NEW.guild_id, 'source', NEW.id, NEW.title, NEW.summary || ' ' || NEW.body);
END;

CREATE TRIGGER visits_search_ai AFTER INSERT ON visits BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 3, NEW.guild_id, 'visit', NEW.id,
            NEW.visitor_role || ' ' || NEW.from_country || ' ' || NEW.to_country,
            NEW.place || ' ' || NEW.purpose || ' ' || NEW.notes || ' '
            || coalesce((SELECT name || ' ' || title FROM people WHERE id = NEW.visitor_id), ''));
END;
CREATE TRIGGER visits_search_ad AFTER DELETE ON visits BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 3;
END;
CREATE TRIGGER visits_search_au AFTER UPDATE ON visits BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 3;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 3, NEW.guild_id, 'visit', NEW.id,
            NEW.visitor_role || ' ' || NEW.from_country || ' ' || NEW.to_country,
            NEW.place || ' ' || NEW.purpose || ' ' || NEW.notes || ' '
            || coalesce((SELECT name || ' ' || title FROM people WHERE id = NEW.visitor_id), ''));
END;

CREATE TRIGGER meetings_search_ai AFTER INSERT ON meetings BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 4, NEW.guild_id, 'meeting', NEW.id, NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.countries)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.topics)));
END;
CREATE TRIGGER meetings_search_ad AFTER DELETE ON meetings BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 4;
END;
CREATE TRIGGER meetings_search_au AFTER UPDATE ON meetings BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 4;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 4, NEW.guild_id, 'meeting', NEW.id, NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.countries)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.topics)));
END;

CREATE TRIGGER plans_search_ai AFTER INSERT ON plans BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 5, NEW.guild_id, 'plan', NEW.id, NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.parties)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.fields)));
END;
CREATE TRIGGER plans_search_ad AFTER DELETE ON plans BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 5;
END;
CREATE TRIGGER plans_search_au AFTER UPDATE ON plans BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 5;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, title, body)
    VALUES (NEW.id * 8 + 5, NEW.guild_id, 'plan', NEW.id, NEW.title,
            NEW.place || ' ' || NEW.summary || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.parties)) || ' '
            || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.fields)));
END;
