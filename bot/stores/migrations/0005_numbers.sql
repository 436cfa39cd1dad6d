-- 0005: record numbers local to each server and never reused; rows keyed by record number.
--
-- Until now the number users typed (#3) was the table's row id: one sequence for all
-- servers, and SQLite hands a deleted newest row's id to the next insert. Each record now
-- has a `number` that is unique in its server and type, handed out by `record_numbers`,
-- whose counter only ever grows, so a deleted #3 stays retired. Existing records keep the
-- number they had. The row id stays as the internal key that link tables use.

ALTER TABLE sources  ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people   ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visits   ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plans    ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE sources  SET number = id;
UPDATE people   SET number = id;
UPDATE visits   SET number = id;
UPDATE meetings SET number = id;
UPDATE plans    SET number = id;
CREATE UNIQUE INDEX sources_by_number  ON sources  (guild_id, number);
CREATE UNIQUE INDEX people_by_number   ON people   (guild_id, number);
CREATE UNIQUE INDEX visits_by_number   ON visits   (guild_id, number);
CREATE UNIQUE INDEX meetings_by_number ON meetings (guild_id, number);
CREATE UNIQUE INDEX plans_by_number    ON plans    (guild_id, number);

-- The last number handed out per server and type. It starts past every number the server
-- has ever shown, deleted records included (the audit log remembers those).
CREATE TABLE record_numbers (
    guild_id     INTEGER NOT NULL,
    record_type  TEXT    NOT NULL,
    last         INTEGER NOT NULL,
    PRIMARY KEY (guild_id, record_type)
) WITHOUT ROWID;

INSERT INTO record_numbers (guild_id, record_type, last)
SELECT guild_id, record_type, max(n) FROM (
    SELECT guild_id, 'source' AS record_type, number AS n FROM sources
    UNION ALL SELECT guild_id, 'person', number FROM people
    UNION ALL SELECT guild_id, 'visit', number FROM visits
    UNION ALL SELECT guild_id, 'meeting', number FROM meetings
    UNION ALL SELECT guild_id, 'plan', number FROM plans
    UNION ALL SELECT guild_id, record_type, record_id FROM audit_log
) GROUP BY guild_id, record_type;

-- The search index comes to name records by their number in 0006, which rebuilds it.

-- Planned sends: keyed by server and visit number (a number is never reused in a server,
-- so a new visit can never inherit an old one's rows), and by `basis`: what the send was
-- computed from. For a lead or nudge that includes its due time, so a change of zone, lead
-- times, date or precision makes a new row and supersedes the old instead of keeping it.
CREATE TABLE deliveries_new (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    visit_id      INTEGER NOT NULL,  -- the visit's number in its server
    kind          TEXT    NOT NULL CHECK (kind IN ('lead', 'nudge', 'notice')),
    lead          TEXT    NOT NULL,
    computed_for  TEXT    NOT NULL,
    basis         TEXT    NOT NULL,
    due_at        TEXT    NOT NULL,
    headline      TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN
                  ('planned', 'claimed', 'sent', 'failed', 'skipped', 'superseded')),
    batch         INTEGER,
    late          INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    reason        TEXT,
    channel_id    INTEGER,
    message_id    INTEGER,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (guild_id, visit_id, kind, lead, computed_for, basis)
);
INSERT INTO deliveries_new (id, guild_id, visit_id, kind, lead, computed_for, basis, due_at,
    headline, status, batch, late, attempts, last_error, reason, channel_id, message_id,
    created_at, updated_at)
SELECT id, guild_id, visit_id, kind, lead, computed_for,
       CASE kind WHEN 'notice' THEN '' ELSE due_at END, due_at, headline, status, batch, late,
       attempts, last_error, reason, channel_id, message_id, created_at, updated_at
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (status, due_at);
CREATE INDEX deliveries_by_guild ON deliveries (guild_id, status, due_at);
CREATE INDEX deliveries_by_visit ON deliveries (guild_id, visit_id, status);

-- Which Discord event mirrors which visit, per server.
CREATE TABLE visit_events_new (
    guild_id   INTEGER NOT NULL,
    visit_id   INTEGER NOT NULL,  -- the visit's number in its server
    event_id   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, visit_id)
) WITHOUT ROWID;
INSERT INTO visit_events_new (guild_id, visit_id, event_id)
SELECT guild_id, visit_id, event_id FROM visit_events;
DROP TABLE visit_events;
ALTER TABLE visit_events_new RENAME TO visit_events;
