package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Run the exec session's process in the container. */
public record StartExec(@TargetAggregateIdentifier String containerId, String execId, boolean detach) {
}
