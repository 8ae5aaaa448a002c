package io.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The CLI's tables: columns as wide as their widest cell, like the docker CLI's. */
final class Tables {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    /** Payload fields too big or too obvious for one line (the container id is the subject already). */
    private static final Set<String> QUIET_FIELDS = Set.of("containerId", "imageId", "config", "hostConfig", "lowerDirs", "layers");
    private static final int DETAILS_WIDTH = 100;

    private Tables() {
    }

    static void printContainers(JsonNode list, boolean quiet, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"));
        for (JsonNode c : list) {
            if (quiet) {
                out.println(shortId(c.path("Id").asText()));
                continue;
            }
            rows.add(List.of(shortId(c.path("Id").asText()), c.path("Image").asText(),
                    "\"" + truncate(c.path("Command").asText(), 20) + "\"",
                    CREATED.format(Instant.ofEpochSecond(c.path("Created").asLong())), c.path("Status").asText(),
                    c.path("Names").path(0).asText().replaceFirst("^/", "")));
        }
        if (!quiet) {
            print(rows, out);
        }
    }

    static void printHistory(JsonNode events, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SEQ", "TIME", "EVENT", "ACTOR", "DETAILS"));
        for (JsonNode e : events) {
            rows.add(List.of(e.path("sequence").asText(), e.path("time").asText(), e.path("type").asText(),
                    actor(e.path("actor")), details(e.path("payload"))));
        }
        print(rows, out);
    }

    static void printProjections(JsonNode list, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "POSITION", "HEAD", "LAG", "REPLAYED"));
        for (JsonNode p : list) {
            rows.add(List.of(p.path("Name").asText(), p.path("Position").asText(), p.path("Head").asText(),
                    p.path("Lag").asText(), p.path("ReplayedAt").isNull() ? "never" : p.path("ReplayedAt").asText()));
        }
        print(rows, out);
    }

    /** "alice (uid 1000, pid 4242)", "tcp 127.0.0.1:53000" or "tallyd: restart policy". */
    static String actor(JsonNode a) {
        String transport = a.path("transport").asText("");
        return switch (transport) {
            case "unix" -> a.path("user").asText("uid " + a.path("uid").asText("?")) + " (uid " + a.path("uid").asText("?")
                    + (a.has("pid") ? ", pid " + a.path("pid").asText() : "") + ")";
            case "tcp" -> "tcp " + a.path("remoteAddress").asText("?");
            case "internal" -> "tallyd: " + a.path("userAgent").asText("");
            case "" -> "-";
            default -> transport;
        };
    }

    static String details(JsonNode payload) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (QUIET_FIELDS.contains(f.getKey()) || f.getValue().isNull()) {
                continue;
            }
            sb.append(sb.isEmpty() ? "" : " ").append(f.getKey()).append('=')
                    .append(f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
        }
        return truncate(sb.toString(), DETAILS_WIDTH);
    }

    private static void print(List<List<String>> rows, PrintWriter out) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
