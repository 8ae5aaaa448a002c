package io.tally.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a tar entry name (or hard link target) into path components inside the layer, or refuses it.
 *
 * <p>Decision on absolute names: Docker silently strips a leading '/', but no tool that produces layers
 * (docker save/commit/build, buildkit, GNU tar without -P) writes one, so an absolute name in a layer is
 * either a mistake or an attack. They are refused with a message that says so.
 *
 * <p>{@code ..} is resolved lexically ("a/../b" is "b"): that is safe because the unpacker never lets the
 * kernel resolve a symlink inside the layer, so the lexical path is the path that gets written.
 * A {@code ..} that would climb above the layer root is refused.
 */
final class EntryName {

    private static final boolean UTF8_FILE_NAMES = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

    private EntryName() {
    }

    /**
     * @param entry the entry being unpacked, for the error message
     * @param path the name to resolve: the entry's own name or its hard link target
     * @param role what {@code path} is, for the error message ("name", "hard link target")
     * @return the components; empty for the layer root itself
     */
    static List<String> components(String entry, String path, String role) throws InvalidLayerException {
        if (path == null || path.isEmpty()) {
            throw new InvalidLayerException(entry, role + " is empty");
        }
        if (path.startsWith("/")) {
            throw new MaliciousLayerException(entry, role + " '" + path
                    + "' is an absolute path; layer entries must be relative to the layer root");
        }
        if (!UTF8_FILE_NAMES && !StandardCharsets.US_ASCII.newEncoder().canEncode(path)) {
            throw new InvalidLayerException(entry, role + " is not ASCII and the JVM's file name encoding is "
                    + System.getProperty("sun.jnu.encoding") + "; run tallyd with a UTF-8 locale (LANG=C.UTF-8)");
        }
        List<String> components = new ArrayList<>();
        for (String component : path.split("/")) {
            switch (component) {
                case "", "." -> {
                    // "a//b", "./a" and "a/" name the same thing as "a/b" and "a"
                }
                case ".." -> {
                    if (components.isEmpty()) {
                        throw new MaliciousLayerException(entry, role + " '" + path
                                + "' climbs out of the layer root with '..'");
                    }
                    components.remove(components.size() - 1);
                }
                default -> components.add(component);
            }
        }
        return components;
    }
}
