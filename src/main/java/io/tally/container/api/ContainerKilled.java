package io.tally.container.api;

import io.tally.events.EventType;

@EventType("container.killed")
public record ContainerKilled(String containerId, int signal) {
}
