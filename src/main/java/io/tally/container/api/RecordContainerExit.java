package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** The shim (or reconciliation at start) reports how the process ended. */
public record RecordContainerExit(@TargetAggregateIdentifier String containerId, long pid, int exitCode, int signal,
                                  boolean oomKilled, Instant exitedAt, String error) {
}
