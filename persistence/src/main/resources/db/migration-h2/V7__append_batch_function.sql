-- PostgreSQL appends a batch in one function call (see db/migration-postgresql); the embedded
-- store has no data-modifying CTEs and appends statement by statement, so it has nothing to add.
SELECT 1;
