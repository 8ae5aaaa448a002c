package io.tally.container.api;

import io.tally.events.EventType;

/** The process could not be started (e.g. the command does not exist); {@code exitCode} is what `docker run` reports (126/127/128). */
@EventType("container.start_failed")
public record ContainerStartFailed(String containerId, String error, int exitCode) {
}
