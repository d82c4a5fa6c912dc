-- The heads of rooms whose every event was pruned are removed, so room names used once do not
-- stay in the table for ever. retired_seq is the highest seq of a removed head: a room new to the
-- table starts above it (and counts as pruned through it), so no room's seq ever starts again and
-- a since of the removed history is never taken for one of the new.
ALTER TABLE store_lineage ADD COLUMN retired_seq BIGINT NOT NULL DEFAULT 0;
