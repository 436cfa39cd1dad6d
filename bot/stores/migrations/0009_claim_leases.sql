-- 0009: who holds a claimed send, and until when, so that several bot processes can share
-- one database and a process that died holding a claim has it taken over.

-- `claimed_by` names the claiming process by what it serves ('main' for a single process;
-- 'shards 0,1 of 4' for one serving those shards), so a restarted process takes its own
-- claims back at once; any other process may take them once `claimed_until` has passed.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_until TEXT;
