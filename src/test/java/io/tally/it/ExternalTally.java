package io.tally.it;

import java.nio.file.Path;

/**
 * A tallyd in external mode for a test class: a scratch database on the machine's PostgreSQL, the
 * CI broker (TALLY_TEST_KAFKA_BOOTSTRAP) or one of its own, and a topic prefix of its own so runs
 * sharing a broker never mix.
 */
public final class ExternalTally implements AutoCloseable {
    public final ScratchDatabase db;
    public final String kafkaBootstrap;
    public final String topicPrefix;
    /** Replaced by {@link #restartTally()}. */
    public volatile TallyProcess tally;
    public final DockerCli docker;
    private final KafkaBrokerProcess ownKafka;
    private final Path log;
    private final String[] args;

    private ExternalTally(ScratchDatabase db, KafkaBrokerProcess ownKafka, String kafkaBootstrap, String topicPrefix,
                          TallyProcess tally, DockerCli docker, Path log, String[] args) {
        this.db = db;
        this.ownKafka = ownKafka;
        this.kafkaBootstrap = kafkaBootstrap;
        this.topicPrefix = topicPrefix;
        this.tally = tally;
        this.docker = docker;
        this.log = log;
        this.args = args;
    }

    public static ExternalTally start(Path tmp, String... extraArgs) throws Exception {
        ScratchDatabase db = ScratchDatabase.create();
        KafkaBrokerProcess own = null;
        String bootstrap = System.getenv("TALLY_TEST_KAFKA_BOOTSTRAP");
        if (bootstrap == null || bootstrap.isBlank()) {
            own = KafkaBrokerProcess.start(tmp.resolve("kafka"));
            bootstrap = own.bootstrap();
        }
        String prefix = "it" + Long.toHexString(System.nanoTime());
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--data-root", tmp.resolve("root").toString(),
                "--db-url", db.url(), "--kafka-bootstrap", bootstrap, "--kafka-topic-prefix", prefix));
        args.addAll(java.util.List.of(extraArgs));
        TallyProcess tally = TallyProcess.start(tmp.resolve("tally.sock"), tmp.resolve("tallyd.log"), args.toArray(String[]::new));
        return new ExternalTally(db, own, bootstrap, prefix, tally, new DockerCli(tally.socket(), tmp), tmp.resolve("tallyd.log"),
                args.toArray(String[]::new));
    }

    /** Stops tallyd gracefully and starts it again on the same database, data root and addresses. */
    public void restartTally() throws Exception {
        tally.stop();
        tally = TallyProcess.start(tally.socket(), log, args);
    }

    public String eventsTopic() {
        return topicPrefix + ".events";
    }

    /** Removes every container the test left, so no mount, process or cgroup outlives it. */
    public void removeAllContainers() throws Exception {
        docker.removeAllContainers();
    }

    @Override
    public void close() throws Exception {
        try {
            removeAllContainers();
            tally.close();
        } finally {
            try {
                if (ownKafka != null) {
                    ownKafka.close();
                }
            } finally {
                db.close();
            }
        }
    }
}
