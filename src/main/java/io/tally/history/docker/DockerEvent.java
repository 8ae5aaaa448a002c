package io.tally.history.docker;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * One message of Docker's {@code /events} stream. {@code labels} (the container's) are also among
 * the attributes, as Docker puts them there; they are kept apart for the {@code label} filter.
 */
public record DockerEvent(String type, String action, String actorId, SortedMap<String, String> attributes,
                          Map<String, String> labels, Instant time) {
    public static final String CONTAINER = "container";
    public static final String IMAGE = "image";
    public static final String DAEMON = "daemon";

    /** Docker's JSON shape, including the legacy {@code status}/{@code id}/{@code from} the CLI still reads. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (type.equals(CONTAINER) || type.equals(IMAGE)) {
            m.put("status", action);
            m.put("id", actorId);
            if (type.equals(CONTAINER)) {
                m.put("from", attributes.get("image"));
            }
        }
        m.put("Type", type);
        m.put("Action", action);
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("ID", actorId);
        actor.put("Attributes", attributes);
        m.put("Actor", actor);
        m.put("scope", "local");
        m.put("time", time.getEpochSecond());
        m.put("timeNano", time.getEpochSecond() * 1_000_000_000L + time.getNano());
        return m;
    }
}
