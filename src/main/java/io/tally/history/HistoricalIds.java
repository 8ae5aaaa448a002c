package io.tally.history;

import io.tally.container.query.ContainerView;
import io.tally.events.DomainException;
import io.tally.image.ImageResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.function.UnaryOperator;
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
                .or(() -> gone(idOrName, hex -> hex))
                .orElseThrow(() -> DomainException.notFound("No such container: " + idOrName));
    }

    public String image(String nameOrId) {
        return images.find(nameOrId).map(r -> r.image().id)
                .or(() -> gone(nameOrId.startsWith("sha256:") ? nameOrId.substring("sha256:".length()) : nameOrId, hex -> "sha256:" + hex))
                .orElseThrow(() -> DomainException.notFound("No such image: " + nameOrId));
    }

    /** @param aggregateId the aggregate's id for a full hex id: containers use it as is, images prefix sha256: */
    private Optional<String> gone(String id, UnaryOperator<String> aggregateId) {
        String hex = id == null ? "" : id.startsWith("/") ? id.substring(1) : id;
        return FULL_ID.matcher(hex).matches() && events.exists(aggregateId.apply(hex))
                ? Optional.of(aggregateId.apply(hex)) : Optional.empty();
    }
}
