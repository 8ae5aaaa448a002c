package io.tally.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hashes (sha256) and counts every byte read through it, so content is addressed while it streams. */
final class HashingInputStream extends FilterInputStream {

    private final MessageDigest sha256 = Digest.newSha256();
    private long count;

    HashingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            sha256.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    /** Skipped bytes must still be hashed, so skip reads them. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads to the end so the digest covers the whole stream, not just what a parser chose to consume. */
    void drain() throws IOException {
        byte[] buffer = new byte[65536];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashing happens in read
        }
    }

    long count() {
        return count;
    }

    /** The digest of everything read so far; call once, at the end. */
    Digest digest() {
        return Digest.sha256(HexFormat.of().formatHex(sha256.digest()));
    }
}
