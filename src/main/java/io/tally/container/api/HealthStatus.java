package io.tally.container.api;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** A container's health as Docker words it ({@code State.Health.Status}, the ps filter {@code health=}). */
public enum HealthStatus {
    STARTING("starting"),
    HEALTHY("healthy"),
    UNHEALTHY("unhealthy");

    private final String word;

    HealthStatus(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    public static Optional<HealthStatus> named(String word) {
        return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst();
    }

    @Override
    public String toString() {
        return word;
    }
}
