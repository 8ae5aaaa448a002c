package io.tally.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in tests with commons-compress, so no binary fixtures are needed. */
final class TarBuilder {

    static final FileTime DEFAULT_MTIME = FileTime.fromMillis(1_600_000_000_000L);

    private final List<Spec> specs = new ArrayList<>();

    static Spec dir(String name) {
        return new Spec(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR).mode(0755);
    }

    static Spec file(String name, String content) {
        return new Spec(name, TarConstants.LF_NORMAL).mode(0644).content(content.getBytes(StandardCharsets.UTF_8));
    }

    static Spec symlink(String name, String target) {
        return new Spec(name, TarConstants.LF_SYMLINK).mode(0777).link(target);
    }

    static Spec hardLink(String name, String target) {
        return new Spec(name, TarConstants.LF_LINK).link(target);
    }

    static Spec charDevice(String name, int major, int minor) {
        return new Spec(name, TarConstants.LF_CHR).mode(0666).device(major, minor);
    }

    static Spec blockDevice(String name, int major, int minor) {
        return new Spec(name, TarConstants.LF_BLK).mode(0660).device(major, minor);
    }

    static Spec fifo(String name) {
        return new Spec(name, TarConstants.LF_FIFO).mode(0644);
    }

    TarBuilder add(Spec... entries) {
        specs.addAll(List.of(entries));
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            // One PAX header per entry, written by Spec itself: commons-compress would add a second one
            // (for long names or sub-second times), and readers disagree on how two combine.
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_TRUNCATE);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            for (Spec spec : specs) {
                spec.writeTo(tar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static final class Spec {
        final String name;
        final byte type;
        int mode;
        long uid;
        long gid;
        FileTime mtime = DEFAULT_MTIME;
        byte[] content = new byte[0];
        String link;
        int major;
        int minor;
        final Map<String, byte[]> xattrs = new LinkedHashMap<>();

        Spec(String name, byte type) {
            this.name = name;
            this.type = type;
        }

        Spec mode(int mode) {
            this.mode = mode;
            return this;
        }

        Spec owner(long uid, long gid) {
            this.uid = uid;
            this.gid = gid;
            return this;
        }

        Spec mtime(FileTime mtime) {
            this.mtime = mtime;
            return this;
        }

        Spec content(byte[] content) {
            this.content = content;
            return this;
        }

        Spec link(String link) {
            this.link = link;
            return this;
        }

        Spec device(int major, int minor) {
            this.major = major;
            this.minor = minor;
            return this;
        }

        Spec xattr(String name, byte[] value) {
            xattrs.put(name, value);
            return this;
        }

        void writeTo(TarArchiveOutputStream tar) throws IOException {
            Map<String, byte[]> records = new LinkedHashMap<>();
            if (name.length() > 100 || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
                records.put("path", name.getBytes(StandardCharsets.UTF_8));
            }
            if (link != null && (link.length() > 100 || !StandardCharsets.US_ASCII.newEncoder().canEncode(link))) {
                records.put("linkpath", link.getBytes(StandardCharsets.UTF_8));
            }
            xattrs.forEach((key, value) -> records.put("SCHILY.xattr." + key, value));
            var instant = mtime.toInstant();
            if (instant.getNano() != 0) {
                records.put("mtime", String.format("%d.%09d", instant.getEpochSecond(), instant.getNano())
                        .getBytes(StandardCharsets.US_ASCII));
            }
            if (!records.isEmpty()) {
                // A raw PAX header, like Go and GNU tar write: commons-compress would UTF-8-encode values.
                byte[] data = PaxRecords.encode(records);
                TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
                pax.setSize(data.length);
                pax.setModTime(0);
                tar.putArchiveEntry(pax);
                tar.write(data);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setMode(mode);
            entry.setUserId(uid);
            entry.setGroupId(gid);
            entry.setUserName("");
            entry.setGroupName("");
            entry.setLastModifiedTime(mtime);
            if (link != null) {
                entry.setLinkName(link);
            }
            if (type == TarConstants.LF_CHR || type == TarConstants.LF_BLK) {
                entry.setDevMajor(major);
                entry.setDevMinor(minor);
            }
            if (type == TarConstants.LF_NORMAL) {
                entry.setSize(content.length);
            }
            tar.putArchiveEntry(entry);
            if (type == TarConstants.LF_NORMAL) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        }
    }
}
