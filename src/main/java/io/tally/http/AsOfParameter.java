package io.tally.http;

import io.tally.history.PointInTime;

/**
 * The {@code at} query parameter: {@code seq:N} (after global event sequence N) or a time as
 * elsewhere in the API (RFC 3339, Unix seconds with an optional fraction, or a duration ago).
 */
final class AsOfParameter {
    static final String FORMATS = "accepted: RFC 3339 (2026-11-27T17:28:00.5Z), Unix seconds (1700000000 or 1700000000.5),"
            + " a duration ago (10m) or seq:N (after global event sequence N)";

    private AsOfParameter() {
    }

    /** @return null when absent */
    static PointInTime parse(String at) {
        if (at == null || at.isBlank()) {
            return null;
        }
        String v = at.trim();
        if (v.startsWith("seq:")) {
            try {
                return new PointInTime.AfterGlobalIndex(Long.parseLong(v.substring("seq:".length())));
            } catch (NumberFormatException e) {
                throw invalid(at);
            }
        }
        try {
            return new PointInTime.AtTime(Timestamps.parse(v, "at"));
        } catch (DockerApiException e) {
            throw invalid(at);
        }
    }

    private static DockerApiException invalid(String at) {
        return DockerApiException.badRequest("invalid value for at: \"" + at + "\"; " + FORMATS);
    }
}
