package io.tally.store;

import static io.tally.store.TarBuilder.dir;
import static io.tally.store.TarBuilder.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpacked layers, stacked by the real overlayfs. Needs root and overlay support; skipped otherwise. */
class OverlayMountTest {

    @TempDir
    Path temp;

    @BeforeAll
    static void requireRootAndOverlay() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "needs root");
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("overlay"), "needs overlayfs");
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesHideLowerContent() throws Exception {
        OverlayLayerStore store = new OverlayLayerStore(temp.resolve("store"));
        List<Digest> diffIds = stack(store,
                new TarBuilder().add(dir("etc"), file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
                        file("etc/motd", "hello"), dir("data"), file("data/old1", "1"), file("data/old2", "2")),
                new TarBuilder().add(dir("etc"), file("etc/extra", "x"), dir("data"), file("data/mid", "m")),
                new TarBuilder().add(file("etc/.wh.motd", ""), dir("data"), file("data/.wh..wh..opq", ""),
                        file("data/new", "n")));

        Path merged = Files.createDirectory(temp.resolve("merged"));
        mount(merged, "lowerdir=" + join(store.lowerDirs(diffIds)));
        try {
            assertTrue(Files.exists(merged.resolve("etc/passwd")));
            assertTrue(Files.exists(merged.resolve("etc/extra")));
            assertFalse(Files.exists(merged.resolve("etc/motd")), "the whiteout deletes the lower file");
            assertEquals(List.of("new"), list(merged.resolve("data")), "the opaque dir hides lower content");
        } finally {
            umount(merged);
        }
    }

    @Test
    void aContainerUpperDirBecomesALayer() throws Exception {
        OverlayLayerStore store = new OverlayLayerStore(temp.resolve("store"));
        List<Digest> diffIds = new ArrayList<>(stack(store,
                new TarBuilder().add(dir("etc"), file("etc/passwd", "root"), file("etc/group", "root"),
                        dir("data"), file("data/old", "1"))));
        Path upper = Files.createDirectory(temp.resolve("upper"));
        Path work = Files.createDirectory(temp.resolve("work"));
        Path merged = Files.createDirectory(temp.resolve("merged"));

        // overlayfs wants at least two lowers when there is no upper, but one is fine with an upper.
        mount(merged, "lowerdir=" + join(store.lowerDirs(diffIds)) + ",upperdir=" + upper + ",workdir=" + work);
        try {
            Files.delete(merged.resolve("etc/passwd"));
            Files.writeString(merged.resolve("etc/added"), "new");
            FileTrees.deleteRecursively(merged.resolve("data"));
            Files.createDirectory(merged.resolve("data"));
            Files.writeString(merged.resolve("data/fresh"), "f");
        } finally {
            umount(merged);
        }

        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        LayerTarWriter.writeDirectoryAsTar(upper, diff);
        Layer committed = store.unpack(ChainId.of(diffIds), new ByteArrayInputStream(diff.toByteArray()));
        diffIds.add(committed.diffId());
        assertEquals(Lstat.CHR, Lstat.of(committed.path().resolve("etc/passwd")).type());

        Path view = Files.createDirectory(temp.resolve("view"));
        Path emptyLower = Files.createDirectory(temp.resolve("empty"));
        List<Path> lowers = new ArrayList<>(store.lowerDirs(diffIds));
        lowers.add(emptyLower);
        mount(view, "lowerdir=" + join(lowers));
        try {
            assertEquals(List.of("added", "group"), list(view.resolve("etc")));
            assertEquals(List.of("fresh"), list(view.resolve("data")));
        } finally {
            umount(view);
        }
    }

    private static List<Digest> stack(LayerStore store, TarBuilder... layers) throws IOException {
        List<Digest> diffIds = new ArrayList<>();
        Digest parent = null;
        for (TarBuilder layer : layers) {
            Layer unpacked = store.unpack(parent, new ByteArrayInputStream(layer.build()));
            diffIds.add(unpacked.diffId());
            parent = unpacked.chainId();
        }
        return diffIds;
    }

    private static String join(List<Path> dirs) {
        return dirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void mount(Path target, String options) throws IOException, InterruptedException {
        run("mount", "-t", "overlay", "overlay", "-o", options, target.toString());
    }

    private static void umount(Path target) throws IOException, InterruptedException {
        run("umount", target.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
