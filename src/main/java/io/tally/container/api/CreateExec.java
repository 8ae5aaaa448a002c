package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Prepare an exec session in the container (`docker exec`, first half); nothing runs yet. */
public record CreateExec(@TargetAggregateIdentifier String containerId, String execId, ExecConfig config) {
}
