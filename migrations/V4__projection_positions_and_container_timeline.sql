-- Where each projection stands, and the temporal read model of containers (`docker ps -a` at any time).

-- The global index (domain_event_entry.global_index) of the last event each projection applied.
-- Every event-storing transaction updates these rows in its projection step, so a replay that
-- holds a row's lock makes concurrent commands wait instead of slipping past it (docs/api-history.md).
CREATE TABLE projection_position (
    name        VARCHAR(64) NOT NULL PRIMARY KEY,
    position    BIGINT      NOT NULL,
    replayed_at TIMESTAMPTZ
);
-- The existing read models were kept in step by subscribing processors: they reflect every event.
INSERT INTO projection_position (name, position)
SELECT v.name, COALESCE((SELECT max(global_index) FROM domain_event_entry), 0)
FROM (VALUES ('container_view'), ('image_view')) AS v(name);
-- The timeline is new: tallyd catches it up from the first event at start.
INSERT INTO projection_position (name, position) VALUES ('container_timeline', 0);

-- One row per state a container was in, valid from one event to the next one that changed it.
-- valid_to/valid_to_index are NULL while the state is current; a removed container has no open row.
CREATE TABLE container_timeline (
    container_id     VARCHAR(64)  NOT NULL,
    valid_from_index BIGINT       NOT NULL,             -- global index of the event that entered this state
    valid_to_index   BIGINT,                            -- global index of the event that left it
    valid_from       TIMESTAMPTZ  NOT NULL,
    valid_to         TIMESTAMPTZ,                       -- never before valid_from (clamped)
    name             VARCHAR(255) NOT NULL,
    image            VARCHAR(512) NOT NULL,
    image_id         VARCHAR(71)  NOT NULL,
    state            VARCHAR(32)  NOT NULL,             -- created, running, paused, restarting, exited
    created_at       TIMESTAMPTZ  NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    pid              BIGINT       NOT NULL,
    exit_code        INTEGER      NOT NULL,
    oom_killed       BOOLEAN      NOT NULL,
    error            TEXT,
    restart_count    INTEGER      NOT NULL,
    PRIMARY KEY (container_id, valid_from_index)
);
-- "Which rows were valid at T / after event N": range containment, answered by GiST without scanning history.
CREATE INDEX container_timeline_by_index ON container_timeline USING gist (int8range(valid_from_index, valid_to_index));
CREATE INDEX container_timeline_by_time ON container_timeline USING gist (tstzrange(valid_from, valid_to));
CREATE INDEX container_timeline_current ON container_timeline (container_id) WHERE valid_to_index IS NULL;

-- What never changes after create, kept once per container (also after removal: history needs it).
CREATE TABLE container_timeline_spec (
    container_id VARCHAR(64) NOT NULL PRIMARY KEY,
    config       TEXT        NOT NULL,                  -- Docker's Config object (JSON)
    host_config  TEXT        NOT NULL                   -- Docker's HostConfig object (JSON)
);
