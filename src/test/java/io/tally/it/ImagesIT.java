package io.tally.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image store through the stock docker CLI: import, load, save, tag, rmi, history, and hostile archives. */
class ImagesIT extends AgainstExternalTally {

    @Test
    void importWithChangesShowsInImagesAndInspect() throws Exception {
        Path rootfs = tmp.resolve("rootfs.tar");
        Files.write(rootfs, new Tars().dir("etc").file("etc/motd", "hello from import\n").dir("bin").build());
        String id = out("import", "--change", "ENV PATH=/opt/bin:/bin", "--change", "CMD [\"sh\"]", "--change", "WORKDIR /srv",
                "-m", "test import", rootfs.toString(), "cap/imported:v1");
        assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
        String images = out("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
        assertTrue(images.contains("cap/imported:v1 " + id.substring(7, 19)), images);
        assertEquals("[\"PATH=/opt/bin:/bin\"]", out("inspect", "-f", "{{json .Config.Env}}", "cap/imported:v1"));
        assertEquals("[\"sh\"]", out("inspect", "-f", "{{json .Config.Cmd}}", "cap/imported:v1"));
        assertEquals("/srv", out("inspect", "-f", "{{.Config.WorkingDir}}", "cap/imported:v1"));
        assertEquals("test import", out("inspect", "-f", "{{.Comment}}", "cap/imported:v1"));
        assertEquals(id, out("inspect", "-f", "{{.Id}}", "cap/imported:v1"));

        DockerCli.Result bad = docker.run("import", "--change", "FROBNICATE x", rootfs.toString(), "cap/bad:v1");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("FROBNICATE"), bad.stderr());
        DockerCli.Result badRef = docker.run("import", rootfs.toString(), "Cap/Upper:v1");
        assertNotEquals(0, badRef.exitCode());
        assertTrue(badRef.stderr().contains("must be lowercase"), badRef.stderr());
    }

    @Test
    void saveRmiLoadRestoresTheSameImage() throws Exception {
        out("load", "-i", BusyboxImage.archive().toString());
        out("tag", "bb:latest", "cap/roundtrip:v1");
        String id = out("inspect", "-f", "{{.Id}}", "cap/roundtrip:v1");
        String layers = out("inspect", "-f", "{{json .RootFS.Layers}}", "cap/roundtrip:v1");
        Path saved = tmp.resolve("saved.tar");
        out("save", "-o", saved.toString(), "cap/roundtrip:v1");
        String removed = out("rmi", "cap/roundtrip:v1");
        assertTrue(removed.contains("Untagged: cap/roundtrip:v1"), removed);
        assertNotEquals(0, docker.run("inspect", "cap/roundtrip:v1").exitCode());
        String loaded = out("load", "-i", saved.toString());
        assertTrue(loaded.contains("Loaded image: cap/roundtrip:v1"), loaded);
        assertEquals(id, out("inspect", "-f", "{{.Id}}", "cap/roundtrip:v1"));
        assertEquals(layers, out("inspect", "-f", "{{json .RootFS.Layers}}", "cap/roundtrip:v1"));
    }

    @Test
    void handMadeDockerArchiveLoads() throws Exception {
        byte[] layer = new Tars().dir("data").file("data/x", "x\n").build();
        String diffId = "sha256:" + Tars.sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2025-01-02T03:04:05Z\","
                + "\"config\":{\"Cmd\":[\"cat\",\"/data/x\"],\"Labels\":{\"made.by\":\"hand\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
                + "\"history\":[{\"created\":\"2025-01-02T03:04:05Z\",\"created_by\":\"hand\"}]}").getBytes(StandardCharsets.UTF_8);
        String configHex = Tars.sha256(config);
        byte[] manifest = ("[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"cap/handmade:v1\"],\"Layers\":[\"abc/layer.tar\"]}]")
                .getBytes(StandardCharsets.UTF_8);
        Path archive = tmp.resolve("handmade.tar");
        Files.write(archive, new Tars().file("abc/layer.tar", layer).file(configHex + ".json", config)
                .file("manifest.json", manifest).build());
        assertTrue(out("load", "-i", archive.toString()).contains("Loaded image: cap/handmade:v1"));
        assertEquals("sha256:" + configHex, out("inspect", "-f", "{{.Id}}", "cap/handmade:v1"));
        assertEquals("hand", out("inspect", "-f", "{{index .Config.Labels \"made.by\"}}", "cap/handmade:v1"));
        String filtered = out("images", "--filter", "label=made.by=hand", "--format", "{{.Repository}}");
        assertEquals("cap/handmade", filtered);
    }

    @Test
    void ociImageLayoutLoads() throws Exception {
        byte[] layer = new Tars().file("oci.txt", "from an OCI layout\n").build();
        String layerHex = Tars.sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + layerHex + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configHex = Tars.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + configHex + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + layerHex + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        String manifestHex = Tars.sha256(manifest);
        byte[] index = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"sha256:" + manifestHex + "\",\"size\":" + manifest.length + ","
                + "\"annotations\":{\"io.containerd.image.name\":\"docker.io/cap/oci:v1\",\"org.opencontainers.image.ref.name\":\"v1\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        Path archive = tmp.resolve("oci.tar");
        Files.write(archive, new Tars().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}").file("index.json", index)
                .dir("blobs").dir("blobs/sha256")
                .file("blobs/sha256/" + layerHex, layer).file("blobs/sha256/" + configHex, config)
                .file("blobs/sha256/" + manifestHex, manifest).build());
        assertTrue(out("load", "-i", archive.toString()).contains("Loaded image: cap/oci:v1"));
        assertEquals("sha256:" + configHex, out("inspect", "-f", "{{.Id}}", "cap/oci:v1"));
    }

    @Test
    void threeLayersWithWhiteoutAndOpaqueDirMountAsDockerWould() throws Exception {
        byte[] l1 = new Tars().dir("a").file("a/gone", "1").file("a/kept", "1").dir("d").file("d/lower", "1").build();
        byte[] l2 = new Tars().dir("b").file("b/middle", "2").build();
        byte[] l3 = new Tars().dir("a").file("a/.wh.gone", "").dir("d").file("d/.wh..wh..opq", "").file("d/upper", "3").build();
        List<byte[]> layers = List.of(l1, l2, l3);
        StringBuilder diffIds = new StringBuilder();
        for (byte[] l : layers) {
            diffIds.append(diffIds.isEmpty() ? "" : ",").append("\"sha256:").append(Tars.sha256(l)).append('"');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        String configHex = Tars.sha256(config);
        Path archive = tmp.resolve("three.tar");
        Files.write(archive, new Tars().file("l1/layer.tar", l1).file("l2/layer.tar", l2).file("l3/layer.tar", l3)
                .file(configHex + ".json", config)
                .file("manifest.json", "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"cap/three:v1\"],"
                        + "\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\",\"l3/layer.tar\"]}]").build());
        out("load", "-i", archive.toString());

        // Chain ids per the OCI image spec locate the unpacked layers; stack them as overlayfs lower dirs.
        String chain = "sha256:" + Tars.sha256(l1);
        List<String> lowers = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                chain = "sha256:" + Tars.sha256((chain + " sha256:" + Tars.sha256(layers.get(i))).getBytes(StandardCharsets.UTF_8));
            }
            Path diff = tmp.resolve("root/layers/layers").resolve(chain.substring(7)).resolve("diff");
            assertTrue(Files.isDirectory(diff), "layer dir " + diff);
            lowers.add(0, diff.toString());
        }
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + String.join(":", lowers), mnt.toString());
        try {
            assertFalse(Files.exists(mnt.resolve("a/gone")), "whited-out file is gone");
            assertTrue(Files.exists(mnt.resolve("a/kept")));
            assertTrue(Files.exists(mnt.resolve("b/middle")));
            assertFalse(Files.exists(mnt.resolve("d/lower")), "opaque dir hides the lower content");
            assertTrue(Files.exists(mnt.resolve("d/upper")));
        } finally {
            run("umount", mnt.toString());
        }
    }

    @Test
    void tagRmiAndHistory() throws Exception {
        out("load", "-i", BusyboxImage.archive().toString());
        out("tag", "bb", "cap/tagged:one");
        out("tag", "bb", "cap/tagged:two");
        assertEquals("Untagged: cap/tagged:one", out("rmi", "cap/tagged:one"));
        String history = out("history", "--format", "{{.ID}} {{.CreatedBy}}", "cap/tagged:two");
        List<String> rows = history.lines().toList();
        assertTrue(rows.size() >= 2, history);
        assertTrue(rows.get(0).startsWith(out("inspect", "-f", "{{.Id}}", "cap/tagged:two").substring(7, 19)), history);
        assertTrue(rows.get(rows.size() - 1).startsWith("<missing>"), history);

        // A separate image whose only reference is removed: untagged and deleted together.
        Files.write(tmp.resolve("solo.tar"), new Tars().file("solo", "solo").build());
        String soloId = out("import", tmp.resolve("solo.tar").toString(), "cap/solo:v1");
        String removed = out("rmi", "cap/solo:v1");
        assertTrue(removed.contains("Untagged: cap/solo:v1"), removed);
        assertTrue(removed.contains("Deleted: " + soloId), removed);
        DockerCli.Result missing = docker.run("rmi", "cap/solo:v1");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("No such image: cap/solo:v1"), missing.stderr());
        assertFalse(Files.exists(tmp.resolve("root/content/blobs/sha256").resolve(soloId.substring(7))), "config blob collected");
    }

    @Test
    void hostileArchivesAreRefusedAndWriteNothingOutside() throws Exception {
        Path victim = tmp.resolve("victim");
        Files.createDirectories(victim);
        List<byte[]> hostile = List.of(
                new Tars().rawFile("../escaped", "x").build(),
                new Tars().rawFile("/etc/tally-escaped", "x").build(),
                new Tars().symlink("link", "/").file("link/tmp/tally-escaped-via-link", "x").build(),
                new Tars().symlink("up", "../../../../../../..").file("up/tmp/tally-escaped-via-up", "x").build(),
                new Tars().hardlink("passwd", "/etc/passwd").build());
        int i = 0;
        for (byte[] archive : hostile) {
            Path f = tmp.resolve("hostile" + i++ + ".tar");
            Files.write(f, archive);
            DockerCli.Result r = docker.run("import", f.toString(), "cap/hostile:v" + i);
            assertEquals(1, r.exitCode(), "refused: " + r.stdout());
            assertTrue(r.stderr().startsWith("Error response from daemon: "), r.stderr());
            assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        }
        assertFalse(Files.exists(Path.of("/etc/tally-escaped")));
        assertFalse(Files.exists(Path.of("/tmp/tally-escaped-via-link")));
        assertFalse(Files.exists(Path.of("/tmp/tally-escaped-via-up")));
        assertFalse(Files.exists(tmp.resolve("root/layers/escaped")));
        assertFalse(Files.exists(tmp.resolve("root/escaped")));
        String images = out("images", "--format", "{{.Repository}}");
        assertFalse(images.contains("cap/hostile"), images);
        try (var temps = Files.list(tmp.resolve("root/layers/tmp"))) {
            assertEquals(0, temps.count(), "no half-unpacked layer left");
        }
    }

    @Test
    void imageEventsAreStoredAndPublished() throws Exception {
        Files.write(tmp.resolve("ev.tar"), new Tars().file("ev", "ev").build());
        String id = out("import", tmp.resolve("ev.tar").toString(), "cap/events:v1");
        out("tag", "cap/events:v1", "cap/events:v2");
        out("rmi", "cap/events:v1");
        out("rmi", "cap/events:v2");
        try (Connection c = env.db.connect()) {
            List<String> types = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(id)).map(StoredEvents.Row::simpleType).toList();
            assertEquals(List.of("ImageImported", "ImageTagged", "ImageTagged", "ImageUntagged", "ImageUntagged", "ImageDeleted"), types);
            var row = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(id)).findFirst().orElseThrow();
            try (var rs = c.createStatement().executeQuery("SELECT convert_from(meta_data,'UTF8') FROM domain_event_entry WHERE event_identifier = '" + row.eventId() + "'")) {
                rs.next();
                String meta = rs.getString(1);
                assertTrue(meta.contains("\"transport\":\"unix\"") && meta.contains("\"uid\":0") && meta.contains("\"user\":\"root\""), meta);
            }
        }
        List<String> wanted = List.of("io.tally.image.imported", "io.tally.image.tagged", "io.tally.image.tagged",
                "io.tally.image.untagged", "io.tally.image.untagged", "io.tally.image.deleted");
        List<TopicReader.Message> msgs = TopicReader.readUntil(env.kafkaBootstrap, env.eventsTopic(), Duration.ofSeconds(90),
                m -> m.stream().filter(x -> id.equals(x.key())).count() >= wanted.size());
        assertEquals(wanted, msgs.stream().filter(x -> id.equals(x.key())).map(x -> x.value().path("type").asText()).toList());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }
}
