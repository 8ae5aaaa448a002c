package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ask the process to stop with {@code signal}; the caller escalates to SIGKILL after the timeout. Suppresses restart policies. */
public record StopContainer(@TargetAggregateIdentifier String containerId, int signal, int timeoutSeconds) {
}
