package io.tally.runtime.cgroup;

import io.tally.events.DomainException;
import io.tally.events.DomainException.Kind;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A container's cgroup directories, which runc normally removes on delete but leaves behind when it is
 * cut short (its shim killed, a host crash). On cgroup v2 one directory
 * {@code /sys/fs/cgroup/<path>}; on v1 (and hybrid) one per hierarchy {@code /sys/fs/cgroup/<controller>/<path>}.
 */
public final class CgroupDirs {

    private static final long BUSY_RETRY_MILLIS = 3000;

    private final Path cgroupRoot;

    public CgroupDirs(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /** The cgroups path tallyd gives a container ({@code linux.cgroupsPath} of its config.json). */
    public static String pathOf(String containerId) {
        return "/tally/" + containerId;
    }

    /** The container's directory for a v1 controller ("memory", "cpuacct", "pids"), or the v2 unified one. */
    public Path dir(String containerId, String controller) {
        String rel = pathOf(containerId).substring(1);
        return isUnified() ? cgroupRoot.resolve(rel) : cgroupRoot.resolve(controller).resolve(rel);
    }

    public boolean isUnified() {
        return Files.exists(cgroupRoot.resolve("cgroup.controllers"));
    }

    /** Host pids of the container's processes; empty when it does not run. */
    public List<Long> pids(String containerId) {
        Path procs = dir(containerId, "pids").resolve("cgroup.procs");
        try {
            return Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
    }

    /** The directories of {@code cgroupsPath} (as written in config.json, e.g. {@code /tally/<id>}) that exist. */
    List<Path> existing(String cgroupsPath) {
        String relative = cgroupsPath.replaceFirst("^/+", "");
        Set<Path> dirs = new LinkedHashSet<>();
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
            addIfDirectory(dirs, cgroupRoot.resolve(relative));
        } else {
            try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(cgroupRoot, Files::isDirectory)) {
                for (Path hierarchy : hierarchies) {
                    addIfDirectory(dirs, hierarchy.resolve(relative));
                }
            } catch (IOException e) {
                return List.of();
            }
        }
        return new ArrayList<>(dirs);
    }

    /**
     * rmdir of each directory, children first (cgroup files cannot and need not be deleted). A cgroup
     * still holding processes cannot be removed: they are killed first, and they are the container's.
     */
    public void remove(String id, String cgroupsPath) throws DomainException {
        for (Path dir : existing(cgroupsPath)) {
            try {
                for (Path cgroup : subtreeDeepestFirst(dir)) {
                    removeOne(cgroup);
                }
            } catch (IOException e) {
                throw new DomainException(Kind.HOST_ERROR, "removing cgroup " + dir + " of container " + id + ": " + e, e);
            }
        }
    }

    private static void removeOne(Path cgroup) throws IOException {
        long deadline = System.currentTimeMillis() + BUSY_RETRY_MILLIS;
        while (true) {
            try {
                Files.deleteIfExists(cgroup);
                return;
            } catch (java.nio.file.FileSystemException busy) {
                if (System.currentTimeMillis() > deadline) {
                    throw busy;
                }
                killMembers(cgroup);
                sleep(50);
            }
        }
    }

    private static void killMembers(Path cgroup) throws IOException {
        Path procs = cgroup.resolve("cgroup.procs");
        if (!Files.exists(procs)) {
            return;
        }
        for (String pid : Files.readAllLines(procs)) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static List<Path> subtreeDeepestFirst(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            List<Path> dirs = new ArrayList<>(tree.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList());
            dirs.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
            return dirs;
        }
    }

    private static void addIfDirectory(Set<Path> dirs, Path candidate) {
        if (Files.isDirectory(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                dirs.add(candidate.toRealPath());
            } catch (IOException e) {
                // gone meanwhile
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
