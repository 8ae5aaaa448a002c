package io.tally.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who asked for a change: stored as the {@code actor} metadata of every command and of the events
 * it causes, so the history can say who did what. Unknown parts are null.
 *
 * @param transport unix, tcp or internal (tallyd acting on its own, e.g. a restart policy)
 */
public record Actor(String transport, Integer uid, Integer gid, Integer pid, String user,
                    String remoteAddress, String userAgent, String requestId) {

    public static final String METADATA_KEY = "actor";

    /** tallyd itself: engine start/stop, restart policies, reconciliation. */
    public static Actor internal(String reason) {
        return new Actor("internal", null, null, (int) ProcessHandle.current().pid(), "tallyd", null, reason, null);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transport", transport);
        putIfSet(m, "uid", uid);
        putIfSet(m, "gid", gid);
        putIfSet(m, "pid", pid);
        putIfSet(m, "user", user);
        putIfSet(m, "remoteAddress", remoteAddress);
        putIfSet(m, "userAgent", userAgent);
        putIfSet(m, "requestId", requestId);
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
