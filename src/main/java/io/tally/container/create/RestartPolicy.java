package io.tally.container.create;

import io.tally.events.DomainException;

import java.time.Duration;
import java.util.Map;

/**
 * Docker's restart policies: no, always, unless-stopped, on-failure[:N]. The back-off doubles from
 * 100 ms up to one minute and starts over once a run lasted at least ten seconds.
 */
public record RestartPolicy(String name, int maximumRetryCount) {
    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 60_000;
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    /** The policy of a HostConfig, checked as at create. */
    public static RestartPolicy of(Map<String, Object> hostConfig) {
        RestartPolicy policy = HostConfig.parse(hostConfig).restartPolicy();
        policy.check();
        return policy;
    }

    /** As sent, unchecked: a stored policy was checked when its container was created. */
    static RestartPolicy read(String name, long maximumRetryCount) {
        int max = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, maximumRetryCount));
        return name.isEmpty() || (name.equals("no") && max == 0) ? NO : new RestartPolicy(name, max);
    }

    /** @throws DomainException INVALID with Docker's words */
    void check() {
        switch (name) {
            case "no", "always", "unless-stopped" -> {
                if (maximumRetryCount != 0) {
                    throw DomainException.invalid("maximum retry count cannot be used with restart policy '" + name + "'");
                }
            }
            case "on-failure" -> {
                if (maximumRetryCount < 0) {
                    throw DomainException.invalid("maximum retry count cannot be negative");
                }
            }
            default -> throw DomainException.invalid("invalid restart policy '" + name + "'");
        }
    }

    public boolean isNone() {
        return name.equals("no");
    }

    /** Whether the process that just ended with {@code exitCode} is started again, given how many policy restarts happened already. */
    public boolean restartsAfter(int exitCode, int restartsSoFar, boolean stopRequested) {
        if (stopRequested) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restartsSoFar < maximumRetryCount);
            default -> false;
        };
    }

    /** Back-off before the next restart, from the previous delay and how long the last run lasted. */
    public static long nextDelayMillis(long previousDelayMillis, Duration lastRun) {
        if (previousDelayMillis <= 0 || lastRun.compareTo(RESET_AFTER) >= 0) {
            return FIRST_DELAY_MILLIS;
        }
        return Math.min(previousDelayMillis * 2, MAX_DELAY_MILLIS);
    }

    public boolean startsWithDaemon(boolean stoppedByUser) {
        return name.equals("always") || (name.equals("unless-stopped") && !stoppedByUser);
    }
}
