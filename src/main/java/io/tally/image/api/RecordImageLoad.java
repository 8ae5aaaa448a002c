package io.tally.image.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** An image arrived in an archive (`docker load`); its blobs are already stored. */
public record RecordImageLoad(@TargetAggregateIdentifier String imageId, List<LayerRef> layers, long size, String format) {
}
