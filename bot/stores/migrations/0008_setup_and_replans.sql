-- 0008: what the bot must remember across restarts about each server's set-up and plans.

-- When the set-up checklist was posted (NULL: never), so a restart, a re-join or a missed
-- join event neither repeats it nor forgets that it is still owed.
ALTER TABLE guild_settings ADD COLUMN setup_posted_at TEXT;

-- What each server's planned sends were last computed from: a digest of the planning
-- inputs (settings, record changes, planner version). Start-up skips a server whose
-- inputs have not changed since, instead of re-planning every open record.
CREATE TABLE replan_marks (
    guild_id     INTEGER NOT NULL,
    scope        TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, scope)
);
