package io.tally.image.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Which image a reference points at now. */
@Entity
@Table(name = "image_tag")
public class ImageTagView extends PanacheEntityBase {
    @Id
    public String reference;
    @Column(name = "image_id")
    public String imageId;
    @Column(name = "tagged_at")
    public Instant taggedAt;

    public static Optional<ImageTagView> byReference(String canonical) {
        return findByIdOptional(canonical);
    }

    public static List<String> referencesOf(String imageId) {
        return ImageTagView.<ImageTagView>list("imageId = ?1 order by reference", imageId).stream().map(t -> t.reference).toList();
    }
}
