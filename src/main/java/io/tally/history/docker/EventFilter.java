package io.tally.history.docker;

import java.util.Map;
import java.util.Set;

/**
 * Docker's {@code /events} filters: different keys must all match, the values of one key are
 * alternatives. Matching follows Docker's: {@code container} by id or name, exactly or as a
 * prefix; {@code image} by the image as named or its id, with or without tag; {@code event}
 * exactly, or {@code exec_create}/{@code exec_start} without the command; {@code label} against
 * the container's labels ({@code key} or {@code key=value}).
 */
public final class EventFilter {
    public static final Set<String> KEYS = Set.of("type", "event", "container", "image", "label", "daemon", "scope");
    private final Map<String, Set<String>> values;

    /** @param values per key its values; keys must be among {@link #KEYS} */
    public EventFilter(Map<String, Set<String>> values) {
        this.values = Map.copyOf(values);
    }

    public boolean test(DockerEvent e) {
        return matches("type", e.type())
                && matchesAny("event", v -> v.equals(e.action()) || e.action().startsWith(v + ":"))
                && matchesAny("container", v -> e.type().equals(DockerEvent.CONTAINER) && prefixOf(v, e))
                && matchesAny("image", v -> imageMatches(v, e))
                && matchesAny("daemon", v -> e.type().equals(DockerEvent.DAEMON) && (v.equals(e.actorId()) || v.equals(e.attributes().get("name"))))
                && matches("scope", "local")
                && matchesAny("label", v -> labelMatches(v, e.labels()));
    }

    private boolean matches(String key, String actual) {
        return matchesAny(key, actual::equals);
    }

    private boolean matchesAny(String key, java.util.function.Predicate<String> test) {
        Set<String> wanted = values.get(key);
        return wanted == null || wanted.isEmpty() || wanted.stream().anyMatch(test);
    }

    private static boolean prefixOf(String v, DockerEvent e) {
        String name = e.attributes().get("name");
        String wanted = v.startsWith("/") ? v.substring(1) : v;
        return e.actorId().startsWith(wanted) || (name != null && name.startsWith(wanted));
    }

    private static boolean imageMatches(String v, DockerEvent e) {
        String name = e.attributes().get(e.type().equals(DockerEvent.IMAGE) ? "name" : "image");
        return v.equals(e.actorId()) || v.equals(name) || v.equals(stripTag(e.actorId())) || v.equals(stripTag(name));
    }

    /** {@code bb} for {@code bb:latest}; a registry port ({@code host:5000/x}) is not a tag. */
    private static String stripTag(String name) {
        if (name == null) {
            return null;
        }
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') && !name.startsWith("sha256:") ? name.substring(0, colon) : name;
    }

    private static boolean labelMatches(String wanted, Map<String, String> labels) {
        int eq = wanted.indexOf('=');
        return eq < 0 ? labels.containsKey(wanted) : wanted.substring(eq + 1).equals(labels.get(wanted.substring(0, eq)));
    }
}
