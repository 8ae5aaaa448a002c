package io.tally.image;

import io.tally.image.api.LayerRef;
import io.tally.image.query.ImageView;
import io.tally.store.ChainId;
import io.tally.store.ContentStore;
import io.tally.store.Digest;
import io.tally.store.LayerInUseException;
import io.tally.store.LayerStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Removes blobs and unpacked layers no image refers to any more. Writers (import, load) hold the
 * shared side of the lock from their first blob write until their image event is stored, so a
 * collection never removes content that is about to be referenced.
 */
@ApplicationScoped
public class ImageGarbageCollector {
    private static final Logger LOG = Logger.getLogger(ImageGarbageCollector.class);

    @Inject ContentStore content;
    @Inject LayerStore layers;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    public <T> T whileWriting(Callable<T> work) throws Exception {
        lock.readLock().lock();
        try {
            return work.call();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Collects now; returns the number of bytes freed in the content store. */
    public long collect() {
        lock.writeLock().lock();
        try {
            Set<Digest> referencedBlobs = new HashSet<>();
            Set<Digest> referencedChains = new HashSet<>();
            for (ImageView image : ImageView.<ImageView>listAll()) {
                referencedBlobs.add(Digest.parse(image.id));
                List<Digest> diffIds = new ArrayList<>();
                for (LayerRef layer : image.layerRefs()) {
                    referencedBlobs.add(Digest.parse(layer.blobDigest()));
                    diffIds.add(Digest.parse(layer.diffId()));
                }
                referencedChains.addAll(ChainId.all(diffIds));
            }
            long freed = 0;
            for (Digest blob : content.list()) {
                if (!referencedBlobs.contains(blob)) {
                    freed += content.size(blob);
                    content.delete(blob);
                }
            }
            removeLayers(referencedChains);
            return freed;
        } catch (IOException e) {
            LOG.warnf("image garbage collection incomplete: %s", e.getMessage());
            return 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Top layers first: a layer can only go once nothing is stacked on it. */
    private void removeLayers(Set<Digest> referenced) throws IOException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Digest chain : layers.list()) {
                if (referenced.contains(chain)) {
                    continue;
                }
                try {
                    layers.remove(chain);
                    progress = true;
                } catch (LayerInUseException e) {
                    // a layer above it is still to be removed in this pass or the next
                }
            }
        }
    }
}
