package io.tally.image.api;

import io.tally.events.EventType;

/** {@code reference} (canonical, e.g. docker.io/library/busybox:latest) now points at this image. */
@EventType("image.tagged")
public record ImageTagged(String imageId, String reference) {
}
