package io.tally.store;

import java.io.IOException;

/** The layer store has no layer with this chain id. */
public class LayerNotFoundException extends IOException {

    private final transient Digest chainId;

    public LayerNotFoundException(Digest chainId, String context) {
        super("layer not found: " + chainId + (context == null ? "" : " (" + context + ")"));
        this.chainId = chainId;
    }

    public Digest chainId() {
        return chainId;
    }
}
