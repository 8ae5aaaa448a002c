package io.tally.projection;

import io.tally.container.health.HealthProjection;
import io.tally.container.query.ContainerProjection;
import io.tally.container.query.ContainerStateWatch;
import io.tally.container.query.ExecProjection;
import io.tally.container.query.ExecStateWatch;
import io.tally.events.DomainException;
import io.tally.image.query.ImageProjection;
import io.tally.container.timeline.ContainerTimelineProjection;
import io.tally.store.ContentStore;
import io.tally.store.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The registry: every read model tallyd keeps, by name. */
@ApplicationScoped
public class ReadModels {
    public static final String CONTAINER_VIEW = "container_view";
    public static final String IMAGE_VIEW = "image_view";
    public static final String CONTAINER_TIMELINE = "container_timeline";
    public static final String EXEC_VIEW = "exec_view";
    public static final String CONTAINER_HEALTH = "container_health";

    @Inject DataSource dataSource;
    @Inject ContentStore content;

    public List<ReadModel> all() {
        return List.of(
                new ReadModel(CONTAINER_VIEW, ContainerProjection.NAME,
                        List.of(new ReadModel.Table("container_view", "id")),
                        // A watch of its own: replayed exits must not wake today's `docker wait`.
                        fromScratch -> List.of(new ContainerProjection(new ContainerStateWatch()))),
                new ReadModel(EXEC_VIEW, ExecProjection.NAME,
                        List.of(new ReadModel.Table("exec_view", "id")),
                        // likewise: replayed exec ends must not end today's `docker exec` streams
                        fromScratch -> List.of(new ExecProjection(new ExecStateWatch()))),
                new ReadModel(IMAGE_VIEW, ImageProjection.NAME,
                        List.of(new ReadModel.Table("image_tag", "reference"), new ReadModel.Table("image_view", "id")),
                        fromScratch -> List.of(new ImageProjection(imageId -> content.readText(Digest.parse(imageId))))),
                new ReadModel(CONTAINER_TIMELINE, ContainerTimelineProjection.NAME,
                        List.of(new ReadModel.Table("container_timeline", "container_id, valid_from_index"),
                                new ReadModel.Table("container_timeline_spec", "container_id")),
                        fromScratch -> List.of(fromScratch
                                ? ContainerTimelineProjection.forReplay(dataSource)
                                : new ContainerTimelineProjection(dataSource))),
                new ReadModel(CONTAINER_HEALTH, HealthProjection.NAME,
                        List.of(new ReadModel.Table("container_health", "container_id")),
                        fromScratch -> List.of(new HealthProjection())));
    }

    public ReadModel named(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> DomainException.notFound("No such projection: " + name + " (known: "
                        + String.join(", ", all().stream().map(ReadModel::name).toList()) + ")"));
    }
}
