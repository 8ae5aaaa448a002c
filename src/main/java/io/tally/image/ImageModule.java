package io.tally.image;

import io.tally.events.AxonModule;
import io.tally.image.query.ImageProjection;
import io.tally.store.ContentStore;
import io.tally.store.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Registers the Image aggregate and its read model with Axon. */
@ApplicationScoped
class ImageModule implements AxonModule {
    @Inject ContentStore content;

    @Override
    public void configure(Configurer configurer) {
        configurer.configureAggregate(Image.class);
        configurer.eventProcessing(ep -> ep
                .registerSubscribingEventProcessor(ImageProjection.NAME)
                .registerEventHandler(c -> new ImageProjection(imageId -> content.readText(Digest.parse(imageId))))
                // A projection that cannot apply an event must fail the command, not drift silently.
                .registerListenerInvocationErrorHandler(ImageProjection.NAME, c -> PropagatingErrorHandler.instance()));
    }
}
