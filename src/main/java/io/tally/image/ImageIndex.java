package io.tally.image;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An image index (OCI) or manifest list (Docker): manifests per platform. Also the {@code index.json} at the
 * top of an OCI image layout, where each manifest carries its tag in the
 * {@link #REF_NAME_ANNOTATION} annotation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"schemaVersion", "mediaType", "manifests", "annotations"})
public record ImageIndex(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("manifests") List<Descriptor> manifests,
        @JsonProperty("annotations") Map<String, String> annotations) {

    public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
    /** What Docker puts next to the OCI ref name: the full reference, e.g. docker.io/library/busybox:latest. */
    public static final String DOCKER_NAME_ANNOTATION = "io.containerd.image.name";

    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static ImageIndex oci(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, manifests, null);
    }
}
