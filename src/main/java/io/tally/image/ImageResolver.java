package io.tally.image;

import io.tally.image.api.ImageNotFoundException;
import io.tally.image.query.ImageTagView;
import io.tally.image.query.ImageView;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds an image the way Docker does: by reference (tag) first, then by full or short id, with or
 * without the {@code sha256:} prefix.
 */
@ApplicationScoped
public class ImageResolver {
    private static final Pattern HEX_PREFIX = Pattern.compile("[a-f0-9]{1,64}");

    /** How a name matched: the image, and the reference when it matched by reference. */
    public record Resolved(ImageView image, ImageReference reference) {
        public boolean byReference() {
            return reference != null;
        }
    }

    public Resolved require(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new ImageNotFoundException("No such image: " + nameOrId));
    }

    public Optional<Resolved> find(String nameOrId) {
        if (nameOrId == null || nameOrId.isBlank()) {
            return Optional.empty();
        }
        if (nameOrId.startsWith("sha256:")) {
            return byIdPrefix(nameOrId.substring("sha256:".length()));
        }
        if (!ImageReference.isImageId(nameOrId)) {
            try {
                ImageReference ref = ImageReference.parse(nameOrId);
                Optional<ImageView> tagged = ImageTagView.byReference(ref.canonical())
                        .flatMap(t -> ImageView.<ImageView>findByIdOptional(t.imageId));
                if (tagged.isPresent()) {
                    return Optional.of(new Resolved(tagged.get(), ref));
                }
            } catch (InvalidReferenceException e) {
                // not a reference; it may still be an id prefix
            }
        }
        return byIdPrefix(nameOrId);
    }

    private static Optional<Resolved> byIdPrefix(String hex) {
        if (!HEX_PREFIX.matcher(hex).matches()) {
            return Optional.empty();
        }
        List<ImageView> matches = ImageView.list("id like ?1", "sha256:" + hex + "%");
        return matches.size() == 1 ? Optional.of(new Resolved(matches.get(0), null)) : Optional.empty();
    }
}
