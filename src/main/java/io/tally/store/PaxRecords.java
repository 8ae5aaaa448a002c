package io.tally.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PAX extended header records ({@code "<length> <key>=<value>\n"}) with values kept as raw bytes.
 *
 * <p>commons-compress decodes every PAX value as UTF-8, which destroys binary xattr values such as
 * {@code security.capability}; Go's archive/tar and GNU tar write them raw. So the bytes are parsed and
 * written here instead.
 */
final class PaxRecords {

    static final String XATTR_PREFIX = "SCHILY.xattr.";

    private PaxRecords() {
    }

    /** All records, in order; a later record with the same key wins, as in the PAX spec. */
    static Map<String, byte[]> parse(byte[] data) throws InvalidLayerException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length && data[pos] != 0) {
            int space = indexOf(data, (byte) ' ', pos, data.length);
            if (space < 0) {
                throw malformed();
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw malformed();
            }
            int end = pos + length;
            if (length <= space - pos || end > data.length || data[end - 1] != '\n') {
                throw malformed();
            }
            int equals = indexOf(data, (byte) '=', space + 1, end);
            if (equals < 0) {
                throw malformed();
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, equals + 1, end - 1);
            records.put(key, value);
            pos = end;
        }
        return records;
    }

    /** The xattrs among {@code records}, by attribute name (without the SCHILY.xattr. prefix). */
    static Map<String, byte[]> xattrs(Map<String, byte[]> records) {
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        records.forEach((key, value) -> {
            if (key.startsWith(XATTR_PREFIX) && key.length() > XATTR_PREFIX.length()) {
                String name = key.substring(XATTR_PREFIX.length());
                // An empty PAX value deletes the keyword (POSIX pax), it does not set an empty attribute.
                if (value.length == 0) {
                    xattrs.remove(name);
                } else {
                    xattrs.put(name, value);
                }
            }
        });
        return xattrs;
    }

    static byte[] encode(Map<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach((key, value) -> {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            // The length prefix counts itself, so grow it until it is stable.
            int bodyLength = 1 + keyBytes.length + 1 + value.length + 1;
            int length = bodyLength + 1;
            while (length != bodyLength + Integer.toString(length).length()) {
                length = bodyLength + Integer.toString(length).length();
            }
            out.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(keyBytes);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        });
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static InvalidLayerException malformed() {
        return new InvalidLayerException(null, "malformed PAX extended header");
    }
}
