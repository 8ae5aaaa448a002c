package io.tally.store;

import java.io.IOException;

/** The content store has no blob with this digest. */
public class BlobNotFoundException extends IOException {

    private final transient Digest digest;

    public BlobNotFoundException(Digest digest) {
        super("blob not found: " + digest);
        this.digest = digest;
    }

    public Digest digest() {
        return digest;
    }
}
