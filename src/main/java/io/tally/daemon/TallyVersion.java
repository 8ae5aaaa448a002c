package io.tally.daemon;

import picocli.CommandLine;

/**
 * Tally's own version, the Docker Engine API versions it speaks, and the Docker engine version it
 * reports as its server version.
 *
 * <p>Clients compare the server {@code Version} with Docker's release numbers (Testcontainers refuses
 * anything below 1.6.0, others switch behaviour on it), so {@code /version} and {@code /info} answer
 * the Docker release that served the same API: API 1.41 is Docker 20.10, and 20.10.24 is the last
 * release of that line. Tally's own version stays visible in the {@code Tally} component of
 * {@code /version}, in the {@code Server} header and in {@code tallyd --version}.
 */
public final class TallyVersion {
    public static final String API_VERSION = "1.41";
    public static final String MIN_API_VERSION = "1.24";
    /** The Docker engine release whose API ({@link #API_VERSION}) Tally implements. */
    public static final String DOCKER_COMPATIBLE_VERSION = "20.10.24";

    private TallyVersion() {
    }

    public static String version() {
        String v = TallyVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tallyd " + version() + " (Docker Engine API " + API_VERSION + ", reported to clients as Docker "
                    + DOCKER_COMPATIBLE_VERSION + ")"};
        }
    }
}
