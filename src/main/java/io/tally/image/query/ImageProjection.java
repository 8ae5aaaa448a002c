package io.tally.image.query;

import io.tally.image.api.ImageDeleted;
import io.tally.image.api.ImageImported;
import io.tally.image.api.ImageLoaded;
import io.tally.image.api.ImageTagged;
import io.tally.image.api.ImageUntagged;
import io.tally.image.api.LayerRef;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps image_view and image_tag in step with the image events, in the same transaction as the
 * events (a subscribing processor), so `docker images` right after `docker load` sees the image.
 */
@ProcessingGroup(ImageProjection.NAME)
public class ImageProjection {
    public static final String NAME = "image-projection";

    /** Reads an image's config JSON by image id; empty when the blob is gone (image deleted later). */
    private final Function<String, Optional<String>> configs;

    public ImageProjection(Function<String, Optional<String>> configs) {
        this.configs = configs;
    }

    @EventHandler
    void on(ImageImported e, @Timestamp Instant at) {
        upsert(e.imageId(), e.layers(), e.size(), "import:" + e.source(), at);
    }

    @EventHandler
    void on(ImageLoaded e, @Timestamp Instant at) {
        upsert(e.imageId(), e.layers(), e.size(), "load:" + e.format(), at);
    }

    private void upsert(String imageId, List<LayerRef> layers, long size, String source, Instant at) {
        ImageView view = ImageView.<ImageView>findByIdOptional(imageId).orElseGet(ImageView::new);
        boolean fresh = view.id == null;
        view.id = imageId;
        view.size = size;
        view.layers = LayerRefsJson.write(layers);
        view.source = source;
        view.storedAt = at;
        view.config = configs.apply(imageId).orElse(null);
        view.createdAt = ImageConfigCreated.of(view.config).orElse(at);
        if (fresh) {
            view.persist();
        }
    }

    @EventHandler
    void on(ImageTagged e, @Timestamp Instant at) {
        ImageTagView tag = ImageTagView.<ImageTagView>findByIdOptional(e.reference()).orElseGet(ImageTagView::new);
        boolean fresh = tag.reference == null;
        tag.reference = e.reference();
        tag.imageId = e.imageId();
        tag.taggedAt = at;
        if (fresh) {
            tag.persist();
        }
        ImageView.<ImageView>findByIdOptional(e.imageId()).ifPresent(v -> v.lastTagTime = at);
    }

    @EventHandler
    void on(ImageUntagged e) {
        ImageTagView.delete("reference = ?1 and imageId = ?2", e.reference(), e.imageId());
    }

    @EventHandler
    void on(ImageDeleted e) {
        ImageTagView.delete("imageId", e.imageId());
        ImageView.deleteById(e.imageId());
    }

}
