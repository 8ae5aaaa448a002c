package io.tally.image.api;

import io.tally.events.EventType;

/** {@code reference} no longer points at this image (removed, or moved to another image). */
@EventType("image.untagged")
public record ImageUntagged(String imageId, String reference) {
}
