package io.tally.image;

import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.image.api.LayerRef;
import io.tally.image.api.RecordImageImport;
import io.tally.runtime.host.HostFacts;
import io.tally.store.ContentStore;
import io.tally.store.Digest;
import io.tally.store.InvalidLayerException;
import io.tally.store.Layer;
import io.tally.store.LayerStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** `docker import`: a root filesystem tar becomes a one-layer image. */
@ApplicationScoped
public class ImageImporter {
    @Inject ContentStore content;
    @Inject LayerStore layers;
    @Inject Commands commands;
    @Inject ImageTagger tagger;
    @Inject ImageGarbageCollector gc;
    @Inject HostFacts host;

    /**
     * @param repoTag where to tag it ({@code cap/img:v1}); null or blank for no tag
     * @param changes Dockerfile instructions applied to the config ({@code ENV A=1}, {@code CMD ["sh"]})
     * @return the new image id
     */
    public String importRootfs(InputStream tar, String repoTag, List<String> changes, String message, Actor actor) {
        // Check everything the user typed before reading a byte, so bad input leaves nothing behind.
        ImageReference ref = repoTag == null || repoTag.isBlank() ? null : tagger.reference(repoTag, null);
        RunConfig run;
        try {
            run = ConfigChanges.apply(RunConfig.EMPTY, changes == null ? List.of() : changes);
        } catch (InvalidChangeException e) {
            throw DomainException.invalid(e.getMessage());
        }
        String imageId;
        try {
            imageId = gc.whileWriting(() -> {
                Digest blob = content.write(tar);
                Layer layer = unpack(blob);
                Instant now = Instant.now();
                String comment = message == null || message.isBlank() ? "Imported from -" : message;
                ImageConfig config = new ImageConfig(host.goArch(), "linux", null, null, null, now, null, run,
                        ImageConfig.RootFs.layers(List.of(layer.diffId())),
                        List.of(new ImageConfig.History(now, null, "", comment, false)));
                ImageConfigBlob configBlob = ImageConfigBlob.of(config);
                Digest id = content.write(new java.io.ByteArrayInputStream(configBlob.bytes()), configBlob.id());
                commands.send(new RecordImageImport(id.toString(),
                        List.of(new LayerRef(layer.diffId().toString(), blob.toString(), layer.size())), layer.size(), "-"), actor);
                return id.toString();
            });
        } catch (DomainException e) {
            gc.collect();
            throw e;
        } catch (Exception e) {
            gc.collect();
            throw new DomainException(DomainException.Kind.FAILED, "import failed: " + e.getMessage(), e);
        }
        if (ref != null) {
            tagger.tag(imageId, ref, actor);
        }
        return imageId;
    }

    private Layer unpack(Digest blob) throws IOException {
        try (InputStream in = content.open(blob)) {
            return layers.unpack(null, in);
        } catch (InvalidLayerException e) {
            throw DomainException.invalid("invalid layer: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
