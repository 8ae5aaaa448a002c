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

            first.kill();
            Thread.sleep(3500); // the quitter exits while no tallyd is there to hear it
            assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false), "the container outlived tallyd");

            TallyProcess second = TallyProcess.start(socket, tmp.resolve("2.log"), args);
            try {
                assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", "survivor").assertOk().stdout().trim());
                assertEquals(pid, docker.run("inspect", "-f", "{{.State.Pid}}", "survivor").assertOk().stdout().trim());
                assertEquals("exited 7", docker.run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "quitter").assertOk().stdout().trim());
                docker.run("stop", "-t", "1", "survivor").assertOk();
                assertEquals("exited", docker.run("inspect", "-f", "{{.State.Status}}", "survivor").assertOk().stdout().trim());
                try (Connection c = db.connect()) {
                    List<String> quitter = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(quitterId))
                            .map(StoredEvents.Row::simpleType).toList();
                    assertEquals(List.of("ContainerCreated", "ContainerStarted", "ContainerDied"), quitter);
                    assertTrue(StoredEvents.types(c).contains("EngineCrashDetected"));
                }
                docker.run("rm", "-f", "survivor", "quitter").assertOk();
            } finally {
                second.stop();
            }
        }
    }
}
