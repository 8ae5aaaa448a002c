package io.tally.store;

import static io.tally.store.TarBuilder.dir;
import static io.tally.store.TarBuilder.file;
import static io.tally.store.TarBuilder.hardLink;
import static io.tally.store.TarBuilder.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every archive here tries to write outside the layer directory. Each must be refused with a message naming
 * the entry, and leave nothing behind: no file outside, no temporary directory, no layer.
 */
class MaliciousLayerTest {

    /** Holds the store and, next to it, the places an escape would land. */
    @TempDir
    Path sandbox;

    private Path storeRoot;
    private OverlayLayerStore store;
    /** Unique, so a stray file from an escape can be detected in / and /tmp without doubt. */
    private final String marker = "tally-escape-" + UUID.randomUUID();

    @BeforeEach
    void createStore() throws IOException {
        // Deep enough that "../../.." from the unpack directory stays inside the sandbox.
        storeRoot = Files.createDirectories(sandbox.resolve("a/b/c/store"));
        store = new OverlayLayerStore(storeRoot);
    }

    @Test
    void dotDotEscape() throws IOException {
        refused(new TarBuilder().add(file("../" + marker, "x")), "../" + marker);
    }

    @Test
    void dotDotEscapeAfterDescending() throws IOException {
        refused(new TarBuilder().add(dir("x"), file("x/../../../" + marker, "x")), "x/../../../" + marker);
    }

    @Test
    void absoluteName() throws IOException {
        refused(new TarBuilder().add(file("/etc/" + marker, "x")), "/etc/" + marker);
        assertFalse(Files.exists(Path.of("/etc", marker)));
    }

    @Test
    void fileThroughSymlinkToRoot() throws IOException {
        refused(new TarBuilder().add(symlink("a", "/"), file("a/tmp/" + marker, "x")), "a/tmp/" + marker);
        assertFalse(Files.exists(Path.of("/tmp", marker)));
    }

    @Test
    void fileThroughRelativeSymlinkClimbingOut() throws IOException {
        refused(new TarBuilder().add(symlink("a", "../.."), file("a/" + marker, "x")), "a/" + marker);
    }

    @Test
    void directoryThroughSymlink() throws IOException {
        refused(new TarBuilder().add(symlink("a", "../../../.."), dir("a/" + marker)), "a/" + marker + "/");
    }

    @Test
    void symlinkReplacingAParentAfterTheFact() throws IOException {
        // A directory first, then a symlink of the same name, then a file under it.
        refused(new TarBuilder().add(dir("d"), symlink("d", "/tmp"), file("d/" + marker, "x")), "d/" + marker);
        assertFalse(Files.exists(Path.of("/tmp", marker)));
    }

    @Test
    void hardLinkToAbsolutePath() throws IOException {
        refused(new TarBuilder().add(hardLink("passwd", "/etc/passwd")), "passwd");
    }

    @Test
    void hardLinkClimbingOut() throws IOException {
        Files.writeString(storeRoot.resolve("x"), "outside");
        refused(new TarBuilder().add(hardLink("x", "../x")), "x");
    }

    @Test
    void hardLinkToSomethingNotInTheLayer() throws IOException {
        refused(new TarBuilder().add(hardLink("x", "etc/shadow")), "x");
    }

    @Test
    void hardLinkThroughSymlink() throws IOException {
        refused(new TarBuilder().add(symlink("etc", "/etc"), hardLink("passwd", "etc/passwd")), "passwd");
    }

    @Test
    void whiteoutThroughSymlink() throws IOException {
        refused(new TarBuilder().add(symlink("a", "/tmp"), file("a/.wh." + marker, "")), "a/.wh." + marker);
    }

    private void refused(TarBuilder tar, String entry) throws IOException {
        List<Path> before = sandboxContents();
        var e = assertThrows(MaliciousLayerException.class, () -> store.unpack(null, new ByteArrayInputStream(tar.build())));
        assertTrue(e.getMessage().contains("'" + entry + "'"), "message names the entry: " + e.getMessage());
        assertEquals(entry, e.entry());
        assertEquals(before, sandboxContents(), "nothing was written or left behind");
        try (Stream<Path> tmp = Files.list(storeRoot.resolve("tmp"))) {
            assertEquals(0, tmp.count(), "the temporary unpack directory is removed");
        }
        assertEquals(0, store.list().size());
        assertFalse(Files.exists(Path.of("/", marker), LinkOption.NOFOLLOW_LINKS));
    }

    private List<Path> sandboxContents() throws IOException {
        try (Stream<Path> all = Files.walk(sandbox)) {
            return all.sorted().toList();
        }
    }
}
