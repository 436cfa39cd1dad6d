-- 0009 (PostgreSQL): who holds a claimed send, and until when (see the SQLite file of the
-- same number for why).
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_until TEXT;
