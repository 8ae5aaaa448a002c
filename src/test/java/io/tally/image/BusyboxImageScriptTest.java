package io.tally.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tally.store.Digest;
import io.tally.store.Layer;
import io.tally.store.OverlayLayerStore;

/** bin/make-busybox-image, checked by the code that will load its output. Needs root and busybox-static. */
class BusyboxImageScriptTest {

    private static final Path SCRIPT = Path.of("bin/make-busybox-image").toAbsolutePath();

    @TempDir
    Path temp;

    @BeforeAll
    static void requireRootAndBusybox() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static");
    }

    @Test
    void buildsTheSameLoadableArchiveEveryTime() throws Exception {
        Path first = temp.resolve("first.tar");
        Path second = temp.resolve("second.tar");
        run(first.toString());
        run(second.toString(), "localhost:5000/tally/busybox:v1");
        run(second.toString());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "deterministic");

        Map<String, byte[]> files = readTar(first);
        List<DockerArchiveManifest> manifests = DockerArchiveManifest.parseAll(files.get("manifest.json"));
        assertEquals(1, manifests.size());
        DockerArchiveManifest manifest = manifests.get(0);
        assertEquals(List.of("busybox:latest"), manifest.repoTags());

        ImageConfigBlob config = ImageConfigBlob.parse(files.get(manifest.config()));
        assertEquals(config.id().hex() + ".json", manifest.config(), "the config file is named by the image id");
        assertEquals("amd64", config.config().architecture());
        assertEquals("linux", config.config().os());
        assertEquals(List.of("sh"), config.config().config().cmd());
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), config.config().config().env());

        byte[] layerTar = files.get(manifest.layers().get(0));
        Digest diffId = Digest.sha256Of(layerTar);
        assertEquals(List.of(diffId), config.config().diffIds());
        assertTrue(new String(files.get("repositories"), StandardCharsets.UTF_8).contains("\"busybox\":{\"latest\":"));

        Layer layer = new OverlayLayerStore(temp.resolve("store")).unpack(null, new ByteArrayInputStream(layerTar), diffId);
        Path root = layer.path();
        assertEquals("busybox", Files.readSymbolicLink(root.resolve("bin/sh")).toString());
        assertEquals(01777, mode(root.resolve("tmp")));
        assertEquals(0700, mode(root.resolve("root")));
        assertEquals(1000, Files.getAttribute(root.resolve("home/tally"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.readString(root.resolve("etc/passwd")).contains("tally:x:1000:1000:"));
        for (String dir : List.of("proc", "sys", "dev", "var", "home")) {
            assertTrue(Files.isDirectory(root.resolve(dir)), dir);
        }
        assertTrue(Files.exists(root.resolve("etc/hostname")));

        Process shell = new ProcessBuilder("chroot", root.toString(), "/bin/sh", "-c", "echo hello from $(cat /etc/hostname)busybox")
                .redirectErrorStream(true).start();
        assertEquals("hello from busybox\n", new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, shell.waitFor());
    }

    private static int mode(Path path) throws IOException {
        return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    private static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
    }

    private static Map<String, byte[]> readTar(Path tar) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                if (entry.isFile()) {
                    files.put(entry.getName(), entries.readAllBytes());
                }
            }
        }
        return files;
    }
}
