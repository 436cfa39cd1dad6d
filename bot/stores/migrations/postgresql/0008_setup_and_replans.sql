-- 0008 (PostgreSQL): what the bot must remember across restarts about each server's set-up
-- and plans: when the set-up checklist was posted, and what each server's planned sends were
-- last computed from. As the SQLite 0008, with BIGINT for SQLite's INTEGER.

-- When the set-up checklist was posted (NULL: never), so a restart, a re-join or a missed
-- join event neither repeats it nor forgets that it is still owed.
ALTER TABLE guild_settings ADD COLUMN setup_posted_at TEXT;

-- A digest of each server's planning inputs (settings, record changes, planner version)
-- when its sends were last planned: start-up skips a server whose inputs have not changed
-- since, instead of re-planning every open record.
CREATE TABLE replan_marks (
    guild_id     BIGINT  NOT NULL,
    scope        TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, scope)
);
