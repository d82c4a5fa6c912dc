-- How far the prune by age has looked: each prune reads only events stamped since then.
ALTER TABLE store_lineage ADD COLUMN aged_through BIGINT NOT NULL DEFAULT 0;

-- Events are partitioned by their ts, so retention drops whole partitions instead of deleting rows
-- under live appends (EventPartitions). A partition key must be part of the primary key; (room, seq)
-- stays unique by the head's row lock, which numbers every append. The events stored before this
-- migration become room_events_before, the partition below the time partitions (they begin at its
-- upper bound, read from the catalog), whose rows are still deleted one by one; events stamped
-- beyond every partition made so far land in the default partition.
ALTER TABLE room_events RENAME TO room_events_before;
ALTER TABLE room_events_before DROP CONSTRAINT room_events_pkey;
ALTER INDEX room_events_ts RENAME TO room_events_before_ts;

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

CREATE TABLE room_events_later PARTITION OF room_events DEFAULT;

DO $$
DECLARE
    bound BIGINT;
BEGIN
    SELECT GREATEST(COALESCE(MAX(ts) + 1, 0), (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT) INTO bound
    FROM room_events_before;
    EXECUTE format('ALTER TABLE room_events ATTACH PARTITION room_events_before FOR VALUES FROM (MINVALUE) TO (%s)', bound);
END $$;
