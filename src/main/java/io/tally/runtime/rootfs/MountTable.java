package io.tally.runtime.rootfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount points of tallyd's mount namespace, from /proc/self/mountinfo (read afresh on every call). */
public final class MountTable {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    public static boolean isMountPoint(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        return mountPoints().stream().anyMatch(p::equals);
    }

    /** Mount points at {@code dir} or below it, deepest first (the order to unmount them in). */
    public static List<Path> mountPointsAtOrUnder(Path dir) {
        String d = dir.toAbsolutePath().normalize().toString();
        List<Path> found = new ArrayList<>();
        for (String m : mountPoints()) {
            if (m.equals(d) || m.startsWith(d.endsWith("/") ? d : d + "/")) {
                found.add(Path.of(m));
            }
        }
        found.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        return found;
    }

    static List<String> mountPoints() {
        List<String> lines;
        try {
            lines = Files.readAllLines(MOUNTINFO);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + MOUNTINFO, e);
        }
        List<String> points = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(unescape(fields[4]));
            }
        }
        return points;
    }

    /** The kernel writes space, tab, newline and backslash in mount points as octal escapes (\040 ...). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
