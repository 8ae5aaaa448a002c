package io.tally.engine.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** tallyd is shutting down gracefully. */
public record RecordEngineStop(@TargetAggregateIdentifier String engineId, String reason) {
}
