package io.tally.projection.timeline;

import io.tally.events.DomainException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A point in the history: a moment (RFC 3339) or "after global event index N" ({@code seq:N} or
 * plain {@code N}). An index is exact; a moment is as exact as the events' clock.
 */
public sealed interface TimeCoordinate {
    String FORMATS = "an RFC 3339 time (e.g. 2026-11-27T21:30:00Z), seq:N or N (after global event index N)";

    record AtTime(Instant time) implements TimeCoordinate {
    }

    record AfterEvent(long globalIndex) implements TimeCoordinate {
    }

    static TimeCoordinate parse(String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid("missing time coordinate: expected " + FORMATS);
        }
        String v = value.trim();
        String digits = v.startsWith("seq:") ? v.substring(4) : v;
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
            try {
                return new AfterEvent(Long.parseLong(digits));
            } catch (NumberFormatException e) {
                throw DomainException.invalid("event index out of range: " + value);
            }
        }
        try {
            return new AtTime(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("invalid time coordinate " + value + ": expected " + FORMATS);
        }
    }
}
