package io.tally.runtime.runc;

import java.util.List;

/**
 * The process identity {@link UserResolver} found in the container's /etc/passwd and /etc/group:
 * {@code additionalGids} is what goes to setgroups(2) (Docker puts the primary gid first), {@code home} the
 * passwd home directory ("/" when the user has no passwd entry, like runc).
 */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
        home = home == null || home.isEmpty() ? "/" : home;
    }
}
