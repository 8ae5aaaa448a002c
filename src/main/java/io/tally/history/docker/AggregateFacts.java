package io.tally.history.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
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
            default -> {
                if (e.payloadName().equals("ExecCreated")) {
                    execCommands.put(e.payloadJson().path("execId").asText(), ExecCommands.of(e.payloadJson()));
                }
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

    /** The command line of an exec, from whichever field its creation event names it in. */
    static final class ExecCommands {
        private ExecCommands() {
        }

        static String of(JsonNode execCreated) {
            for (String field : new String[] {"cmd", "command", "Cmd"}) {
                JsonNode n = execCreated.path(field);
                if (!n.isMissingNode() && !n.isNull()) {
                    return words(n);
                }
            }
            JsonNode config = execCreated.path("config");
            return config.isObject() ? words(config.path("Cmd")) : "";
        }

        private static String words(JsonNode n) {
            if (!n.isArray()) {
                return n.asText("");
            }
            StringBuilder sb = new StringBuilder();
            n.forEach(w -> sb.append(sb.isEmpty() ? "" : " ").append(w.asText()));
            return sb.toString();
        }
    }
}
