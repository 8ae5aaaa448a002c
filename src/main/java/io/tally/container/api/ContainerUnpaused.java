package io.tally.container.api;

import io.tally.events.EventType;

@EventType("container.unpaused")
public record ContainerUnpaused(String containerId) {
}
