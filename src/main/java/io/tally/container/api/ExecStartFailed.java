package io.tally.container.api;

import io.tally.events.EventType;

/** The exec session's process could not be started; {@code exitCode} is what `docker exec` reports (127 no such command, else 126). */
@EventType("container.exec_start_failed")
public record ExecStartFailed(String containerId, String execId, String error, int exitCode) {
}
