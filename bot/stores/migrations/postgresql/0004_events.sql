-- 0004 (PostgreSQL): Discord scheduled events mirroring visits, per server and off by
-- default: the switch, the last refusal from Discord, and which event mirrors which visit.
-- As the SQLite 0004, with BIGINT for SQLite's INTEGER.

ALTER TABLE guild_settings ADD COLUMN events_enabled BIGINT NOT NULL DEFAULT 0
    CHECK (events_enabled IN (0, 1));
-- Set when Discord refused an event (e.g. no Manage Events); syncing stops until fixed.
ALTER TABLE guild_settings ADD COLUMN events_problem TEXT;

-- Which Discord event mirrors which visit; no foreign key, so deleting a visit can still
-- find and remove its event. visit_id is the visit's row id, named by the bot, never handed
-- out here: a plain BIGINT key, no identity.
CREATE TABLE visit_events (
    visit_id   BIGINT  PRIMARY KEY,
    guild_id   BIGINT  NOT NULL,
    event_id   BIGINT  NOT NULL
);
CREATE INDEX visit_events_by_guild ON visit_events (guild_id);
