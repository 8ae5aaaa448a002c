package io.tally.image.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The "created" time written in an image config, when it has a readable one. */
final class ImageConfigCreated {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageConfigCreated() {
    }

    static Optional<Instant> of(String configJson) {
        if (configJson == null) {
            return Optional.empty();
        }
        try {
            JsonNode created = JSON.readTree(configJson).path("created");
            return created.isTextual() ? Optional.of(OffsetDateTime.parse(created.asText()).toInstant()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
