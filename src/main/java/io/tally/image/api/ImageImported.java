package io.tally.image.api;

import io.tally.events.EventType;

import java.util.List;

/** An image was created from a root filesystem tar; {@code source} is "-" for stdin or the URL given. */
@EventType("image.imported")
public record ImageImported(String imageId, List<LayerRef> layers, long size, String source) {
}
