package io.tally.container.api;

import io.tally.events.EventType;

/** Someone asked the container to stop: it was sent {@code signal} and gets {@code timeoutSeconds} before SIGKILL. */
@EventType("container.stop_requested")
public record ContainerStopRequested(String containerId, int signal, int timeoutSeconds) {
}
