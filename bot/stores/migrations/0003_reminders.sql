-- 0003: reminders. Per-server settings, and one row per planned send so that every reminder
-- is durable across restarts and sent at most once.

ALTER TABLE guild_settings ADD COLUMN reminder_channel_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN reminder_leads TEXT NOT NULL DEFAULT '7d 1d 2h';
ALTER TABLE guild_settings ADD COLUMN reminder_role_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN reminders_paused INTEGER NOT NULL DEFAULT 0
    CHECK (reminders_paused IN (0, 1));
-- A delivery problem the admins have not yet been told about; cleared once shown.
ALTER TABLE guild_settings ADD COLUMN reminder_problem TEXT;

-- No foreign key to visits: when a visit is deleted its rows stay as the record of what
-- was sent and what was superseded.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    visit_id      INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('lead', 'nudge', 'notice')),
    lead          TEXT    NOT NULL,
    computed_for  TEXT    NOT NULL,
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
    UNIQUE (visit_id, lead, computed_for)
);
CREATE INDEX deliveries_due ON deliveries (status, due_at);
CREATE INDEX deliveries_by_guild ON deliveries (guild_id, status, due_at);
CREATE INDEX deliveries_by_visit ON deliveries (visit_id, status);
