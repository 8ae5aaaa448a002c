package io.tally.runtime.runc;

import io.tally.runtime.runc.ContainerSpec.BindMount;
import io.tally.runtime.ContainerRuntime.Resources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the built config.json with the real runc (non-tty, stdout captured) on a busybox rootfs, to check that
 * runc accepts it and the container gets what Docker's would. Needs root, runc and busybox-static: fails, never
 * skips, without them. Every container is deleted after its test, and the test checks that runc removed its
 * cgroups; their parent, /tally-ocitest (used by nothing else), is removed at the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuncBundleTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String[] APPLETS = {"sh", "id", "hostname", "cat", "mount", "sleep", "ps", "grep", "echo",
            "touch", "env", "ls"};
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** A parent cgroup only these tests use, so that removing it cannot touch anyone else's. */
    private static final String PARENT = "tally-ocitest";
    private static String runc;

    @TempDir
    static Path shared;
    private static Path rootfs;

    @TempDir
    Path tmp;

    private final OciSpecBuilder builder = OciSpecBuilder.forThisHost();
    private final HostCgroups cgroups = HostCgroups.detect();
    private final List<String> started = new ArrayList<>();

    @BeforeAll
    static void prerequisites() throws Exception {
        assertEquals("0", Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1],
                "RuncBundleTest needs root (runc creates containers)");
        runc = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(d -> Path.of(d, "runc")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("runc is not installed (bin/install-deps)")).toString();
        assertTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed (/bin/busybox)");

        rootfs = shared.resolve("rootfs");
        for (String dir : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "mnt", "data", "home/tally")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                tally:x:1000:1000:Tally:/home/tally:/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                audio:x:29:tally
                tally:x:1000:
                """);
    }

    @AfterEach
    void deleteContainers() throws Exception {
        for (String id : started) {
            exec(runc, "kill", id, "KILL");
            Result deleted = exec(runc, "delete", "--force", id);
            assertNotEquals(0, exec(runc, "state", id).exit, "runc delete --force left " + id + ": " + deleted);
            assertEquals(List.of(), leftoverCgroups(id), "runc left cgroups of " + id);
        }
    }

    @AfterAll
    static void removeTestCgroupParent() throws IOException {
        for (Path parent : parents()) {
            try (Stream<Path> left = Files.list(parent)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("ocitest-")).toList(),
                        "test cgroups left under " + parent);
            }
            try {
                Files.delete(parent); // only when empty: a concurrent run of this class may still use it
            } catch (IOException busy) {
                // still in use
            }
        }
    }

    @Test
    void userTallyRunsAsUid1000WithItsGroupsAndHome() throws Exception {
        Result r = run(spec("id -u; id -G; echo HOME=$HOME").user("tally"));
        assertEquals(0, r.exit, r.toString());
        List<String> lines = r.stdout.lines().toList();
        assertEquals("1000", lines.get(0));
        assertEquals(List.of("1000", "29"), List.of(lines.get(1).split(" ")));
        assertEquals("HOME=/home/tally", lines.get(2));
    }

    @Test
    void hostnameIsTheSpecs() throws Exception {
        Result r = run(spec("hostname").hostname("oci-test-host"));
        assertEquals(0, r.exit, r.toString());
        assertEquals("oci-test-host\n", r.stdout);
    }

    @Test
    void rootHasDockersDefaultCapabilities() throws Exception {
        Result r = run(spec("cat /proc/self/status"));
        assertEquals(0, r.exit, r.toString());
        assertEquals("00000000a80425fb", field(r.stdout, "CapEff"));
        assertEquals("00000000a80425fb", field(r.stdout, "CapPrm"));
        assertEquals("00000000a80425fb", field(r.stdout, "CapBnd"));
        assertEquals("0000000000000000", field(r.stdout, "CapInh"));
        assertEquals("0000000000000000", field(r.stdout, "CapAmb"));
    }

    @Test
    void privilegedHasTheHostsBoundingSet() throws Exception {
        String hostBounding = field(Files.readString(Path.of("/proc/self/status")), "CapBnd");
        Result r = run(spec("cat /proc/self/status").privileged(true));
        assertEquals(0, r.exit, r.toString());
        assertEquals(hostBounding, field(r.stdout, "CapEff"));
        assertEquals(hostBounding, field(r.stdout, "CapBnd"));
    }

    @Test
    void mountingNeedsCapSysAdmin() throws Exception {
        String script = "mount -t tmpfs none /mnt && grep ' /mnt ' /proc/mounts";
        Result denied = run(spec(script));
        assertNotEquals(0, denied.exit, denied.toString());
        Result allowed = run(spec(script).capAdd(List.of("sys_admin")));
        assertEquals(0, allowed.exit, allowed.toString());
        assertTrue(allowed.stdout.startsWith("none /mnt tmpfs"), allowed.stdout);
    }

    @Test
    void memoryLimitIsInTheContainersCgroup() throws Exception {
        long limit = 64L * 1024 * 1024;
        String inside = cgroups.v2() ? "/sys/fs/cgroup/memory.max" : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
        ContainerSpec.Builder spec = spec("cat " + inside + "; exec sleep 60")
                .resources(Resources.NONE.withMemory(limit));
        String id = newId();
        Path bundle = bundle(spec.cgroupsPath("/" + PARENT + "/" + id).build(), id);
        Path out = tmp.resolve("stdout");
        Process p = new ProcessBuilder(runc, "run", "--bundle", bundle.toString(), id)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(tmp.resolve("stderr").toFile()).start();
        started.add(id);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.readString(out).indexOf('\n') < 0) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    fail("container did not start: " + Files.readString(tmp.resolve("stderr")));
                }
                Thread.sleep(50);
            }
            assertEquals(Long.toString(limit), Files.readString(out).strip());
            // and on the host, where runc put the cgroup (cgroupsPath below each controller on v1)
            if (cgroups.v2()) {
                assertEquals(Long.toString(limit), Files.readString(CGROUP_ROOT.resolve(PARENT + "/" + id + "/memory.max")).strip());
                assertEquals(Long.toString(limit), Files.readString(CGROUP_ROOT.resolve(PARENT + "/" + id + "/memory.swap.max")).strip());
            } else {
                Path memory = CGROUP_ROOT.resolve("memory/" + PARENT + "/" + id);
                assertEquals(Long.toString(limit), Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
                // Docker's default memory+swap: twice the memory
                assertEquals(Long.toString(2 * limit), Files.readString(memory.resolve("memory.memsw.limit_in_bytes")).strip());
            }
        } finally {
            exec(runc, "kill", id, "KILL");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void psSeesOnlyTheContainersProcesses() throws Exception {
        Result r = run(spec("sleep 30 & ps -o pid,comm; kill $!"));
        assertEquals(0, r.exit, r.toString());
        List<String> lines = r.stdout.lines().map(String::strip).toList();
        assertEquals(4, lines.size(), r.stdout);
        assertTrue(lines.get(0).startsWith("PID"), r.stdout);
        assertEquals("1 sh", lines.get(1), r.stdout);
        // the background sleep: still the forked sh, or the applet run through /proc/self/exe, or sleep
        assertTrue(lines.get(2).matches("\\d+ (sh|exe|sleep)"), r.stdout);
        assertTrue(lines.get(3).endsWith(" ps"), r.stdout);
    }

    @Test
    void readOnlyRootfsWithWritableBindTmpfsAndShm() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Result r = run(spec("""
                touch /x 2>/dev/null && echo rootfs-writable
                touch /data/x && echo data-ok
                touch /run/x && echo run-ok
                touch /dev/shm/x && echo shm-ok
                grep -E ' /(run|dev/shm|data) ' /proc/mounts | while read a b c d e; do echo $b $c; done
                """).readonlyRootfs(true).mount(new BindMount(data.toString(), "/data", false, null))
                .tmpfs("/run", "size=1m"));
        assertEquals(0, r.exit, r.toString());
        assertEquals(List.of("data-ok", "run-ok", "shm-ok"), r.stdout.lines().limit(3).toList(), r.stdout);
        assertTrue(Files.exists(data.resolve("x")));
        assertTrue(r.stdout.contains("/run tmpfs"), r.stdout);
        assertTrue(r.stdout.contains("/dev/shm tmpfs"), r.stdout);
    }

    @Test
    void readOnlyBindMountAndRlimits() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        ContainerSpec.Builder spec = spec("touch /data/x 2>/dev/null || echo data-ro; ulimit -n")
                .mount(new BindMount(data.toString(), "/data", true, null));
        long nofile = builder.build(spec.build(), UserResolver.resolve(rootfs, "", List.of())).json()
                .at("/process/rlimits/0/soft").asLong();
        Result r = run(spec);
        assertEquals(0, r.exit, r.toString());
        assertEquals(List.of("data-ro", Long.toString(nofile)), r.stdout.lines().toList());
        assertFalse(Files.exists(data.resolve("x")));
    }

    // ---- helpers

    private ContainerSpec.Builder spec(String script) {
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        return ContainerSpec.builder(HexFormat.of().formatHex(random), rootfs, List.of("/bin/sh", "-c", script));
    }

    private static String newId() {
        return "ocitest-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
    }

    private Path bundle(ContainerSpec spec, String id) throws IOException {
        ResolvedUser user = UserResolver.resolve(spec.rootfs(), spec.user(), spec.groupAdd());
        OciConfig config = builder.build(spec, user);
        Path bundle = tmp.resolve(id);
        config.writeTo(bundle);
        return bundle;
    }

    /** Runs the container to its end in the foreground, like `docker run` without -d. */
    private Result run(ContainerSpec.Builder spec) throws Exception {
        String id = newId();
        Path bundle = bundle(spec.cgroupsPath("/" + PARENT + "/" + id).build(), id);
        started.add(id);
        return exec(runc, "run", "--bundle", bundle.toString(), id);
    }

    private Result exec(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", "");
        Path err = Files.createTempFile(tmp, "err", "");
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 60s");
        }
        return new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + status))
                .substring(name.length() + 1).strip();
    }

    /** The test parent cgroups that exist: /sys/fs/cgroup/PARENT (v2) or /sys/fs/cgroup/CONTROLLER/PARENT (v1). */
    private static List<Path> parents() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Stream.concat(Stream.of(CGROUP_ROOT), Files.list(CGROUP_ROOT))) {
            dirs.map(d -> d.resolve(PARENT)).filter(Files::isDirectory).forEach(out::add);
        }
        return out;
    }

    private static List<Path> leftoverCgroups(String id) throws IOException {
        return parents().stream().map(p -> p.resolve(id)).filter(Files::exists).toList();
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
