package io.tally.image;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An image manifest: OCI ({@link MediaTypes#OCI_MANIFEST}) and Docker schema 2
 * ({@link MediaTypes#DOCKER_MANIFEST}) have the same shape: a config descriptor and layer descriptors,
 * bottom layer first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers", "annotations"})
public record ImageManifest(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("config") Descriptor config,
        @JsonProperty("layers") List<Descriptor> layers,
        @JsonProperty("annotations") Map<String, String> annotations) {

    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public static ImageManifest oci(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, layers, null);
    }
}
