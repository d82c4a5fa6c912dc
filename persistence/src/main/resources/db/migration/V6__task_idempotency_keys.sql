-- The Idempotency-Key of each task creation, per team: a repeated POST answers the task it created.
CREATE TABLE task_idempotency_keys (
    team       VARCHAR(64) NOT NULL,
    idem_key   VARCHAR(64) NOT NULL,
    task_id    VARCHAR(32) NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (team, idem_key)
);

CREATE INDEX task_idempotency_keys_created ON task_idempotency_keys (created_at);
