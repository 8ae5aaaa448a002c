package io.tally.engine.api;

import io.tally.events.EventType;

import java.time.Instant;

/**
 * At start, tallyd found that its previous run (started at {@code previousStartAt}, pid
 * {@code previousPid}) ended without recording a stop: it was killed or crashed.
 * The time of this event is when that was noticed, not when the run ended.
 */
@EventType("engine.crash_detected")
public record EngineCrashDetected(String engineId, Instant previousStartAt, long previousPid) {
}
