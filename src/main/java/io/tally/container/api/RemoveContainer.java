package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Remove the container; {@code force} kills it first if it runs. */
public record RemoveContainer(@TargetAggregateIdentifier String containerId, boolean force) {
}
