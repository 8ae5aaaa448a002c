package io.tally.store;

import java.io.IOException;

/** Content did not hash to the digest it was announced with; nothing was stored. */
public class DigestMismatchException extends IOException {

    private final transient Digest expected;
    private final transient Digest actual;

    public DigestMismatchException(String what, Digest expected, Digest actual) {
        super(what + " digest mismatch: expected " + expected + ", got " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public Digest expected() {
        return expected;
    }

    public Digest actual() {
        return actual;
    }
}
