package io.tally.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Layers unpacked once each, by chain id, into directories overlayfs can stack.
 *
 * <p>A layer directory appears atomically and complete: unpacking happens in a temporary directory that is
 * renamed into place at the end, and removed if anything goes wrong (including a refused archive).
 */
public interface LayerStore {

    /**
     * Unpacks a layer (gzip, zstd, bzip2 or uncompressed tar, detected from its first bytes) on top of
     * {@code parentChainId} (null for a base layer). If the resulting chain id already exists the new copy
     * is discarded and the existing layer returned.
     *
     * @throws InvalidLayerException if the archive is damaged or unsafe; nothing is left behind
     * @throws LayerNotFoundException if the parent is not in the store
     */
    Layer unpack(Digest parentChainId, InputStream layer) throws IOException;

    /**
     * Like {@link #unpack(Digest, InputStream)}, but the caller knows the diff id (from the image config's
     * rootfs.diff_ids): if that layer is already present the stream is not read at all, and otherwise the
     * unpacked content must hash to it or it is discarded with a {@link DigestMismatchException}.
     */
    Layer unpack(Digest parentChainId, InputStream layer, Digest expectedDiffId) throws IOException;

    Optional<Layer> get(Digest chainId) throws IOException;

    boolean exists(Digest chainId);

    /** The unpacked tree of the layer; does not check that it exists. */
    Path diffPath(Digest chainId);

    /**
     * The lowerdir list for an image whose rootfs.diff_ids are {@code diffIds} (bottom first), returned
     * top-most first as overlayfs wants it.
     *
     * @throws LayerNotFoundException if any layer of the stack is missing
     */
    List<Path> lowerDirs(List<Digest> diffIds) throws IOException;

    /**
     * Deletes a layer. Absent layers are not an error.
     *
     * @throws LayerInUseException if another layer is stacked directly on it
     */
    void remove(Digest chainId) throws IOException;

    /** Chain ids of all layers present. */
    Set<Digest> list() throws IOException;
}
