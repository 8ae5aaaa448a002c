package io.tally.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * Applies the Dockerfile instructions of {@code docker import --change} and {@code docker commit --change}
 * to a run config: ENV, LABEL, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL and ONBUILD,
 * with Docker's semantics (both ENV forms, JSON or shell form commands, relative WORKDIR, variable
 * expansion in ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME and STOPSIGNAL, and an ENTRYPOINT resetting a CMD
 * that these changes did not set).
 */
public final class ConfigChanges {

    private static final Set<String> NOT_CHANGE_COMMANDS =
            Set.of("FROM", "RUN", "COPY", "ADD", "ARG", "MAINTAINER", "SHELL");
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/([A-Za-z]+))?");
    private static final Pattern SIGNAL = Pattern.compile("(?:[0-9]+|(?i:SIG)?[A-Za-z][A-Za-z0-9]*(?:[+-][0-9]+)?)");

    private final RunConfig.Builder config;
    private boolean cmdSet;

    private ConfigChanges(RunConfig base) {
        this.config = (base == null ? RunConfig.EMPTY : base).toBuilder();
    }

    /**
     * @param changes one instruction per element (an element may also hold several lines)
     * @throws InvalidChangeException naming the instruction that cannot be applied
     */
    public static RunConfig apply(RunConfig base, List<String> changes) {
        ConfigChanges applier = new ConfigChanges(base);
        for (String change : changes) {
            for (String line : logicalLines(change)) {
                applier.instruction(line);
            }
        }
        return applier.config.build();
    }

    /** Joins backslash-continued lines and drops blank and comment lines, as a Dockerfile parser does. */
    private static List<String> logicalLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1);
                continue;
            }
            current.append(line);
            lines.add(current.toString());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private void instruction(String line) {
        String[] parts = line.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        switch (keyword) {
            case "ENV" -> keyValues(keyword, rest).forEach(config::env);
            case "LABEL" -> keyValues(keyword, rest).forEach(config::label);
            case "CMD" -> {
                config.cmd(command(keyword, rest));
                cmdSet = true;
            }
            case "ENTRYPOINT" -> {
                config.entrypoint(command(keyword, rest));
                if (!cmdSet) {
                    // Docker: a new entrypoint makes an inherited CMD meaningless.
                    config.cmd(null);
                }
            }
            case "WORKDIR" -> config.workingDir(workingDir(single(keyword, rest)));
            case "USER" -> config.user(single(keyword, rest));
            case "EXPOSE" -> expose(rest);
            case "VOLUME" -> volumes(rest);
            case "STOPSIGNAL" -> config.stopSignal(stopSignal(single(keyword, rest)));
            case "ONBUILD" -> config.onBuild(onBuild(rest));
            case "HEALTHCHECK" -> throw new InvalidChangeException("changes: HEALTHCHECK is not supported yet");
            default -> {
                if (NOT_CHANGE_COMMANDS.contains(keyword)) {
                    throw new InvalidChangeException("changes: " + keyword + " is not a valid change command");
                }
                throw new InvalidChangeException("changes: unknown instruction " + keyword);
            }
        }
    }

    /** {@code K=V K2="v 2"} or the legacy {@code K value with spaces}. */
    private Map<String, String> keyValues(String keyword, String rest) {
        Map<String, String> env = currentEnv();
        List<String> words = DockerfileWords.split(rest);
        if (words.isEmpty()) {
            throw new InvalidChangeException("changes: " + keyword + " requires at least one argument");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        if (!words.get(0).contains("=")) {
            String[] legacy = rest.split("\\s+", 2);
            if (legacy.length < 2) {
                throw new InvalidChangeException("changes: " + keyword + " must have two arguments");
            }
            pairs.put(DockerfileWords.process(legacy[0], env), DockerfileWords.process(legacy[1], env));
            return pairs;
        }
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals < 0) {
                throw new InvalidChangeException("changes: " + keyword + " syntax error: can't find = in \"" + word
                        + "\"; must be of the form: name=value");
            }
            String name = DockerfileWords.process(word.substring(0, equals), env);
            if (name.isEmpty()) {
                throw new InvalidChangeException("changes: " + keyword + " names can not be blank");
            }
            pairs.put(name, DockerfileWords.process(word.substring(equals + 1), env));
        }
        return pairs;
    }

    /** JSON array form as is; anything else is shell form, run by the image's shell. */
    private List<String> command(String keyword, String rest) {
        List<String> json = jsonArray(rest);
        if (json != null) {
            return json;
        }
        if (rest.isEmpty()) {
            throw new InvalidChangeException("changes: " + keyword + " requires at least one argument");
        }
        List<String> command = new ArrayList<>(config.shell());
        command.add(rest);
        return command;
    }

    private String single(String keyword, String rest) {
        List<String> words = DockerfileWords.split(rest);
        if (words.size() != 1) {
            throw new InvalidChangeException("changes: " + keyword + " requires exactly one argument");
        }
        return DockerfileWords.process(words.get(0), currentEnv());
    }

    /** Relative paths are relative to the current WORKDIR, as in a Dockerfile. */
    private String workingDir(String requested) {
        if (requested.isEmpty()) {
            throw new InvalidChangeException("changes: WORKDIR cannot be empty");
        }
        String current = config.workingDir();
        String joined = requested.startsWith("/") ? requested : "/" + (current == null ? "" : current) + "/" + requested;
        return cleanPath(joined);
    }

    private void expose(String rest) {
        List<String> words = DockerfileWords.split(rest);
        if (words.isEmpty()) {
            throw new InvalidChangeException("changes: EXPOSE requires at least one argument");
        }
        Map<String, String> env = currentEnv();
        for (String word : words) {
            String spec = DockerfileWords.process(word, env);
            Matcher matcher = PORT.matcher(spec);
            if (!matcher.matches()) {
                throw new InvalidChangeException("changes: EXPOSE: invalid port '" + spec
                        + "' (expected PORT[-PORT][/PROTOCOL])");
            }
            int first = port(spec, matcher.group(1));
            int last = matcher.group(2) == null ? first : port(spec, matcher.group(2));
            String protocol = matcher.group(3) == null ? "tcp" : matcher.group(3).toLowerCase(Locale.ROOT);
            if (last < first) {
                throw new InvalidChangeException("changes: EXPOSE: invalid port range '" + spec + "'");
            }
            if (!Set.of("tcp", "udp", "sctp").contains(protocol)) {
                throw new InvalidChangeException("changes: EXPOSE: invalid protocol '" + protocol + "' in '" + spec + "'");
            }
            for (int port = first; port <= last; port++) {
                config.exposePort(port + "/" + protocol);
            }
        }
    }

    private static int port(String spec, String digits) {
        try {
            int port = Integer.parseInt(digits);
            if (port <= 65535) {
                return port;
            }
        } catch (NumberFormatException tooLong) {
            // reported below
        }
        throw new InvalidChangeException("changes: EXPOSE: invalid port '" + spec + "'");
    }

    private void volumes(String rest) {
        List<String> paths = jsonArray(rest);
        if (paths == null) {
            Map<String, String> env = currentEnv();
            paths = DockerfileWords.split(rest).stream().map(word -> DockerfileWords.process(word, env)).toList();
        }
        if (paths.isEmpty()) {
            throw new InvalidChangeException("changes: VOLUME requires at least one argument");
        }
        for (String path : paths) {
            if (path.isBlank()) {
                throw new InvalidChangeException("changes: VOLUME specified can not be an empty string");
            }
            config.volume(path);
        }
    }

    private static String stopSignal(String signal) {
        if (!SIGNAL.matcher(signal).matches()) {
            throw new InvalidChangeException("changes: STOPSIGNAL: invalid signal '" + signal + "'");
        }
        return signal;
    }

    private static String onBuild(String trigger) {
        if (trigger.isEmpty()) {
            throw new InvalidChangeException("changes: ONBUILD requires at least one argument");
        }
        String keyword = trigger.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (Set.of("ONBUILD", "FROM", "MAINTAINER").contains(keyword)) {
            throw new InvalidChangeException("changes: " + keyword + " isn't allowed as an ONBUILD trigger");
        }
        return trigger;
    }

    /** A JSON array of strings, or null if {@code text} is not one (then it is shell form, as in Docker). */
    private static List<String> jsonArray(String text) {
        if (!text.startsWith("[")) {
            return null;
        }
        try {
            List<String> values = ImageJson.MAPPER.readValue(text, STRING_LIST);
            return values == null || values.contains(null) ? null : values;
        } catch (IOException notJson) {
            return null;
        }
    }

    private Map<String, String> currentEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> entries = config.build().env();
        if (entries != null) {
            for (String entry : entries) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    env.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
        }
        return env;
    }

    /** Lexical clean of an absolute path, like Go's path.Clean. */
    private static String cleanPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return "/" + String.join("/", parts);
    }
}
