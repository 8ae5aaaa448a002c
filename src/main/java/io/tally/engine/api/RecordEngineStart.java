package io.tally.engine.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/** tallyd has booted on this host and is about to serve. */
public record RecordEngineStart(
        @TargetAggregateIdentifier String engineId,
        String version,
        String apiVersion,
        String hostname,
        long pid,
        Map<String, String> config) {
}
