package io.tally.runtime;

import io.tally.runtime.exec.ExecRuntime;
import io.tally.runtime.runc.OciBundleWriter;
import io.tally.runtime.runc.OciSpecBuilder;
import io.tally.events.DomainException;
import io.tally.runtime.rootfs.ContainerEtcFiles;
import io.tally.runtime.rootfs.LinuxCalls;
import io.tally.runtime.rootfs.MountTable;
import io.tally.runtime.runc.BundleWriter;
import io.tally.runtime.runc.CommandRunner;
import io.tally.runtime.shim.ProcStat;
import io.tally.runtime.shim.ShimProcesses;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.runtime.ContainerRuntime.ExitStatus;
import io.tally.runtime.ContainerRuntime.ProcessState;
import io.tally.runtime.ContainerRuntime.StartRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HostContainerRuntime} against the real runc, the real tally-shim (target/native/tally-shim, built in
 * the compile phase) and the kernel's overlayfs, with a busybox "image" of one layer. Needs root, runc and
 * busybox-static: fails, never skips, without them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostContainerRuntimeTest {

    private static final Path SHIM = Path.of(System.getProperty("tally.shim.binary", "target/native/tally-shim"))
            .toAbsolutePath();
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String[] APPLETS = {"sh", "echo", "cat", "sleep", "ls", "true", "false", "hostname", "tty",
            "rm", "kill"};
    private static final String RUNC = "runc";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Exit(String id, ExitStatus status) {
    }

    @TempDir
    Path tmp;

    private Path dataRoot;
    private Path busyboxLayer;
    private ExecutorService executor;
    private HostContainerRuntime runtime;
    /** Applied to every config.json the interim writer produces; a test may set it. */
    private Consumer<ObjectNode> configEdit = config -> { };
    private final BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void prerequisites() throws Exception {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
        assertEquals("0", uid, "HostContainerRuntimeTest needs root (mounts, runc)");
        assertEquals(0, run("runc", "--version").exitCode(), "runc is not installed");
        assertTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed (/bin/busybox)");
        assertTrue(Files.isExecutable(SHIM), SHIM + " is missing: it is built by `make -C src/native` in ./mvnw compile");
    }

    @BeforeEach
    void setUp() throws Exception {
        dataRoot = tmp.resolve("data");
        busyboxLayer = busyboxLayer(tmp.resolve("layers/busybox"));
        executor = Executors.newVirtualThreadPerTaskExecutor();
        runtime = newRuntime();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (String id : ids) {
                try {
                    runtime.remove(id);
                } catch (Exception | AssertionError e) {
                    forceCleanUp(id);
                    throw e;
                }
            }
        } finally {
            runtime.close();
            executor.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------- tests

    @Test
    void exitCodeReachesTheListenerAndOutputIsLoggedInCriFormat() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        long pid = runtime.start(request(id, "sh", "-c", "echo hi; exit 3"));
        assertTrue(pid > 0);

        Instant before = Instant.now().minusSeconds(60);
        ExitStatus exit = awaitExit(id);
        assertEquals(3, exit.exitCode());
        assertEquals(0, exit.signal());
        assertFalse(exit.oomKilled());
        assertTrue(exit.exitedAt().isAfter(before), exit.toString());
        assertEquals(new ProcessState.Exited(exit), runtime.state(id));
        assertTrue(Files.readAllLines(runtime.logFile(id)).stream()
                .anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z stdout F hi")),
                Files.readString(runtime.logFile(id)));

        // at once again, while the first shim may still linger for its attachers
        runtime.start(request(id, "sh", "-c", "exit 4"));
        assertEquals(4, awaitExit(id).exitCode());
    }

    @Test
    void aRunningContainerIsInItsCgroupAndDiesOfSigterm() throws Exception {
        // The init of a PID namespace ignores signals it has no handler for (kernel rule), so dying of
        // SIGTERM needs a process that is not a namespace init.
        configEdit = HostContainerRuntimeTest::withoutPidNamespace;
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        long pid = runtime.start(request(id, "sleep", "100"));

        assertEquals(new ProcessState.Running(pid, false), runtime.state(id));
        String cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
        assertTrue(cgroup.contains("tally/" + id), cgroup);

        runtime.kill(id, 15);
        ExitStatus exit = awaitExit(id);
        assertEquals(143, exit.exitCode());
        assertEquals(15, exit.signal());
        assertInstanceOf(ProcessState.Exited.class, runtime.state(id));
        DomainException again = assertThrows(DomainException.class, () -> runtime.kill(id, 15));
        assertEquals(DomainException.Kind.NOT_RUNNING, again.kind());
        assertEquals("container " + id + " is not running", again.getMessage());
    }

    @Test
    void sigtermReachesAContainerInitThatHandlesIt() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        runtime.start(request(id, "sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done"));
        Thread.sleep(300); // let sh install the trap
        runtime.kill(id, 15);
        assertEquals(7, awaitExit(id).exitCode());
    }

    @Test
    void pauseAndResumeShowInTheState() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        long pid = runtime.start(request(id, "sleep", "100"));

        runtime.pause(id);
        assertEquals(new ProcessState.Running(pid, true), runtime.state(id));
        assertEquals(DomainException.Kind.INVALID_CONFIG, assertThrows(DomainException.class, () -> runtime.pause(id)).kind());
        runtime.resume(id);
        assertEquals(new ProcessState.Running(pid, false), runtime.state(id));
        assertEquals(DomainException.Kind.INVALID_CONFIG, assertThrows(DomainException.class, () -> runtime.resume(id)).kind());

        // a paused container is removed too
        runtime.pause(id);
        long shimPid = shimPid(id);
        runtime.remove(id);
        assertGone(pid);
        assertGone(shimPid);
        assertEquals(new ProcessState.NotCreated(), runtime.state(id));
    }

    @Test
    void aStartFailureLeavesNothingBehind() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        DomainException failure = assertThrows(DomainException.class, () -> runtime.start(request(id, "no-such-binary-xyz")));
        assertEquals(DomainException.Kind.START_FAILED, failure.kind());
        assertTrue(failure.getMessage().contains("exec: \"no-such-binary-xyz\": executable file not found in $PATH"),
                failure.getMessage());

        Optional<Long> shim = ShimProcesses.readPid(runtime.containerDir(id).resolve("shim/shim.pid"));
        shim.ifPresent(HostContainerRuntimeTest::assertGone);
        assertFalse(runcList().contains(id), "runc still knows " + id);
        assertFalse(MountTable.isMountPoint(runtime.containerDir(id).resolve("rootfs")), "rootfs still mounted");
        assertEquals(List.of(), cgroupDirs(id));

        ProcessState state = runtime.state(id);
        ExitStatus status = assertInstanceOf(ProcessState.Exited.class, state).status();
        assertEquals(127, status.exitCode());
        assertTrue(status.error().contains("executable file not found"), status.error());

        runtime.remove(id);
        assertFalse(Files.exists(runtime.containerDir(id)));
    }

    @Test
    void removingARunningContainerLeavesNoMountCgroupProcessOrFile() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        long pid = runtime.start(request(id, "sleep", "100"));
        long shimPid = shimPid(id);
        assertFalse(cgroupDirs(id).isEmpty(), "runc should have made the cgroup");

        runtime.remove(id);

        assertGone(pid);
        assertGone(shimPid);
        Path dir = runtime.containerDir(id);
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(dir));
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString()));
        assertEquals(List.of(), cgroupDirs(id));
        assertFalse(runcList().contains(id));
        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isExecutable(busyboxLayer.resolve("bin/busybox")), "the image layer must survive");
        assertEquals(new ProcessState.NotCreated(), runtime.state(id));
        runtime.remove(id); // nothing left to do: fine
    }

    @Test
    void theOverlayShowsTheLayersTopFirstAndKeepsWritesInUpper() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("layers/top/data"));
        Files.writeString(top.resolve("file"), "top\n");
        Files.writeString(Files.createDirectories(busyboxLayer.resolve("data")).resolve("file"), "bottom\n");
        String id = newId();
        runtime.prepare(id, List.of(top.getParent(), busyboxLayer));
        Path dir = runtime.containerDir(id);
        Path rootfs = dir.resolve("rootfs");

        assertTrue(MountTable.isMountPoint(rootfs));
        assertEquals("top\n", Files.readString(rootfs.resolve("data/file")));
        assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));
        Files.writeString(rootfs.resolve("from-host"), "x");
        assertTrue(Files.exists(dir.resolve("upper/from-host")));
        assertFalse(Files.exists(top.getParent().resolve("from-host")));

        runtime.start(request(id, "sh", "-c", "echo written > /from-container && rm /data/file"));
        assertEquals(0, awaitExit(id).exitCode());
        assertEquals("written\n", Files.readString(dir.resolve("upper/from-container")));
        assertFalse(Files.exists(rootfs.resolve("data/file")));
        assertEquals("top\n", Files.readString(top.resolve("file")), "deleting in the container must not touch a layer");
        assertEquals("bottom\n", Files.readString(busyboxLayer.resolve("data/file")));
    }

    @Test
    void anImageWithoutLayersGetsAnEmptyRoot() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of());
        Path rootfs = runtime.containerDir(id).resolve("rootfs");
        assertTrue(MountTable.isMountPoint(rootfs));
        try (Stream<Path> entries = Files.list(rootfs)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void aLayerStackTooLongForOnePageIsMountedThroughShortLinksAndRemountedAtStart() throws Exception {
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Path layer = Files.createDirectories(tmp.resolve("layers").resolve(String.format("%03d-", i) + "x".repeat(90)));
            Files.writeString(layer.resolve("f" + i), "");
            Files.writeString(layer.resolve("shadow"), i + "\n");
            layers.add(layer);
        }
        layers.add(busyboxLayer);
        assertTrue(layers.stream().mapToInt(p -> p.toString().length() + 1).sum() > 4096, "the test needs a long lowerdir");
        String id = newId();
        runtime.prepare(id, layers);
        Path rootfs = runtime.containerDir(id).resolve("rootfs");
        assertTrue(Files.isSymbolicLink(runtime.containerDir(id).resolve("l/0")), "the short form was not used");
        assertEquals("0\n", Files.readString(rootfs.resolve("shadow")), "the first layer is the top one");
        for (int i = 0; i < 60; i++) {
            assertTrue(Files.exists(rootfs.resolve("f" + i)), "f" + i);
        }

        // as after a reboot: the mount is gone, start mounts it again from the recorded layers
        assertEquals(0, LinuxCalls.libc().umount2(rootfs.toString(), 0));
        runtime.start(request(id, "sh", "-c", "cat /shadow; ls /f59"));
        assertEquals(0, awaitExit(id).exitCode());
        assertTrue(MountTable.isMountPoint(rootfs));
        assertTrue(Files.readString(runtime.logFile(id)).contains(" stdout F 0\n"));

        runtime.remove(id);
        for (int i = 0; i < 60; i++) {
            assertTrue(Files.exists(layers.get(i).resolve("f" + i)), "removing the container must keep the layers");
        }
    }

    @Test
    void aContainerWhoseShimAndProcessWereKilledIsGone() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        long pid = runtime.start(request(id, "sleep", "100"));
        long shimPid = shimPid(id);

        kill9(shimPid);
        kill9(pid);
        ProcessState state = runtime.state(id);
        ProcessState.Gone gone = assertInstanceOf(ProcessState.Gone.class, state);
        assertEquals("tally-shim is gone and left no exit status", gone.reason());

        // and runc lost its record as well: the cgroup directories are only the runtime's to remove
        assertFalse(cgroupDirs(id).isEmpty());
        deleteTree(dataRoot.resolve("runc").resolve(id));
        runtime.remove(id);
        assertEquals(List.of(), cgroupDirs(id));
        assertFalse(runcList().contains(id));
        assertFalse(Files.exists(runtime.containerDir(id)));
    }

    @Test
    void exitsAreNotifiedWhileTallydIsUpAndReadFromExitJsonAfterARestart() throws Exception {
        String first = newId();
        runtime.prepare(first, List.of(busyboxLayer));
        runtime.start(request(first, "sh", "-c", "exit 4"));
        assertEquals(4, awaitExit(first).exitCode());

        String second = newId();
        runtime.prepare(second, List.of(busyboxLayer));
        runtime.start(request(second, "sh", "-c", "sleep 1; exit 5"));
        runtime.close(); // tallyd goes down
        Path exitJson = runtime.containerDir(second).resolve("shim/exit.json");
        awaitFile(exitJson);

        // and crashes, leaving its socket file behind
        Path socket = dataRoot.resolve("run/shim-notify.sock");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));

        runtime = newRuntime();
        ExitStatus exit = assertInstanceOf(ProcessState.Exited.class, runtime.state(second)).status();
        assertEquals(5, exit.exitCode());
        assertTrue(exits.stream().noneMatch(e -> e.id().equals(second)), "nobody listened when it exited");

        String third = newId();
        runtime.prepare(third, List.of(busyboxLayer));
        runtime.start(request(third, "sh", "-c", "exit 6"));
        assertEquals(6, awaitExit(third).exitCode());
    }

    @Test
    void theContainerHasItsOwnHostnameHostsAndResolvConf() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        StartRequest request = request(id, "sh", "-c", "hostname; cat /etc/hostname /etc/hosts /etc/resolv.conf");
        runtime.start(request);
        assertEquals(0, awaitExit(id).exitCode());

        String log = Files.readString(runtime.logFile(id));
        assertTrue(log.contains(" stdout F " + request.hostname() + "\n"), log);
        assertTrue(log.contains(" stdout F 127.0.0.1\tlocalhost\n"), log);
        assertTrue(log.contains(" stdout F 127.0.0.1\t" + request.hostname() + "\n"), log);
        String expectedResolv = ContainerEtcFiles.resolvConf(Files.readString(Path.of("/etc/resolv.conf")));
        assertEquals(expectedResolv, Files.readString(runtime.containerDir(id).resolve("resolv.conf")));
        for (String line : expectedResolv.lines().toList()) {
            assertTrue(log.contains(" stdout F " + line + "\n"), line + " in " + log);
        }
        // runc makes an empty mount point where the image has none; the content is never the container's change
        Path mountPoint = runtime.containerDir(id).resolve("upper/etc/hosts");
        assertTrue(!Files.exists(mountPoint) || Files.size(mountPoint) == 0);
    }

    @Test
    void aTtyContainerLogsItsTerminalOutput() throws Exception {
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        StartRequest plain = request(id, "tty");
        runtime.start(new StartRequest(id, plain.hostname(), plain.args(), plain.env(), plain.workingDir(), plain.user(),
                true, true, true, false, List.of(), List.of(), ContainerRuntime.Resources.NONE, List.of(), false, 0, 0, List.of(), true));
        assertEquals(0, awaitExit(id).exitCode());
        assertTrue(Files.readString(runtime.logFile(id)).contains(" stdout F /dev/pts/0\r\n"),
                Files.readString(runtime.logFile(id)));
    }

    @Test
    void unknownAndNotYetStartedContainersAreNotCreated() throws Exception {
        assertEquals(new ProcessState.NotCreated(), runtime.state("never-heard-of"));
        DomainException unprepared = assertThrows(DomainException.class, () -> runtime.start(request("never-heard-of", "true")));
        assertEquals(DomainException.Kind.INVALID_CONFIG, unprepared.kind());
        assertEquals(DomainException.Kind.NOT_RUNNING,
                assertThrows(DomainException.class, () -> runtime.kill("never-heard-of", 9)).kind());

        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        assertEquals(new ProcessState.NotCreated(), runtime.state(id));
        assertEquals(List.of(id), runtime.containerIdsOnDisk());
        DomainException twice = assertThrows(DomainException.class, () -> runtime.prepare(id, List.of(busyboxLayer)));
        assertEquals(DomainException.Kind.INVALID_CONFIG, twice.kind());
        assertTrue(MountTable.isMountPoint(runtime.containerDir(id).resolve("rootfs")), "the first prepare's mount stays");

        DomainException missingLayer = assertThrows(DomainException.class,
                () -> runtime.prepare(newId(), List.of(tmp.resolve("no-such-layer"))));
        assertEquals(DomainException.Kind.HOST_ERROR, missingLayer.kind());
        assertEquals(List.of(id), runtime.containerIdsOnDisk(), "a failed prepare leaves no directory");
    }

    @Test
    void aFailedMountLeavesNoDirectory() throws Exception {
        String id = newId();
        // overlay refuses procfs as a layer (its dentries revalidate)
        DomainException failure = assertThrows(DomainException.class, () -> runtime.prepare(id, List.of(Path.of("/proc"))));
        assertEquals(DomainException.Kind.HOST_ERROR, failure.kind());
        assertTrue(failure.getMessage().startsWith("mounting the overlay root filesystem of container " + id),
                failure.getMessage());
        assertFalse(Files.exists(runtime.containerDir(id), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(runtime.containerDir(id)));
    }

    @Test
    void execSessionsRunInTheContainerAndReportTheirOwnExits() throws Exception {
        ExecRuntime execs = runtime.execs();
        BlockingQueue<Object[]> execExits = new LinkedBlockingQueue<>();
        execs.onExecExit((containerId, execId, status) -> execExits.add(new Object[] {containerId, execId, status}));
        List<String> hooked = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.beforeStart((sessionId, socket) -> hooked.add(sessionId));
        String id = newId();
        runtime.prepare(id, List.of(busyboxLayer));
        runtime.start(request(id, "sleep", "100"));

        String execId = "e".repeat(64);
        long pid = execs.exec(new ExecRuntime.ExecRequest(id, execId, List.of("sh", "-c", "exit 9"), List.of("X=1"),
                "/", "", false, false, false));
        assertTrue(pid > 0);
        assertTrue(hooked.contains(execId), "attachers are called with the exec's id before it starts: " + hooked);

        Object[] exit = execExits.poll(20, TimeUnit.SECONDS);
        assertNotNull(exit, "no exec exit reached the listener");
        assertEquals(id, exit[0]);
        assertEquals(execId, exit[1]);
        assertEquals(9, ((ExitStatus) exit[2]).exitCode());
        assertInstanceOf(ProcessState.Running.class, runtime.state(id), "an exec's exit is not the container's");
        assertTrue(exits.stream().noneMatch(e -> e.id().equals(id)));
        ProcessState after = execs.execState(id, execId);
        assertInstanceOf(ProcessState.Exited.class, after);
        assertEquals(9, ((ProcessState.Exited) after).status().exitCode());

        DomainException missing = assertThrows(DomainException.class, () -> execs.exec(new ExecRuntime.ExecRequest(id,
                "f".repeat(64), List.of("no-such-command"), List.of(), "", "", false, false, false)));
        assertEquals(DomainException.Kind.START_FAILED, missing.kind());
        assertTrue(missing.getMessage().contains("executable file not found"), missing.getMessage());

        String longRunner = "a".repeat(64);
        execs.exec(new ExecRuntime.ExecRequest(id, longRunner, List.of("sleep", "100"), List.of(), "", "", false, false, false));
        runtime.remove(id);
        assertFalse(Files.exists(runtime.containerDir(id)), "the container's directory, exec sessions included, is gone");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().arguments().map(a -> String.join(" ", a).contains(longRunner))
                .orElse(false)), "no exec shim outlives its container");
    }

    @Test
    void aShimWhoseSocketPathIsTooLongForAnAddressIsReachedThroughItsWorkingDirectory() throws Exception {
        String id = newId(); // 64 digits put the socket path under the test's data root past an address's 107 bytes
        assertTrue(runtime.containerDir(id).resolve("shim/shim.sock").toString().length() > 107);
        runtime.prepare(id, List.of(busyboxLayer));
        long pid = runtime.start(request(id, "sleep", "100"));
        assertEquals(new ProcessState.Running(pid, false), runtime.state(id));
        runtime.remove(id);
        assertGone(pid);
    }

    // -------------------------------------------------------------------- helpers

    private HostContainerRuntime newRuntime() throws IOException {
        OciBundleWriter production = new OciBundleWriter(OciSpecBuilder.forThisHost());
        BundleWriter editing = (bundleDir, request, rootfs, cgroupsPath) -> {
            production.write(bundleDir, request, rootfs, cgroupsPath);
            try {
                Path config = bundleDir.resolve("config.json");
                ObjectNode json = (ObjectNode) JSON.readTree(config.toFile());
                configEdit.accept(json);
                JSON.writeValue(config.toFile(), json);
            } catch (IOException e) {
                throw new DomainException(DomainException.Kind.HOST_ERROR, e.toString(), e);
            }
        };
        HostContainerRuntime created = new HostContainerRuntime(dataRoot, SHIM, RUNC, editing, executor);
        created.onExit((id, status) -> exits.add(new Exit(id, status)));
        return created;
    }

    private static void withoutPidNamespace(ObjectNode config) {
        ArrayNode namespaces = (ArrayNode) config.get("linux").get("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).path("type").asText().equals("pid")) {
                namespaces.remove(i);
            }
        }
    }

    private String newId() {
        // Docker's id form: the production bundle writer refuses any other
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        ids.add(id);
        return id;
    }

    private static StartRequest request(String id, String... args) {
        return new StartRequest(id, "h-" + id.substring(3, 11), List.of(args), List.of("PATH=/bin"), "/", "",
                false, false, false, false, List.of(), List.of(), ContainerRuntime.Resources.NONE, List.of(), false, 0, 0, List.of(), true);
    }

    private ExitStatus awaitExit(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Exit> others = new ArrayList<>();
        try {
            while (System.nanoTime() < deadline) {
                Exit exit = exits.poll(100, TimeUnit.MILLISECONDS);
                if (exit != null && exit.id().equals(id)) {
                    return exit.status();
                }
                if (exit != null) {
                    others.add(exit);
                }
            }
        } finally {
            exits.addAll(others);
        }
        throw new AssertionError("no exit of " + id + " reached the listener");
    }

    private long shimPid(String id) {
        return ShimProcesses.readPid(runtime.containerDir(id).resolve("shim/shim.pid"))
                .orElseThrow(() -> new AssertionError("no shim.pid for " + id));
    }

    private List<String> runcList() throws Exception {
        CommandRunner.Result list = run(RUNC, "--root", dataRoot.resolve("runc").toString(), "list", "-q");
        assertEquals(0, list.exitCode(), list.stderr());
        return list.stdout().lines().toList();
    }

    /** Every cgroup directory of the container, on v1 (one per hierarchy) and v2. */
    private static List<Path> cgroupDirs(String id) throws IOException {
        List<Path> found = new ArrayList<>();
        Path root = Path.of("/sys/fs/cgroup");
        if (Files.isDirectory(root.resolve("tally").resolve(id))) {
            found.add(root.resolve("tally").resolve(id));
        }
        try (Stream<Path> hierarchies = Files.list(root)) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve("tally").resolve(id);
                if (Files.isDirectory(dir)) {
                    found.add(dir);
                }
            }
        }
        return found;
    }

    private static void kill9(long pid) throws Exception {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        handle.destroyForcibly();
        assertGone(pid);
    }

    private static void assertGone(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            // a zombie is dead; this host's init may take a while to reap it
            if (ProcStat.isLive(pid)) {
                sleep(50);
            } else {
                return;
            }
        }
        throw new AssertionError("process " + pid + " is still there");
    }

    private static void awaitFile(Path file) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, "no " + file);
            sleep(50);
        }
    }

    /** When remove() itself failed: undo by other means, so that one broken test does not break the host. */
    private void forceCleanUp(String id) throws Exception {
        Path dir = dataRoot.resolve("containers").resolve(id);
        ShimProcesses.readPid(dir.resolve("shim/shim.pid")).flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().orElse("").endsWith("tally-shim"))
                .ifPresent(ProcessHandle::destroyForcibly);
        run(RUNC, "--root", dataRoot.resolve("runc").toString(), "delete", "--force", id);
        for (Path mount : MountTable.mountPointsAtOrUnder(dir)) {
            LinuxCalls.libc().umount2(mount.toString(), LinuxCalls.MNT_DETACH);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static CommandRunner.Result run(String... command) throws IOException {
        return CommandRunner.run(List.of(command), Duration.ofSeconds(30));
    }

    private static Path busyboxLayer(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        return dir;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
