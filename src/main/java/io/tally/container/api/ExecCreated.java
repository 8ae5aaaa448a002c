package io.tally.container.api;

import io.tally.events.EventType;

/** An exec session was prepared in a running container; {@code execId} is what the API names it by. */
@EventType("container.exec_created")
public record ExecCreated(String containerId, String execId, ExecConfig config) {
}
