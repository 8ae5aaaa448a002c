package io.tally.projection.timeline;

import io.tally.events.DomainException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeCoordinateTest {
    @Test
    void acceptsRfc3339AndEventIndexes() {
        assertEquals(new TimeCoordinate.AtTime(Instant.parse("2026-11-27T20:30:00.250Z")),
                TimeCoordinate.parse("2026-11-27T21:30:00.250+01:00"));
        assertEquals(new TimeCoordinate.AfterEvent(42), TimeCoordinate.parse("seq:42"));
        assertEquals(new TimeCoordinate.AfterEvent(42), TimeCoordinate.parse("42"));
    }

    @Test
    void refusesAnythingElseNamingTheFormats() {
        for (String bad : new String[] {"", "yesterday", "seq:", "seq:-1", "2026-11-27", "2026-11-27T21:30:00", "99999999999999999999"}) {
            DomainException e = assertThrows(DomainException.class, () -> TimeCoordinate.parse(bad), bad);
            assertEquals(DomainException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("RFC 3339") || e.getMessage().contains("out of range"), e.getMessage());
        }
    }
}
