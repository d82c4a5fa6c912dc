-- PostgreSQL only: room_events becomes partitioned by ts, in ranges of gateway.history.partition-width,
-- so the retention by age drops whole partitions instead of deleting rows under live appends.
-- The primary key must hold the partition key; (room, seq) stays unique because a room's seqs are
-- only ever taken under its head's row lock.
ALTER TABLE room_events RENAME TO room_events_unpartitioned;
ALTER TABLE room_events_unpartitioned RENAME CONSTRAINT room_events_pkey TO room_events_unpartitioned_pkey;
ALTER INDEX room_events_ts RENAME TO room_events_unpartitioned_ts;

CREATE TABLE room_events (
    room     VARCHAR(128) NOT NULL,
    seq      BIGINT       NOT NULL,
    event    VARCHAR(64)  NOT NULL,
    data     VARCHAR      NOT NULL,
    ts       BIGINT       NOT NULL,
    event_id VARCHAR(64),
    sender   VARCHAR(256),
    PRIMARY KEY (room, seq, ts)
) PARTITION BY RANGE (ts);

CREATE INDEX room_events_ts ON room_events (ts);

-- Events of no range (those stored before this migration, a clock far off): removed row by row.
CREATE TABLE room_events_default PARTITION OF room_events DEFAULT;

INSERT INTO room_events (room, seq, event, data, ts, event_id, sender)
SELECT room, seq, event, data, ts, event_id, sender FROM room_events_unpartitioned;
DROP TABLE room_events_unpartitioned;

-- Creates the ranges from the newest one (or, the first time, from now or above every event of the
-- default partition, whichever is later) up to `ahead` widths past now. Named room_events_<from>_<to>.
-- Every instance calls it; a range another instance created meanwhile is skipped.
CREATE FUNCTION room_events_prepare_partitions(now_ms BIGINT, width_ms BIGINT, ahead INT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    next_from BIGINT;
    created   INT := 0;
BEGIN
    SELECT MAX(split_part(c.relname, '_', 4)::BIGINT) INTO next_from
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'room_events'::regclass AND c.relname ~ '^room_events_[0-9]+_[0-9]+$';
    IF next_from IS NULL THEN
        SELECT GREATEST(now_ms - now_ms % width_ms, COALESCE(MAX(ts) + 1, 0)) INTO next_from FROM room_events_default;
        next_from := next_from + (width_ms - next_from % width_ms) % width_ms;
    END IF;
    WHILE next_from < now_ms + ahead * width_ms LOOP
        BEGIN
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF room_events FOR VALUES FROM (%s) TO (%s)',
                'room_events_' || next_from || '_' || (next_from + width_ms), next_from, next_from + width_ms);
            created := created + 1;
        EXCEPTION
            WHEN duplicate_table OR unique_violation OR invalid_object_definition THEN
                -- Another instance created this range (or an overlapping one) at the same moment.
                NULL;
            WHEN check_violation THEN
                -- The default partition holds events of this range: start above them.
                SELECT MAX(ts) + 1 INTO next_from FROM room_events_default WHERE ts >= next_from;
                next_from := next_from + (width_ms - next_from % width_ms) % width_ms - width_ms;
        END;
        next_from := next_from + width_ms;
    END LOOP;
    RETURN created;
END $$;

-- Detaches and drops the oldest range that ends at or before the cut-off, every event of which is
-- older than the retention window; 1 when one was dropped. The brief lock on room_events that the
-- detach takes is given up after 200 ms (a long read holds it), and the drop is tried again later.
CREATE FUNCTION room_events_drop_oldest_partition_before(cutoff_ms BIGINT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    oldest TEXT;
BEGIN
    SELECT c.relname INTO oldest
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'room_events'::regclass AND c.relname ~ '^room_events_[0-9]+_[0-9]+$'
      AND split_part(c.relname, '_', 4)::BIGINT <= cutoff_ms
    ORDER BY split_part(c.relname, '_', 4)::BIGINT LIMIT 1;
    IF oldest IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM set_config('lock_timeout', '200ms', true);
    EXECUTE format('ALTER TABLE room_events DETACH PARTITION %I', oldest);
    EXECUTE format('DROP TABLE %I', oldest);
    RETURN 1;
EXCEPTION
    WHEN lock_not_available THEN
        RETURN 0;
END $$;
