package io.tally.container.api;

import io.tally.events.EventType;

import java.time.Instant;

/** The process ended. {@code exitCode} is 128+signal when a signal ended it; {@code error} explains an abnormal end. */
@EventType("container.died")
public record ContainerDied(String containerId, long pid, int exitCode, int signal, boolean oomKilled, Instant exitedAt, String error) {
}
