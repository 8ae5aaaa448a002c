package io.tally.runtime.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives the real tally-shim binary (target/native/tally-shim, built by make in the compile phase) against
 * the real runc with busybox bundles. Needs root, runc and busybox-static: fails, never skips, without them.
 * The shim's contract is src/native/README.md.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TallyShimTest {
    private static final Path SHIM = Path.of(System.getProperty("tally.shim.binary", "target/native/tally-shim"))
            .toAbsolutePath();
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String[] APPLETS = {"sh", "echo", "cat", "sleep", "seq", "ls", "true", "false", "stty", "tty",
            "printf", "dd", "head", "tr"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CRI = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z) (stdout|stderr) ([FP]) (.*)$", Pattern.DOTALL);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shim-test-watchdog");
        t.setDaemon(true);
        return t;
    });
    /** Blocking helpers get their own threads (the common pool may have a single thread on 2 cores). */
    private static final java.util.concurrent.ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "shim-test-io");
        t.setDaemon(true);
        return t;
    });
    private static String runc;

    @TempDir
    Path tmp;

    @BeforeAll
    static void prerequisites() throws Exception {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
        assertEquals("0", uid, "TallyShimTest needs root (runc creates containers)");
        runc = findOnPath("runc").orElseThrow(() -> new AssertionError("runc is not installed (bin/install-deps)"))
                .toString();
        assertTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed (/bin/busybox)");
        assertTrue(Files.isExecutable(SHIM), SHIM + " is missing: it is built by `make -C src/native` in ./mvnw compile");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void stdoutAndStderrAreFramedForAnEarlyAttacherAndLoggedInCriFormat() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path bundle = bundle("b", List.of("sh", "-c",
                    "echo out; echo err >&2; printf partial; sleep 0.3; head -c 20000 /dev/zero | tr '\\0' x; echo"), false, null);
            Path state = tmp.resolve("state");
            Shim shim = c.start(id, bundle, state);
            assertTrue(command(state, "STATUS").matches("CREATED [1-9]\\d*\n"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(state.resolve("shim.sock"))));
            assertEquals(String.valueOf(shim.pid), Files.readString(state.resolve("shim.pid")).trim());
            assertEquals("ERR not a tty\n", command(state, "RESIZE 40 120"));
            assertEquals("ERR unknown command\n", command(state, "FROB"));
            String line20k = "x".repeat(20000);
            try (Attach a = new Attach(state, false, true, true)) {
                assertTrue(command(state, "START").matches("OK [1-9]\\d*\n"));
                assertEquals("ERR already started\n", command(state, "START"));
                a.readToEnd();
                assertEquals("out\npartial" + line20k + "\n", a.text(1));
                assertEquals("err\n", a.text(2));
                assertEquals("exit 0", a.finalStatus());
            }
            JsonNode exit = awaitExitJson(state);
            assertEquals(0, exit.get("exitCode").asInt());

            List<Record> log = readLog(state.resolve("container.log"));
            assertFalse(log.isEmpty());
            assertTrue(log.contains(new Record("stdout", 'F', "out")), log.toString());
            assertTrue(log.contains(new Record("stdout", 'P', "partial")), log.toString());
            assertTrue(log.contains(new Record("stderr", 'F', "err")), log.toString());
            for (Record r : log) {
                assertTrue(r.content.length() <= 16384, "record longer than 16 KiB");
            }
            assertEquals(List.of("out", "partial" + line20k), lines(log, "stdout"));
            assertEquals(List.of("err"), lines(log, "stderr"));

            // after the exit the shim goes away by itself: runc state deleted, socket removed
            awaitGone(shim);
            assertFalse(Files.exists(state.resolve("shim.sock")));
            assertNotEquals(0, run(runc, "state", id).exit, "the shim should have run `runc delete`");
        }
    }

    @Test
    void exitCodeIsRecordedReportedAndNotified() throws Exception {
        try (Cleanup c = new Cleanup(); Notify notify = new Notify(tmp.resolve("notify.sock"))) {
            String id = c.newId();
            Path bundle = bundle("b", List.of("sh", "-c", "exit 3"), false, null);
            Path state = tmp.resolve("state");
            c.start(id, bundle, state, "--notify-socket", notify.path.toString());
            try (Attach a = new Attach(state, false, true, true)) {
                command(state, "START");
                a.readToEnd();
                assertEquals("exit 3", a.finalStatus());
            }
            JsonNode exit = awaitExitJson(state);
            assertEquals(3, exit.get("exitCode").asInt());
            assertEquals(0, exit.get("signal").asInt());
            assertFalse(exit.get("oomKilled").asBoolean());
            assertTrue(exit.get("pid").asInt() > 0);
            assertTrue(exit.get("exitedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"));
            assertTrue(command(state, "STATUS").matches("EXITED 3 0 0 \\d{4}-[0-9T:.-]+Z\n"));
            assertEquals("EXIT " + id + " 3\n", notify.next());
        }
    }

    @Test
    void processKilledBySignal9Exits137() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            c.start(id, bundle("b", List.of("sleep", "100"), false, null), state);
            try (Attach a = new Attach(state, false, true, true)) {
                String ok = command(state, "START");
                assertTrue(ok.startsWith("OK "), ok);
                assertEquals("RUNNING " + ok.substring(3), command(state, "STATUS"));
                assertEquals(0, run(runc, "kill", id, "KILL").exit);
                a.readToEnd();
                assertEquals("signal 9", a.finalStatus());
            }
            JsonNode exit = awaitExitJson(state);
            assertEquals(137, exit.get("exitCode").asInt());
            assertEquals(9, exit.get("signal").asInt());
            assertTrue(command(state, "STATUS").startsWith("EXITED 137 9 0 "));
            assertEquals("ERR no running process\n", command(state, "KILL 9"));
        }
    }

    @Test
    void stdinRoundTripWithStdinOnce() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            c.start(id, bundle("b", List.of("cat"), false, null), state, "--stdin", "--stdin-once");
            try (Attach a = new Attach(state, true, true, true)) {
                command(state, "START");
                a.send("hello\n");
                a.send("world\n");
                a.closeInput();
                a.readToEnd();
                assertEquals("hello\nworld\n", a.text(1));
                assertEquals("exit 0", a.finalStatus());
            }
        }
    }

    @Test
    void withoutStdinOnceAnAttacherEofKeepsStdinOpenUntilCloseStdin() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            c.start(id, bundle("b", List.of("cat"), false, null), state, "--stdin");
            command(state, "START");
            try (Attach a = new Attach(state, true, true, false)) {
                a.send("one\n");
                a.closeInput();
                Thread.sleep(700);
                assertTrue(command(state, "STATUS").startsWith("RUNNING "), "cat must still be running");
                // a second attacher's input goes to the same stdin
                try (Attach b = new Attach(state, true, false, false)) {
                    b.send("two\n");
                    Thread.sleep(300);
                    assertEquals("OK\n", command(state, "CLOSE_STDIN"));
                    a.readToEnd();
                    b.readToEnd();
                    assertEquals("one\ntwo\n", a.text(1));
                    assertEquals("", b.text(1));
                    assertEquals("exit 0", a.finalStatus());
                    assertEquals("exit 0", b.finalStatus());
                }
            }
        }
    }

    @Test
    void ttyModeAppliesResizeBeforeStart() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            c.start(id, bundle("b", List.of("sh", "-c", "stty size; tty"), true, null), state, "--tty");
            assertEquals("OK\n", command(state, "RESIZE 40 120"));
            try (Attach a = new Attach(state, false, true, true)) {
                command(state, "START");
                a.readToEnd();
                String out = a.text(1);
                assertTrue(out.contains("40 120"), out);
                assertTrue(out.contains("/dev/pts/"), out);
                assertEquals("", a.text(2), "TTY output is all stream 1");
                assertEquals("exit 0", a.finalStatus());
            }
            List<Record> log = readLog(state.resolve("container.log"));
            assertTrue(log.contains(new Record("stdout", 'F', "40 120\r")), log.toString());
        }
    }

    @Test
    void ttyStdinIsForwardedThroughThePty() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            c.start(id, bundle("b", List.of("sh", "-c", "read line; echo got:$line"), true, null), state,
                    "--tty", "--stdin", "--stdin-once");
            try (Attach a = new Attach(state, true, true, false)) {
                command(state, "START");
                a.send("hi\n");
                a.readToEnd();
                assertTrue(a.text(1).contains("got:hi"), a.text(1));
                assertEquals("exit 0", a.finalStatus());
            }
        }
    }

    @Test
    void twoAttachersBothReceiveAllOutput() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            c.start(id, bundle("b", List.of("seq", "1", "5000"), false, null), state);
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= 5000; i++) {
                expected.append(i).append('\n');
            }
            try (Attach a = new Attach(state, false, true, true); Attach b = new Attach(state, false, true, false)) {
                command(state, "START");
                a.readToEnd();
                b.readToEnd();
                assertEquals(expected.toString(), a.text(1));
                assertEquals(expected.toString(), b.text(1));
                assertEquals("exit 0", a.finalStatus());
                assertEquals("exit 0", b.finalStatus());
            }
        }
    }

    @Test
    void aSlowAttacherIsDroppedWithoutBlockingTheContainerOrOthers() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            // about 2.3 MB at a pace a reading client keeps up with; the slow one never reads
            c.start(id, bundle("b", List.of("sh", "-c", "for i in $(seq 1 600); do seq 1 1000; done"), false, null),
                    state);
            String expected = ("1\n" + String.join("\n", java.util.stream.IntStream.rangeClosed(2, 1000)
                    .mapToObj(String::valueOf).toList()) + "\n").repeat(600);
            try (Attach slow = new Attach(state, false, true, true); Attach fast = new Attach(state, false, true, true)) {
                command(state, "START");
                fast.readToEnd();
                assertEquals(expected.length(), fast.text(1).length());
                assertEquals(expected, fast.text(1));
                assertEquals("exit 0", fast.finalStatus());
                awaitExitJson(state);
                slow.readToEnd();
                assertTrue(slow.text(1).length() < expected.length(), "the slow attacher should have been dropped");
                assertEquals(null, slow.finalStatus(), "a dropped attacher gets no final frame");
            }
            List<String> logged = lines(readLog(state.resolve("container.log")), "stdout");
            assertEquals(600_000, logged.size());
            assertEquals("1000", logged.get(599_999));
        }
    }

    @Test
    void runcCreateFailureIsReportedWithRuncsText() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            Path bundle = bundle("b", List.of("no-such-binary-xyz"), false, null);
            Result r = launch(List.of("--id", id, "--bundle", bundle.toString(), "--state-dir", state.toString()));
            assertEquals(3, r.exit, r.toString());
            assertEquals("", r.stdout);
            assertTrue(r.stderr.contains("no-such-binary-xyz"), r.stderr);
            String text = Files.readString(state.resolve("create-error"));
            assertTrue(text.contains("exec: \"no-such-binary-xyz\": executable file not found in $PATH"), text);
            assertFalse(Files.exists(state.resolve("shim.sock")));
            assertNotEquals(0, run(runc, "state", id).exit);
        }
    }

    @Test
    void badArgumentsExit2() throws Exception {
        Result r = launch(List.of("--bundle", tmp.toString(), "--state-dir", tmp.resolve("s").toString()));
        assertEquals(2, r.exit);
        assertTrue(r.stderr.contains("--id is required"), r.stderr);
        r = launch(List.of("--id", "x", "--state-dir", tmp.resolve("s").toString(), "--bogus"));
        assertEquals(2, r.exit);
        assertTrue(r.stderr.contains("unknown option"), r.stderr);
        r = launch(List.of("--id", "x", "--bundle", tmp.toString(), "--state-dir", tmp.resolve("s").toString()));
        assertEquals(2, r.exit);
        assertTrue(r.stderr.contains("config.json"), r.stderr);
    }

    @Test
    void execModeRunsAProcessInARunningContainer() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path bundle = bundle("b", List.of("sleep", "100"), false, null);
            Path state = tmp.resolve("state");
            c.start(id, bundle, state);
            assertTrue(command(state, "START").startsWith("OK "));

            ObjectNode process = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile()).get("process");
            process.putArray("args").add("sh").add("-c").add("echo hello");
            Path processJson = tmp.resolve("process.json");
            JSON.writeValue(processJson.toFile(), process);
            Path execState = tmp.resolve("exec1");
            Notify notify = new Notify(tmp.resolve("notify.sock"));
            c.closeLater(notify);
            Shim exec = c.startShim(List.of("--id", id, "--state-dir", execState.toString(), "--exec",
                    processJson.toString(), "--notify-socket", notify.path.toString()));
            assertEquals("CREATED 0\n", command(execState, "STATUS"));
            try (Attach a = new Attach(execState, false, true, true)) {
                String ok = command(execState, "START");
                assertTrue(ok.matches("OK [1-9]\\d*\n"), ok);
                a.readToEnd();
                assertEquals("hello\n", a.text(1));
                assertEquals("exit 0", a.finalStatus());
            }
            assertEquals(0, awaitExitJson(execState).get("exitCode").asInt());
            assertEquals("EXEC_EXIT " + id + " 0 " + execState.toRealPath() + "\n", notify.next());
            awaitGone(exec);
            assertTrue(command(state, "STATUS").startsWith("RUNNING "), "the container keeps running");
            assertEquals(0, run(runc, "state", id).exit, "exec mode must not delete the container");

            // an exec that cannot start
            process.putArray("args").add("no-such-cmd-abc");
            Path bad = tmp.resolve("bad.json");
            JSON.writeValue(bad.toFile(), process);
            Path badState = tmp.resolve("exec2");
            c.startShim(List.of("--id", id, "--state-dir", badState.toString(), "--exec", bad.toString()));
            try (Attach a = new Attach(badState, false, true, true)) {
                String err = command(badState, "START");
                assertTrue(err.startsWith("ERR ") && err.contains("no-such-cmd-abc"), err);
                a.readToEnd();
                assertTrue(a.finalStatus().startsWith("error ") && a.finalStatus().contains("no-such-cmd-abc"));
            }
            assertTrue(Files.readString(badState.resolve("create-error")).contains("no-such-cmd-abc"));
            assertTrue(command(badState, "STATUS").startsWith("FAILED "));
            assertTrue(command(state, "STATUS").startsWith("RUNNING "));
        }
    }

    @Test
    void logIsRotatedAtMaxSize() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            Path log = tmp.resolve("logs").resolve("ctr.log");
            Files.createDirectories(log.getParent());
            c.start(id, bundle("b", List.of("seq", "1", "3000"), false, null), state,
                    "--log-path", log.toString(), "--log-max-size", "8192", "--log-max-files", "3");
            try (Attach a = new Attach(state, false, true, true)) {
                command(state, "START");
                a.readToEnd();
            }
            awaitExitJson(state);
            Path log1 = Path.of(log + ".1"), log2 = Path.of(log + ".2");
            assertTrue(Files.exists(log) && Files.exists(log1) && Files.exists(log2));
            assertFalse(Files.exists(Path.of(log + ".3")), "only 3 files in total");
            assertFalse(Files.exists(state.resolve("container.log")));
            List<Record> all = new ArrayList<>();
            for (Path p : List.of(log2, log1, log)) {
                assertTrue(Files.size(p) <= 8192, p + " is " + Files.size(p) + " bytes");
                all.addAll(readLog(p));
            }
            List<String> kept = lines(all, "stdout");
            kept = kept.subList(1, kept.size()); // the first line may have lost its start in a dropped file
            assertTrue(kept.size() > 300, "about 3 x 8 KiB of records: " + kept.size());
            int first = Integer.parseInt(kept.get(0));
            for (int i = 0; i < kept.size(); i++) {
                assertEquals(String.valueOf(first + i), kept.get(i));
            }
            assertEquals("3000", kept.get(kept.size() - 1));
        }
    }

    @Test
    void oomKillIsDetectedThroughTheCgroup() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            Path bundle = bundle("b", List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"), false,
                    cfg -> {
                        ObjectNode linux = (ObjectNode) cfg.get("linux");
                        linux.put("cgroupsPath", "/" + id);
                        ObjectNode mem = ((ObjectNode) linux.get("resources")).putObject("memory");
                        mem.put("limit", 16L << 20);
                        mem.put("swap", 16L << 20);
                    });
            c.start(id, bundle, state, "--cgroup-path", "/" + id);
            try (Attach a = new Attach(state, false, true, true)) {
                command(state, "START");
                a.readToEnd();
                assertEquals("signal 9", a.finalStatus());
            }
            JsonNode exit = awaitExitJson(state);
            assertEquals(137, exit.get("exitCode").asInt());
            assertTrue(exit.get("oomKilled").asBoolean(), exit.toString());
            assertTrue(command(state, "STATUS").startsWith("EXITED 137 9 1 "));
        }
    }

    @Test
    void shimSurvivesTheDeathOfItsStarterAndForwardsSigterm() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            Path bundle = bundle("b", List.of("sh", "-c",
                    "trap 'echo term; exit 7' TERM; while true; do sleep 0.1; done"), false, null);
            Path out = tmp.resolve("starter.out");
            List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c", "\"$@\" > \"$0\" 2>&1; exec sleep 1000",
                    out.toString(), SHIM.toString(), "--id", id, "--bundle", bundle.toString(), "--state-dir",
                    state.toString()));
            Process starter = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            long shimPid = 0;
            for (int i = 0; i < 200 && shimPid == 0; i++) {
                Matcher m = Pattern.compile("SHIM (\\d+)").matcher(Files.exists(out) ? Files.readString(out) : "");
                if (m.find()) {
                    shimPid = Long.parseLong(m.group(1));
                } else {
                    Thread.sleep(50);
                }
            }
            assertTrue(shimPid > 0, "no SHIM line from the launcher");
            c.shimPids.add(shimPid);
            // kill the starter's whole process group, as if tallyd died
            assertEquals(0, run("kill", "-KILL", "--", "-" + starter.pid()).exit);
            assertTrue(starter.waitFor(10, TimeUnit.SECONDS));
            Thread.sleep(300);
            assertTrue(ProcessHandle.of(shimPid).map(ProcessHandle::isAlive).orElse(false), "the shim died");
            assertTrue(command(state, "STATUS").startsWith("CREATED "));
            try (Attach a = new Attach(state, false, true, true)) {
                assertTrue(command(state, "START").startsWith("OK "));
                Thread.sleep(500);
                assertTrue(command(state, "STATUS").startsWith("RUNNING "));
                assertEquals(0, run("kill", "-TERM", String.valueOf(shimPid)).exit);
                a.readToEnd();
                assertEquals("term\n", a.text(1));
                assertEquals("exit 7", a.finalStatus());
            }
            assertEquals(7, awaitExitJson(state).get("exitCode").asInt());
        }
    }

    @Test
    void residentMemoryOfARunningShim() throws Exception {
        try (Cleanup c = new Cleanup()) {
            String id = c.newId();
            Path state = tmp.resolve("state");
            Shim shim = c.start(id, bundle("b", List.of("sh", "-c", "seq 1 20000; sleep 100"), false, null), state);
            try (Attach a = new Attach(state, false, true, true)) {
                command(state, "START");
                Thread.sleep(1000);
                long rss = statusKb(shim.pid, "VmRSS");
                System.out.printf("tally-shim VmRSS %d kB (RssAnon %d kB, RssFile %d kB) while running, attached, "
                                + "after 20000 lines of output%n",
                        rss, statusKb(shim.pid, "RssAnon"), statusKb(shim.pid, "RssFile"));
                assertTrue(rss > 0 && rss < 2048, "VmRSS " + rss + " kB");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    record Shim(String id, Path state, long pid) {
    }

    record Result(int exit, String stdout, String stderr) {
    }

    record Record(String stream, char kind, String content) {
    }

    /** A stand-in for tallyd's exit notification socket: collects one line per connection. */
    static final class Notify implements AutoCloseable {
        final Path path;
        private final ServerSocketChannel server;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

        Notify(Path path) throws IOException {
            this.path = path;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            THREADS.execute(() -> {
                try {
                    while (true) {
                        try (SocketChannel ch = server.accept()) {
                            lines.add(new String(readAll(ch), UTF_8));
                        }
                    }
                } catch (IOException closed) {
                    // server closed
                }
            });
        }

        String next() throws InterruptedException {
            String line = lines.poll(15, TimeUnit.SECONDS);
            assertTrue(line != null, "no notification on " + path);
            return line;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Everything a test started, undone in close() whatever happened. */
    final class Cleanup implements AutoCloseable {
        final List<String> ids = new ArrayList<>();
        final List<Long> shimPids = new ArrayList<>();
        final List<AutoCloseable> others = new ArrayList<>();

        void closeLater(AutoCloseable resource) {
            others.add(resource);
        }

        String newId() {
            byte[] b = new byte[6];
            ThreadLocalRandom.current().nextBytes(b);
            String id = "shimtest-" + HexFormat.of().formatHex(b);
            ids.add(id);
            return id;
        }

        Shim start(String id, Path bundle, Path state, String... extra) throws Exception {
            List<String> args = new ArrayList<>(List.of("--id", id, "--bundle", bundle.toString(), "--state-dir",
                    state.toString()));
            args.addAll(Arrays.asList(extra));
            return startShim(args);
        }

        Shim startShim(List<String> args) throws Exception {
            Result r = launch(args);
            assertEquals(0, r.exit, "launcher failed: " + r);
            Matcher m = Pattern.compile("SHIM (\\d+)\n").matcher(r.stdout);
            assertTrue(m.matches(), "launcher printed " + r.stdout);
            long pid = Long.parseLong(m.group(1));
            shimPids.add(pid);
            return new Shim(args.get(args.indexOf("--id") + 1), Path.of(args.get(args.indexOf("--state-dir") + 1)), pid);
        }

        @Override
        public void close() throws Exception {
            for (long pid : shimPids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            for (String id : ids) {
                run(runc, "kill", id, "KILL");
                run(runc, "delete", "--force", id);
            }
            for (long pid : shimPids) {
                Optional<ProcessHandle> ph = ProcessHandle.of(pid);
                if (ph.isPresent()) {
                    ph.get().onExit().get(10, TimeUnit.SECONDS);
                }
            }
            for (AutoCloseable r : others) {
                r.close();
            }
        }
    }

    /** An ATTACH connection; reads all frames until the shim closes it. */
    static final class Attach implements AutoCloseable {
        private final SocketChannel ch;
        private final List<int[]> streams = new ArrayList<>();
        private final List<byte[]> payloads = new ArrayList<>();

        Attach(Path state, boolean in, boolean out, boolean err) throws IOException {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(state.resolve("shim.sock")));
            ch.write(ByteBuffer.wrap(String.format("ATTACH %d %d %d\n", in ? 1 : 0, out ? 1 : 0, err ? 1 : 0)
                    .getBytes(UTF_8)));
            StringBuilder reply = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            ScheduledFuture<?> guard = WATCHDOG.schedule(this::closeQuietly, 20, TimeUnit.SECONDS);
            try {
                while (!reply.toString().endsWith("\n")) {
                    one.clear();
                    if (ch.read(one) < 0) {
                        break;
                    }
                    reply.append((char) one.get(0));
                }
            } finally {
                guard.cancel(false);
            }
            assertEquals("OK\n", reply.toString());
        }

        void send(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        void closeInput() throws IOException {
            ch.shutdownOutput();
        }

        void readToEnd() throws IOException {
            byte[] all = readAll(ch);
            int i = 0;
            while (i + 5 <= all.length) {
                int stream = all[i] & 0xff;
                int len = ByteBuffer.wrap(all, i + 1, 4).getInt();
                if (i + 5 + len > all.length) {
                    break;
                }
                streams.add(new int[]{stream});
                payloads.add(Arrays.copyOfRange(all, i + 5, i + 5 + len));
                i += 5 + len;
            }
        }

        String text(int stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < streams.size(); i++) {
                if (streams.get(i)[0] == stream) {
                    out.writeBytes(payloads.get(i));
                }
            }
            return out.toString(UTF_8);
        }

        String finalStatus() {
            for (int i = 0; i < streams.size(); i++) {
                if (streams.get(i)[0] == 3) {
                    assertEquals(streams.size() - 1, i, "the exit frame must be the last one");
                    return new String(payloads.get(i), UTF_8);
                }
            }
            return null;
        }

        private void closeQuietly() {
            try {
                ch.close();
            } catch (IOException ignored) {
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }

    /** Reads until EOF, failing after 30 s. */
    static byte[] readAll(SocketChannel ch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        ScheduledFuture<?> guard = WATCHDOG.schedule(() -> {
            try {
                ch.close();
            } catch (IOException ignored) {
            }
        }, 30, TimeUnit.SECONDS);
        try {
            while (ch.read(buf.clear()) >= 0) {
                out.write(buf.array(), 0, buf.position());
            }
        } finally {
            guard.cancel(false);
        }
        return out.toByteArray();
    }

    static String command(Path state, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(state.resolve("shim.sock")))) {
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(UTF_8)));
            return new String(readAll(ch), UTF_8);
        }
    }

    /** A bundle with a busybox rootfs and a config.json from `runc spec`, edited. */
    Path bundle(String name, List<String> args, boolean terminal, Consumer<ObjectNode> edit) throws Exception {
        Path dir = tmp.resolve(name);
        Path bin = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String a : APPLETS) {
            Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Result spec = run(runc, "spec", "--bundle", dir.toString());
        assertEquals(0, spec.exit, spec.toString());
        ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) cfg.get("process");
        process.put("terminal", terminal);
        var argv = process.putArray("args");
        args.forEach(argv::add);
        ObjectNode root = (ObjectNode) cfg.get("root");
        root.put("path", dir.resolve("rootfs").toString());
        root.put("readonly", false);
        if (edit != null) {
            edit.accept(cfg);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
        return dir;
    }

    static Result launch(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(SHIM.toString());
        cmd.addAll(args);
        return run(cmd.toArray(String[]::new));
    }

    static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        }, THREADS);
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, UTF_8), new String(err.get(), UTF_8));
    }

    static JsonNode awaitExitJson(Path state) throws Exception {
        Path f = state.resolve("exit.json");
        for (int i = 0; i < 300; i++) {
            if (Files.exists(f)) {
                return JSON.readTree(f.toFile());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no exit.json in " + state);
    }

    static void awaitGone(Shim shim) throws Exception {
        Optional<ProcessHandle> ph = ProcessHandle.of(shim.pid);
        if (ph.isPresent()) {
            ph.get().onExit().get(20, TimeUnit.SECONDS);
        }
    }

    static List<Record> readLog(Path file) throws IOException {
        List<Record> out = new ArrayList<>();
        String text = Files.readString(file);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "log must end with a newline");
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = CRI.matcher(line);
            assertTrue(m.matches(), "not a CRI log line: " + line);
            out.add(new Record(m.group(2), m.group(3).charAt(0), m.group(4)));
        }
        return out;
    }

    /** Reassembles the lines of one stream: P contents are prefixes of the next F. */
    static List<String> lines(List<Record> records, String stream) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (Record r : records) {
            if (!r.stream.equals(stream)) {
                continue;
            }
            cur.append(r.content);
            if (r.kind == 'F') {
                out.add(cur.toString());
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    static long statusKb(long pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key + ":")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/local/sbin:/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }
}
