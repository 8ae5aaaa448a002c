package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.Map;

/**
 * Create a container. {@code config} and {@code hostConfig} are Docker's create-body objects with
 * the image's defaults already merged in (as `docker inspect` shows them); {@code lowerDirs} are
 * the image's unpacked layers, top first.
 */
public record CreateContainer(
        @TargetAggregateIdentifier String containerId,
        String name,
        String image,
        String imageId,
        Map<String, Object> config,
        Map<String, Object> hostConfig,
        List<String> lowerDirs) {
}
