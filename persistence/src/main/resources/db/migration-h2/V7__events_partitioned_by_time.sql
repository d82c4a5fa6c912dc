-- The embedded store keeps one table for events and removes old ones row by row; PostgreSQL
-- partitions them by time from this version on (migration-postgresql).
SELECT 1;
