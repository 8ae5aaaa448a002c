package io.tally.container.api;

import io.tally.events.EventType;

@EventType("container.paused")
public record ContainerPaused(String containerId) {
}
