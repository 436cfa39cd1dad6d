-- 0004: Discord scheduled events for visits, per server and off by default.

ALTER TABLE guild_settings ADD COLUMN events_enabled INTEGER NOT NULL DEFAULT 0
    CHECK (events_enabled IN (0, 1));
-- Set when Discord refused an event (e.g. no Manage Events); syncing stops until fixed.
ALTER TABLE guild_settings ADD COLUMN events_problem TEXT;

-- Which Discord event mirrors which visit; no foreign key, so deleting a visit can still
-- find and remove its event.
CREATE TABLE visit_events (
    visit_id   INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    event_id   INTEGER NOT NULL
);
CREATE INDEX visit_events_by_guild ON visit_events (guild_id);
