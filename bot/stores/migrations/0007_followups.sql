-- 0007: follow-ups (preparation work with an owner and a deadline), planned sends keyed by
-- any record rather than by visit, members who asked to be pinged, and the weekly digest.

-- A follow-up's deadline is either its own date (`due_*`) or relative to its linked visit
-- or plan (`due_before` names which, `due_offset` how long before). A relative deadline is
-- worked out from the anchor whenever it is read, so it can never lag behind the anchor.
-- The owner is a Discord member or role: 'member:<id>' or 'role:<id>' ('member' or 'role'
-- alone when a file named the owner but not its id), with the name as shown.
CREATE TABLE followups (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    uid             TEXT    NOT NULL,
    number          INTEGER NOT NULL,
    what            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    owner           TEXT    NOT NULL DEFAULT '',
    owner_name      TEXT    NOT NULL DEFAULT '',
    due_value       TEXT,
    due_precision   TEXT,
    due_zone        TEXT,
    due_start       TEXT,
    due_before      TEXT    NOT NULL DEFAULT '',
    due_offset      TEXT    NOT NULL DEFAULT '',
    leads           TEXT    NOT NULL DEFAULT '',
    visit_id        INTEGER REFERENCES visits (id) ON DELETE SET NULL,
    plan_id         INTEGER REFERENCES plans (id) ON DELETE SET NULL,
    meeting_id      INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    person_id       INTEGER REFERENCES people (id) ON DELETE RESTRICT,
    notes           TEXT    NOT NULL DEFAULT '',
    source_id       INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (guild_id, uid)
);
CREATE UNIQUE INDEX followups_by_number ON followups (guild_id, number);
CREATE INDEX followups_by_status ON followups (guild_id, status, due_start);
CREATE INDEX followups_by_visit ON followups (visit_id);
CREATE INDEX followups_by_plan ON followups (plan_id);
CREATE INDEX followups_by_person ON followups (person_id);

-- Search: type code 6 (see the registry), as for the other types in 0006.
CREATE TRIGGER followups_search_ai AFTER INSERT ON followups BEGIN
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 6, NEW.guild_id, 'followup', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't6',
            NEW.what, NEW.owner_name || ' ' || NEW.notes);
END;
CREATE TRIGGER followups_search_ad AFTER DELETE ON followups BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 6;
END;
CREATE TRIGGER followups_search_au AFTER UPDATE ON followups BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 8 + 6;
    INSERT INTO search_index (rowid, guild_id, record_type, record_id, scope, title, body)
    VALUES (NEW.id * 8 + 6, NEW.guild_id, 'followup', NEW.number,
            'g' || NEW.guild_id || ' g' || NEW.guild_id || 't6',
            NEW.what, NEW.owner_name || ' ' || NEW.notes);
END;

-- Planned sends for any record: `record_type` says which table `record_id` (the record's
-- number in its server) belongs to. A visit's rows keep their numbers; a follow-up's
-- reminders and the weekly digest ('digest', record 0) use the same claim, nonce and
-- mark-sent path, so each is posted exactly once.
CREATE TABLE deliveries_new (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    record_type   TEXT    NOT NULL DEFAULT 'visit',
    record_id     INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('lead', 'nudge', 'notice', 'digest')),
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
    UNIQUE (guild_id, record_type, record_id, kind, lead, computed_for, basis)
);
INSERT INTO deliveries_new (id, guild_id, record_type, record_id, kind, lead, computed_for,
    basis, due_at, headline, status, batch, late, attempts, last_error, reason, channel_id,
    message_id, created_at, updated_at)
SELECT id, guild_id, 'visit', visit_id, kind, lead, computed_for, basis, due_at, headline,
       status, batch, late, attempts, last_error, reason, channel_id, message_id, created_at,
       updated_at
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (status, due_at);
CREATE INDEX deliveries_by_guild ON deliveries (guild_id, status, due_at);
CREATE INDEX deliveries_by_record ON deliveries (guild_id, record_type, record_id, status);

-- Members who asked (/reminders notify-me on) to be pinged for what they own.
CREATE TABLE reminder_optins (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- The weekly digest: off until an admin schedules it. `weekday` 0 is Monday; `at` is the
-- wall-clock time in the server's zone.
CREATE TABLE digest_settings (
    guild_id    INTEGER PRIMARY KEY,
    enabled     INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    weekday     INTEGER NOT NULL DEFAULT 0 CHECK (weekday BETWEEN 0 AND 6),
    at          TEXT    NOT NULL DEFAULT '08:00',
    skip_empty  INTEGER NOT NULL DEFAULT 0 CHECK (skip_empty IN (0, 1))
);
