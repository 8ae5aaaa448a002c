package io.tally.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** tallyd's options checked and resolved into what the daemon will actually use. */
public record DaemonSettings(
        List<ListenAddress> listen,
        String socketGroup,
        Path dataRoot,
        String engineId,
        String dbUrl,
        String dbUser,
        String dbPassword,
        KafkaMode kafkaMode,
        String kafkaBootstrap,
        String kafkaTopicPrefix,
        boolean debug) {

    public enum KafkaMode { EMBEDDED, EXTERNAL, OFF }

    static DaemonSettings resolve(DaemonOptions o) {
        List<String> hosts = o.hosts.isEmpty() ? List.of(ListenAddress.DEFAULT) : o.hosts;
        List<ListenAddress> listen = hosts.stream().map(ListenAddress::parse).distinct().toList();
        KafkaMode kafkaMode = switch (o.kafka) {
            case "off" -> KafkaMode.OFF;
            case "on" -> blank(o.kafkaBootstrap) ? KafkaMode.EMBEDDED : KafkaMode.EXTERNAL;
            default -> throw new IllegalArgumentException("invalid --kafka value \"" + o.kafka + "\": expected on or off");
        };
        if (!o.kafkaTopicPrefix.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("invalid --kafka-topic-prefix \"" + o.kafkaTopicPrefix + "\": use letters, digits, '.', '_' and '-'");
        }
        if (!blank(o.dbUrl) && !o.dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("invalid --db-url \"" + o.dbUrl + "\": expected jdbc:postgresql://HOST:PORT/DATABASE");
        }
        Path dataRoot = o.dataRoot.toAbsolutePath().normalize();
        prepareDataRoot(dataRoot);
        return new DaemonSettings(listen, socketGroup(o.group), dataRoot, EngineIdentity.loadOrCreate(dataRoot),
                blank(o.dbUrl) ? null : o.dbUrl, blank(o.dbUser) ? "postgres" : o.dbUser, o.dbPassword == null ? "" : o.dbPassword,
                kafkaMode, blank(o.kafkaBootstrap) ? null : o.kafkaBootstrap, o.kafkaTopicPrefix, o.debug);
    }

    public boolean embeddedDatabase() {
        return dbUrl == null;
    }

    /** A short, secret-free description of this configuration, recorded in EngineStarted. */
    public Map<String, String> summary(String effectiveDbUrl, String effectiveBootstrap) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dataRoot", dataRoot.toString());
        s.put("hosts", listen.stream().map(ListenAddress::toString).collect(Collectors.joining(",")));
        s.put("database", (embeddedDatabase() ? "embedded " : "external ") + stripCredentials(effectiveDbUrl));
        s.put("kafka", switch (kafkaMode) {
            case OFF -> "off";
            case EMBEDDED -> "embedded " + effectiveBootstrap;
            case EXTERNAL -> "external " + effectiveBootstrap;
        });
        s.put("kafkaTopicPrefix", kafkaTopicPrefix);
        return s;
    }

    void exportAsSystemProperties(EmbeddedServices embedded) {
        String url = embedded.jdbcUrl().orElse(dbUrl);
        String bootstrap = embedded.kafkaBootstrap().orElse(kafkaBootstrap);
        set("quarkus.datasource.jdbc.url", url);
        set("quarkus.datasource.username", embedded.jdbcUrl().isPresent() ? embedded.dbUser() : dbUser);
        set("quarkus.datasource.password", embedded.jdbcUrl().isPresent() ? embedded.dbPassword() : dbPassword);
        set("tally.data-root", dataRoot.toString());
        set("tally.engine-id", engineId);
        set("tally.hosts", listen.stream().map(ListenAddress::toString).collect(Collectors.joining(",")));
        set("tally.socket-group", socketGroup);
        set("tally.kafka.mode", kafkaMode.name().toLowerCase());
        set("tally.kafka.bootstrap", bootstrap == null ? "" : bootstrap);
        set("tally.kafka.topic-prefix", kafkaTopicPrefix);
        summary(url, bootstrap).forEach((k, v) -> set("tally.summary." + k, v));
        set("tally.debug", Boolean.toString(debug));
        if (debug) {
            set("quarkus.log.category.\"io.tally\".level", "DEBUG");
        }
    }

    private static void set(String key, String value) {
        System.setProperty(key, value == null ? "" : value);
    }

    private static String stripCredentials(String url) {
        return url == null ? "" : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String socketGroup(String requested) {
        if (!blank(requested)) {
            return requested;
        }
        try {
            boolean tallyExists = Files.readAllLines(Path.of("/etc/group")).stream().anyMatch(l -> l.startsWith("tally:"));
            return tallyExists ? "tally" : "root";
        } catch (IOException e) {
            return "root";
        }
    }

    private static void prepareDataRoot(Path dataRoot) {
        try {
            if (!Files.isDirectory(dataRoot)) {
                Files.createDirectories(dataRoot);
                Files.setPosixFilePermissions(dataRoot, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Path probe = Files.createTempFile(dataRoot, ".probe", null);
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("data root " + dataRoot + " is not a writable directory: " + e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The engine's identity on this host, kept under the data root so it survives restarts. */
    static final class EngineIdentity {
        static String loadOrCreate(Path dataRoot) {
            Path file = dataRoot.resolve("engine-id");
            try {
                if (Files.exists(file)) {
                    String id = Files.readString(file).trim();
                    UUID.fromString(id);
                    return id;
                }
                String id = UUID.randomUUID().toString();
                Path tmp = Files.createTempFile(dataRoot, ".engine-id", null);
                Files.writeString(tmp, id + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return id;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or write " + file, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " does not hold a UUID; remove it to get a new engine id");
            }
        }
    }
}
