-- 0001: every record a briefing desk keeps, each row scoped to one guild (Discord server).
-- Lists of plain strings (countries, topics, parties, fields) are JSON arrays; links to
-- people are rows of their own so a person cannot be deleted from under a meeting.
-- Dates are FuzzyDates: value + precision (+ zone when timed), plus start/end days
-- (end exclusive) so sorting and range filters are plain string comparisons.

CREATE TABLE guild_settings (
    guild_id        INTEGER PRIMARY KEY,
    timezone        TEXT    NOT NULL DEFAULT 'UTC',
    day_first       INTEGER NOT NULL DEFAULT 1 CHECK (day_first IN (0, 1)),
    editor_role_id  INTEGER
);

CREATE TABLE sources (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    uid                 TEXT    NOT NULL,
    title               TEXT    NOT NULL,
    url                 TEXT    NOT NULL DEFAULT '',
    published_value     TEXT,
    published_precision TEXT,
    published_zone      TEXT,
    published_start     TEXT,
    summary             TEXT    NOT NULL DEFAULT '',
    body                TEXT    NOT NULL DEFAULT '',
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (guild_id, uid)
);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    uid         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    title       TEXT    NOT NULL DEFAULT '',
    country     TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    source_id   INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (guild_id, uid)
);
CREATE INDEX people_by_name ON people (guild_id, name COLLATE NOCASE);

CREATE TABLE visits (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    uid             TEXT    NOT NULL,
    visitor_id      INTEGER REFERENCES people (id) ON DELETE RESTRICT,
    visitor_role    TEXT    NOT NULL DEFAULT '',
    from_country    TEXT    NOT NULL,
    to_country      TEXT    NOT NULL,
    date_value      TEXT    NOT NULL,
    date_precision  TEXT    NOT NULL,
    date_zone       TEXT,
    date_start      TEXT    NOT NULL,
    date_end        TEXT    NOT NULL,
    end_value       TEXT,
    end_precision   TEXT,
    end_zone        TEXT,
    status          TEXT    NOT NULL,
    place           TEXT    NOT NULL DEFAULT '',
    purpose         TEXT    NOT NULL DEFAULT '',
    notes           TEXT    NOT NULL DEFAULT '',
    source_id       INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (guild_id, uid)
);
CREATE INDEX visits_by_date ON visits (guild_id, date_start);

CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    uid             TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    date_value      TEXT    NOT NULL,
    date_precision  TEXT    NOT NULL,
    date_zone       TEXT,
    date_start      TEXT    NOT NULL,
    date_end        TEXT    NOT NULL,
    place           TEXT    NOT NULL DEFAULT '',
    countries       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(countries)),
    topics          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(topics)),
    summary         TEXT    NOT NULL DEFAULT '',
    visit_id        INTEGER REFERENCES visits (id) ON DELETE SET NULL,
    source_id       INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (guild_id, uid)
);
CREATE INDEX meetings_by_date ON meetings (guild_id, date_start);

CREATE TABLE meeting_participants (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    part        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, position)
);
CREATE INDEX participants_by_person ON meeting_participants (person_id);

CREATE TABLE plans (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    uid             TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    date_value      TEXT,
    date_precision  TEXT,
    date_zone       TEXT,
    date_start      TEXT,
    date_end        TEXT,
    place           TEXT    NOT NULL DEFAULT '',
    parties         TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(parties)),
    fields          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(fields)),
    summary         TEXT    NOT NULL DEFAULT '',
    meeting_id      INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    visit_id        INTEGER REFERENCES visits (id) ON DELETE SET NULL,
    source_id       INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (guild_id, uid)
);
CREATE INDEX plans_by_date ON plans (guild_id, date_start);

CREATE TABLE plan_signatories (
    plan_id       INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    on_behalf_of  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, position)
);
CREATE INDEX signatories_by_person ON plan_signatories (person_id);

-- The audit log outlives the records it describes: no foreign keys, so a deleted record's
-- full content stays here.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    actor_id     INTEGER,
    action       TEXT    NOT NULL,
    record_type  TEXT    NOT NULL,
    record_id    INTEGER NOT NULL,
    record_uid   TEXT    NOT NULL,
    before_json  TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json   TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    at           TEXT    NOT NULL
);
CREATE INDEX audit_by_record ON audit_log (guild_id, record_type, record_id);
