package io.tally.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bin/tally` against a real tallyd: ps as it was, history with its actors, clear errors. */
class TallyCliIT extends AgainstExternalTally {
    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run tally(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("tally.project.dir", ".")).resolve("bin/tally").toString(),
                "-H", "unix://" + env.tally.socket()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = p.getErrorStream();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errText = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tally " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), out, errText);
    }

    @Test
    void psAtAMomentHistoryWithActorsAndErrors() throws Exception {
        Thread.sleep(5); // a moment strictly before the create
        Instant before = Instant.now();
        Thread.sleep(5);
        String id = out("run", "-d", "--name", "clitest", "bb", "sleep", "1000");
        out("rename", "clitest", "clitest2");

        Run now = tally("ps");
        assertEquals(0, now.exitCode(), now.stderr());
        assertTrue(now.stdout().lines().anyMatch(l -> l.startsWith(id.substring(0, 12)) && l.endsWith("clitest2")), now.stdout());
        Run then = tally("ps", "--at", before.toString());
        assertEquals(0, then.exitCode(), then.stderr());
        assertFalse(then.stdout().contains(id.substring(0, 12)), "not created yet at " + before + ":\n" + then.stdout());
        assertTrue(then.stdout().startsWith("CONTAINER ID"), then.stdout());

        Run history = tally("history", "clitest2");
        assertEquals(0, history.exitCode(), history.stderr());
        List<String> lines = history.stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("SEQ"), history.stdout());
        assertTrue(lines.get(1).contains("container.created") && lines.get(1).contains("root (uid 0") && lines.get(1).contains("name=clitest"),
                history.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.contains("container.renamed") && l.contains("newName=clitest2")), history.stdout());

        Run asOf = tally("inspect", "clitest2", "--at", "seq:0");
        assertEquals(1, asOf.exitCode());
        Run badAt = tally("ps", "--at", "yesterday");
        assertEquals(1, badAt.exitCode());
        assertEquals(1, badAt.stderr().lines().count(), badAt.stderr());
        assertTrue(badAt.stderr().startsWith("tally: invalid value for at") && badAt.stderr().contains("seq:N"), badAt.stderr());
        Run missing = tally("history", "no-such-container");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("No such container"), missing.stderr());

        Process unreachable = new ProcessBuilder(Path.of(System.getProperty("tally.project.dir", ".")).resolve("bin/tally").toString(),
                "-H", "unix:///nonexistent/tally.sock", "ps").start();
        String text = new String(unreachable.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(unreachable.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, unreachable.exitValue());
        assertTrue(text.startsWith("tally: cannot reach tallyd at unix:///nonexistent/tally.sock"), text);

        Run projections = tally("projections");
        assertTrue(projections.stdout().lines().anyMatch(l -> l.startsWith("container_view")), projections.stdout());
        docker.run("rm", "-f", "clitest2").assertOk();
    }
}
