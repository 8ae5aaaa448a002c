package io.tally.store;

import java.io.IOException;

/** A failed system call, with its errno so callers can tolerate specific failures (e.g. ENOTSUP). */
final class ErrnoException extends IOException {

    static final int EPERM = 1;
    static final int ENOTSUP = 95;

    private final int errno;

    ErrnoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
