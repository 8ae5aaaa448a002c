package io.tally.image.api;

import io.tally.events.EventType;

/** The image is gone from this host; its blobs and layers may be collected. */
@EventType("image.deleted")
public record ImageDeleted(String imageId) {
}
