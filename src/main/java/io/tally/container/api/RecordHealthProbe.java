package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The health monitor reports a probe's result; the container decides whether its health status changes.
 *
 * @param pid           the container process the probe ran against (a probe of an earlier run is ignored)
 * @param failingStreak consecutive failures counted before this probe (the monitor keeps the count, as Docker keeps it in memory)
 */
public record RecordHealthProbe(@TargetAggregateIdentifier String containerId, long pid, HealthProbeResult result,
                                int failingStreak) {
}
