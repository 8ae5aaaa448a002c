package io.tally.daemon;

import picocli.CommandLine;

/** Tally's own version and the Docker Engine API versions it speaks. */
public final class TallyVersion {
    public static final String API_VERSION = "1.41";
    public static final String MIN_API_VERSION = "1.24";

    private TallyVersion() {
    }

    public static String version() {
        String v = TallyVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tallyd " + version() + " (Docker Engine API " + API_VERSION + ")"};
        }
    }
}
