package io.tally.container.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * {@code docker update}: new limits and restart policy for a container.
 *
 * @param resources     the HostConfig resource fields to set, by Docker's names (only those the request set)
 * @param restartPolicy the new HostConfig.RestartPolicy ({@code Name}, {@code MaximumRetryCount}), null to keep the current one
 */
public record UpdateContainer(@TargetAggregateIdentifier String containerId, Map<String, Object> resources,
                              Map<String, Object> restartPolicy) {
}
