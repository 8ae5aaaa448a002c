package io.tally.container.api;

import io.tally.events.EventType;

@EventType("container.renamed")
public record ContainerRenamed(String containerId, String oldName, String newName) {
}
