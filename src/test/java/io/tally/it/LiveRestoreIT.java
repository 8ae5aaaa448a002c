package io.tally.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Containers outlive a kill -9 of tallyd; at its next start it re-adopts them and records what happened meanwhile. */
class LiveRestoreIT {
    @TempDir
    Path tmp;

    @Test
    void runningContainersSurviveAndExitsWhileDownAreRecorded() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create()) {
            Path socket = tmp.resolve("t.sock");
            String[] args = {"--data-root", tmp.resolve("root").toString(), "--db-url", db.url(), "--kafka=off"};
            TallyProcess first = TallyProcess.start(socket, tmp.resolve("1.log"), args);
            DockerCli docker = new DockerCli(socket, tmp);
            BusyboxImage.loadInto(docker);
            docker.run("run", "-d", "--name", "survivor", "bb", "sh", "-c", "while true; do sleep 1; done").assertOk();
            String quitterId = docker.run("run", "-d", "--name", "quitter", "bb", "sh", "-c", "sleep 2; exit 7").assertOk().stdout().trim();
            String pid = docker.run("inspect", "-f", "{{.State.Pid}}", "survivor").assertOk().stdout().trim();
            String survivorId = docker.run("inspect", "-f", "{{.Id}}", "survivor").assertOk().stdout().trim();
            docker.run("exec", "-d", "survivor", "sleep", "2").assertOk(); // ends while tallyd is down
            docker.run("run", "-d", "--name", "chatty", "bb", "sh", "-c",
                    "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2; sleep 1000").assertOk();
            docker.run("run", "-d", "--name", "rotated", "--log-opt", "max-size=2k", "--log-opt", "max-file=2", "bb", "sh", "-c",
                    "i=1; while [ $i -le 400 ]; do echo rotated-line-$i; i=$((i+1)); done; sleep 1000").assertOk();
            for (int i = 0; i < 100 && !docker.run("logs", "rotated").stdout().contains("rotated-line-400"); i++) {
                Thread.sleep(100);
            }

            first.kill();
            Thread.sleep(3500); // the quitter exits while no tallyd is there to hear it
            assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "the container outlived tallyd");

            TallyProcess second = TallyProcess.start(socket, tmp.resolve("2.log"), args);
            try {
                assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", "survivor").assertOk().stdout().trim());
                assertEquals(pid, docker.run("inspect", "-f", "{{.State.Pid}}", "survivor").assertOk().stdout().trim());
                assertEquals("exited 7", docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "quitter").assertOk().stdout().trim());
                assertLogsSurvived(docker, tmp.resolve("root"));
                docker.run("stop", "-t", "1", "survivor").assertOk();
                assertEquals("exited", docker.run("inspect", "-f", "{{.State.Status}}", "survivor").assertOk().stdout().trim());
                try (Connection c = db.connect()) {
                    List<String> quitter = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(quitterId))
                            .map(StoredEvents.Row::simpleType).toList();
                    assertEquals(List.of("ContainerCreated", "ContainerStarted", "ContainerDied"), quitter);
                    assertTrue(StoredEvents.types(c).contains("EngineCrashDetected"));
                    List<String> survivor = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(survivorId))
                            .map(StoredEvents.Row::simpleType).toList();
                    assertTrue(survivor.contains("ExecDied"), "the exec that ended while tallyd was down is recorded: " + survivor);
                }
                docker.run("rm", "-f", "survivor", "quitter", "chatty", "rotated").assertOk();
            } finally {
                docker.removeAllContainers();
                second.stop();
            }
        }
    }

    private static void assertLogsSurvived(DockerCli docker, Path dataRoot) throws Exception {
        DockerCli.Result all = docker.run("logs", "chatty").assertOk();
        assertEquals("line1\nline2\nline3\nline4\nline5\n", all.stdout());
        assertEquals("oops\n", all.stderr());
        assertEquals(List.of("line5"), docker.run("logs", "--tail", "2", "chatty").assertOk().stdout().lines().toList());
        assertEquals(List.of("line4", "line5"), docker.run("logs", "--tail", "3", "chatty").assertOk().stdout().lines().toList());
        String stamped = docker.run("logs", "-t", "chatty").assertOk().stdout();
        assertTrue(stamped.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z line\\d")), stamped);
        assertEquals("", docker.run("logs", "--since", "2099-01-01T00:00:00Z", "chatty").assertOk().stdout());
        assertEquals(6, docker.run("logs", "--since", "2000-01-01T00:00:00Z", "chatty").stdout().lines().count()
                + docker.run("logs", "--since", "2000-01-01T00:00:00Z", "chatty").stderr().lines().count());

        // rotation: at most max-file files of about max-size each; the newest lines kept, contiguous, the oldest dropped
        List<String> rotated = docker.run("logs", "rotated").assertOk().stdout().lines().toList();
        assertEquals("rotated-line-400", rotated.getLast());
        assertEquals(List.of("rotated-line-399", "rotated-line-400"), docker.run("logs", "--tail", "2", "rotated").assertOk().stdout().lines().toList());
        assertTrue(rotated.size() < 400 && !rotated.contains("rotated-line-1"), "old lines were rotated away: " + rotated.size());
        int first = Integer.parseInt(rotated.getFirst().substring("rotated-line-".length()));
        for (int i = 0; i < rotated.size(); i++) {
            assertEquals("rotated-line-" + (first + i), rotated.get(i));
        }
        String id = docker.run("inspect", "-f", "{{.Id}}", "rotated").assertOk().stdout().trim();
        try (var files = java.nio.file.Files.list(dataRoot.resolve("containers").resolve(id))) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith("container.log")).toList();
            assertEquals(2, logs.size(), logs.toString());
            for (Path f : logs) {
                assertTrue(java.nio.file.Files.size(f) <= 2048, f + " is " + java.nio.file.Files.size(f) + " bytes");
            }
        }
    }
}
