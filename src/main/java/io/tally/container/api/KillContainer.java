package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record KillContainer(@TargetAggregateIdentifier String containerId, int signal) {
}
