package io.tally.history;

import io.tally.container.query.ContainerView;
import io.tally.events.DomainException;
import io.tally.image.ImageResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.regex.Pattern;

/**
 * Finds the aggregate a user means. Existing containers and images resolve as everywhere else
 * (id, unique id prefix, name or reference); gone ones only by full id, since their names may have
 * been reused, but their events are still there.
 */
@ApplicationScoped
public class HistoricalIds {
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    @Inject ImageResolver images;
    @Inject EventStoreReader events;

    public String container(String idOrName) {
        return ContainerView.resolve(idOrName).map(v -> v.id)
                .or(() -> gone(idOrName))
                .orElseThrow(() -> DomainException.notFound("No such container: " + idOrName));
    }

    public String image(String nameOrId) {
        return images.find(nameOrId).map(r -> r.image().id)
                .or(() -> gone(nameOrId.startsWith("sha256:") ? nameOrId.substring("sha256:".length()) : nameOrId).map(hex -> "sha256:" + hex))
                .orElseThrow(() -> DomainException.notFound("No such image: " + nameOrId));
    }

    private java.util.Optional<String> gone(String id) {
        String hex = id == null ? "" : id.startsWith("/") ? id.substring(1) : id;
        return FULL_ID.matcher(hex).matches() && (events.exists(hex) || events.exists("sha256:" + hex))
                ? java.util.Optional.of(hex) : java.util.Optional.empty();
    }
}
