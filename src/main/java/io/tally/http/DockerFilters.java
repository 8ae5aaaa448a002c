package io.tally.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code filters} query parameter: JSON {@code {"name":{"x":true}}} (current clients) or
 * {@code {"name":["x"]}} (old ones), as a map from filter name to its values.
 */
public final class DockerFilters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Set<String>> values;

    private DockerFilters(Map<String, Set<String>> values) {
        this.values = values;
    }

    public static DockerFilters parse(String raw, Set<String> accepted) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return new DockerFilters(values);
        }
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (Exception e) {
            throw DockerApiException.badRequest("invalid filter: " + raw);
        }
        if (!root.isObject()) {
            throw DockerApiException.badRequest("invalid filter: " + raw);
        }
        root.fields().forEachRemaining(f -> {
            if (!accepted.contains(f.getKey())) {
                throw DockerApiException.badRequest("invalid filter '" + f.getKey() + "'");
            }
            Set<String> set = values.computeIfAbsent(f.getKey(), k -> new LinkedHashSet<>());
            if (f.getValue().isObject()) {
                f.getValue().fields().forEachRemaining(v -> {
                    if (v.getValue().asBoolean()) {
                        set.add(v.getKey());
                    }
                });
            } else if (f.getValue().isArray()) {
                f.getValue().forEach(v -> set.add(v.asText()));
            }
        });
        return new DockerFilters(values);
    }

    public boolean has(String name) {
        return values.containsKey(name) && !values.get(name).isEmpty();
    }

    public Set<String> get(String name) {
        return values.getOrDefault(name, Set.of());
    }

    /** A boolean filter such as dangling=true; {@code absent} when not given. */
    public Boolean bool(String name) {
        if (!has(name)) {
            return null;
        }
        Set<String> v = get(name);
        if (v.size() > 1) {
            throw DockerApiException.badRequest("invalid filter '" + name + "': more than one value");
        }
        String s = v.iterator().next();
        return switch (s.toLowerCase()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw DockerApiException.badRequest("invalid filter '" + name + "=" + s + "'");
        };
    }

    /** Labels filter: every given "key" must be present, every "key=value" must match. */
    public boolean labelsMatch(Map<String, String> labels) {
        for (String want : get("label")) {
            int eq = want.indexOf('=');
            if (eq < 0 ? !labels.containsKey(want) : !want.substring(eq + 1).equals(labels.get(want.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** Go's path.Match glob as a regex: {@code *} and {@code ?} stay within one path segment. */
    public static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
