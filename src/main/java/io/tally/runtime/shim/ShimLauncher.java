package io.tally.runtime.shim;

import io.tally.events.DomainException;
import io.tally.runtime.ContainerFiles;
import io.tally.runtime.StartFailures;
import io.tally.runtime.runc.CommandRunner;
import io.tally.runtime.runc.Runc;
import io.tally.runtime.ContainerRuntime.StartRequest;
import io.tally.events.DomainException.Kind;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs tally-shim's launcher for a container (src/native/README.md, "Start-up"). It returns once the
 * shim listens and {@code runc create} is done: {@code SHIM <pid>} and exit 0, or exit 3 with runc's
 * error in {@code create-error}. Cleaning up after a failure is the caller's.
 */
public final class ShimLauncher {

    private static final Pattern SHIM_LINE = Pattern.compile("(?m)^SHIM (\\d+)$");
    private static final String PREFIX = "tally-shim: ";

    private final Path shimBinary;
    private final Runc runc;
    private final Path notifySocket;
    private final Duration timeout;

    public ShimLauncher(Path shimBinary, Runc runc, Path notifySocket, Duration timeout) {
        this.shimBinary = shimBinary;
        this.runc = runc;
        this.notifySocket = notifySocket;
        this.timeout = timeout;
    }

    /** @return the shim's pid; the container is created, its process not started */
    public long launch(ContainerFiles files, StartRequest request, String cgroupsPath) throws DomainException {
        return run(commandLine(files, request, cgroupsPath), request.containerId(), files.shim());
    }

    /**
     * A shim for an exec session in a running container: it listens and waits for START, nothing runs yet.
     * Its output is not logged (Docker keeps exec output out of the container's log).
     *
     * @return the shim's pid
     */
    public long launchExec(ShimDir shim, String containerId, Path bundle, Path processJson, boolean tty, boolean stdin)
            throws DomainException {
        List<String> args = baseArgs(containerId, bundle, shim, Path.of("/dev/null"));
        args.add("--exec");
        args.add(processJson.toString());
        if (tty) {
            args.add("--tty");
        }
        if (stdin) {
            // the client's EOF is the process's EOF, as with docker exec -i
            args.add("--stdin");
            args.add("--stdin-once");
        }
        return run(args, containerId, shim);
    }

    private long run(List<String> commandLine, String id, ShimDir shim) throws DomainException {
        CommandRunner.Result result;
        try {
            result = CommandRunner.run(commandLine, timeout);
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "cannot run " + shimBinary + ": " + e.getMessage(), e);
        }
        if (result.timedOut()) {
            throw new DomainException(Kind.HOST_ERROR, "tally-shim did not start for container " + id + " within "
                    + timeout.toSeconds() + " s");
        }
        return switch (result.exitCode()) {
            case 0 -> shimPid(result, id);
            // runc's own words: the Docker CLI derives exit codes 126/127 from them
            case 3 -> throw new DomainException(Kind.START_FAILED, StartFailures.readCreateError(shim.createErrorFile())
                    .orElseGet(() -> withoutPrefix(result.stderr())));
            case 2 -> throw new DomainException(Kind.HOST_ERROR, "tally-shim rejected its arguments for container " + id
                    + ": " + withoutPrefix(result.stderr()));
            default -> throw new DomainException(Kind.HOST_ERROR, "tally-shim could not start for container " + id
                    + ": " + withoutPrefix(result.stderr()));
        };
    }

    List<String> commandLine(ContainerFiles files, StartRequest request, String cgroupsPath) throws DomainException {
        // The `none` log driver keeps nothing: the shim's output records go nowhere.
        Path log = request.keepLogs() ? files.log() : Path.of("/dev/null");
        List<String> args = baseArgs(request.containerId(), files.bundle(), files.shim(), log);
        args.add("--cgroup-path");
        args.add(cgroupsPath);
        if (request.tty()) {
            args.add("--tty");
        }
        if (request.openStdin()) {
            args.add("--stdin");
            if (request.stdinOnce()) {
                args.add("--stdin-once");
            }
        }
        if (request.logMaxSize() > 0) {
            args.add("--log-max-size");
            args.add(Long.toString(request.logMaxSize()));
        }
        if (request.logMaxFiles() > 0) {
            if (request.logMaxFiles() > 1000) {
                throw new DomainException(Kind.INVALID_CONFIG, "max-file must be between 1 and 1000, not "
                        + request.logMaxFiles());
            }
            args.add("--log-max-files");
            args.add(Integer.toString(request.logMaxFiles()));
        }
        return args;
    }

    /** What every shim is told, container or exec session: whose it is, where it lives, which runc, whom to notify. */
    private List<String> baseArgs(String containerId, Path bundle, ShimDir shim, Path logPath) {
        return new ArrayList<>(List.of(shimBinary.toString(),
                "--id", containerId,
                "--bundle", bundle.toString(),
                "--state-dir", shim.dir().toString(),
                "--runc", runc.binary(),
                "--runc-root", runc.root().toString(),
                "--log-path", logPath.toString(),
                "--notify-socket", notifySocket.toString()));
    }

    private static long shimPid(CommandRunner.Result result, String id) throws DomainException {
        Matcher m = SHIM_LINE.matcher(result.stdout());
        if (!m.find()) {
            throw new DomainException(Kind.HOST_ERROR, "tally-shim for container " + id
                    + " exited 0 without its SHIM line; it printed: " + result.stdout().strip());
        }
        return Long.parseLong(m.group(1));
    }

    private static String withoutPrefix(String stderr) {
        String text = stderr.strip();
        return text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
    }
}
