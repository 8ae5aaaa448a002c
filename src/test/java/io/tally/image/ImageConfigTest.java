package io.tally.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tally.store.Digest;

class ImageConfigTest {

    private static final String DIFF_ID = "sha256:" + "1".repeat(64);

    /** Shaped like what `docker inspect` shows of a real busybox config blob, including fields we ignore. */
    private static final String DOCKER_CONFIG = """
            {"architecture":"amd64","config":{"Hostname":"","Domainname":"","User":"nobody","AttachStdin":false,\
            "ExposedPorts":{"443/tcp":{},"80/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],\
            "Cmd":["sh"],"Image":"sha256:abc","Volumes":{"/data":{}},"WorkingDir":"/srv","Entrypoint":null,\
            "OnBuild":null,"Labels":{"b":"2","a":"1"},"StopSignal":"SIGQUIT"},\
            "container":"5e3ad1","container_config":{"Cmd":["/bin/sh","-c","#(nop) CMD [\\"sh\\"]"]},\
            "created":"2024-09-26T21:31:42.212233451Z","docker_version":"23.0.11",\
            "history":[{"created":"2024-09-26T21:31:41.996Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "},\
            {"created":"2024-09-26T21:31:42.212233451Z","created_by":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","empty_layer":true}],\
            "os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(DIFF_ID);

    @Test
    void readsDockersFieldNames() throws IOException {
        ImageConfigBlob blob = ImageConfigBlob.parse(DOCKER_CONFIG.getBytes(StandardCharsets.UTF_8));
        ImageConfig config = blob.config();

        assertEquals("amd64", config.architecture());
        assertEquals("linux", config.os());
        assertEquals(Instant.parse("2024-09-26T21:31:42.212233451Z"), config.created());
        RunConfig run = config.config();
        assertEquals("nobody", run.user());
        assertEquals(new TreeSet<>(Set.of("80/tcp", "443/tcp")), run.exposedPorts());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), run.env());
        assertEquals(List.of("sh"), run.cmd());
        assertNull(run.entrypoint());
        assertEquals(Set.of("/data"), run.volumes());
        assertEquals("/srv", run.workingDir());
        assertEquals(Map.of("a", "1", "b", "2"), run.labels());
        assertEquals("SIGQUIT", run.stopSignal());
        assertEquals(List.of(Digest.parse(DIFF_ID)), config.diffIds());
        assertEquals("layers", config.rootfs().type());
        assertEquals(2, config.history().size());
        assertTrue(config.history().get(1).emptyLayer());
        assertFalse(config.history().get(0).emptyLayer());
        assertEquals("/bin/sh -c #(nop) ADD file:abc in / ", config.history().get(0).createdBy());
    }

    @Test
    void imageIdIsTheDigestOfTheExactBytes() throws IOException {
        byte[] compact = DOCKER_CONFIG.getBytes(StandardCharsets.UTF_8);
        byte[] spaced = DOCKER_CONFIG.replace(",\"os\":", ", \"os\":").getBytes(StandardCharsets.UTF_8);

        ImageConfigBlob a = ImageConfigBlob.parse(compact);
        ImageConfigBlob b = ImageConfigBlob.parse(spaced);

        assertEquals(Digest.sha256Of(compact), a.id());
        assertEquals(Digest.sha256Of(spaced), b.id());
        assertEquals(a.config(), b.config(), "same content");
        assertNotEquals(a.id(), b.id(), "different bytes, different id: the id is never recomputed from the model");
        compact[0] = ' ';
        assertEquals(Digest.sha256Of(DOCKER_CONFIG.getBytes(StandardCharsets.UTF_8)), a.id(), "bytes are copied");
    }

    @Test
    void writesDockersFieldNamesDeterministically() throws IOException {
        RunConfig run = new RunConfig("1000", new TreeSet<>(Set.of("8080/tcp")), List.of("A=1"), List.of("/entry"),
                List.of("--flag"), new TreeSet<>(Set.of("/data")), "/app", new TreeMap<>(Map.of("z", "26", "a", "1")),
                List.of("RUN echo"), "SIGTERM", null, null, null);
        ImageConfig config = new ImageConfig("amd64", "linux", null, null, null, Instant.parse("2024-01-01T00:00:00Z"),
                "tally", run, ImageConfig.RootFs.layers(List.of(Digest.parse(DIFF_ID))),
                List.of(new ImageConfig.History(Instant.parse("2024-01-01T00:00:00Z"), null, "import", null, false),
                        new ImageConfig.History(Instant.parse("2024-01-01T00:00:00Z"), null, "CMD", null, true)));

        ImageConfigBlob blob = ImageConfigBlob.of(config);
        String json = new String(blob.bytes(), StandardCharsets.UTF_8);

        assertEquals("""
                {"architecture":"amd64","author":"tally","config":{"User":"1000","ExposedPorts":{"8080/tcp":{}},\
                "Env":["A=1"],"Entrypoint":["/entry"],"Cmd":["--flag"],"Volumes":{"/data":{}},"WorkingDir":"/app",\
                "Labels":{"a":"1","z":"26"},"OnBuild":["RUN echo"],"StopSignal":"SIGTERM"},\
                "created":"2024-01-01T00:00:00Z","history":[{"created":"2024-01-01T00:00:00Z","created_by":"import"},\
                {"created":"2024-01-01T00:00:00Z","created_by":"CMD","empty_layer":true}],"os":"linux",\
                "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(DIFF_ID), json);
        assertEquals(Digest.sha256Of(blob.bytes()), blob.id());
        assertEquals(config, ImageConfigBlob.parse(blob.bytes()).config());
        assertEquals(blob.id(), ImageConfigBlob.of(config).id(), "same config, same id");
    }

    @Test
    void anyObjectMapperUnderstandsTheModel() throws IOException {
        ObjectMapper plain = new ObjectMapper();
        ImageConfig config = plain.readValue(DOCKER_CONFIG, ImageConfig.class);
        assertEquals(List.of(Digest.parse(DIFF_ID)), config.diffIds());
        String json = plain.writeValueAsString(config);
        assertTrue(json.contains("\"diff_ids\":[\"" + DIFF_ID + "\"]"), json);
        assertTrue(json.contains("\"ExposedPorts\":{\"443/tcp\":{},\"80/tcp\":{}}"), json);
        assertEquals(config, plain.readValue(json, ImageConfig.class));
    }

    @Test
    void acceptsAStringCmdAndRefusesBadDigests() throws IOException {
        ImageConfig config = ImageJson.read("{\"config\":{\"Cmd\":\"sh\"}}".getBytes(StandardCharsets.UTF_8), ImageConfig.class);
        assertEquals(List.of("sh"), config.config().cmd());
        assertEquals(List.of(), config.diffIds());
        assertThrows(IOException.class, () -> ImageConfigBlob.parse(
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:nothex\"]}}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> ImageConfigBlob.parse("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
