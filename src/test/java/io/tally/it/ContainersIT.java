package io.tally.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Container lifecycle with real runc, overlayfs and cgroups, driven by the stock docker CLI. */
class ContainersIT extends AgainstExternalTally {
    static final String LOOP = "while true; do sleep 1; done";


    private static void awaitState(String name, String state) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (state.equals(docker.run("inspect", "-f", "{{.State.Status}}", name).stdout().trim())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never reached " + state + ": " + docker.run("inspect", name).stdout());
    }

    @Test
    void runDetachedPsAndInspect() throws Exception {
        String id = out("run", "-d", "--name", "web", "bb", "sh", "-c", LOOP);
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("true", out("inspect", "--format", "{{ .State.Running }}", "web"));
        assertTrue(out("ps").contains("web"));
        assertTrue(out("ps", "-q").lines().anyMatch(id.substring(0, 12)::equals));
        out("run", "--name", "done", "-d", "bb", "true");
        awaitState("done", "exited");
        assertFalse(out("ps").contains("done"));
        assertTrue(out("ps", "-a").contains("done"));
        assertTrue(out("ps", "-l", "--format", "{{.Names}}").equals("done"));
        assertEquals("/web", out("inspect", "-f", "{{.Name}}", id.substring(0, 12)));
        out("rm", "-f", "web", "done");
    }

    @Test
    void stopKillStartRestartPauseRenameWaitRm() throws Exception {
        out("run", "-d", "--name", "trap", "bb", "sh", "-c", "trap 'echo got-term; echo stopped > /tmp/marker; exit 0' TERM; " + LOOP);
        Thread.sleep(500);
        out("stop", "trap");
        assertEquals("0", out("inspect", "-f", "{{.State.ExitCode}}", "trap"));
        assertTrue(out("logs", "trap").contains("got-term"));
        Path marker = tmp.resolve("marker");
        out("cp", "trap:/tmp/marker", marker.toString());
        assertEquals("stopped\n", Files.readString(marker), "the TERM handler ran before the process ended");

        out("run", "-d", "--name", "stubborn", "bb", "sh", "-c", "trap '' TERM; trap 'exit 5' USR1; " + LOOP);
        Thread.sleep(300);
        out("stop", "-t", "1", "stubborn");
        assertEquals("137", out("inspect", "-f", "{{.State.ExitCode}}", "stubborn"));

        String id = out("start", "stubborn");
        assertEquals("stubborn", id);
        assertEquals("true", out("inspect", "-f", "{{.State.Running}}", "stubborn"));
        out("kill", "-s", "USR1", "stubborn");
        awaitState("stubborn", "exited");
        assertEquals("5", out("inspect", "-f", "{{.State.ExitCode}}", "stubborn"), "USR1 reached the trap");
        String full = out("inspect", "-f", "{{.Id}}", "stubborn");
        out("start", full.substring(0, 10));
        out("restart", "-t", "1", "stubborn");
        assertEquals("running", out("inspect", "-f", "{{.State.Status}}", "stubborn"));
        out("pause", "stubborn");
        assertEquals("paused", out("inspect", "-f", "{{.State.Status}}", "stubborn"));
        DockerCli.Result again = docker.run("pause", "stubborn");
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("is already paused"), again.stderr());
        out("unpause", "stubborn");
        out("rename", "stubborn", "renamed");
        assertEquals("/renamed", out("inspect", "-f", "{{.Name}}", full));

        DockerCli.Result refused = docker.run("rm", "renamed");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("You cannot remove a running container"), refused.stderr());
        out("kill", "renamed");
        assertEquals("137", out("wait", "renamed"));
        DockerCli.Result killStopped = docker.run("kill", "renamed");
        assertTrue(killStopped.stderr().contains("is not running"), killStopped.stderr());

        out("run", "-d", "--name", "gone", "bb", "sh", "-c", LOOP);
        String goneId = out("inspect", "-f", "{{.Id}}", "gone");
        String merged = out("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", "gone");
        assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(merged));
        out("rm", "-f", "gone");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(merged), "rootfs unmounted");
        assertFalse(Files.exists(tmp.resolve("root/containers").resolve(goneId)), "container dir removed");
        assertFalse(cgroupExists(goneId), "cgroup removed");
        assertNotEquals(0, docker.run("inspect", "gone").exitCode());
        out("rm", "trap", "renamed");
    }

    @Test
    void restartPolicies() throws Exception {
        out("run", "-d", "--name", "fails", "--restart", "on-failure:2", "bb", "sh", "-c", "exit 1");
        for (int i = 0; i < 100 && !"2".equals(out("inspect", "-f", "{{.RestartCount}}", "fails")); i++) {
            Thread.sleep(100);
        }
        awaitState("fails", "exited");
        Thread.sleep(1000);
        assertEquals("2", out("inspect", "-f", "{{.RestartCount}}", "fails"));
        assertEquals("exited", out("inspect", "-f", "{{.State.Status}}", "fails"));

        out("run", "-d", "--name", "succeeds", "--restart", "on-failure", "bb", "true");
        awaitState("succeeds", "exited");
        Thread.sleep(500);
        assertEquals("0", out("inspect", "-f", "{{.RestartCount}}", "succeeds"));

        out("run", "-d", "--name", "always", "--restart", "always", "bb", "sh", "-c", "sleep 0.2");
        for (int i = 0; i < 100 && Integer.parseInt(out("inspect", "-f", "{{.RestartCount}}", "always")) < 2; i++) {
            Thread.sleep(100);
        }
        assertTrue(Integer.parseInt(out("inspect", "-f", "{{.RestartCount}}", "always")) >= 2);
        out("stop", "always");
        Thread.sleep(700);
        assertEquals("exited", out("inspect", "-f", "{{.State.Status}}", "always"), "an explicit stop ends the restarts");
        out("rm", "-f", "fails", "succeeds", "always");
    }

    @Test
    void isolation() throws Exception {
        out("run", "-d", "--name", "iso", "-m", "64m", "--cpus", "0.5", "bb", "sh", "-c", LOOP);
        String id = out("inspect", "-f", "{{.Id}}", "iso");
        assertEquals("67108864", out("inspect", "-f", "{{.HostConfig.Memory}}", "iso"));
        assertEquals("500000000", out("inspect", "-f", "{{.HostConfig.NanoCpus}}", "iso"));
        String pid = out("inspect", "-f", "{{.State.Pid}}", "iso");
        String cgroup = Files.readString(Path.of("/proc", pid, "cgroup"));
        assertTrue(cgroup.contains(id), cgroup);
        Path memLimit = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                ? Path.of("/sys/fs/cgroup/tally", id, "memory.max")
                : Path.of("/sys/fs/cgroup/memory/tally", id, "memory.limit_in_bytes");
        assertEquals("67108864", Files.readString(memLimit).trim());
        Path cpuQuota = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                ? Path.of("/sys/fs/cgroup/tally", id, "cpu.max")
                : Path.of("/sys/fs/cgroup/cpu/tally", id, "cpu.cfs_quota_us");
        assertTrue(Files.readString(cpuQuota).trim().startsWith("50000"), Files.readString(cpuQuota));
        out("rm", "-f", "iso");

        String ps = out("run", "--rm", "bb", "ps", "-o", "pid,comm");
        assertTrue(ps.lines().skip(1).allMatch(l -> l.trim().startsWith("1 ") || l.contains("ps")), ps);
        String host = out("run", "--name", "hostn", "bb", "hostname");
        assertEquals(out("inspect", "-f", "{{.Id}}", "hostn").substring(0, 12), host);
        out("rm", "hostn");
        Files.writeString(tmp.resolve("host-secret"), "secret");
        assertNotEquals(0, docker.run("run", "--rm", "bb", "cat", tmp.resolve("host-secret").toString()).exitCode());
        DockerCli.Result denied = docker.run("run", "--rm", "bb", "mount", "-t", "tmpfs", "none", "/tmp");
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().toLowerCase().contains("permission denied") || denied.stderr().contains("not permitted"), denied.stderr());
        out("run", "--rm", "--cap-add", "SYS_ADMIN", "bb", "mount", "-t", "tmpfs", "none", "/tmp");
        out("run", "--rm", "--privileged", "bb", "mount", "-t", "tmpfs", "none", "/tmp");
    }

    @Test
    void badInputIsRefusedAndLeavesNothing() throws Exception {
        long before = Files.list(tmp.resolve("root/containers")).count();
        DockerCli.Result badName = docker.run("create", "--name", "bad name!", "bb", "true");
        assertNotEquals(0, badName.exitCode());
        assertTrue(badName.stderr().contains("Invalid container name (bad name!)"), badName.stderr());
        DockerCli.Result noImage = docker.run("create", "--pull", "never", "cap/nothing:here", "true");
        assertNotEquals(0, noImage.exitCode());
        assertTrue(noImage.stderr().contains("No such image"), noImage.stderr());
        DockerCli.Result badPolicy = docker.run("create", "--restart", "sometimes", "bb", "true");
        assertNotEquals(0, badPolicy.exitCode());
        assertTrue(badPolicy.stderr().contains("sometimes"), badPolicy.stderr());
        out("create", "--name", "sig", "bb", "sh", "-c", LOOP);
        out("start", "sig");
        DockerCli.Result badSignal = docker.run("kill", "-s", "NOPE", "sig");
        assertNotEquals(0, badSignal.exitCode());
        assertTrue(badSignal.stderr().contains("Invalid signal: NOPE"), badSignal.stderr());
        DockerCli.Result dup = docker.run("create", "--name", "sig", "bb", "true");
        assertNotEquals(0, dup.exitCode());
        assertTrue(dup.stderr().contains("is already in use"), dup.stderr());
        out("rm", "-f", "sig");
        assertEquals(before, Files.list(tmp.resolve("root/containers")).count(), "no container directories left");
    }

    private static boolean cgroupExists(String id) {
        for (String controller : List.of("memory", "cpu", "pids", "freezer", "")) {
            if (Files.exists(Path.of("/sys/fs/cgroup", controller, "tally", id))) {
                return true;
            }
        }
        return false;
    }
}
