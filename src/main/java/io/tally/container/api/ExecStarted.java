package io.tally.container.api;

import io.tally.events.EventType;

/** The exec session's process runs; {@code pid} is its pid on the host. */
@EventType("container.exec_started")
public record ExecStarted(String containerId, String execId, long pid, boolean detached) {
}
