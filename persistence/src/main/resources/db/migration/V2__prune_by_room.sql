-- Events up to deleted_through are gone; pruned_through (what joins see) may run ahead of it, so
-- the delete can proceed room by room over the primary key.
ALTER TABLE room_heads ADD COLUMN deleted_through BIGINT NOT NULL DEFAULT 0;
