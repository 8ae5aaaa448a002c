package io.tally.container.create;

import java.util.List;
import java.util.Map;

/**
 * The container's own settings of a create request (Docker's {@code container.Config}), as the
 * client sent them: null where not set, so the image's defaults can fill them in.
 *
 * @param exposedPorts port specs such as {@code 80/tcp}
 * @param volumes      anonymous volume targets
 * @param stopTimeout  seconds, null when not set
 */
public record Config(
        String image,
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        Map<String, String> labels,
        String workingDir,
        String user,
        String hostname,
        String domainname,
        boolean attachStdin,
        boolean attachStdout,
        boolean attachStderr,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        List<String> exposedPorts,
        List<String> volumes,
        String stopSignal,
        Integer stopTimeout,
        Healthcheck healthcheck,
        List<String> shell,
        List<String> onBuild,
        boolean networkDisabled,
        String macAddress,
        boolean argsEscaped) {

    /**
     * @param test        e.g. {@code ["CMD-SHELL", "curl -f http://localhost"]}; {@code ["NONE"]} disables the image's
     * @param intervalNanos and the other durations: 0 means inherit
     */
    public record Healthcheck(List<String> test, long intervalNanos, long timeoutNanos, long startPeriodNanos, long retries) {
        static Healthcheck read(JsonFields h) {
            return new Healthcheck(h.strings("Test"), h.number("Interval"), h.number("Timeout"), h.number("StartPeriod"),
                    h.number("Retries"));
        }
    }

    /** @param body the whole create body (Config's fields are at its top level) */
    public static Config parse(Map<String, Object> body) {
        return read(JsonFields.of("Config", body));
    }

    static Config read(JsonFields c) {
        return new Config(
                c.text("Image"),
                c.stringOrStrings("Cmd", Config::shellForm),
                c.stringOrStrings("Entrypoint", Config::shellForm),
                c.strings("Env"),
                c.textMap("Labels"),
                c.text("WorkingDir"),
                c.text("User"),
                c.text("Hostname"),
                c.text("Domainname"),
                c.bool("AttachStdin"),
                c.bool("AttachStdout"),
                c.bool("AttachStderr"),
                c.bool("Tty"),
                c.bool("OpenStdin"),
                c.bool("StdinOnce"),
                c.keys("ExposedPorts"),
                c.keys("Volumes"),
                c.text("StopSignal"),
                c.optionalInt("StopTimeout"),
                c.has("Healthcheck") ? Healthcheck.read(c.object("Healthcheck")) : null,
                c.strings("Shell"),
                c.strings("OnBuild"),
                c.bool("NetworkDisabled"),
                c.text("MacAddress"),
                c.bool("ArgsEscaped"));
    }

    /** A command given as one string runs through the shell, as Tally always did. */
    private static List<String> shellForm(String command) {
        return List.of("/bin/sh", "-c", command);
    }
}
