package io.tally.container.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One container as `docker ps -a` lists it; a projection of the container events. */
@Entity
@Table(name = "container_view")
public class ContainerView extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    public String image;
    @Column(name = "image_id")
    public String imageId;
    public String state;
    @Column(name = "created_at")
    public Instant createdAt;

    public static long countInState(String state) {
        return count("state", state);
    }
}
