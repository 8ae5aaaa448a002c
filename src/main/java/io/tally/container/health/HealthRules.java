package io.tally.container.health;

import io.tally.container.api.HealthProbeResult;
import io.tally.container.api.HealthStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * Docker's rules for one probe result (moby's daemon/health.go): a success makes the container
 * healthy and clears the streak; a failure adds to the streak, and reaching the retries makes it
 * unhealthy; while the container has never been healthy, failures within the start period after
 * its start do not count. Pure, so the aggregate decides with it and tests state it.
 */
public final class HealthRules {
    private HealthRules() {
    }

    /** Health status with the count of consecutive failures. */
    public record HealthState(HealthStatus status, int failingStreak) {
        public static final HealthState STARTING = new HealthState(HealthStatus.STARTING, 0);
    }

    public static HealthState after(HealthState before, HealthProbeResult result, HealthCheckSpec spec, Instant startedAt) {
        if (result.exitCode() == 0) {
            return new HealthState(HealthStatus.HEALTHY, 0);
        }
        if (before.status() == HealthStatus.STARTING && startedAt != null
                && Duration.between(startedAt, result.start()).compareTo(spec.startPeriod()) < 0) {
            return before;
        }
        int streak = before.failingStreak() + 1;
        return new HealthState(streak >= spec.retries() ? HealthStatus.UNHEALTHY : before.status(), streak);
    }
}
