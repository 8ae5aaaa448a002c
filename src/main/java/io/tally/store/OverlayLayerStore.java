package io.tally.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A {@link LayerStore} whose layers are overlayfs lower directories:
 *
 * <pre>
 * &lt;root&gt;/layers/&lt;chain id hex&gt;/diff      the unpacked tree
 * &lt;root&gt;/layers/&lt;chain id hex&gt;/diff-id   sha256:... of the uncompressed tar
 * &lt;root&gt;/layers/&lt;chain id hex&gt;/size      length of the uncompressed tar
 * &lt;root&gt;/layers/&lt;chain id hex&gt;/parent    chain id below (absent for a base layer)
 * &lt;root&gt;/tmp/                           unpacks in progress
 * </pre>
 *
 * <p>The chain id is only known once the whole tar has been hashed, so a layer is unpacked under a
 * temporary name and renamed to its chain id at the end; the rename is atomic (same file system), so a
 * layer directory is always complete.
 *
 * <p>Each layer's diff is self-contained (whiteouts included), so the lowerdir of an image is just its
 * layers' diff directories. Note that overlayfs mount options are limited to a page: many layers with long
 * paths need short symlinks or a chdir'd mount (left to the runtime adapter).
 */
public final class OverlayLayerStore implements LayerStore {

    private static final String DIFF = "diff";
    private static final String DIFF_ID = "diff-id";
    private static final String SIZE = "size";
    private static final String PARENT = "parent";

    private final Path layers;
    private final Path tmp;
    private final TarUnpacker unpacker;

    public OverlayLayerStore(Path root) throws IOException {
        this(root, new TarUnpacker());
    }

    OverlayLayerStore(Path root, TarUnpacker unpacker) throws IOException {
        this.layers = root.resolve("layers");
        this.tmp = root.resolve("tmp");
        this.unpacker = unpacker;
        Files.createDirectories(layers);
        Files.createDirectories(tmp);
    }

    @Override
    public Layer unpack(Digest parentChainId, InputStream layer) throws IOException {
        return unpack(parentChainId, layer, null);
    }

    @Override
    public Layer unpack(Digest parentChainId, InputStream layer, Digest expectedDiffId) throws IOException {
        if (parentChainId != null && !exists(parentChainId)) {
            throw new LayerNotFoundException(parentChainId, "parent of the layer being unpacked");
        }
        if (expectedDiffId != null) {
            Optional<Layer> existing = get(ChainId.of(parentChainId, expectedDiffId));
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        Path work = tmp.resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectory(work);
            Path diff = Files.createDirectory(work.resolve(DIFF));
            Digest diffId;
            long size;
            // Closing the decompressor frees zstd's native buffers; the caller's stream stays open.
            try (InputStream uncompressed = Compression.decompressed(new NonClosingInputStream(layer))) {
                HashingInputStream tar = new HashingInputStream(uncompressed);
                unpacker.unpack(tar, diff);
                // The diff id covers the whole uncompressed stream, including what follows the
                // end-of-archive marker, exactly as Docker computes it.
                tar.drain();
                diffId = tar.digest();
                size = tar.count();
            }
            if (expectedDiffId != null && !expectedDiffId.equals(diffId)) {
                throw new DigestMismatchException("layer diff id", expectedDiffId, diffId);
            }
            Digest chainId = ChainId.of(parentChainId, diffId);
            writeMetadata(work, diffId, size, parentChainId);
            NativeFs.get().syncFileSystem(work);
            return moveIntoPlace(work, chainId);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    private Layer moveIntoPlace(Path work, Digest chainId) throws IOException {
        Path target = layerDir(chainId);
        if (!exists(chainId)) {
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // rename(2) fails with ENOTEMPTY (reported as a bare FileSystemException) if another
                // unpack of the same layer won the race: keep the first.
                if (!exists(chainId)) {
                    throw e;
                }
            }
        }
        return get(chainId).orElseThrow(() -> new LayerNotFoundException(chainId, "vanished right after unpacking"));
    }

    @Override
    public Optional<Layer> get(Digest chainId) throws IOException {
        Path dir = layerDir(chainId);
        try {
            Digest diffId = Digest.parse(read(dir.resolve(DIFF_ID)));
            long size = Long.parseLong(read(dir.resolve(SIZE)));
            Path parentFile = dir.resolve(PARENT);
            Digest parent = Files.exists(parentFile) ? Digest.parse(read(parentFile)) : null;
            return Optional.of(new Layer(diffId, chainId, parent, size, dir.resolve(DIFF)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(Digest chainId) {
        // The metadata is written before the rename, so its presence means the layer is complete.
        return Files.isRegularFile(layerDir(chainId).resolve(DIFF_ID));
    }

    @Override
    public Path diffPath(Digest chainId) {
        return layerDir(chainId).resolve(DIFF);
    }

    @Override
    public List<Path> lowerDirs(List<Digest> diffIds) throws IOException {
        List<Path> dirs = new ArrayList<>(diffIds.size());
        for (Digest chainId : ChainId.all(diffIds)) {
            if (!exists(chainId)) {
                throw new LayerNotFoundException(chainId, "needed for a lowerdir stack of " + diffIds.size() + " layers");
            }
            dirs.add(diffPath(chainId));
        }
        Collections.reverse(dirs);
        return dirs;
    }

    @Override
    public void remove(Digest chainId) throws IOException {
        Path dir = layerDir(chainId);
        if (!Files.exists(dir)) {
            return;
        }
        Set<Digest> children = children(chainId);
        if (!children.isEmpty()) {
            throw new LayerInUseException(chainId, children);
        }
        // Rename first so the layer disappears atomically and a crash mid-delete leaves only garbage in tmp.
        Path doomed = tmp.resolve("remove-" + chainId.hex() + "-" + UUID.randomUUID());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteRecursively(doomed);
    }

    @Override
    public Set<Digest> list() throws IOException {
        Set<Digest> chainIds = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layers)) {
            for (Path dir : dirs) {
                try {
                    Digest chainId = Digest.sha256(dir.getFileName().toString());
                    if (exists(chainId)) {
                        chainIds.add(chainId);
                    }
                } catch (IllegalArgumentException notALayer) {
                    // ignore foreign entries
                }
            }
        }
        return chainIds;
    }

    /**
     * Deletes unpacks and removals that a crash interrupted. Call once at start-up, before any unpack:
     * it cannot tell an abandoned unpack from one in progress.
     */
    public void removeIncomplete() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path leftover : leftovers) {
                FileTrees.deleteRecursively(leftover);
            }
        }
    }

    private Set<Digest> children(Digest chainId) throws IOException {
        Set<Digest> children = new TreeSet<>();
        for (Digest candidate : list()) {
            Path parentFile = layerDir(candidate).resolve(PARENT);
            if (Files.exists(parentFile) && Digest.parse(read(parentFile)).equals(chainId)) {
                children.add(candidate);
            }
        }
        return children;
    }

    private Path layerDir(Digest chainId) {
        if (!Digest.SHA256.equals(chainId.algorithm())) {
            throw new IllegalArgumentException("chain ids are sha256 digests: " + chainId);
        }
        return layers.resolve(chainId.hex());
    }

    private static void writeMetadata(Path work, Digest diffId, long size, Digest parent) throws IOException {
        write(work.resolve(DIFF_ID), diffId.toString());
        write(work.resolve(SIZE), Long.toString(size));
        if (parent != null) {
            write(work.resolve(PARENT), parent.toString());
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
