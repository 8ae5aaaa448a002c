package io.tally.image;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;

/**
 * One image in the {@code manifest.json} of a {@code docker save} archive. The file holds a JSON array of
 * these; paths are relative to the archive root ({@code <hex>.json} and {@code <hex>/layer.tar} in the
 * classic layout, {@code blobs/sha256/<hex>} when Docker 25+ also writes an OCI layout).
 *
 * @param config path of the image config JSON
 * @param repoTags familiar references ({@code busybox:latest}); may be empty for untagged images
 * @param layers paths of the layer tars, bottom first
 * @param layerSources descriptors of foreign layers by diff id, rarely present
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Config", "RepoTags", "Layers", "LayerSources"})
public record DockerArchiveManifest(
        @JsonProperty("Config") String config,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Layers") List<String> layers,
        @JsonProperty("LayerSources") Map<String, Descriptor> layerSources) {

    public static final String FILE_NAME = "manifest.json";

    private static final TypeReference<List<DockerArchiveManifest>> LIST = new TypeReference<>() {
    };

    public DockerArchiveManifest {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public static List<DockerArchiveManifest> parseAll(byte[] json) throws IOException {
        List<DockerArchiveManifest> manifests = ImageJson.MAPPER.readValue(json, LIST);
        if (manifests == null) {
            throw new IOException(FILE_NAME + " is JSON null");
        }
        return manifests;
    }

    public static byte[] writeAll(List<DockerArchiveManifest> manifests) {
        return ImageJson.write(manifests);
    }
}
