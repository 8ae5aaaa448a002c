package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A read model behind the store (as after the upgrade that adds the timeline to an existing
 * installation) is caught up from the event store when tallyd starts, before it serves.
 */
class ProjectionCatchUpIT {
    @TempDir
    static Path tmp;

    @Test
    void aProjectionBehindTheStoreIsCaughtUpAtStart() throws Exception {
        ExternalTally env = ExternalTally.start(tmp);
        TallyProcess second = null;
        try {
            BusyboxImage.loadInto(env.docker);
            env.docker.run("create", "--name", "one", "bb", "true").assertOk();
            env.docker.run("run", "--name", "two", "bb", "true").assertOk();
            env.docker.run("rename", "two", "two2").assertOk();
            env.docker.run("create", "--name", "three", "bb", "true").assertOk();
            env.docker.run("rm", "three").assertOk();
            TallyApi api = new TallyApi(env.tally.socket());
            String digest = api.get("/tally/v1/projections/container_timeline/digest").assertStatus(200).json().path("Digest").asText();
            String before = api.get("/tally/v1/containers").assertStatus(200).body();
            env.tally.stop();

            try (Connection c = env.db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM container_timeline");
                s.executeUpdate("DELETE FROM container_timeline_spec");
                s.executeUpdate("UPDATE projection_position SET position = 0 WHERE name = 'container_timeline'");
            }

            second = TallyProcess.start(env.tally.socket(), tmp.resolve("tallyd-2.log"), "--data-root", tmp.resolve("root").toString(),
                    "--db-url", env.db.url(), "--kafka-bootstrap", env.kafkaBootstrap, "--kafka-topic-prefix", env.topicPrefix);
            for (JsonNode p : api.get("/tally/v1/projections").assertStatus(200).json()) {
                assertEquals(0, p.path("Lag").asLong(), p.toString());
            }
            assertEquals(digest, api.get("/tally/v1/projections/container_timeline/digest").json().path("Digest").asText());
            assertEquals(names(before), names(api.get("/tally/v1/containers").assertStatus(200).body()));
            env.docker.run("rm", "one", "two2").assertOk();
        } finally {
            if (second != null) {
                second.close();
            }
            env.close();
        }
    }

    private static List<String> names(String psJson) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(psJson).findValues("Names").stream().map(JsonNode::toString).sorted().toList();
    }
}
