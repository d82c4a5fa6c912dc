-- A batch of durable publishes in one call (RoomAppends#appendBatch): each room's head advances
-- once by its count, locked in name order so concurrent batches of several instances cannot
-- deadlock; a new room starts above the retired seq and counts as pruned through it (the update's
-- increment is the proposed row's seq - pruned_through). The events are numbered from the heads in
-- batch order and inserted, their ids recorded. The payloads come as one bytea with their byte
-- lengths, which the client sends without the escaping a text array needs; the statement the
-- client parses each time stays short. Returns each room's new head.
CREATE FUNCTION room_events_append(batch_rooms VARCHAR[], batch_counts BIGINT[], batch_event_rooms INT[],
    batch_events VARCHAR[], batch_data BYTEA, batch_data_lengths INT[], batch_stamps BIGINT[],
    batch_ids VARCHAR[], batch_senders VARCHAR[])
RETURNS TABLE (head_room VARCHAR, head_seq BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    WITH counts AS (
        SELECT c.room, c.n, c.i FROM unnest(batch_rooms, batch_counts) WITH ORDINALITY AS c(room, n, i)
    ), heads AS (
        INSERT INTO room_heads AS h (room, seq, pruned_through, deleted_through)
        SELECT c.room, l.retired_seq + c.n, l.retired_seq, l.retired_seq
        FROM counts c CROSS JOIN store_lineage l WHERE l.id = 1 ORDER BY c.room
        ON CONFLICT (room) DO UPDATE SET seq = h.seq + (EXCLUDED.seq - EXCLUDED.pruned_through)
        RETURNING h.room, h.seq
    ), batch AS (
        SELECT e.r, e.event, e.len, e.ts, e.event_id, e.sender,
               SUM(e.len) OVER (ORDER BY e.k) - e.len AS off,
               ROW_NUMBER() OVER (PARTITION BY e.r ORDER BY e.k) AS ordinal
        FROM unnest(batch_event_rooms, batch_events, batch_data_lengths, batch_stamps, batch_ids, batch_senders)
            WITH ORDINALITY AS e(r, event, len, ts, event_id, sender, k)
    ), numbered AS (
        SELECT c.room, hd.seq - c.n + b.ordinal AS seq, b.event,
               convert_from(substring(batch_data FROM (b.off + 1)::INT FOR b.len), 'UTF8') AS data,
               b.ts, b.event_id, b.sender
        FROM batch b JOIN counts c ON c.i = b.r JOIN heads hd ON hd.room = c.room
    ), stored AS (
        INSERT INTO room_events (room, seq, event, data, ts, event_id, sender)
        SELECT n.room, n.seq, n.event, n.data, n.ts, n.event_id, n.sender FROM numbered n
    ), ids AS (
        INSERT INTO room_event_ids (room, event_id, seq, created_at)
        SELECT n.room, n.event_id, n.seq, n.ts FROM numbered n WHERE n.event_id IS NOT NULL ORDER BY n.room, n.event_id
    )
    SELECT hd.room, hd.seq FROM heads hd;
END $$;
