package io.tally.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What people type most: attached `docker run`, stdin, exit codes, and `docker logs`. */
class RunAndLogsIT extends AgainstExternalTally {
    @Test
    void attachedRunPrintsOutputAndPropagatesExitCodes() throws Exception {
        DockerCli.Result hello = docker.run("run", "--rm", "bb", "echo", "hello");
        assertEquals(0, hello.exitCode(), hello.stderr());
        assertEquals("hello\n", hello.stdout());

        DockerCli.Result both = docker.run("run", "--rm", "bb", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, both.exitCode());
        assertEquals("out\n", both.stdout());
        assertEquals("err\n", both.stderr());

        DockerCli.Result missing = docker.run("run", "--rm", "bb", "no-such-command");
        assertEquals(127, missing.exitCode(), missing.stderr());
        assertTrue(missing.stderr().contains("executable file not found"), missing.stderr());

        DockerCli.Result notExecutable = docker.run("run", "--rm", "bb", "/etc/passwd");
        assertEquals(126, notExecutable.exitCode(), notExecutable.stderr());
    }

    @Test
    void stdinIsPipedAndItsEndClosesTheProcessInput() throws Exception {
        DockerCli.Result r = docker.shell("echo hi | docker run --rm -i bb cat");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("hi\n", r.stdout());
    }

    @Test
    void logsTailTimestampsAndSince() throws Exception {
        docker.run("run", "-d", "--name", "talker", "bb", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2").assertOk();
        docker.run("wait", "talker").assertOk();
        DockerCli.Result all = docker.run("logs", "talker");
        assertEquals("line1\nline2\nline3\nline4\nline5\n", all.stdout());
        assertEquals("oops\n", all.stderr());
        // --tail counts lines of both streams together, as Docker does.
        DockerCli.Result tail = docker.run("logs", "--tail", "3", "talker");
        assertEquals(List.of("line4", "line5"), tail.stdout().lines().toList());
        assertEquals(List.of("oops"), tail.stderr().lines().toList());
        String stamped = docker.run("logs", "-t", "talker").stdout();
        assertEquals(5, stamped.lines().count());
        assertTrue(stamped.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z line\\d")), stamped);
        assertEquals("", docker.run("logs", "--since", "2099-01-01T00:00:00Z", "talker").stdout());
        docker.run("rm", "talker").assertOk();
    }

    @Test
    void logsFollowStreamsNewLines() throws Exception {
        docker.run("run", "-d", "--name", "ticker", "bb", "sh", "-c", "for i in 1 2 3; do echo tick$i; sleep 0.3; done").assertOk();
        DockerCli.Result followed = docker.run("logs", "-f", "ticker");
        assertEquals("tick1\ntick2\ntick3\n", followed.stdout());
        docker.run("rm", "ticker").assertOk();
    }
}
