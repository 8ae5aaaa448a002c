package io.tally.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** diff, cp in and out, export, top, stats, and an image in use, through the stock docker CLI. */
class ContainerContentsIT extends AgainstExternalTally {

    @Test
    void diffCpExportTopStats() throws Exception {
        out("run", "-d", "--name", "box", "bb", "sh", "-c", "mkdir /data; echo hi > /data/f; rm /bin/true; while true; do sleep 1; done");
        Thread.sleep(700);
        List<String> diff = out("diff", "box").lines().toList();
        assertTrue(diff.containsAll(List.of("A /data", "A /data/f", "C /bin", "D /bin/true")), diff.toString());

        Path got = tmp.resolve("f-out");
        out("cp", "box:/data/f", got.toString());
        assertEquals("hi\n", Files.readString(got));
        Path in = tmp.resolve("in.txt");
        Files.writeString(in, "copied in\n");
        long since = Instant.now().getEpochSecond() - 1;
        out("cp", in.toString(), "box:/tmp/in.txt");
        String until = Long.toString(Instant.now().getEpochSecond() + 1);
        List<String> actions = out("events", "--since", Long.toString(since), "--until", until, "--filter", "container=box",
                "--format", "{{.Action}}").lines().toList();
        assertTrue(actions.contains("extract-to-dir"), "docker cp into a container shows as extract-to-dir: " + actions);
        Path back = tmp.resolve("back.txt");
        out("cp", "box:/tmp/in.txt", back.toString());
        assertEquals("copied in\n", Files.readString(back));
        DockerCli.Result missing = docker.run("cp", "box:/nonexistent", tmp.resolve("x").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("Could not find the file /nonexistent in container box"), missing.stderr());

        Path exported = tmp.resolve("export.tar");
        out("export", "-o", exported.toString(), "box");
        Process tar = new ProcessBuilder("tar", "-tf", exported.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes());
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
        assertTrue(listing.lines().anyMatch(l -> l.endsWith("bin/busybox")), listing);
        assertTrue(listing.lines().anyMatch(l -> l.endsWith("data/f")), listing);

        String top = out("top", "box");
        assertTrue(top.contains("PID") && top.contains("sleep"), top);
        String stats = out("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", "box");
        assertTrue(stats.startsWith("box "), stats);

        DockerCli.Result inUse = docker.run("rmi", "bb");
        assertEquals(1, inUse.exitCode());
        assertTrue(inUse.stderr().contains("is using its referenced image"), inUse.stderr());
        out("rm", "-f", "box");

        out("run", "--name", "old1", "--label", "prune.me=1", "bb", "true");
        out("run", "--name", "old2", "bb", "true");
        out("run", "-d", "--name", "live", "--label", "prune.me=1", "bb", "sh", "-c", "while true; do sleep 1; done");
        assertEquals("old1", out("ps", "-a", "--filter", "status=exited", "--filter", "label=prune.me=1", "--format", "{{.Names}}"));
        assertEquals(List.of("live", "old1", "old2"), out("ps", "-a", "--filter", "ancestor=bb", "--format", "{{.Names}}").lines().sorted().toList());
        String old1 = out("inspect", "-f", "{{.Id}}", "old1");
        String pruned = out("container", "prune", "-f", "--filter", "label=prune.me=1");
        assertTrue(pruned.contains("Deleted Containers") && pruned.contains(old1), pruned);
        assertEquals(List.of("live", "old2"), out("ps", "-a", "--format", "{{.Names}}").lines().sorted().toList(),
                "only the stopped container with the label was pruned");
        out("rm", "-f", "live", "old2");
        DockerCli.Result stopped = docker.run("top", "nonexistent-box");
        assertEquals(1, stopped.exitCode());
    }
}
