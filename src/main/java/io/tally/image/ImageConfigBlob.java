package io.tally.image;

import java.io.IOException;
import java.util.Arrays;

import io.tally.store.Digest;

/**
 * An image configuration together with the exact bytes it was read from or written as.
 *
 * <p>The image id is the sha256 of those bytes. JSON has many spellings of the same document (key order,
 * spacing, escapes), so the id is never computed by re-serialising the parsed model: the bytes are kept.
 */
public final class ImageConfigBlob {

    private final byte[] bytes;
    private final ImageConfig config;
    private final Digest id;

    private ImageConfigBlob(byte[] bytes, ImageConfig config) {
        this.bytes = bytes;
        this.config = config;
        this.id = Digest.sha256Of(bytes);
    }

    /** Reads a stored or downloaded config; its id is the digest of {@code json} as given. */
    public static ImageConfigBlob parse(byte[] json) throws IOException {
        byte[] copy = json.clone();
        ImageConfig config = ImageJson.read(copy, ImageConfig.class);
        if (config == null) {
            throw new IOException("image config is JSON null");
        }
        return new ImageConfigBlob(copy, config);
    }

    /** Serialises a new config (commit, import, build) compactly with sorted maps. */
    public static ImageConfigBlob of(ImageConfig config) {
        return new ImageConfigBlob(ImageJson.write(config), config);
    }

    /** The image id: {@code sha256:} of {@link #bytes()}. */
    public Digest id() {
        return id;
    }

    public ImageConfig config() {
        return config;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageConfigBlob blob && Arrays.equals(bytes, blob.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ImageConfigBlob[" + id + "]";
    }
}
