package io.tally.image.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Remove the image and all its tags. Whether containers still use it is checked before sending this. */
public record DeleteImage(@TargetAggregateIdentifier String imageId) {
}
