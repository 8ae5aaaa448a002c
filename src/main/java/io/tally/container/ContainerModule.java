package io.tally.container;

import io.tally.container.health.HealthMonitor;
import io.tally.container.health.HealthProjection;
import io.tally.container.query.ContainerProjection;
import io.tally.container.query.ContainerStateWatch;
import io.tally.container.query.ExecProjection;
import io.tally.container.query.ExecStateWatch;
import io.tally.events.AxonModule;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.exec.ExecRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventhandling.PropagatingErrorHandler;

/**
 * Registers the Container aggregate, its projection and its automation with Axon; the runtime is a
 * configuration component, so command handlers receive it as a parameter.
 */
@ApplicationScoped
class ContainerModule implements AxonModule {
    static final int SNAPSHOT_AFTER_EVENTS = 100;

    @Inject ContainerRuntime runtime;
    @Inject ExecRuntime execs;
    @Inject ContainerStateWatch watch;
    @Inject ContainerAutomation automation;
    @Inject ExecStateWatch execWatch;
    @Inject HealthMonitor health;

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
        configurer.registerComponent(ExecRuntime.class, c -> execs);
        // A restart-looping container collects thousands of events; loading it reads the last snapshot and what followed.
        configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Container.class)
                .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), SNAPSHOT_AFTER_EVENTS)));
        configurer.eventProcessing(ep -> ep
                .registerSubscribingEventProcessor(ContainerProjection.NAME)
                .registerEventHandler(c -> new ContainerProjection(watch))
                .registerListenerInvocationErrorHandler(ContainerProjection.NAME, c -> PropagatingErrorHandler.instance())
                .registerSubscribingEventProcessor(ExecProjection.NAME)
                .registerEventHandler(c -> new ExecProjection(execWatch))
                .registerListenerInvocationErrorHandler(ExecProjection.NAME, c -> PropagatingErrorHandler.instance())
                .registerSubscribingEventProcessor(HealthProjection.NAME)
                .registerEventHandler(c -> new HealthProjection())
                .registerListenerInvocationErrorHandler(HealthProjection.NAME, c -> PropagatingErrorHandler.instance())
                .registerSubscribingEventProcessor(HealthMonitor.NAME)
                .registerEventHandler(c -> health.handlers())
                .registerSubscribingEventProcessor(ContainerAutomation.NAME)
                .registerEventHandler(c -> automation.handlers()));
    }
}
