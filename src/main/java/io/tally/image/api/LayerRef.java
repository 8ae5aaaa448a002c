package io.tally.image.api;

/**
 * One layer of an image as stored: its diff id (sha256 of the uncompressed tar, as in the config's
 * rootfs.diff_ids), the content-store blob holding the tar as received, and its uncompressed size.
 */
public record LayerRef(String diffId, String blobDigest, long size) {
}
