package io.tally.container.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Docker's timeout message prints the timeout as Go does. */
class GoDurationsTest {
    @Test
    void printsAsGo() {
        assertEquals("1s", GoDurations.of(Duration.ofSeconds(1)));
        assertEquals("30s", GoDurations.of(Duration.ofSeconds(30)));
        assertEquals("1.5s", GoDurations.of(Duration.ofMillis(1500)));
        assertEquals("500ms", GoDurations.of(Duration.ofMillis(500)));
        assertEquals("1m0s", GoDurations.of(Duration.ofMinutes(1)));
        assertEquals("1m30s", GoDurations.of(Duration.ofSeconds(90)));
        assertEquals("1h0m0s", GoDurations.of(Duration.ofHours(1)));
    }
}
