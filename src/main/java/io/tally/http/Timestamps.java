package io.tally.http;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Times as Docker clients send them: Unix seconds (with a fraction), RFC 3339, or a duration ago (10m). */
public final class Timestamps {
    private Timestamps() {
    }

    public static Instant parse(String value, String parameter) {
        String v = value.trim();
        try {
            if (v.matches("\\d+(\\.\\d{1,9})?")) {
                BigDecimal seconds = new BigDecimal(v);
                return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            if (v.matches("\\d+(ns|us|ms|s|m|h)")) {
                return Instant.now().minus(duration(v));
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw DockerApiException.badRequest("invalid value for " + parameter + ": \"" + value
                    + "\"; accepted: Unix seconds (1700000000 or 1700000000.5), RFC 3339 (2026-11-27T17:28:00Z) or a duration such as 10m");
        }
    }

    private static Duration duration(String v) {
        long n = Long.parseLong(v.replaceAll("[a-z]+$", ""));
        return switch (v.replaceAll("^\\d+", "")) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
