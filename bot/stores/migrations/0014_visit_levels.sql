-- 0014: a brief's "last visit at each level" (a level is a visitor's role and a direction:
-- who came from where to where) is the newest held visit of each (role, from, to) that names
-- the country. The brief read the country's 200 newest held visits and picked levels among
-- them, so a level last visited before those 200 was missing. These two indexes hold, for
-- each side of a visit, the country, the other country, the role and the start day, so that
-- (bot/stores/briefs.py, BriefStore.visit_levels) every level's newest start is found by one
-- seek a level, the levels of a few other countries by reading their entries alone, and the
-- visit shown for a level by one seek, never reading the country's other visits. The country
-- is matched case-blind, as the country index (record_countries) matches it.
CREATE INDEX visits_levels_from
    ON visits (guild_id, status, from_country COLLATE NOCASE, to_country, visitor_role, date_start);
CREATE INDEX visits_levels_to
    ON visits (guild_id, status, to_country COLLATE NOCASE, from_country, visitor_role, date_start);
