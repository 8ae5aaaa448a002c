package io.tally.container.api;

import io.tally.events.EventType;

/**
 * The container's health status changed (Docker's {@code health_status} event). Only changes are
 * facts: the probes in between stay in the health monitor's memory, as in Docker.
 *
 * @param status        {@code healthy} or {@code unhealthy}
 * @param failingStreak consecutive failed probes at the change
 * @param lastResult    the probe that caused the change
 */
@EventType("container.health_changed")
public record ContainerHealthChanged(String containerId, HealthStatus status, int failingStreak, HealthProbeResult lastResult) {
}
