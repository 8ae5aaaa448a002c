package io.tally.container.api;

import io.tally.events.EventType;

/** A requested stop completed (the process died after a stop request). */
@EventType("container.stopped")
public record ContainerStopped(String containerId) {
}
