package io.tally.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Chain ids as the OCI image spec defines them: a layer's identity including everything below it.
 *
 * <pre>
 * ChainID(L0) = DiffID(L0)
 * ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))
 * </pre>
 */
public final class ChainId {

    private ChainId() {
    }

    /** The chain id of {@code diffId} stacked on the layer {@code parent} (null for a base layer). */
    public static Digest of(Digest parent, Digest diffId) {
        if (parent == null) {
            return diffId;
        }
        return Digest.sha256Of(parent + " " + diffId);
    }

    /** The chain id of the top of a stack of diff ids, listed bottom first as in rootfs.diff_ids. */
    public static Digest of(List<Digest> diffIds) {
        Digest chain = null;
        for (Digest diffId : diffIds) {
            chain = of(chain, diffId);
        }
        if (chain == null) {
            throw new IllegalArgumentException("a chain id needs at least one diff id");
        }
        return chain;
    }

    /** The chain id of every layer in the stack, bottom first. */
    public static List<Digest> all(List<Digest> diffIds) {
        List<Digest> chains = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (Digest diffId : diffIds) {
            chain = of(chain, diffId);
            chains.add(chain);
        }
        return chains;
    }
}
