package io.tally.daemon;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What a person watching tallyd start reads: one plain line per slow step, with how long it took,
 * and a last line saying how to use it. The timestamped log goes on as before; these lines are for
 * the first minutes of a new user, so they carry no log noise.
 */
public final class StartProgress {
    private static final long STARTED = System.nanoTime();
    private static volatile PrintStream out = System.err;

    private StartProgress() {
    }

    /** A step begins; what it is doing, and where its output goes when that helps. */
    public static void step(String phase, String what) {
        out.println("tallyd: [" + phase + "] " + what);
    }

    /** A step finished after {@code startNanos}. */
    public static void done(String phase, String what, long startNanos) {
        out.println("tallyd: [" + phase + "] " + what + " (" + seconds(System.nanoTime() - startNanos) + ")");
    }

    /** A step failed: which one, why, and where to look. */
    public static void failed(String phase, String why, Path log) {
        out.println("tallyd: [" + phase + "] FAILED: " + why + (log == null ? "" : " (log: " + log + ")"));
    }

    /** The daemon answers: the one line that tells the user what to type next. */
    public static void ready(List<String> hosts) {
        String host = hosts.stream().filter(h -> h.startsWith("unix://")).findFirst().orElse(hosts.get(0));
        out.println("tallyd: ready in " + seconds(System.nanoTime() - STARTED) + ": export DOCKER_HOST=" + host);
        out.println("tallyd: then try: docker info; bin/make-busybox-image --load bb; docker run --rm bb echo hello"
                + " (README, quick start)");
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
