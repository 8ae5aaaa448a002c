package io.tally.store;

import java.io.IOException;

/** A layer archive that cannot be unpacked: damaged, or using something a layer must not contain. */
public class InvalidLayerException extends IOException {

    private final String entry;

    public InvalidLayerException(String entry, String reason) {
        this(entry, reason, null);
    }

    public InvalidLayerException(String entry, String reason, Throwable cause) {
        super(entry == null ? "invalid layer: " + reason : "invalid layer entry '" + entry + "': " + reason, cause);
        this.entry = entry;
    }

    /** The tar entry name that was refused, or null if the archive as a whole is bad. */
    public String entry() {
        return entry;
    }
}
