package io.tally.image;

import io.tally.container.query.ContainerView;
import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.image.api.DeleteImage;
import io.tally.image.api.UntagImage;
import io.tally.image.query.ImageView;
import io.tally.store.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** `docker rmi` and `docker image prune`, with Docker's rules on tags and on images containers use. */
@ApplicationScoped
public class ImageRemover {
    @Inject ImageResolver resolver;
    @Inject Commands commands;
    @Inject ImageGarbageCollector gc;

    /** What happened, in Docker's words: one {"Untagged": ref} or {"Deleted": id} per fact. */
    public record Removal(List<Map<String, String>> items, long reclaimed) {
    }

    public Removal remove(String name, boolean force, Actor actor) {
        ImageResolver.Resolved r = resolver.require(name);
        ImageView image = r.image();
        List<String> tags = image.tags();
        String shortId = Digest.parse(image.id).shortHex();
        List<ContainerView> users = ContainerView.list("imageId", image.id);
        Optional<ContainerView> running = users.stream().filter(ContainerView::running).findFirst();

        if (r.byReference() && tags.size() > 1) {
            commands.send(new UntagImage(image.id, r.reference().canonical()), actor);
            return new Removal(List.of(Map.of("Untagged", r.reference().familiar())), 0);
        }
        if (r.byReference() && !users.isEmpty() && !force) {
            throw DomainException.conflict("conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                    + users.get(0).id.substring(0, 12) + " is using its referenced image " + shortId);
        }
        if (!r.byReference() && tags.size() > 1 && !force) {
            throw DomainException.conflict("conflict: unable to delete " + shortId + " (must be forced) - image is referenced in multiple repositories");
        }
        if (running.isPresent()) {
            throw DomainException.conflict("conflict: unable to delete " + shortId + " (cannot be forced) - image is being used by running container "
                    + running.get().id.substring(0, 12));
        }
        if (!users.isEmpty() && !force) {
            throw DomainException.conflict("conflict: unable to delete " + shortId + " (must be forced) - image is being used by stopped container "
                    + users.get(0).id.substring(0, 12));
        }
        return delete(image, actor);
    }

    private Removal delete(ImageView image, Actor actor) {
        List<Map<String, String>> items = new ArrayList<>();
        for (String tag : image.tags()) {
            items.add(Map.of("Untagged", ImageReference.parse(tag).familiar()));
        }
        commands.send(new DeleteImage(image.id), actor);
        items.add(Map.of("Deleted", image.id));
        long reclaimed = gc.collect();
        return new Removal(items, reclaimed);
    }

    /** Deletes images no container uses: only untagged ones unless {@code all}; {@code filter} narrows further. */
    public Removal prune(boolean all, Predicate<ImageView> filter, Actor actor) {
        List<Map<String, String>> items = new ArrayList<>();
        long reclaimed = 0;
        for (ImageView image : ImageView.<ImageView>listAll()) {
            boolean unused = ContainerView.count("imageId", image.id) == 0;
            if (unused && (all || image.tags().isEmpty()) && filter.test(image)) {
                Removal r = delete(image, actor);
                items.addAll(r.items());
                reclaimed += r.reclaimed();
            }
        }
        return new Removal(items, reclaimed);
    }
}
