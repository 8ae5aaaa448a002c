package io.tally.logs;

import io.tally.events.DomainException;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A container's log driver (`--log-driver`, `--log-opt`, Docker's HostConfig.LogConfig). The shim's
 * local file is always written and serves `docker logs`; {@code kafka} also ships every line to a topic.
 *
 * @param options the driver's own options (rotation options are the file's and are checked elsewhere)
 */
public record LogDriver(String type, Map<String, String> options) {
    public static final String LOCAL = "local";
    public static final String KAFKA = "kafka";
    private static final Set<String> FILE_TYPES = Set.of("", LOCAL, "json-file");
    private static final Set<String> FILE_OPTIONS = Set.of("max-size", "max-file", "compress", "mode", "max-buffer-size");
    private static final Set<String> KAFKA_OPTIONS = Set.of("topic");

    /** @throws DomainException INVALID for a driver or option Tally does not have, with what it has */
    public static LogDriver of(Map<String, Object> hostConfig) {
        Object lc = hostConfig == null ? null : hostConfig.get("LogConfig");
        Map<?, ?> logConfig = lc instanceof Map<?, ?> m ? m : Map.of();
        String type = logConfig.get("Type") == null ? "" : logConfig.get("Type").toString();
        Map<String, String> options = new TreeMap<>();
        if (logConfig.get("Config") instanceof Map<?, ?> config) {
            config.forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
        }
        if (!FILE_TYPES.contains(type) && !KAFKA.equals(type)) {
            throw DomainException.invalid("logging driver \"" + type + "\" is not supported: use local (the default), json-file or kafka");
        }
        for (String option : options.keySet()) {
            boolean known = FILE_OPTIONS.contains(option) || (KAFKA.equals(type) && KAFKA_OPTIONS.contains(option));
            if (!known) {
                throw DomainException.invalid("unknown log opt '" + option + "' for " + (type.isEmpty() ? LOCAL : type)
                        + " log driver");
            }
        }
        if (KAFKA.equals(type) && options.containsKey("topic") && !options.get("topic").matches("[a-zA-Z0-9._-]{1,249}")) {
            throw DomainException.invalid("invalid log opt topic \"" + options.get("topic")
                    + "\": a Kafka topic name is 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
        }
        return new LogDriver(type.isEmpty() ? LOCAL : type, Map.copyOf(options));
    }

    public boolean shipsToKafka() {
        return KAFKA.equals(type);
    }

    public String topic(String defaultTopic) {
        return options.getOrDefault("topic", defaultTopic);
    }
}
