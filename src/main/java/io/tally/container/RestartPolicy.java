package io.tally.container;

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

    @SuppressWarnings("unchecked")
    public static RestartPolicy of(Map<String, Object> hostConfig) {
        Object raw = hostConfig == null ? null : hostConfig.get("RestartPolicy");
        if (!(raw instanceof Map<?, ?> m)) {
            return NO;
        }
        Map<String, Object> policy = (Map<String, Object>) m;
        String name = policy.get("Name") == null ? "" : policy.get("Name").toString();
        int max = policy.get("MaximumRetryCount") instanceof Number n ? n.intValue() : 0;
        return switch (name) {
            case "", "no" -> NO;
            case "always", "unless-stopped" -> {
                if (max != 0) {
                    throw DomainException.invalid("maximum retry count cannot be used with restart policy '" + name + "'");
                }
                yield new RestartPolicy(name, 0);
            }
            case "on-failure" -> {
                if (max < 0) {
                    throw DomainException.invalid("maximum retry count cannot be negative");
                }
                yield new RestartPolicy(name, max);
            }
            default -> throw DomainException.invalid("invalid restart policy '" + name + "': use no, always, unless-stopped or on-failure[:max-retries]");
        };
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
