package io.tally.image;

import io.tally.image.api.LayerRef;
import io.tally.image.query.ImageView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * `docker history`: one row per history entry of the config, newest first; a row that added a
 * layer carries that layer's size. Only the newest row is an image we hold (others are "<missing>").
 */
public final class ImageHistory {
    private ImageHistory() {
    }

    public record Row(String id, Instant created, String createdBy, List<String> tags, long size, String comment) {
    }

    public static List<Row> of(ImageView image, List<String> familiarTags) {
        ImageConfig config;
        try {
            config = ImageConfigBlob.parse(image.config.getBytes(StandardCharsets.UTF_8)).config();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable config of " + image.id, e);
        }
        List<LayerRef> layers = image.layerRefs();
        List<ImageConfig.History> history = config.history() == null ? List.of() : config.history();
        List<Row> rows = new ArrayList<>();
        int layer = 0;
        for (ImageConfig.History h : history) {
            long size = 0;
            if (!h.emptyLayer() && layer < layers.size()) {
                size = layers.get(layer++).size();
            }
            rows.add(new Row("<missing>", h.created(), h.createdBy() == null ? "" : h.createdBy(), null, size,
                    h.comment() == null ? "" : h.comment()));
        }
        if (rows.isEmpty()) {
            rows.add(new Row("<missing>", config.created(), "", null, image.size, ""));
        }
        Collections.reverse(rows);
        Row top = rows.get(0);
        rows.set(0, new Row(image.id, top.created(), top.createdBy(), familiarTags, top.size(), top.comment()));
        return rows;
    }
}
