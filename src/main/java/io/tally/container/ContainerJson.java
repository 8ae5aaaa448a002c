package io.tally.container;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/** The JSON columns of container_view (Config, HostConfig, lower dirs) read back as Java values. */
public final class ContainerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerJson() {
    }

    public static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }

    public static List<String> list(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }
}
