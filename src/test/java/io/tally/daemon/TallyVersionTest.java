package io.tally.daemon;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TallyVersionTest {

    @Test
    void theReportedEngineVersionIsTheDockerReleaseOfTheApi() {
        // Testcontainers' own check (server version >= 1.6.0) is exercised in ThroughTestcontainersIT
        assertTrue(TallyVersion.DOCKER_COMPATIBLE_VERSION.startsWith("20.10."), "API 1.41 is Docker 20.10's");
        assertEquals("1.41", TallyVersion.API_VERSION);
    }

    @Test
    void tallydVersionNamesTallysOwnVersionAndTheDockerOneItReports() {
        String line = new TallyVersion.Provider().getVersion()[0];
        assertTrue(line.startsWith("tallyd " + TallyVersion.version() + " "), line);
        assertTrue(line.contains("Docker Engine API 1.41") && line.contains("Docker " + TallyVersion.DOCKER_COMPATIBLE_VERSION), line);
    }

    @Test
    void featuresAreReportedAsDockerComponentDetailStrings() {
        assertEquals(Boolean.toString(EngineFeatures.PORT_PUBLISHING), EngineFeatures.asDetails().get("PortPublishing"));
    }
}
