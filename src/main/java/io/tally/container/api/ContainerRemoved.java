package io.tally.container.api;

import io.tally.events.EventType;

@EventType("container.removed")
public record ContainerRemoved(String containerId) {
}
