package io.tally.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link ContentStore} on the local file system, laid out like containerd's:
 * {@code <root>/blobs/<algorithm>/<hex>} for blobs and {@code <root>/ingest/} for writes in progress.
 *
 * <p>The ingest directory sits under the same root so the final rename never crosses file systems and is
 * atomic: readers see a complete, verified blob or nothing. Blobs are made read-only (0444) because a
 * blob's name is a promise about its bytes.
 */
public final class FileContentStore implements ContentStore {

    private static final String INGEST_PREFIX = "write-";

    private final Path blobs;
    private final Path ingest;

    public FileContentStore(Path root) throws IOException {
        this.blobs = root.resolve("blobs");
        this.ingest = root.resolve("ingest");
        Files.createDirectories(blobs.resolve(Digest.SHA256));
        Files.createDirectories(ingest);
    }

    @Override
    public Digest write(InputStream content) throws IOException {
        return store(content, null);
    }

    @Override
    public Digest write(InputStream content, Digest expected) throws IOException {
        if (expected == null) {
            throw new IllegalArgumentException("expected digest is required; use write(InputStream) otherwise");
        }
        if (!Digest.SHA256.equals(expected.algorithm())) {
            throw new IOException("cannot verify " + expected + ": only sha256 content is stored");
        }
        return store(content, expected);
    }

    private Digest store(InputStream content, Digest expected) throws IOException {
        Path temp = Files.createTempFile(ingest, INGEST_PREFIX, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Digest actual;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                HashingInputStream hashing = new HashingInputStream(content);
                hashing.transferTo(out);
                actual = hashing.digest();
                // Data must be on disk before the rename makes the blob visible, or a crash could
                // leave a valid name over garbage.
                channel.force(true);
            }
            if (expected != null && !expected.equals(actual)) {
                throw new DigestMismatchException("blob", expected, actual);
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
            Path target = path(actual);
            // Same digest means same bytes, so replacing an existing blob is harmless.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
            return actual;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(digest);
        }
    }

    @Override
    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    @Override
    public long size(Digest digest) throws IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(digest);
        }
    }

    @Override
    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    @Override
    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    @Override
    public Set<Digest> list() throws IOException {
        Set<Digest> digests = new TreeSet<>();
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
            for (Path algorithmDir : algorithms) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(algorithmDir)) {
                    for (Path file : files) {
                        parse(algorithmDir.getFileName().toString(), file.getFileName().toString())
                                .ifPresent(digests::add);
                    }
                }
            }
        }
        return digests;
    }

    @Override
    public Set<Digest> collect(Set<Digest> referenced) throws IOException {
        Set<Digest> removed = new TreeSet<>();
        for (Digest digest : list()) {
            if (!referenced.contains(digest)) {
                delete(digest);
                removed.add(digest);
            }
        }
        return removed;
    }

    /**
     * Deletes writes that a crash left behind in the ingest directory. Call once at start-up, before
     * any write: it cannot tell an abandoned write from one in progress.
     */
    public void removeIncompleteWrites() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ingest, INGEST_PREFIX + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static java.util.Optional<Digest> parse(String algorithm, String hex) {
        try {
            return java.util.Optional.of(new Digest(algorithm, hex));
        } catch (IllegalArgumentException notABlob) {
            return java.util.Optional.empty();
        }
    }

    /** Makes the rename itself durable. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
