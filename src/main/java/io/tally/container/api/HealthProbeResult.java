package io.tally.container.api;

import java.time.Instant;

/**
 * One run of a container's health check, as Docker's {@code State.Health.Log} entries show it.
 *
 * @param exitCode 0 healthy, anything else a failure; -1 when the probe could not run or exceeded its timeout
 * @param output   stdout and stderr together, at most 4 KiB (Docker's limit)
 */
public record HealthProbeResult(Instant start, Instant end, int exitCode, String output) {
}
