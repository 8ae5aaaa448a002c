package io.tally.store;

import java.io.IOException;
import java.util.Set;

/** A layer cannot be removed while other layers are stacked on it. */
public class LayerInUseException extends IOException {

    public LayerInUseException(Digest chainId, Set<Digest> children) {
        super("layer " + chainId + " is the parent of " + children + "; remove those first");
    }
}
