package io.tally.image.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import io.tally.image.api.LayerRef;

import java.util.List;

/** One image as `docker images` and `docker image inspect` show it; a projection of the image events. */
@Entity
@Table(name = "image_view")
public class ImageView extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "created_at")
    public Instant createdAt;
    public long size;
    public String config;
    /** JSON list of {@link io.tally.image.api.LayerRef}, bottom first. */
    public String layers;
    public String source;
    @Column(name = "stored_at")
    public Instant storedAt;
    @Column(name = "last_tag_time")
    public Instant lastTagTime;

    public List<String> tags() {
        return ImageTagView.referencesOf(id);
    }

    public List<LayerRef> layerRefs() {
        return LayerRefsJson.read(layers);
    }
}
