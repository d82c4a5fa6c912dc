-- Tasks of teams. seq is the seq (in room team-{team}) of the event that announced this version.
-- Ids grow with creation time, so (team, id) orders pages by creation; dependencies are task ids,
-- comma-separated.
CREATE TABLE tasks (
    id           VARCHAR(32)   NOT NULL PRIMARY KEY,
    team         VARCHAR(64)   NOT NULL,
    source_key   VARCHAR(64),
    title        VARCHAR(500)  NOT NULL,
    description  VARCHAR(10000),
    status       VARCHAR(16)   NOT NULL,
    priority     VARCHAR(8)    NOT NULL,
    assignee     VARCHAR(128),
    dependencies VARCHAR(4000) NOT NULL,
    version      BIGINT        NOT NULL,
    seq          BIGINT        NOT NULL,
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL
);

-- Keyset pages of a team, with or without a filter.
CREATE INDEX tasks_team ON tasks (team, id);
CREATE INDEX tasks_team_status ON tasks (team, status, id);
CREATE INDEX tasks_team_priority ON tasks (team, priority, id);
-- A task file's task is found by its id in the file.
CREATE UNIQUE INDEX tasks_team_source ON tasks (team, source_key);
