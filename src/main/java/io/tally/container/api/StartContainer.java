package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Start the container's process. {@code reason}: start (user), restart (docker restart) or policy (restart policy). */
public record StartContainer(@TargetAggregateIdentifier String containerId, String reason) {
    public static final String USER = "start";
    public static final String RESTART = "restart";
    public static final String POLICY = "policy";
}
