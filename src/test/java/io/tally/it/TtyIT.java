package io.tally.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `docker run -it` in a real terminal (tmux): the shell answers, and a resize of the terminal reaches it. */
class TtyIT extends AgainstExternalTally {

    @Test
    void interactiveShellWithResize() throws Exception {
        String session = startTerminal("tally-tty", 100, 30, "docker run -it --name ttybox bb sh");
        try {
            awaitScreen(session, s -> s.contains("#"));
            tmux("send-keys", "-t", session, "echo $((6*7))", "Enter");
            awaitScreen(session, s -> s.contains("42"));
            tmux("send-keys", "-t", session, "stty size", "Enter");
            awaitScreen(session, s -> s.contains("30 100"));
            tmux("resize-window", "-t", session, "-x", "120", "-y", "40");
            Thread.sleep(500);
            tmux("send-keys", "-t", session, "clear; stty size", "Enter");
            awaitScreen(session, s -> s.contains("40 120"));
            tmux("send-keys", "-t", session, "exit 4", "Enter");
            for (int i = 0; i < 100 && "running".equals(out("inspect", "-f", "{{.State.Status}}", "ttybox")); i++) {
                Thread.sleep(100);
            }
            assertEquals("exited 4", out("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "ttybox"));
            assertTrue(out("logs", "ttybox").contains("42"), "the TTY's output is in the log too");
        } finally {
            killTerminal(session);
            docker.run("rm", "-f", "ttybox");
        }
    }

    @Test
    void interactiveExecWithResize() throws Exception {
        docker.run("run", "-d", "--name", "exechost", "bb", "sleep", "1000").assertOk();
        String session = startTerminal("tally-exec", 90, 25, "docker exec -it exechost sh; echo \"exec-exit=$?\"; sleep 30");
        try {
            awaitScreen(session, s -> s.contains("#"));
            tmux("send-keys", "-t", session, "echo $((6*7)); stty size", "Enter");
            awaitScreen(session, s -> s.contains("42") && s.contains("25 90"));
            tmux("resize-window", "-t", session, "-x", "110", "-y", "33");
            Thread.sleep(500);
            tmux("send-keys", "-t", session, "clear; stty size", "Enter");
            awaitScreen(session, s -> s.contains("33 110"));
            tmux("send-keys", "-t", session, "exit 7", "Enter");
            awaitScreen(session, s -> s.contains("exec-exit=7"));
            assertEquals("running", out("inspect", "-f", "{{.State.Status}}", "exechost"), "the container outlives its exec");
        } finally {
            killTerminal(session);
            docker.run("rm", "-f", "exechost");
        }
    }

    @Test
    void attachShowsALoopsOutputAndDetachKeysLeaveItRunning() throws Exception {
        docker.run("run", "-dit", "--name", "looper", "bb", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done").assertOk();
        String session = startTerminal("tally-attach", 100, 30, "docker attach looper; echo \"attach-exit=$?\"; sleep 30");
        try {
            awaitScreen(session, s -> s.matches("(?s).*tick-\\d+.*"));
            tmux("send-keys", "-t", session, "C-p", "C-q");
            // the CLI reports a detach this way (and exits 1), whatever the daemon
            awaitScreen(session, s -> s.contains("read escape sequence") && s.contains("attach-exit="));
            assertEquals("running", out("inspect", "-f", "{{.State.Status}}", "looper"), "detaching does not stop the container");

        } finally {
            killTerminal(session);
            docker.run("rm", "-f", "looper");
        }
    }

    /** A tmux session of the given size running {@code shellCommand} with the docker CLI pointed at this tallyd. */
    private static String startTerminal(String prefix, int cols, int rows, String shellCommand) throws Exception {
        String session = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String cmd = "DOCKER_HOST=unix://" + env.tally.socket() + " DOCKER_CONFIG=" + tmp.resolve("docker-config") + " " + shellCommand;
        tmux("new-session", "-d", "-s", session, "-x", Integer.toString(cols), "-y", Integer.toString(rows), cmd);
        return session;
    }

    private static void killTerminal(String session) throws Exception {
        new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10, TimeUnit.SECONDS);
    }

    private static void awaitScreen(String session, Predicate<String> ready) throws Exception {
        String screen = "";
        for (int i = 0; i < 100; i++) {
            screen = tmux("capture-pane", "-p", "-t", session);
            if (ready.test(screen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("terminal never showed what was expected:\n" + screen);
    }

    private static String tmux(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "tmux " + String.join(" ", args) + ": " + out);
        return out;
    }
}
