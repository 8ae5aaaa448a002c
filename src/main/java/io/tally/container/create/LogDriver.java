package io.tally.container.create;

import io.tally.events.DomainException;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A container's log driver (`--log-driver`, `--log-opt`, Docker's HostConfig.LogConfig). The shim's
 * local file serves `docker logs`; {@code kafka} also ships every line to a topic; {@code none} keeps
 * nothing. No type means Docker's default, {@code json-file} (clients such as the Python SDK read
 * a container's output back only for drivers they know).
 *
 * @param options      the driver's own options
 * @param maxFileBytes the local file's rotation size (`max-size`), 0 for none
 * @param maxFiles     how many rotated files are kept (`max-file`)
 */
public record LogDriver(String type, Map<String, String> options, long maxFileBytes, int maxFiles) {
    public static final String LOCAL = "local";
    public static final String JSON_FILE = "json-file";
    public static final String DEFAULT = JSON_FILE;
    public static final String KAFKA = "kafka";
    public static final String NONE = "none";
    private static final Set<String> FILE_TYPES = Set.of("", LOCAL, JSON_FILE);
    private static final Set<String> FILE_OPTIONS = Set.of("max-size", "max-file", "compress", "mode", "max-buffer-size");
    private static final Set<String> KAFKA_OPTIONS = Set.of("topic");

    /** @throws DomainException INVALID for a driver or option Tally does not have, with what it has */
    public static LogDriver of(Map<String, Object> hostConfig) {
        return of(HostConfig.parse(hostConfig).logConfig());
    }

    /** @throws DomainException INVALID for a driver or option Tally does not have, with what it has */
    public static LogDriver of(HostConfig.LogConfig config) {
        String type = config.type();
        Map<String, String> options = new TreeMap<>(config.options());
        if (!FILE_TYPES.contains(type) && !KAFKA.equals(type) && !NONE.equals(type)) {
            throw DomainException.invalid("logging driver \"" + type + "\" is not supported: use json-file (the default), local, kafka or none");
        }
        for (String option : options.keySet()) {
            boolean known = !NONE.equals(type)
                    && (FILE_OPTIONS.contains(option) || (KAFKA.equals(type) && KAFKA_OPTIONS.contains(option)));
            if (!known) {
                throw DomainException.invalid("unknown log opt '" + option + "' for " + (type.isEmpty() ? DEFAULT : type)
                        + " log driver");
            }
        }
        if (KAFKA.equals(type) && options.containsKey("topic") && !options.get("topic").matches("[a-zA-Z0-9._-]{1,249}")) {
            throw DomainException.invalid("invalid log opt topic \"" + options.get("topic")
                    + "\": a Kafka topic name is 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
        }
        return new LogDriver(type.isEmpty() ? DEFAULT : type, Map.copyOf(options),
                maxSize(options.get("max-size")), maxFiles(options.get("max-file")));
    }

    /** Whether the output is kept for `docker logs` (every driver but {@code none}). */
    public boolean keepsLogs() {
        return !NONE.equals(type);
    }

    public boolean shipsToKafka() {
        return KAFKA.equals(type);
    }

    public String topic(String defaultTopic) {
        return options.getOrDefault("topic", defaultTopic);
    }

    /** `--log-opt max-size=10m`. */
    private static long maxSize(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        String s = v.trim().toLowerCase();
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            throw DomainException.invalid("invalid log-opt max-size \"" + v + "\": use a number with k, m or g");
        }
    }

    /** `--log-opt max-file=3`. */
    private static int maxFiles(String v) {
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw DomainException.invalid("invalid log-opt max-file \"" + v + "\": use a positive number");
        }
    }
}
