package io.tally.engine;

import io.tally.events.AxonModule;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.config.Configurer;

@ApplicationScoped
class EngineModule implements AxonModule {
    @Override
    public void configure(Configurer configurer) {
        configurer.configureAggregate(Engine.class);
    }
}
