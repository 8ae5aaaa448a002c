package io.tally.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.image.ImageReference;
import io.tally.image.query.ImageView;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Image read-model rows in the shapes of Docker's image inspect and list answers. */
final class ImageJsonViews {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ImageJsonViews() {
    }

    static JsonNode config(ImageView image) {
        try {
            return image.config == null ? JSON.createObjectNode() : JSON.readTree(image.config);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static Map<String, String> labels(ImageView image) {
        Map<String, String> labels = new LinkedHashMap<>();
        config(image).path("config").path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        return labels;
    }

    static String rfc3339(Instant t) {
        return t == null ? ZERO_TIME : DateTimeFormatter.ISO_INSTANT.format(t.atOffset(ZoneOffset.UTC));
    }

    static Map<String, Object> inspect(ImageView image) {
        JsonNode cfg = config(image);
        JsonNode run = cfg.path("config");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", "");
        config.put("Domainname", "");
        config.put("User", run.path("User").asText(""));
        config.put("AttachStdin", false);
        config.put("AttachStdout", false);
        config.put("AttachStderr", false);
        config.put("ExposedPorts", nullIfMissing(run.get("ExposedPorts")));
        config.put("Tty", false);
        config.put("OpenStdin", false);
        config.put("StdinOnce", false);
        config.put("Env", nullIfMissing(run.get("Env")));
        config.put("Cmd", nullIfMissing(run.get("Cmd")));
        config.put("Image", "");
        config.put("Volumes", nullIfMissing(run.get("Volumes")));
        config.put("WorkingDir", run.path("WorkingDir").asText(""));
        config.put("Entrypoint", nullIfMissing(run.get("Entrypoint")));
        config.put("OnBuild", nullIfMissing(run.get("OnBuild")));
        config.put("Labels", nullIfMissing(run.get("Labels")));
        if (run.has("StopSignal")) {
            config.put("StopSignal", run.get("StopSignal").asText());
        }

        List<String> diffIds = new ArrayList<>();
        cfg.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
        String comment = "";
        JsonNode history = cfg.path("history");
        if (history.isArray() && !history.isEmpty()) {
            comment = history.get(history.size() - 1).path("comment").asText("");
        }

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id);
        m.put("RepoTags", image.tags().stream().map(t -> ImageReference.parse(t).familiar()).toList());
        m.put("RepoDigests", List.of());
        m.put("Parent", "");
        m.put("Comment", comment);
        m.put("Created", cfg.path("created").asText(rfc3339(image.createdAt)));
        m.put("Container", "");
        m.put("ContainerConfig", config);
        m.put("DockerVersion", "");
        m.put("Author", cfg.path("author").asText(""));
        m.put("Config", config);
        m.put("Architecture", cfg.path("architecture").asText(""));
        m.put("Os", cfg.path("os").asText(""));
        m.put("Size", image.size);
        m.put("VirtualSize", image.size);
        m.put("GraphDriver", Map.of("Name", "overlayfs", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", diffIds));
        m.put("Metadata", Map.of("LastTagTime", rfc3339(image.lastTagTime)));
        return m;
    }

    private static Object nullIfMissing(JsonNode n) {
        return n == null || n.isNull() ? null : JSON.convertValue(n, Object.class);
    }
}
