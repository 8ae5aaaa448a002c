package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RenameContainer(@TargetAggregateIdentifier String containerId, String newName) {
}
