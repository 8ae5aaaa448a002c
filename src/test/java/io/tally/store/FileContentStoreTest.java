package io.tally.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentStoreTest {

    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.UTF_8);
    /** printf 'hello\n' | sha256sum */
    private static final Digest HELLO_DIGEST =
            Digest.parse("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");

    @TempDir
    Path root;

    private FileContentStore store;

    @BeforeEach
    void createStore() throws IOException {
        store = new FileContentStore(root);
    }

    @Test
    void roundTrip() throws IOException {
        Digest digest = store.write(new ByteArrayInputStream(HELLO));

        assertEquals(HELLO_DIGEST, digest);
        assertTrue(store.exists(digest));
        assertEquals(HELLO.length, store.size(digest));
        assertEquals(root.resolve("blobs/sha256/" + digest.hex()), store.path(digest));
        try (InputStream in = store.open(digest)) {
            assertArrayEquals(HELLO, in.readAllBytes());
        }
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(digest))));
        assertEquals(Set.of(digest), store.list());
        assertIngestEmpty();
    }

    @Test
    void writingTheSameContentTwiceIsHarmless() throws IOException {
        store.write(new ByteArrayInputStream(HELLO));
        assertEquals(HELLO_DIGEST, store.write(new ByteArrayInputStream(HELLO), HELLO_DIGEST));
        assertEquals(Set.of(HELLO_DIGEST), store.list());
    }

    @Test
    void verifiesTheExpectedDigest() throws IOException {
        assertEquals(HELLO_DIGEST, store.write(new ByteArrayInputStream(HELLO), HELLO_DIGEST));

        Digest expected = Digest.sha256Of("something else");
        byte[] other = "other".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(DigestMismatchException.class, () -> store.write(new ByteArrayInputStream(other), expected));

        assertTrue(e.getMessage().contains(expected.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Digest.sha256Of(other).toString()), e.getMessage());
        assertEquals(expected, e.expected());
        assertEquals(Digest.sha256Of(other), e.actual());
        assertFalse(store.exists(expected));
        assertFalse(store.exists(Digest.sha256Of(other)), "mismatching content is not kept under any name");
        assertIngestEmpty();
    }

    @Test
    void aFailingStreamLeavesNothing() throws IOException {
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThrows(IOException.class, () -> store.write(failing));
        assertEquals(Set.of(), store.list());
        assertIngestEmpty();
    }

    @Test
    void missingBlobs() throws IOException {
        Digest missing = Digest.sha256Of("missing");
        assertFalse(store.exists(missing));
        var e = assertThrows(BlobNotFoundException.class, () -> store.open(missing));
        assertEquals(missing, e.digest());
        assertThrows(BlobNotFoundException.class, () -> store.size(missing));
        store.delete(missing);
    }

    @Test
    void deleteAndCollect() throws IOException {
        Digest keep = store.write(new ByteArrayInputStream("keep".getBytes(StandardCharsets.UTF_8)));
        Digest drop1 = store.write(new ByteArrayInputStream("drop1".getBytes(StandardCharsets.UTF_8)));
        Digest drop2 = store.write(new ByteArrayInputStream("drop2".getBytes(StandardCharsets.UTF_8)));
        Digest gone = store.write(new ByteArrayInputStream("gone".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(root.resolve("blobs/sha256/not-a-digest"), "ignored");

        store.delete(gone);
        assertFalse(store.exists(gone));

        assertEquals(Set.of(drop1, drop2), store.collect(Set.of(keep)));
        assertEquals(Set.of(keep), store.list());
    }

    @Test
    void removesIncompleteWrites() throws IOException {
        Files.writeString(root.resolve("ingest/write-123.tmp"), "half");
        store.removeIncompleteWrites();
        assertIngestEmpty();
    }

    private void assertIngestEmpty() throws IOException {
        try (Stream<Path> leftovers = Files.list(root.resolve("ingest"))) {
            assertEquals(List.of(), leftovers.toList());
        }
    }
}
