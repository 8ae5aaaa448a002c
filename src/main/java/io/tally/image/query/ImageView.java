package io.tally.image.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One image as `docker images` lists it; a projection of the image events. */
@Entity
@Table(name = "image_view")
public class ImageView extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "created_at")
    public Instant createdAt;
    public long size;
}
