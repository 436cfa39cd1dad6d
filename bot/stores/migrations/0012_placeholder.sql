-- 0012: a placeholder kept only on the import-batches branch, so that 0013 follows an
-- unbroken sequence there; another branch owns the real 0012, and this file goes at merge.
SELECT 1;
