package io.tally.image;

import io.tally.image.api.DeleteImage;
import io.tally.image.api.ImageDeleted;
import io.tally.image.api.ImageImported;
import io.tally.image.api.ImageLoaded;
import io.tally.image.api.ImageNotFoundException;
import io.tally.image.api.ImageTagged;
import io.tally.image.api.ImageUntagged;
import io.tally.image.api.RecordImageImport;
import io.tally.image.api.RecordImageLoad;
import io.tally.image.api.TagImage;
import io.tally.image.api.UntagImage;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An image, identified by its config digest. Its history spans every time it was imported or
 * loaded, tagged, untagged and deleted on this host (an image deleted and loaded again keeps one history).
 */
public class Image {

    @AggregateIdentifier
    private String imageId;
    private boolean present;
    private final Set<String> tags = new LinkedHashSet<>();

    protected Image() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordImageImport cmd) {
        apply(new ImageImported(cmd.imageId(), cmd.layers(), cmd.size(), cmd.source()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordImageLoad cmd) {
        apply(new ImageLoaded(cmd.imageId(), cmd.layers(), cmd.size(), cmd.format()));
    }

    @CommandHandler
    public void handle(TagImage cmd) {
        requirePresent();
        if (!tags.contains(cmd.reference())) {
            apply(new ImageTagged(imageId, cmd.reference()));
        }
    }

    @CommandHandler
    public void handle(UntagImage cmd) {
        requirePresent();
        if (!tags.contains(cmd.reference())) {
            throw new ImageNotFoundException("No such image: " + cmd.reference());
        }
        apply(new ImageUntagged(imageId, cmd.reference()));
    }

    @CommandHandler
    public void handle(DeleteImage cmd) {
        requirePresent();
        for (String tag : List.copyOf(tags)) {
            apply(new ImageUntagged(imageId, tag));
        }
        apply(new ImageDeleted(imageId));
    }

    private void requirePresent() {
        if (!present) {
            throw new ImageNotFoundException("No such image: " + imageId);
        }
    }

    @EventSourcingHandler
    void on(ImageImported event) {
        imageId = event.imageId();
        present = true;
    }

    @EventSourcingHandler
    void on(ImageLoaded event) {
        imageId = event.imageId();
        present = true;
    }

    @EventSourcingHandler
    void on(ImageTagged event) {
        tags.add(event.reference());
    }

    @EventSourcingHandler
    void on(ImageUntagged event) {
        tags.remove(event.reference());
    }

    @EventSourcingHandler
    void on(ImageDeleted event) {
        present = false;
        tags.clear();
    }
}
