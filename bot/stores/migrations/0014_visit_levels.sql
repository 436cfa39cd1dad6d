-- 0014: a brief's "last visit at each level" (a level is a visitor's role and a direction:
-- who came from where to where) is the newest held visit of each (role, from, to) that names
-- the country. The brief read the country's 200 newest held visits and picked levels among
-- them, so a level last visited before those 200 was missing. These two indexes hold, for
-- each side of a visit, the country, the other country, the role, the start day and the row
-- (the last recorded of a day wins a tie), so that (bot/stores/briefs.py, visit_levels)
-- every level's newest visit is found by one seek a level, and the levels of a few other
-- countries by reading their entries alone, never the country's other visits. The country
-- is matched case-blind, as the country index (record_countries) matches it.
CREATE INDEX visits_levels_from ON visits
    (guild_id, status, from_country COLLATE NOCASE, to_country, visitor_role, date_start, id);
CREATE INDEX visits_levels_to ON visits
    (guild_id, status, to_country COLLATE NOCASE, from_country, visitor_role, date_start, id);
