package io.tally.image.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Point {@code reference} (canonical form, e.g. docker.io/library/busybox:latest) at this image. */
public record TagImage(@TargetAggregateIdentifier String imageId, String reference) {
}
