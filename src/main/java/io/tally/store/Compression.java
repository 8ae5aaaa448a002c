package io.tally.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

/**
 * Layer compressions, recognised by their magic bytes rather than by media type: registries and
 * {@code docker load} archives are not always honest about the media type, the bytes always are.
 */
public enum Compression {
    NONE,
    GZIP,
    ZSTD,
    BZIP2;

    private static final int MAGIC_LENGTH = 6;

    /** Wraps {@code in} so that reading it yields the uncompressed bytes. */
    public static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 65536);
        Compression compression = detect(buffered);
        return switch (compression) {
            case NONE -> buffered;
            case GZIP -> new GZIPInputStream(buffered, 65536);
            case ZSTD -> new ZstdInputStreamNoFinalizer(buffered);
            case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
        };
    }

    /** Peeks at the first bytes of {@code in} (which must support mark/reset) without consuming them. */
    public static Compression detect(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("detect needs a stream that supports mark/reset");
        }
        in.mark(MAGIC_LENGTH);
        byte[] magic = in.readNBytes(MAGIC_LENGTH);
        in.reset();
        if (startsWith(magic, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (startsWith(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
            return ZSTD;
        }
        if (startsWith(magic, 'B', 'Z', 'h')) {
            return BZIP2;
        }
        if (startsWith(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            throw new InvalidLayerException(null, "xz-compressed layers are not supported; use gzip or zstd");
        }
        return NONE;
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
