package io.tally.projection;

import io.tally.events.AxonModule;
import io.tally.container.timeline.ContainerTimelineProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;

import javax.sql.DataSource;

/**
 * Registers the temporal projection (a subscribing processor, like the other read models, so it
 * commits with the events) and puts a position interceptor in front of every read model's processor.
 */
@ApplicationScoped
class ProjectionsModule implements AxonModule {
    @Inject ReadModels models;
    @Inject ProjectionPositions positions;
    @Inject DataSource dataSource;
    @Inject ProjectionReplayer replayer;

    @Override
    public void configure(Configurer configurer) {
        configurer.onInitialize(config -> config.onStart(org.axonframework.lifecycle.Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
                () -> config.commandBus().registerHandlerInterceptor(new ReplayGuard(replayer))));
        configurer.eventProcessing(ep -> {
            ep.registerSubscribingEventProcessor(ContainerTimelineProjection.NAME)
                    .registerEventHandler(c -> new ContainerTimelineProjection(dataSource))
                    .registerListenerInvocationErrorHandler(ContainerTimelineProjection.NAME, c -> PropagatingErrorHandler.instance());
            for (ReadModel m : models.all()) {
                ep.registerEventHandler(c -> new SeesEveryEvent(m.name()))
                        .assignHandlerInstancesMatching(m.processor(), h -> h instanceof SeesEveryEvent s && s.readModel().equals(m.name()))
                        .registerHandlerInterceptor(m.processor(), c -> new PositionInterceptor(m.name(), positions, dataSource));
            }
        });
    }
}
