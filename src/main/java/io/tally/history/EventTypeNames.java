package io.tally.history;

import io.tally.events.EventType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The public name of a stored event ({@link EventType}) from its stored class name. */
public final class EventTypeNames {
    /**
     * Events whose classes may be missing from this build (they are added on other branches) but
     * whose names are already agreed, so their history reads the same before and after the merge.
     */
    private static final Map<String, String> AGREED = Map.of(
            "ExecCreated", "container.exec_created",
            "ExecStarted", "container.exec_started",
            "ExecDied", "container.exec_died");
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private EventTypeNames() {
    }

    public static String of(String className) {
        return CACHE.computeIfAbsent(className, EventTypeNames::lookUp);
    }

    private static String lookUp(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        try {
            EventType t = Class.forName(className, false, EventTypeNames.class.getClassLoader()).getAnnotation(EventType.class);
            if (t != null) {
                return t.value();
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // written by a build that had the class; fall through to the agreed names
        }
        return AGREED.getOrDefault(simple, "unnamed." + simple);
    }
}
