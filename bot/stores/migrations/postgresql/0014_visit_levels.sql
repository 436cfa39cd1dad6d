-- 0014 (PostgreSQL): the last held visit at each level read from an index of each side of a
-- visit, as on SQLite (see migrations/0014_visit_levels.sql); the matched country is indexed
-- as lower(country), as in record_countries_by_country, since a brief compares it case-blind.
-- The country itself is carried along (INCLUDE): PostgreSQL reads an index alone only when it
-- holds every column a query names, lower()'s argument too; without it grouping a country's
-- held visits by level looked up each visit (669 buffers, not 12, at 100,000 visits).
CREATE INDEX visits_levels_from
    ON visits (guild_id, status, lower(from_country), to_country, visitor_role, date_start, id)
    INCLUDE (from_country);
CREATE INDEX visits_levels_to
    ON visits (guild_id, status, lower(to_country), from_country, visitor_role, date_start, id)
    INCLUDE (to_country);
