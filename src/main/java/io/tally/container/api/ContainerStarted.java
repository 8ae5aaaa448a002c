package io.tally.container.api;

import io.tally.events.EventType;

/** The process runs with host pid {@code pid}. {@code reason}: start, restart or policy; {@code restartCount} counts policy restarts. */
@EventType("container.started")
public record ContainerStarted(String containerId, long pid, String reason, int restartCount) {
}
