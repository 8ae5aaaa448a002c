package io.tally.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tally.store.Digest;

class ImageManifestTest {

    private static final Digest CONFIG = Digest.sha256("c".repeat(64));
    private static final Digest LAYER = Digest.sha256("1".repeat(64));

    @Test
    void dockerArchiveManifestUsesDockersKeys() throws IOException {
        String json = "[{\"Config\":\"" + CONFIG.hex() + ".json\",\"RepoTags\":[\"busybox:latest\"],"
                + "\"Layers\":[\"" + LAYER.hex() + "/layer.tar\"]}]";

        List<DockerArchiveManifest> manifests = DockerArchiveManifest.parseAll(json.getBytes(StandardCharsets.UTF_8));

        assertEquals(1, manifests.size());
        DockerArchiveManifest manifest = manifests.get(0);
        assertEquals(CONFIG.hex() + ".json", manifest.config());
        assertEquals(List.of("busybox:latest"), manifest.repoTags());
        assertEquals(List.of(LAYER.hex() + "/layer.tar"), manifest.layers());
        assertEquals(json, new String(DockerArchiveManifest.writeAll(manifests), StandardCharsets.UTF_8));
    }

    @Test
    void untaggedImagesHaveNoRepoTags() throws IOException {
        List<DockerArchiveManifest> manifests = DockerArchiveManifest.parseAll(
                "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[]}]".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), manifests.get(0).repoTags());
    }

    @Test
    void ociLayoutDocuments() throws IOException {
        ImageManifest manifest = ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, CONFIG, 1234),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, LAYER, 5678)));
        byte[] manifestJson = ImageJson.write(manifest);
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + CONFIG
                + "\",\"size\":1234},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + LAYER + "\",\"size\":5678}]}", new String(manifestJson, StandardCharsets.UTF_8));
        assertEquals(manifest, ImageJson.read(manifestJson, ImageManifest.class));

        Descriptor entry = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(manifestJson), manifestJson.length)
                .withAnnotations(Map.of(ImageIndex.REF_NAME_ANNOTATION, "latest"))
                .withPlatform(Platform.of("linux", "amd64"));
        ImageIndex index = ImageIndex.oci(List.of(entry));
        String indexJson = new String(ImageJson.write(index), StandardCharsets.UTF_8);
        assertTrue(indexJson.contains("\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}"), indexJson);
        assertTrue(indexJson.contains("\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}"), indexJson);
        assertEquals(index, ImageJson.read(indexJson.getBytes(StandardCharsets.UTF_8), ImageIndex.class));

        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(ImageJson.write(OciLayout.CURRENT), StandardCharsets.UTF_8));
        assertTrue(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST));
        assertTrue(MediaTypes.isIndex(MediaTypes.OCI_INDEX));
    }
}
