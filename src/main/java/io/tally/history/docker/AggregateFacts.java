package io.tally.history.docker;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecDied;
import io.tally.container.api.ExecStartFailed;
import io.tally.engine.api.EngineStarted;
import io.tally.history.StoredEvent;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Docker's events say about their actor but Tally's events carry only once: a container's
 * name (as at that moment), image and labels, its running state, its execs' commands; an engine's
 * host name. Folded from the aggregate's events in order.
 */
final class AggregateFacts {
    String name;
    String image;
    Map<String, String> labels = Map.of();
    boolean running;
    String hostname;
    final Map<String, String> execCommands = new HashMap<>();

    void observe(StoredEvent e) {
        switch (e.payload()) {
            case ContainerCreated c -> {
                name = c.name();
                image = c.image();
                labels = labelsOf(c.config());
            }
            case ContainerRenamed r -> name = r.newName();
            case ContainerStarted s -> running = true;
            case ContainerDied d -> running = false;
            case ContainerStartFailed f -> running = false;
            case EngineStarted s -> hostname = s.hostname();
            case ExecCreated x -> execCommands.put(x.execId(), String.join(" ", x.config().cmd()));
            case ExecStartFailed x -> execCommands.remove(x.execId());
            case ExecDied x -> execCommands.remove(x.execId());
            default -> {
            }
        }
    }

    private static Map<String, String> labelsOf(Map<String, Object> config) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (config != null && config.get("Labels") instanceof Map<?, ?> l) {
            l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        return labels;
    }
}
