-- How far the prune by age has looked: each prune reads only events stamped since then.
-- (PostgreSQL's events are also partitioned by time in its V8; H2 keeps one table and deletes rows.)
ALTER TABLE store_lineage ADD COLUMN aged_through BIGINT NOT NULL DEFAULT 0;
