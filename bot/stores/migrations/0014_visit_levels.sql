-- 0014: a brief's "last visit at each level" (a level is a visitor's role and a direction:
-- who came from where to where) is the newest held visit of each (role, from, to) that names
-- the country. The brief read the country's 200 newest held visits and picked levels among
-- them, so a level last visited before those 200 was missing, and reading them cost 11-12 ms
-- at 100,000 visits. These two indexes hold, for each side of a visit, the country, the
-- other country, the role and the start day, so the newest start of every level is a
-- grouped read of the index alone (bot/stores/briefs.py, BriefStore.visit_levels) that never
-- loads a visit, and the visit shown for a level is then one seek. The country is matched
-- case-blind, as the country index (record_countries) matches it.
CREATE INDEX visits_levels_from
    ON visits (guild_id, status, from_country COLLATE NOCASE, to_country, visitor_role, date_start);
CREATE INDEX visits_levels_to
    ON visits (guild_id, status, to_country COLLATE NOCASE, from_country, visitor_role, date_start);
