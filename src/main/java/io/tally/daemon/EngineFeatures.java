package io.tally.daemon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this build of Tally can do where Docker could do more, as clients and tests read it from the
 * {@code Tally} component of {@code /version} (docs/clients.md). A test that needs a feature assumes it
 * from there, so it runs as soon as the feature lands instead of being skipped by hand.
 */
public final class EngineFeatures {
    /**
     * {@code -p}/{@code PortBindings} publish container ports on the host. Not yet: the networking
     * issue builds it and turns this on in the same change.
     */
    public static final boolean PORT_PUBLISHING = false;

    private EngineFeatures() {
    }

    /** The features as {@code /version} component details (Docker's details are strings). */
    public static Map<String, Object> asDetails() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("PortPublishing", Boolean.toString(PORT_PUBLISHING));
        return d;
    }
}
