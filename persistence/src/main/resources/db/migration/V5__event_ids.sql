-- Who published an event (a token's sub) and the publisher's id of it.
ALTER TABLE room_events ADD COLUMN event_id VARCHAR(64);
ALTER TABLE room_events ADD COLUMN sender VARCHAR(256);

-- The ids a room has stored, kept apart from the events: an id outlives its event when the
-- retention is shorter than a day, so a publisher re-sending after a reconnect never stores twice.
-- The primary key decides, across instances, which of two concurrent publishes of one id is first.
CREATE TABLE room_event_ids (
    room       VARCHAR(128) NOT NULL,
    event_id   VARCHAR(64)  NOT NULL,
    seq        BIGINT       NOT NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (room, event_id)
);

CREATE INDEX room_event_ids_created ON room_event_ids (created_at);
