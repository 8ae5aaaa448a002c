package io.tally.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `docker exec` against a running container: detached, attached, piped stdin, exit codes, refusals, events. */
class ExecIT extends AgainstExternalTally {

    @AfterEach
    void cleanUp() throws Exception {
        env.removeAllContainers();
    }

    @Test
    void detachedExecChangesTheContainerAndAttachedExecSeesIt() throws Exception {
        String id = out("run", "-d", "--name", "target", "bb", "sleep", "1000");
        docker.run("exec", "-d", "target", "touch", "/etc/new_config_file").assertOk();
        String listing = "";
        for (int i = 0; i < 50 && !listing.contains("new_config_file"); i++) {
            listing = docker.run("exec", "target", "ls", "/etc").assertOk().stdout();
        }
        assertTrue(listing.lines().anyMatch("new_config_file"::equals), listing);

        try (Connection c = env.db.connect()) {
            List<String> types = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(id))
                    .map(StoredEvents.Row::simpleType).toList();
            assertTrue(types.contains("ExecCreated") && types.contains("ExecStarted") && types.contains("ExecDied"), types.toString());
        }
    }

    @Test
    void exitCodesAndStreamsPropagate() throws Exception {
        docker.run("run", "-d", "--name", "codes", "bb", "sleep", "1000").assertOk();
        DockerCli.Result both = docker.run("exec", "codes", "sh", "-c", "echo out; echo err >&2; exit 5");
        assertEquals(5, both.exitCode(), both.stderr());
        assertEquals("out\n", both.stdout());
        assertEquals("err\n", both.stderr());

        DockerCli.Result missing = docker.run("exec", "codes", "no-such-command");
        assertEquals(127, missing.exitCode(), missing.stdout() + missing.stderr());
        assertTrue((missing.stdout() + missing.stderr()).contains("executable file not found"), missing.stdout() + missing.stderr());

        DockerCli.Result notExecutable = docker.run("exec", "codes", "/etc/passwd");
        assertEquals(126, notExecutable.exitCode(), notExecutable.stdout() + notExecutable.stderr());

        DockerCli.Result noUser = docker.run("exec", "-u", "nobody-here", "codes", "id");
        assertEquals(126, noUser.exitCode(), noUser.stdout() + noUser.stderr());
        assertTrue(noUser.stdout().contains("nobody-here"), noUser.stdout());

        DockerCli.Result shaped = docker.run("exec", "-e", "FOO=bar", "-w", "/tmp", "-u", "1000:1000", "codes",
                "sh", "-c", "echo $FOO $(pwd) $(id -u):$(id -g)");
        assertEquals("bar /tmp 1000:1000\n", shaped.assertOk().stdout());
    }

    @Test
    void pipedStdinReachesTheExecAndItsEndClosesIt() throws Exception {
        docker.run("run", "-d", "--name", "piped", "bb", "sleep", "1000").assertOk();
        DockerCli.Result r = docker.shell("printf 'hi\\nthere\\n' | docker exec -i piped cat");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("hi\nthere\n", r.stdout());
        DockerCli.Result counted = docker.shell("seq 1 2000 | docker exec -i piped wc -l");
        assertEquals("2000", counted.assertOk().stdout().trim());
    }

    @Test
    void execIsRefusedWhenTheContainerDoesNotRun() throws Exception {
        docker.run("create", "--name", "idle", "bb", "sleep", "1000").assertOk();
        DockerCli.Result notRunning = docker.run("exec", "idle", "true");
        assertTrue(notRunning.exitCode() != 0);
        assertTrue(notRunning.stderr().contains("is not running"), notRunning.stderr());

        docker.run("start", "idle").assertOk();
        docker.run("pause", "idle").assertOk();
        DockerCli.Result paused = docker.run("exec", "idle", "true");
        assertTrue(paused.exitCode() != 0);
        assertTrue(paused.stderr().contains("is paused, unpause the container before exec"), paused.stderr());
        docker.run("unpause", "idle").assertOk();

        DockerCli.Result noSuchContainer = docker.run("exec", "no-such-container", "true");
        assertTrue(noSuchContainer.stderr().contains("No such container"), noSuchContainer.stderr());
    }

    @Test
    void aRunningExecEndsWithItsContainerAndTheEndIsRecorded() throws Exception {
        String id = out("run", "-d", "--name", "host", "bb", "sleep", "1000");
        docker.run("exec", "-d", "host", "sleep", "1000").assertOk();
        String execIds = out("inspect", "-f", "{{json .ExecIDs}}", "host");
        assertTrue(execIds.matches("\\[\"[0-9a-f]{64}\"\\]"), "the running exec is listed: " + execIds);
        docker.run("kill", "host").assertOk();
        boolean recorded = false;
        for (int i = 0; i < 100 && !recorded; i++) {
            try (Connection c = env.db.connect()) {
                recorded = StoredEvents.all(c).stream().anyMatch(r -> r.aggregateId().equals(id) && r.simpleType().equals("ExecDied"));
            }
            if (!recorded) {
                Thread.sleep(100);
            }
        }
        assertTrue(recorded, "the exec's end was recorded");
        docker.run("rm", "host").assertOk();
        assertEquals(0, Integer.parseInt(docker.shell("ps -eo args | grep -c '^[^ ]*tally-shim .*--id " + id + "' || true").stdout().trim()));
    }
}
