package io.tally.container.state;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a container is in its life, as Docker names it ({@code State.Status} of `docker inspect`,
 * {@code State} of `docker ps`). The words are part of Docker's API and of Tally's stored read
 * models, so each constant keeps its word rather than deriving it from the constant's name.
 */
public enum ContainerStatus {
    CREATED("created"),
    RUNNING("running"),
    PAUSED("paused"),
    RESTARTING("restarting"),
    REMOVING("removing"),
    EXITED("exited"),
    DEAD("dead");

    private final String word;

    ContainerStatus(String word) {
        this.word = word;
    }

    /** Docker's word for this status, as JSON answers and the read models' {@code state} columns carry it. */
    @JsonValue
    public String word() {
        return word;
    }

    /** The status Docker calls {@code word}; empty for any other word (e.g. an unknown filter value). */
    public static Optional<ContainerStatus> named(String word) {
        return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst();
    }

    /** The status Docker calls {@code word}, which must be one of Docker's words (e.g. read back from a row). */
    public static ContainerStatus of(String word) {
        return named(word).orElseThrow(() -> new IllegalArgumentException("not a container status: " + word));
    }

    /** Whether the container's process exists: running, or frozen by a pause. */
    public boolean hasProcess() {
        return this == RUNNING || this == PAUSED;
    }

    @Override
    public String toString() {
        return word;
    }
}
