package io.tally.store;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Lets a wrapper (decompressor, tar reader) be closed without closing the caller's stream. */
final class NonClosingInputStream extends FilterInputStream {

    NonClosingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // the caller owns the underlying stream
    }
}
