package io.tally.runtime.rootfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The data string of an overlay mount(2). The kernel copies at most one page of it, NUL included, so a
 * long layer stack with long paths does not fit; {@link #relative} is the short form used then, with
 * lowerdirs named by number relative to a directory of symlinks and upper/work relative to its parent.
 */
final class OverlayOptions {

    /** One page, the kernel's copy limit for mount data, minus the terminating NUL. */
    static final int MAX_DATA_BYTES = 4096 - 1;

    private OverlayOptions() {
    }

    /**
     * {@code lowerdir=a:b,upperdir=u,workdir=w}, or empty when a path holds a character overlay would
     * split on (',' between options, ':' between lowerdirs, '\' as escape): the symlink form avoids them.
     */
    static Optional<String> absolute(List<Path> lowerTopFirst, Path upper, Path work, List<String> extra) {
        List<Path> all = new ArrayList<>(lowerTopFirst);
        all.add(upper);
        all.add(work);
        if (all.stream().map(Path::toString).anyMatch(OverlayOptions::needsEscaping)) {
            return Optional.empty();
        }
        String lower = lowerTopFirst.stream().map(Path::toString).collect(Collectors.joining(":"));
        return Optional.of(join("lowerdir=" + lower, "upperdir=" + upper, "workdir=" + work, extra));
    }

    /**
     * For a mount made from inside {@code <container>/l}, whose entries {@code 0..n-1} link to the layers
     * top first.
     */
    static String relative(int layers, List<String> extra) {
        String lower = IntStream.range(0, layers).mapToObj(Integer::toString).collect(Collectors.joining(":"));
        return join("lowerdir=" + lower, "upperdir=../upper", "workdir=../work", extra);
    }

    static boolean fits(String data) {
        return data.getBytes(StandardCharsets.UTF_8).length <= MAX_DATA_BYTES;
    }

    /**
     * Options that make a mount independent of overlay module parameters a host may have turned on:
     * the inodes index and metacopy tie an upper dir to one set of lower dirs and trust metadata-only
     * copies, neither of which suits layers shared by many containers. Passed only where this kernel
     * knows them (the parameter exists), since unknown options fail the mount.
     */
    static List<String> hostDefaults(Path overlayParameters) {
        List<String> extra = new ArrayList<>();
        if (Files.exists(overlayParameters.resolve("index"))) {
            extra.add("index=off");
        }
        if (Files.exists(overlayParameters.resolve("metacopy"))) {
            extra.add("metacopy=off");
        }
        return List.copyOf(extra);
    }

    private static boolean needsEscaping(String path) {
        return path.indexOf(',') >= 0 || path.indexOf(':') >= 0 || path.indexOf('\\') >= 0;
    }

    private static String join(String lower, String upper, String work, List<String> extra) {
        StringBuilder data = new StringBuilder(lower).append(',').append(upper).append(',').append(work);
        extra.forEach(option -> data.append(',').append(option));
        return data.toString();
    }
}
