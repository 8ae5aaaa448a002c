package io.tally.events;

import org.axonframework.config.Configurer;

/**
 * A concept's contribution to the Axon configuration (its aggregates, processors, handlers).
 * Each concept registers itself, so the event-sourcing wiring never needs to know them all.
 */
public interface AxonModule {
    void configure(Configurer configurer);
}
