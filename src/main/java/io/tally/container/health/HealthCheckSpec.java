package io.tally.container.health;

import io.tally.container.create.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's health check with Docker's defaults filled in: the probe's command, how often it
 * runs, how long it may take, how long failures do not count after a start, and how many
 * consecutive failures make the container unhealthy.
 */
public record HealthCheckSpec(List<String> probe, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_RETRIES = 3;

    /**
     * The check of a stored container Config (the image's already merged in at create); empty when
     * there is none, its Test is empty, or it is {@code ["NONE"]} (`--no-healthcheck`).
     */
    public static Optional<HealthCheckSpec> of(Map<String, Object> config) {
        if (config == null || !(config.get("Healthcheck") instanceof Map<?, ?>)) {
            return Optional.empty();
        }
        Config.Healthcheck h = Config.parse(config).healthcheck();
        if (h == null || h.test() == null || h.test().isEmpty()) {
            return Optional.empty();
        }
        List<String> test = h.test();
        List<String> probe = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> shell(config, String.join(" ", test.subList(1, test.size())));
            default -> List.of(); // NONE, or a kind Docker does not know either
        };
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthCheckSpec(List.copyOf(probe),
                orDefault(h.intervalNanos(), DEFAULT_INTERVAL),
                orDefault(h.timeoutNanos(), DEFAULT_TIMEOUT),
                orDefault(h.startPeriodNanos(), Duration.ZERO),
                h.retries() > 0 ? (int) Math.min(h.retries(), Integer.MAX_VALUE) : DEFAULT_RETRIES));
    }

    /** Docker runs CMD-SHELL with the container's Shell when set, else {@code /bin/sh -c}. */
    private static List<String> shell(Map<String, Object> config, String command) {
        List<String> argv = new ArrayList<>();
        if (config.get("Shell") instanceof List<?> s && !s.isEmpty()) {
            s.forEach(a -> argv.add(String.valueOf(a)));
        } else {
            argv.addAll(List.of("/bin/sh", "-c"));
        }
        argv.add(command);
        return argv;
    }

    private static Duration orDefault(long nanos, Duration dflt) {
        return nanos > 0 ? Duration.ofNanos(nanos) : dflt;
    }
}
