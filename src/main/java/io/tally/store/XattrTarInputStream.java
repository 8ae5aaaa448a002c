package io.tally.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A {@link TarArchiveInputStream} that also keeps each entry's xattrs as raw bytes.
 *
 * <p>commons-compress reads a PAX extended header through this stream's own {@code read} while the
 * current entry is the header itself, then recurses into {@code getNextEntry} for the real entry. So the
 * raw header bytes are captured in {@code read} and parsed once the outermost {@code getNextEntry}
 * returns: no tar parsing is duplicated here.
 */
final class XattrTarInputStream extends TarArchiveInputStream {

    /** Larger PAX headers than this are refused rather than buffered. */
    private static final int MAX_PAX_HEADER_BYTES = 16 * 1024 * 1024;

    private final ByteArrayOutputStream paxHeader = new ByteArrayOutputStream();
    private int depth;
    private Map<String, byte[]> xattrs = Map.of();

    XattrTarInputStream(InputStream in) {
        super(in, StandardCharsets.UTF_8.name());
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        if (depth == 0) {
            paxHeader.reset();
        }
        depth++;
        try {
            TarArchiveEntry entry = super.getNextEntry();
            if (depth == 1) {
                xattrs = entry == null ? Map.of() : collectXattrs(entry);
            }
            return entry;
        } finally {
            depth--;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        TarArchiveEntry current = getCurrentEntry();
        if (n > 0 && current != null && current.isPaxHeader()) {
            if (paxHeader.size() + n > MAX_PAX_HEADER_BYTES) {
                throw new InvalidLayerException(null, "PAX extended header larger than " + MAX_PAX_HEADER_BYTES
                        + " bytes");
            }
            paxHeader.write(buffer, offset, n);
        }
        return n;
    }

    /** The current entry's xattrs, by name, with their exact bytes. */
    Map<String, byte[]> xattrs() {
        return xattrs;
    }

    private Map<String, byte[]> collectXattrs(TarArchiveEntry entry) throws InvalidLayerException {
        // Global PAX headers reach us only as commons-compress's decoded strings; per-entry ones raw.
        Map<String, byte[]> result = new LinkedHashMap<>();
        entry.getExtraPaxHeaders().forEach((key, value) -> {
            if (key.startsWith(PaxRecords.XATTR_PREFIX) && key.length() > PaxRecords.XATTR_PREFIX.length()) {
                result.put(key.substring(PaxRecords.XATTR_PREFIX.length()), value.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (paxHeader.size() > 0) {
            result.putAll(PaxRecords.xattrs(PaxRecords.parse(paxHeader.toByteArray())));
        }
        return result;
    }
}
