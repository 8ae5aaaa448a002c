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
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL UNIQUE,
    image       VARCHAR(512) NOT NULL,
    image_id    VARCHAR(71)  NOT NULL,
    state       VARCHAR(32)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX container_view_state ON container_view (state);
CREATE INDEX container_view_image_id ON container_view (image_id);
