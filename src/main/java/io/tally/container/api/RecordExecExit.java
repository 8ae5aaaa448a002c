package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** The exec session's shim (or reconciliation at start) reports how its process ended. */
public record RecordExecExit(@TargetAggregateIdentifier String containerId, String execId, int exitCode, int signal,
                             Instant exitedAt) {
}
