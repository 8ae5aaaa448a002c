package io.tally.store;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Immutable blobs addressed by their digest: image configs, manifests, compressed layers.
 *
 * <p>A blob is either fully present and verified or absent: writes land under a temporary name and are
 * renamed into place only once their digest is known (and, if given, matches).
 */
public interface ContentStore {

    /** Stores the stream and returns its sha256 digest. */
    Digest write(InputStream content) throws IOException;

    /**
     * Stores the stream only if its digest is {@code expected}; otherwise nothing is kept and
     * {@link DigestMismatchException} names both digests.
     */
    Digest write(InputStream content, Digest expected) throws IOException;

    /** @throws BlobNotFoundException if the blob is absent */
    InputStream open(Digest digest) throws IOException;

    boolean exists(Digest digest);

    /** The blob as UTF-8 text (an image config, a manifest); empty when it is absent or cannot be read. */
    default Optional<String> readText(Digest digest) {
        if (!exists(digest)) {
            return Optional.empty();
        }
        try (InputStream in = open(digest)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @throws BlobNotFoundException if the blob is absent */
    long size(Digest digest) throws IOException;

    /** Where the blob lives (or would live); for callers that need a file, e.g. to send it with sendfile. */
    Path path(Digest digest);

    /** Removes the blob; absent blobs are not an error. */
    void delete(Digest digest) throws IOException;

    Set<Digest> list() throws IOException;

    /**
     * Deletes every blob not in {@code referenced} and returns what was deleted.
     *
     * <p>The store cannot see references that are about to be recorded (a blob written by a pull
     * whose image event is not stored yet), so callers must not run this concurrently with writes
     * whose results are not referenced yet.
     */
    Set<Digest> collect(Set<Digest> referenced) throws IOException;
}
