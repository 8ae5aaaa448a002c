package io.tally.engine.api;

import io.tally.events.EventType;

/** tallyd shut down gracefully. */
@EventType("engine.stopped")
public record EngineStopped(String engineId, String reason) {
}
