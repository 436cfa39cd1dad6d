-- 0011 (PostgreSQL): the country index holds each record's status, as on SQLite (see
-- migrations/0011_country_status.sql); the country is indexed as lower(country), as in
-- record_countries_by_country, since lists compare it case-blind.

ALTER TABLE record_countries ADD COLUMN status TEXT;

UPDATE record_countries rc SET status = p.status FROM plans p
WHERE rc.record_type = 'plan' AND p.id = rc.row_id;
UPDATE record_countries rc SET status = v.status FROM visits v
WHERE rc.record_type = 'visit' AND v.id = rc.row_id;

CREATE INDEX record_countries_by_status
    ON record_countries (guild_id, record_type, lower(country), status, date_start, row_id);
