-- Read models (projections of the event store). They can be dropped and rebuilt by replay.

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

CREATE TABLE image_view (
    id          VARCHAR(71)  NOT NULL PRIMARY KEY,
    created_at  TIMESTAMPTZ  NOT NULL,
    size        BIGINT       NOT NULL
);
