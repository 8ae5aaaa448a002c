package io.tally.store;

import io.tally.daemon.TallyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;

/** The content and layer stores of this host, under the data root. */
@ApplicationScoped
class StoreBeans {

    @Produces
    @Singleton
    ContentStore contentStore(TallyConfig config) throws IOException {
        FileContentStore store = new FileContentStore(config.dataRoot().resolve("content"));
        store.removeIncompleteWrites();
        return store;
    }

    @Produces
    @Singleton
    LayerStore layerStore(TallyConfig config) throws IOException {
        return new OverlayLayerStore(config.dataRoot().resolve("layers"));
    }
}
