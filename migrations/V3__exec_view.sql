-- Exec sessions as `docker exec` and GET /exec/{id}/json see them; a projection of the exec events.
-- Rows go with their container (Docker forgets a container's execs when it is removed).
CREATE TABLE exec_view (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    container_id  VARCHAR(64)  NOT NULL,
    config        TEXT         NOT NULL,                -- the recorded ExecConfig (JSON)
    running       BOOLEAN      NOT NULL DEFAULT FALSE,
    pid           BIGINT       NOT NULL DEFAULT 0,
    exit_code     INTEGER,                              -- null until it ended
    error         TEXT,
    created_at    TIMESTAMPTZ  NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX exec_view_container ON exec_view (container_id);
