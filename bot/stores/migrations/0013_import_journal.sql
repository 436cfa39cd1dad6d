-- 0013: the import journal. An import too big for one short transaction is written in
-- batches the bot's own writes can go between; its journal row is written with the first
-- batch and removed with the last, so a row still here names an import that stopped part
-- way (the process was killed, the disk filled). It keeps the checked file and how far the
-- import got, so that the next start, or the next import into the server, finishes it from
-- there (bot/stores/imports.py). One import per server at a time: the unique index.

CREATE TABLE import_journal (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    actor_id    INTEGER,
    owner       TEXT    NOT NULL,
    started_at  TEXT    NOT NULL,
    beat_at     TEXT    NOT NULL,
    total       INTEGER NOT NULL,
    done        INTEGER NOT NULL,
    source      TEXT    NOT NULL
);
CREATE UNIQUE INDEX import_journal_by_guild ON import_journal (guild_id);
