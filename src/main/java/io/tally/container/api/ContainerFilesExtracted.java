package io.tally.container.api;

import io.tally.events.EventType;

/** A tar was unpacked into the container's file system ({@code docker cp} into it); {@code path} is the directory, as the container sees it. */
@EventType("container.files_extracted")
public record ContainerFilesExtracted(String containerId, String path) {
}
