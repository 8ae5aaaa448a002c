package io.tally.runtime.host;

/** The host's user accounts, for naming who made a request. */
public interface HostUsers {

    /** The name of the account with {@code uid}, or null when there is none. */
    String nameOf(int uid);
}
