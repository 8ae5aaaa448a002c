package io.tally.container.api;

import io.tally.events.EventType;

/** The restart policy decided to start the container again after {@code delayMillis} (Docker's back-off). */
@EventType("container.restart_scheduled")
public record ContainerRestartScheduled(String containerId, int attempt, long delayMillis) {
}
