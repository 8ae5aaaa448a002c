package io.tally.it;

import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tallyd in external mode (the machine's PostgreSQL, a real Kafka broker) driven by the stock docker CLI. */
class FoundationIT {
    @TempDir
    static Path tmp;
    static ExternalTally env;
    static TallyProcess tally;
    static DockerCli docker;

    @BeforeAll
    static void start() throws Exception {
        int tcpPort = KafkaBrokerProcess.freePort();
        env = ExternalTally.start(tmp, "-H", "tcp://127.0.0.1:" + tcpPort);
        tally = env.tally;
        docker = env.docker;
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = tcpPort;
    }

    @AfterAll
    static void stop() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void dockerVersionShowsTheServerAndApi141() throws Exception {
        String out = docker.run("version").assertOk().stdout();
        assertTrue(out.contains("Server: Tally"), out);
        assertTrue(out.matches("(?s).*API version:\\s+1\\.41 \\(downgraded from 1\\.\\d+\\).*"), out);
        assertTrue(out.matches("(?s).*API version:\\s+1\\.41 \\(minimum version 1\\.24\\).*"), out);
    }

    @Test
    void dockerInfoShowsRealHostValues() throws Exception {
        String out = docker.run("info").assertOk().stdout();
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertTrue(out.contains("Kernel Version: " + kernel), out);
        assertTrue(out.contains("CPUs: " + Runtime.getRuntime().availableProcessors()), out);
        assertTrue(out.contains("Docker Root Dir: " + tmp.resolve("root")), out);
        String cgroup = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
        assertTrue(out.contains("Cgroup Version: " + cgroup), out);
        assertTrue(out.contains("Containers: 0"), out);
        assertTrue(out.contains("Server Version: "), out);
        String osName = Files.readAllLines(Path.of("/etc/os-release")).stream()
                .filter(l -> l.startsWith("PRETTY_NAME=")).findFirst().orElseThrow()
                .substring("PRETTY_NAME=".length()).replace("\"", "");
        assertTrue(out.contains("Operating System: " + osName), out);
    }

    @Test
    void pingAnswersUnversionedAndVersionedWithApiVersionHeader() {
        given().head("/_ping").then().statusCode(200).header("Api-Version", "1.41").header("Ostype", "linux");
        given().get("/v1.41/_ping").then().statusCode(200).body(equalTo("OK"));
        given().get("/v1.24/_ping").then().statusCode(200);
    }

    @Test
    void unknownEndpointIsJson404() {
        given().get("/v1.41/no/such/thing").then().statusCode(404)
                .contentType("application/json").body("message", equalTo("page not found"));
        given().post("/containers/nope/frobnicate").then().statusCode(404).body("message", equalTo("page not found"));
    }

    @Test
    void tooNewOrTooOldApiVersionIsJson400() {
        given().get("/v1.99/version").then().statusCode(400).contentType("application/json")
                .body("message", equalTo("client version 1.99 is too new. Maximum supported API version is 1.41"));
        given().get("/v1.12/version").then().statusCode(400).body("message", startsWith("client version 1.12 is too old"));
    }

    @Test
    void engineStartedIsStoredAndPublishedAsCloudEvent() throws Exception {
        try (Connection c = env.db.connect()) {
            List<StoredEvents.Row> rows = StoredEvents.all(c);
            StoredEvents.Row started = rows.stream().filter(r -> r.simpleType().equals("EngineStarted")).findFirst().orElseThrow();
            List<TopicReader.Message> msgs = TopicReader.readUntil(env.kafkaBootstrap, env.eventsTopic(), Duration.ofSeconds(60),
                    m -> m.stream().anyMatch(x -> x.value().path("id").asText().equals(started.eventId())));
            TopicReader.Message m = msgs.stream().filter(x -> x.value().path("id").asText().equals(started.eventId())).findFirst()
                    .orElseThrow(() -> new AssertionError("EngineStarted not on Kafka; saw " + msgs));
            var ce = m.value();
            assertEquals("1.0", ce.path("specversion").asText());
            assertEquals("io.tally.engine.started", ce.path("type").asText());
            assertEquals(started.aggregateId(), ce.path("subject").asText());
            assertEquals(started.aggregateId(), m.key());
            assertEquals("/tally/engines/" + started.aggregateId(), ce.path("source").asText());
            assertEquals(started.sequence(), ce.path("tallysequence").asLong());
            assertEquals(started.globalIndex(), ce.path("tallyglobalindex").asLong());
            assertTrue(ce.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), ce.toString());
            assertEquals("application/json", ce.path("datacontenttype").asText());
            assertEquals("1.41", ce.path("data").path("apiVersion").asText());
            assertEquals(tally.pid(), ce.path("data").path("pid").asLong());
            assertTrue(ce.path("data").path("config").path("database").asText().startsWith("external jdbc:postgresql://"), ce.toString());
            assertTrue(m.contentType().startsWith("application/cloudevents+json"), m.contentType());
        }
    }
}
