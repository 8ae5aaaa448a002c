package io.tally.container.api;

import io.tally.events.EventType;

import java.time.Instant;

/** The exec session's process ended; {@code exitCode} is 128+signal when a signal ended it. */
@EventType("container.exec_died")
public record ExecDied(String containerId, String execId, long pid, int exitCode, int signal, Instant exitedAt) {
}
