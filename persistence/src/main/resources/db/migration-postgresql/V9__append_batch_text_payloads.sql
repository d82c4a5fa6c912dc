-- room_events_append (V7) with the payloads as one text instead of one bytea: the client writes a
-- text parameter as UTF-8 in one pass, where it sends a bytea as hex, two characters a byte. The
-- lengths are still in bytes: the text is made bytes once per call, so each payload is a substring
-- by byte offset (a substring of a UTF-8 text by characters would scan it from the start). The
-- bytea version stays for instances not yet upgraded.
CREATE FUNCTION room_events_append(batch_rooms VARCHAR[], batch_counts BIGINT[], batch_event_rooms INT[],
    batch_events VARCHAR[], batch_text TEXT, batch_data_lengths INT[], batch_stamps BIGINT[],
    batch_ids VARCHAR[], batch_senders VARCHAR[])
RETURNS TABLE (head_room VARCHAR, head_seq BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT * FROM room_events_append(batch_rooms, batch_counts, batch_event_rooms, batch_events,
        convert_to(batch_text, 'UTF8'), batch_data_lengths, batch_stamps, batch_ids, batch_senders);
END $$;
