package io.tally.engine.api;

import io.tally.events.EventType;

import java.util.Map;

/** tallyd started on a host: which version, speaking which API, configured how (no secrets). */
@EventType("engine.started")
public record EngineStarted(
        String engineId,
        String version,
        String apiVersion,
        String hostname,
        long pid,
        Map<String, String> config) {
}
