package io.tally.daemon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** tallyd's command line. This contract is relied on by scripts and tests: change it only by adding. */
@Command(name = "tallyd", mixinStandardHelpOptions = true, versionProvider = TallyVersion.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Tally daemon: an event-sourced container engine that speaks the Docker Engine API.",
            "With no database or Kafka configured it starts an embedded PostgreSQL and an embedded "
                    + "single-node Kafka broker under the data root. Containers keep running when tallyd stops.",
            ""
        })
public class DaemonOptions {

    @Option(names = {"-H", "--host"}, paramLabel = "ADDR",
            description = "Address to listen on, repeatable: unix:///path.sock or tcp://127.0.0.1:PORT (loopback only). Default: " + ListenAddress.DEFAULT)
    List<String> hosts = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Group owning the unix sockets (mode 0660). Default: 'tally' when that group exists, else root.")
    String group;

    @Option(names = "--data-root", paramLabel = "DIR", defaultValue = "/var/lib/tally",
            description = "Root of everything tallyd writes. Default: ${DEFAULT-VALUE}")
    Path dataRoot;

    @Option(names = "--db-url", paramLabel = "URL", defaultValue = "${env:TALLY_DB_URL}",
            description = "External PostgreSQL JDBC URL (env TALLY_DB_URL). Absent: embedded PostgreSQL under the data root.")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:TALLY_DB_USER}",
            description = "PostgreSQL user (env TALLY_DB_USER). Default: postgres")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:TALLY_DB_PASSWORD}",
            description = "PostgreSQL password (env TALLY_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:TALLY_KAFKA_BOOTSTRAP}",
            description = "External Kafka bootstrap servers (env TALLY_KAFKA_BOOTSTRAP). Absent: embedded broker on loopback.")
    String kafkaBootstrap;

    @Option(names = "--kafka", paramLabel = "on|off", defaultValue = "on",
            description = "'off' runs without Kafka publication (events are still stored). Default: ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--kafka-topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:TALLY_KAFKA_TOPIC_PREFIX:-tally}",
            description = "Prefix of the Kafka topics; events go to PREFIX.events. Default: ${DEFAULT-VALUE}")
    String kafkaTopicPrefix;

    @Option(names = {"-D", "--debug"}, description = "Debug logging.")
    boolean debug;
}
