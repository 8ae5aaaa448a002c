package io.tally.store;

import java.nio.file.Path;

/**
 * An unpacked layer.
 *
 * @param diffId sha256 of the uncompressed layer tar
 * @param chainId identity of this layer on top of its parents (see {@link ChainId})
 * @param parent chain id of the layer below, or null for a base layer
 * @param size length in bytes of the uncompressed layer tar
 * @param path the unpacked tree, in overlayfs format (whiteouts are 0/0 character devices); usable as a
 *             lowerdir
 */
public record Layer(Digest diffId, Digest chainId, Digest parent, long size, Path path) {
}
