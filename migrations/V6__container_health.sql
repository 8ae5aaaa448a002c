-- Health of the containers that have a health check (State.Health, the ps health filter and suffix).
-- Only status changes are events (ContainerHealthChanged); the probes in between live in the
-- health monitor's memory, as in Docker. A row exists from create to removal; status is NULL until
-- the container first started.
CREATE TABLE container_health (
    container_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    status          VARCHAR(16),                        -- starting, healthy, unhealthy
    failing_streak  INTEGER      NOT NULL DEFAULT 0,    -- at the last change
    last_start      TIMESTAMPTZ,                        -- the probe that caused the last change
    last_end        TIMESTAMPTZ,
    last_exit_code  INTEGER,
    last_output     TEXT
);
-- New: tallyd catches it up from the first event at start (containers created with a check before it existed).
INSERT INTO projection_position (name, position) VALUES ('container_health', 0);
