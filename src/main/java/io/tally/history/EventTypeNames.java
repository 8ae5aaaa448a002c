package io.tally.history;

import io.tally.events.EventType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The public name of a stored event ({@link EventType}) from its stored class name. */
public final class EventTypeNames {
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
            // written by a build that had the class (events are never removed, so this means a newer build)
        }
        return "unnamed." + simple;
    }
}
