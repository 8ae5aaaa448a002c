package io.tally.store;

/**
 * The two ways deletions are written down. In a layer tar (OCI image spec): an empty file {@code .wh.NAME}
 * deletes NAME from the layers below, and {@code .wh..wh..opq} in a directory hides everything below it.
 * On disk (overlayfs): a 0/0 character device at NAME, and the xattr {@code trusted.overlay.opaque=y}.
 */
final class Whiteouts {

    static final String PREFIX = ".wh.";
    /** Prefix of AUFS bookkeeping entries (.wh..wh.plnk, .wh..wh.aufs) that old layers may contain. */
    static final String METADATA_PREFIX = ".wh..wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final byte[] OPAQUE_VALUE = {'y'};

    /** overlayfs's own bookkeeping: never copied from a tar, never written to one. */
    static boolean isOverlayXattr(String name) {
        return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.");
    }

    private Whiteouts() {
    }
}
