-- Read models (projections of the event store). They can be dropped and rebuilt by replay.

CREATE TABLE image_view (
    id            VARCHAR(71)  NOT NULL PRIMARY KEY,  -- sha256:<hex> of the config
    created_at    TIMESTAMPTZ,                         -- the config's "created"
    size          BIGINT       NOT NULL,
    config        TEXT,                                -- the config JSON exactly as stored
    layers        TEXT         NOT NULL,               -- JSON [{diffId, blobDigest, size}], bottom first
    source        VARCHAR(255) NOT NULL,               -- import:<src>, load:<format>, …
    stored_at     TIMESTAMPTZ  NOT NULL,
    last_tag_time TIMESTAMPTZ
);

CREATE TABLE image_tag (
    reference  VARCHAR(512) NOT NULL PRIMARY KEY,      -- canonical, e.g. docker.io/library/busybox:latest
    image_id   VARCHAR(71)  NOT NULL,
    tagged_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX image_tag_image_id ON image_tag (image_id);

CREATE TABLE container_view (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    name          VARCHAR(255) NOT NULL,
    image         VARCHAR(512) NOT NULL,                -- as the user typed it
    image_id      VARCHAR(71)  NOT NULL,
    state         VARCHAR(32)  NOT NULL,                -- created, running, paused, restarting, exited, removing
    created_at    TIMESTAMPTZ  NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    pid           BIGINT       NOT NULL DEFAULT 0,
    exit_code     INTEGER      NOT NULL DEFAULT 0,
    oom_killed    BOOLEAN      NOT NULL DEFAULT FALSE,
    error         TEXT,
    restart_count INTEGER      NOT NULL DEFAULT 0,
    config        TEXT         NOT NULL,                -- Docker's Config object (JSON)
    host_config   TEXT         NOT NULL,                -- Docker's HostConfig object (JSON)
    lower_dirs    TEXT         NOT NULL                 -- JSON list, top first
);
-- Names are unique among existing containers; the projection runs in the command's transaction,
-- so a second create or rename to a taken name fails and stores nothing.
CREATE UNIQUE INDEX container_view_name ON container_view (name);
CREATE INDEX container_view_state ON container_view (state);
CREATE INDEX container_view_image_id ON container_view (image_id);
