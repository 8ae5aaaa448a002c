package io.tally.container;

import io.tally.container.query.ContainerProjection;
import io.tally.container.query.ContainerStateWatch;
import io.tally.container.query.ExecProjection;
import io.tally.container.query.ExecStateWatch;
import io.tally.events.AxonModule;
import io.tally.runtime.ContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;

/**
 * Registers the Container aggregate, its projection and its automation with Axon; the runtime is a
 * configuration component, so command handlers receive it as a parameter.
 */
@ApplicationScoped
class ContainerModule implements AxonModule {
    @Inject ContainerRuntime runtime;
    @Inject ContainerStateWatch watch;
    @Inject ContainerAutomation automation;
    @Inject ExecStateWatch execWatch;

    @Produces
    @Singleton
    static ContainerStateWatch stateWatch() {
        return new ContainerStateWatch();
    }

    @Produces
    @Singleton
    static ExecStateWatch execStateWatch() {
        return new ExecStateWatch();
    }

    @Override
    public void configure(Configurer configurer) {
        configurer.registerComponent(ContainerRuntime.class, c -> runtime);
        configurer.configureAggregate(Container.class);
        configurer.eventProcessing(ep -> ep
                .registerSubscribingEventProcessor(ContainerProjection.NAME)
                .registerEventHandler(c -> new ContainerProjection(watch))
                .registerListenerInvocationErrorHandler(ContainerProjection.NAME, c -> PropagatingErrorHandler.instance())
                .registerSubscribingEventProcessor(ExecProjection.NAME)
                .registerEventHandler(c -> new ExecProjection(execWatch))
                .registerListenerInvocationErrorHandler(ExecProjection.NAME, c -> PropagatingErrorHandler.instance())
                .registerSubscribingEventProcessor(ContainerAutomation.NAME)
                .registerEventHandler(c -> automation.handlers()));
    }
}
