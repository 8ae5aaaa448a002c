package io.tally.container.health;

import io.tally.image.ImageHealthcheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HealthCheckDefaultsTest {
    private static final ImageHealthcheck IMAGE = new ImageHealthcheck(List.of("CMD-SHELL", "curl -f localhost"),
            5_000_000_000L, 2_000_000_000L, null, 4);

    @Test
    void withoutItsOwnTheContainerTakesTheImagesCheck() {
        assertEquals(Map.of("Test", List.of("CMD-SHELL", "curl -f localhost"), "Interval", 5_000_000_000L,
                "Timeout", 2_000_000_000L, "Retries", 4), HealthCheckDefaults.merge(null, IMAGE));
    }

    @Test
    void itsOwnFieldsWinAndMissingOnesComeFromTheImage() {
        Map<String, Object> merged = HealthCheckDefaults.merge(Map.of("Interval", 1_000_000_000L, "Retries", 0), IMAGE);
        assertEquals(List.of("CMD-SHELL", "curl -f localhost"), merged.get("Test"));
        assertEquals(1_000_000_000L, merged.get("Interval"));
        assertEquals(2_000_000_000L, merged.get("Timeout"));
        assertEquals(4, merged.get("Retries"));

        Map<String, Object> own = HealthCheckDefaults.merge(Map.of("Test", List.of("CMD", "true")), IMAGE);
        assertEquals(List.of("CMD", "true"), own.get("Test"));
    }

    @Test
    void noneDisablesTheImagesCheck() {
        Map<String, Object> merged = HealthCheckDefaults.merge(Map.of("Test", List.of("NONE")), IMAGE);
        assertEquals(List.of("NONE"), merged.get("Test"));
        assertEquals(java.util.Optional.empty(), HealthCheckSpec.of(Map.of("Healthcheck", merged)));
    }

    @Test
    void neitherHasACheck() {
        assertNull(HealthCheckDefaults.merge(null, null));
    }
}
