package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.Map;

/**
 * Create a container, from a create request already read and checked at the edge
 * ({@code io.tally.container.create.CreateRequest}). {@code config} is the client's Config with the
 * image's defaults merged in (as `docker inspect` shows it), {@code hostConfig} the client's
 * HostConfig as sent; {@code lowerDirs} are the image's unpacked layers, top first.
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
