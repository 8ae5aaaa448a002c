package io.tally.container.create;

import java.nio.file.Path;
import java.util.Set;

/** Docker's rules for mount paths and modes, shared by Binds and Mounts. */
final class MountPaths {
    static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> READ_WRITE = Set.of("rw", "ro");
    private static final Set<String> LABELS = Set.of("z", "Z");
    private static final Set<String> COPY = Set.of("nocopy");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");

    private MountPaths() {
    }

    /** @return null when the target is fine, else what is wrong with it in Docker's words */
    static String targetProblem(String target) {
        if (target == null || target.isEmpty()) {
            return "field Target must not be empty";
        }
        if (target.startsWith("/") && Path.of(target).normalize().toString().equals("/")) {
            return "invalid specification: destination can't be '/'";
        }
        return absoluteProblem(target);
    }

    static String absoluteProblem(String path) {
        return path.startsWith("/") ? null : "invalid mount path: '" + path + "' mount path must be absolute";
    }

    /** A mode such as {@code ro,rslave}: at most one option of each kind. */
    static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int[] counts = new int[5];
        for (String o : mode.split(",", -1)) {
            int kind = READ_WRITE.contains(o) ? 0 : LABELS.contains(o) ? 1 : PROPAGATIONS.contains(o) ? 2
                    : COPY.contains(o) ? 3 : CONSISTENCY.contains(o) ? 4 : -1;
            if (kind < 0 || ++counts[kind] > 1) {
                return false;
            }
        }
        return true;
    }
}
