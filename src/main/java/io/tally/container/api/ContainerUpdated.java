package io.tally.container.api;

import io.tally.events.EventType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's limits or restart policy were changed ({@code docker update}); a running container's
 * cgroup already has the new limits, and every later start uses them.
 *
 * @param resources     the HostConfig resource fields set, by Docker's names
 * @param restartPolicy the new HostConfig.RestartPolicy, null when it was not changed
 */
@EventType("container.updated")
public record ContainerUpdated(String containerId, Map<String, Object> resources, Map<String, Object> restartPolicy) {

    /** The HostConfig after this update: the stored one with the new fields on top. */
    public Map<String, Object> appliedTo(Map<String, Object> hostConfig) {
        Map<String, Object> updated = new LinkedHashMap<>(hostConfig == null ? Map.of() : hostConfig);
        updated.putAll(resources);
        if (restartPolicy != null) {
            updated.put("RestartPolicy", restartPolicy);
        }
        return updated;
    }
}
