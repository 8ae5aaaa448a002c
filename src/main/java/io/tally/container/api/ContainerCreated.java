package io.tally.container.api;

import io.tally.events.EventType;

import java.util.List;
import java.util.Map;

@EventType("container.created")
public record ContainerCreated(String containerId, String name, String image, String imageId,
                               Map<String, Object> config, Map<String, Object> hostConfig, List<String> lowerDirs) {
}
