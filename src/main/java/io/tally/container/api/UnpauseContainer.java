package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record UnpauseContainer(@TargetAggregateIdentifier String containerId) {
}
