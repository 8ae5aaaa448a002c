package io.tally.store;

import static io.tally.store.TarBuilder.dir;
import static io.tally.store.TarBuilder.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.luben.zstd.ZstdOutputStream;

class OverlayLayerStoreTest {

    @TempDir
    Path root;

    private OverlayLayerStore store;

    private final byte[] base = new TarBuilder().add(dir("etc"), file("etc/os-release", "ID=tally\n")).build();
    private final byte[] top = new TarBuilder().add(dir("app"), file("app/run", "#!/bin/sh\n").mode(0755)).build();

    @BeforeEach
    void createStore() throws IOException {
        store = new OverlayLayerStore(root);
    }

    @Test
    void unpacksByChainIdWithDiffIdOfTheUncompressedTar() throws IOException {
        Layer layer = store.unpack(null, new ByteArrayInputStream(base));

        assertEquals(Digest.sha256Of(base), layer.diffId());
        assertEquals(layer.diffId(), layer.chainId(), "a base layer's chain id is its diff id");
        assertEquals(base.length, layer.size());
        assertEquals(root.resolve("layers").resolve(layer.chainId().hex()).resolve("diff"), layer.path());
        assertEquals("ID=tally\n", Files.readString(layer.path().resolve("etc/os-release")));
        assertTrue(store.exists(layer.chainId()));
        assertEquals(layer, store.get(layer.chainId()).orElseThrow());
        assertEquals(layer.path(), store.diffPath(layer.chainId()));
        assertEquals(Set.of(layer.chainId()), store.list());
        assertTmpEmpty();
    }

    @Test
    void gzipZstdAndBzip2GiveTheSameDiffIdAsUncompressed() throws IOException {
        Digest expected = Digest.sha256Of(base);
        for (byte[] input : List.of(base, gzip(base), zstd(base), bzip2(base))) {
            Layer layer = store.unpack(null, new ByteArrayInputStream(input));
            assertEquals(expected, layer.diffId());
            assertEquals(expected, layer.chainId());
            assertEquals(base.length, layer.size());
        }
        assertEquals(1, store.list().size(), "the same layer is unpacked once");
        assertTmpEmpty();
    }

    @Test
    void stacksLayersByChainId() throws IOException {
        Layer bottom = store.unpack(null, new ByteArrayInputStream(base));
        Layer upper = store.unpack(bottom.chainId(), new ByteArrayInputStream(gzip(top)));

        assertEquals(Digest.sha256Of(top), upper.diffId());
        assertEquals(Digest.sha256Of(bottom.chainId() + " " + upper.diffId()), upper.chainId());
        assertEquals(bottom.chainId(), upper.parent());
        assertEquals(List.of(upper.path(), bottom.path()), store.lowerDirs(List.of(bottom.diffId(), upper.diffId())),
                "lowerdir order is top-most first");
    }

    @Test
    void chainIdFollowsTheOciSpec() {
        Digest one = Digest.sha256("0".repeat(63) + "1");
        Digest two = Digest.sha256("0".repeat(63) + "2");
        assertEquals(one, ChainId.of(null, one));
        // printf 'sha256:000…1 sha256:000…2' | sha256sum
        Digest expected = Digest.sha256("e0213565073dd272477933ef550455db21856966e444074f1492aef0939305ac");
        assertEquals(expected, ChainId.of(one, two));
        assertEquals(expected, ChainId.of(List.of(one, two)));
        assertEquals(List.of(one, expected), ChainId.all(List.of(one, two)));
    }

    @Test
    void refusesAnUnknownParent() {
        Digest missing = Digest.sha256Of("nope");
        var e = assertThrows(LayerNotFoundException.class, () -> store.unpack(missing, new ByteArrayInputStream(top)));
        assertTrue(e.getMessage().contains(missing.toString()));
    }

    @Test
    void expectedDiffIdShortCircuitsOrVerifies() throws IOException {
        Layer layer = store.unpack(null, new ByteArrayInputStream(base));
        InputStream notRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("an existing layer must not be read again");
            }
        };
        assertEquals(layer, store.unpack(null, notRead, layer.diffId()));

        Digest wrong = Digest.sha256Of("something else");
        var e = assertThrows(DigestMismatchException.class,
                () -> store.unpack(null, new ByteArrayInputStream(top), wrong));
        assertTrue(e.getMessage().contains(wrong.toString()) && e.getMessage().contains(Digest.sha256Of(top).toString()),
                e.getMessage());
        assertFalse(store.exists(Digest.sha256Of(top)));
        assertTmpEmpty();
    }

    @Test
    void removesLayersTopDown() throws IOException {
        Layer bottom = store.unpack(null, new ByteArrayInputStream(base));
        Layer upper = store.unpack(bottom.chainId(), new ByteArrayInputStream(top));

        assertThrows(LayerInUseException.class, () -> store.remove(bottom.chainId()));
        store.remove(upper.chainId());
        store.remove(bottom.chainId());
        store.remove(bottom.chainId()); // absent is fine

        assertFalse(store.exists(bottom.chainId()));
        assertEquals(Set.of(), store.list());
        assertThrows(LayerNotFoundException.class, () -> store.lowerDirs(List.of(bottom.diffId())));
        assertTmpEmpty();
    }

    @Test
    void acceptsAnEmptyLayer() throws IOException {
        byte[] empty = new TarBuilder().build();
        Layer layer = store.unpack(null, new ByteArrayInputStream(empty));
        assertEquals(Digest.sha256Of(empty), layer.diffId());
        try (Stream<Path> files = Files.list(layer.path())) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void refusesTruncatedLayers() throws IOException {
        byte[] big = new TarBuilder().add(file("big", "x".repeat(100_000))).build();
        var inEntry = assertThrows(InvalidLayerException.class,
                () -> store.unpack(null, new ByteArrayInputStream(Arrays.copyOf(big, 50_000))));
        assertEquals("invalid layer entry 'big': the archive ends inside this entry (truncated?)", inEntry.getMessage());
        for (byte[] input : List.of(Arrays.copyOf(gzip(big), 40), Arrays.copyOf(zstd(big), 20))) {
            var e = assertThrows(InvalidLayerException.class, () -> store.unpack(null, new ByteArrayInputStream(input)));
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("truncated"), e.getMessage());
        }
        assertEquals(Set.of(), store.list());
        assertTmpEmpty();
    }

    @Test
    void refusesXz() {
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3};
        var e = assertThrows(InvalidLayerException.class, () -> store.unpack(null, new ByteArrayInputStream(xz)));
        assertTrue(e.getMessage().contains("xz"), e.getMessage());
    }

    private void assertTmpEmpty() throws IOException {
        try (Stream<Path> leftovers = Files.list(root.resolve("tmp"))) {
            assertEquals(List.of(), leftovers.toList());
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zs = new ZstdOutputStream(out)) {
            zs.write(data);
        }
        return out.toByteArray();
    }

    static byte[] bzip2(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(data);
        }
        return out.toByteArray();
    }
}
