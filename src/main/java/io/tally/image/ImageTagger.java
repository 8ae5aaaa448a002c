package io.tally.image;

import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.image.api.TagImage;
import io.tally.image.api.UntagImage;
import io.tally.image.query.ImageTagView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Points a reference at an image. A reference names one image: moving it untags the image that
 * had it, in the same transaction, and both facts are recorded.
 */
@ApplicationScoped
public class ImageTagger {
    @Inject Commands commands;

    private final ReentrantLock lock = new ReentrantLock();

    /** {@code repo} may carry a tag ({@code cap/img:v1}, as import sends it) or get {@code tag} (default latest). */
    public ImageReference reference(String repo, String tag) {
        if (repo == null || repo.isBlank()) {
            throw DomainException.invalid("repository name must have at least one component");
        }
        try {
            ImageReference ref = ImageReference.parseNormalized(repo);
            if (tag != null && !tag.isBlank()) {
                if (ref.tag() != null) {
                    throw DomainException.invalid("invalid reference format: both a tag in " + repo + " and tag " + tag);
                }
                ref = ref.withTag(tag);
            }
            if (ref.digest() != null) {
                throw DomainException.invalid("refusing to create a tag with a digest reference");
            }
            return ref.tag() == null ? ref.withTag(ImageReference.DEFAULT_TAG) : ref;
        } catch (InvalidReferenceException e) {
            throw DomainException.invalid(e.getMessage());
        }
    }

    public void tag(String imageId, ImageReference ref, Actor actor) {
        String canonical = ref.canonical();
        // One tag move at a time, committed before the next one reads who holds the reference.
        lock.lock();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ImageTagView.byReference(canonical)
                        .filter(previous -> !previous.imageId.equals(imageId))
                        .ifPresent(previous -> commands.send(new UntagImage(previous.imageId, canonical), actor));
                commands.send(new TagImage(imageId, canonical), actor);
            });
        } finally {
            lock.unlock();
        }
    }
}
