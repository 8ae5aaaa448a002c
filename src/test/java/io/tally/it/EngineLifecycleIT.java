package io.tally.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Engine aggregate's audit trail across graceful stops and kill -9; and refusal of bad options. */
class EngineLifecycleIT {
    @TempDir
    Path tmp;

    @Test
    void gracefulStopAndCrashAreBothRecorded() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            Path socket = tmp.resolve("t.sock");
            String[] args = {"--data-root", tmp.resolve("root").toString(), "--db-url", db.url(), "--kafka=off"};

            TallyProcess first = TallyProcess.start(socket, tmp.resolve("1.log"), args);
            int code = first.stop();
            assertTrue(code == 0 || code == 143, "graceful exit after SIGTERM, got " + code + "\n" + first.logText());
            assertFalse(Files.exists(socket), "socket removed on graceful stop");

            TallyProcess second = TallyProcess.start(socket, tmp.resolve("2.log"), args);
            second.kill();
            assertTrue(Files.exists(socket), "a killed tallyd leaves its socket behind");

            TallyProcess third = TallyProcess.start(socket, tmp.resolve("3.log"), args);
            third.stop();

            try (Connection c = db.connect()) {
                List<StoredEvents.Row> rows = StoredEvents.all(c);
                assertEquals(List.of("EngineStarted", "EngineStopped", "EngineStarted", "EngineCrashDetected", "EngineStarted", "EngineStopped"),
                        rows.stream().map(StoredEvents.Row::simpleType).toList());
                assertEquals(1, rows.stream().map(StoredEvents.Row::aggregateId).distinct().count(), "one engine id per data root");
                StoredEvents.Row crash = rows.get(3);
                assertTrue(crash.payload().contains("\"previousPid\":" + second.pid()), crash.payload());
                for (int i = 0; i < rows.size(); i++) {
                    assertEquals(i, rows.get(i).sequence());
                }
            }
        }
    }

    @Test
    void anotherTallydOnTheSameSocketIsRefused() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            Path socket = tmp.resolve("t.sock");
            try (TallyProcess running = TallyProcess.start(socket, tmp.resolve("1.log"),
                    "--data-root", tmp.resolve("root").toString(), "--db-url", db.url(), "--kafka=off")) {
                Result r = runTallyd("-H", "unix://" + socket, "--data-root", tmp.resolve("root2").toString(),
                        "--db-url", db.url(), "--kafka=off");
                assertNotEquals(0, r.code);
                assertTrue(r.output.contains("another daemon is already listening on unix://" + socket), r.output);
                assertTrue(TallyProcess.ping(socket), "the first daemon keeps serving");
            }
        }
    }

    @Test
    void malformedHostIsRefusedWithOneClearLine() throws Exception {
        for (String bad : List.of("foo", "http://127.0.0.1:2375", "unix://relative.sock", "tcp://127.0.0.1:99999")) {
            Result r = runTallyd("-H", bad, "--data-root", tmp.resolve("root").toString());
            assertEquals(2, r.code, bad + " → " + r.output);
            assertEquals(1, r.output.strip().lines().count(), r.output);
            assertTrue(r.output.startsWith("tallyd: invalid -H value \"" + bad + "\""), r.output);
        }
        Result remote = runTallyd("-H", "tcp://0.0.0.0:2375", "--data-root", tmp.resolve("root").toString());
        assertEquals(2, remote.code);
        assertTrue(remote.output.startsWith("tallyd: refusing -H tcp://0.0.0.0:2375: tcp is limited to loopback"), remote.output);
    }

    @Test
    void helpDescribesTheOptions() throws Exception {
        Result r = runTallyd("--help");
        assertEquals(0, r.code);
        for (String option : List.of("--host", "--data-root", "--db-url", "--kafka-bootstrap", "--kafka", "--group", "--debug")) {
            assertTrue(r.output.contains(option), option + " missing from:\n" + r.output);
        }
    }

    record Result(int code, String output) {
    }

    private static Result runTallyd(String... args) throws Exception {
        Process p = new ProcessBuilder(TallyProcess.command(args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }
}
