package io.tally.image.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record UntagImage(@TargetAggregateIdentifier String imageId, String reference) {
}
