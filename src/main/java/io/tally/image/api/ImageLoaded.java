package io.tally.image.api;

import io.tally.events.EventType;

import java.util.List;

/** An image was loaded from an archive; {@code format} is docker-archive or oci-layout. */
@EventType("image.loaded")
public record ImageLoaded(String imageId, List<LayerRef> layers, long size, String format) {
}
