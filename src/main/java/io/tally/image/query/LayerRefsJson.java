package io.tally.image.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.image.api.LayerRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The layers column of image_view. */
final class LayerRefsJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<LayerRef>> TYPE = new TypeReference<>() {
    };

    private LayerRefsJson() {
    }

    static String write(List<LayerRef> layers) {
        try {
            return JSON.writeValueAsString(layers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<LayerRef> read(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable layers column: " + json, e);
        }
    }
}
