package io.tally.image.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** An image was made from a root filesystem tar (`docker import`); its blobs are already stored. */
public record RecordImageImport(@TargetAggregateIdentifier String imageId, List<LayerRef> layers, long size, String source) {
}
