package io.tally.store;

/**
 * A layer archive entry that would write outside the layer directory (absolute or escaping names,
 * writes through symlinks, hard links to files outside the layer). Such archives are refused outright.
 */
public class MaliciousLayerException extends InvalidLayerException {

    public MaliciousLayerException(String entry, String reason) {
        super(entry, reason);
    }
}
