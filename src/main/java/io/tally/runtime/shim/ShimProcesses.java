package io.tally.runtime.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds a container's tally-shim process from its {@code shim.pid}. A pid file outlives its process and
 * pids are reused, so a pid only counts while /proc says it is a tally-shim serving that very state
 * directory: tallyd never signals a process on the word of a stale file.
 */
public final class ShimProcesses {

    private final String shimFileName;

    public ShimProcesses(Path shimBinary) {
        this.shimFileName = shimBinary.getFileName().toString();
    }

    /** The shim serving this state dir (in the dir's mode: container or exec session) if it is alive. */
    public Optional<ProcessHandle> find(ShimDir shim) {
        Optional<Long> pid = readPid(shim.pidFile());
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(p -> ProcStat.isLive(p.pid()));
        return process.filter(p -> serves(p.pid(), shim));
    }

    /** SIGKILL, then wait (bounded) until it is dead; a shim that is not there is fine. */
    public void kill(ShimDir shim, Duration wait) {
        find(shim).ifPresent(process -> {
            process.destroyForcibly();
            long deadline = System.nanoTime() + wait.toNanos();
            while (ProcStat.isLive(process.pid()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    public static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip())).filter(p -> p > 0);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean serves(long pid, ShimDir shim) {
        List<String> argv = commandLine(pid);
        if (argv.isEmpty() || !Path.of(argv.getFirst()).getFileName().toString().equals(shimFileName)
                || argv.stream().anyMatch(a -> a.equals("--exec") || a.startsWith("--exec=")) != shim.exec()) {
            return false;
        }
        String dir = shim.dir().toString();
        for (int i = 1; i < argv.size(); i++) {
            if (argv.get(i).equals("--state-dir=" + dir)
                    || (argv.get(i).equals("--state-dir") && i + 1 < argv.size() && argv.get(i + 1).equals(dir))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
