package io.tally.image;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.tally.store.Digest;

/**
 * The image configuration JSON (OCI image spec "config", Docker image JSON), with field names exactly as
 * Docker writes them. Fields this model does not know (container_config, docker_version, ...) are ignored
 * on reading; an image's id never depends on this model anyway, see {@link ImageConfigBlob}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"architecture", "author", "config", "created", "history", "os", "os.version", "os.features",
        "rootfs", "variant"})
public record ImageConfig(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant,
        @JsonProperty("created")
        @JsonSerialize(using = ImageJson.InstantSerializer.class)
        @JsonDeserialize(using = ImageJson.InstantDeserializer.class)
        Instant created,
        @JsonProperty("author") String author,
        @JsonProperty("config") RunConfig config,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("history") List<History> history) {

    public static final String ROOTFS_TYPE_LAYERS = "layers";

    public ImageConfig {
        osFeatures = osFeatures == null ? null : List.copyOf(osFeatures);
        history = history == null ? null : List.copyOf(history);
    }

    /** The layers' diff ids, bottom first; empty for an image without layers. */
    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
    }

    public ImageConfig withConfig(RunConfig newConfig) {
        return new ImageConfig(architecture, os, osVersion, osFeatures, variant, created, author, newConfig, rootfs, history);
    }

    /** {@code rootfs}: the layers of the image, as diff ids of their uncompressed tars, bottom first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "diff_ids"})
    public record RootFs(
            @JsonProperty("type") String type,
            @JsonProperty("diff_ids")
            @JsonSerialize(contentUsing = ImageJson.DigestSerializer.class)
            @JsonDeserialize(contentUsing = ImageJson.DigestDeserializer.class)
            List<Digest> diffIds) {

        public RootFs {
            diffIds = diffIds == null ? null : List.copyOf(diffIds);
        }

        public static RootFs layers(List<Digest> diffIds) {
            return new RootFs(ROOTFS_TYPE_LAYERS, diffIds);
        }
    }

    /** One {@code history} entry; {@code empty_layer} marks steps that added no layer (ENV, CMD, ...). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"created", "author", "created_by", "comment", "empty_layer"})
    public record History(
            @JsonProperty("created")
            @JsonSerialize(using = ImageJson.InstantSerializer.class)
            @JsonDeserialize(using = ImageJson.InstantDeserializer.class)
            Instant created,
            @JsonProperty("author") String author,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("comment") String comment,
            @JsonProperty("empty_layer")
            @JsonInclude(JsonInclude.Include.NON_DEFAULT)
            boolean emptyLayer) {
    }
}
