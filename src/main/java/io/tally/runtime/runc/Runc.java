package io.tally.runtime.runc;

import io.tally.events.DomainException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.events.DomainException.Kind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * runc's command line, with tallyd's own state root ({@code --root}) so that Tally's containers never
 * mix with those of another runc user on the host.
 */
public final class Runc {

    /** runc's container states (runc state's "status"). */
    public enum Status {
        CREATED, RUNNING, PAUSED, STOPPED;

        public boolean hasProcess() {
            return this != STOPPED;
        }

        /** A status this code does not know (a newer runc's) is taken for a live process: safer for remove(). */
        static Status parse(String status) {
            return switch (status) {
                case "created" -> CREATED;
                case "paused", "pausing" -> PAUSED;
                case "stopped" -> STOPPED;
                default -> RUNNING;
            };
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** runc logs its errors logrus-style on stderr: {@code time="..." level=error msg="container does not exist"}. */
    private static final Pattern LOGRUS_MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String binary;
    private final Path root;

    public Runc(String binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    public String binary() {
        return binary;
    }

    public Path root() {
        return root;
    }

    public CommandRunner.Result run(String... args) throws DomainException {
        List<String> command = new ArrayList<>(List.of(binary, "--root", root.toString()));
        command.addAll(List.of(args));
        try {
            CommandRunner.Result result = CommandRunner.run(command, TIMEOUT);
            if (result.timedOut()) {
                throw new DomainException(Kind.HOST_ERROR, "runc " + args[0] + " did not finish within "
                        + TIMEOUT.toSeconds() + " s");
            }
            return result;
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "cannot run " + binary + ": " + e.getMessage(), e);
        }
    }

    /** Empty when runc does not know the container. */
    public Optional<JsonNode> state(String id) throws DomainException {
        if (!knows(id)) {
            return Optional.empty();
        }
        CommandRunner.Result result = run("state", id);
        if (!result.ok()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(result.stdout()));
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "runc state " + id + " printed no JSON: " + result.stdout(), e);
        }
    }

    public Optional<Status> status(String id) throws DomainException {
        return state(id).map(s -> Status.parse(s.path("status").asText()));
    }

    /**
     * runc (libcontainer) keeps a directory per container under its root: no directory, no container,
     * and no runc process spawned to learn it. state() and delete answer the same without the shortcut.
     */
    public boolean knows(String id) {
        return Files.isDirectory(root.resolve(id));
    }

    /** Kills what is left of the container (if anything) and forgets it; a container runc does not know is fine. */
    public void deleteForce(String id) throws DomainException {
        if (!knows(id)) {
            return;
        }
        CommandRunner.Result result = run("delete", "--force", id);
        if (!result.ok() && knows(id)) {
            throw new DomainException(Kind.HOST_ERROR, "runc delete --force " + id + " failed: " + errorText(result));
        }
    }

    /** Ids runc knows under tallyd's root. */
    List<String> list() throws DomainException {
        CommandRunner.Result result = run("list", "--format", "json");
        if (!result.ok()) {
            throw new DomainException(Kind.HOST_ERROR, "runc list failed: " + errorText(result));
        }
        List<String> ids = new ArrayList<>();
        try {
            for (JsonNode c : JSON.readTree(result.stdout().isBlank() ? "[]" : result.stdout())) {
                ids.add(c.path("id").asText());
            }
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "runc list printed no JSON: " + result.stdout(), e);
        }
        return ids;
    }

    /** What runc said went wrong, without its log decoration. */
    public static String errorText(CommandRunner.Result result) {
        String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
        List<String> messages = new ArrayList<>();
        Matcher m = LOGRUS_MSG.matcher(text);
        while (m.find()) {
            messages.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        String message = messages.isEmpty() ? text.strip() : String.join("; ", messages);
        return message.isEmpty() ? "exit status " + result.exitCode() : message;
    }
}
