-- One row: the lineage (epoch) of this database's history. A wiped or new database gets a new one.
CREATE TABLE store_lineage (
    id    INT         NOT NULL PRIMARY KEY,
    epoch VARCHAR(32) NOT NULL
);

-- Each room's newest seq. Appends lock the row, which keeps seq gap-free and unique across instances.
CREATE TABLE room_heads (
    room           VARCHAR(128) NOT NULL PRIMARY KEY,
    seq            BIGINT       NOT NULL,
    pruned_through BIGINT       NOT NULL DEFAULT 0
);

-- The primary key serves replay (room, seq > n ORDER BY seq) and the prune by seq.
CREATE TABLE room_events (
    room  VARCHAR(128) NOT NULL,
    seq   BIGINT       NOT NULL,
    event VARCHAR(64)  NOT NULL,
    data  VARCHAR      NOT NULL,
    ts    BIGINT       NOT NULL,
    PRIMARY KEY (room, seq)
);

-- Serves the prune by age.
CREATE INDEX room_events_ts ON room_events (ts);
