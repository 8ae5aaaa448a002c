package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Files were unpacked into the container's root file system at {@code path} (the runtime did it; this records it). */
public record RecordFilesExtracted(@TargetAggregateIdentifier String containerId, String path) {
}
