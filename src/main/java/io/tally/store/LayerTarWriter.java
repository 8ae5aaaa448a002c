package io.tally.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory in overlayfs format (an unpacked layer, or a container's upper dir) as a layer tar:
 * the inverse of {@link TarUnpacker}. This is how {@code docker commit} and {@code docker save} get layers.
 *
 * <p>The output depends only on the tree, so the same tree always has the same diff id: entries are
 * sorted by name, times are truncated to whole seconds (as Docker does), owners are numeric with no
 * user names. Overlay whiteouts (0/0 character devices) become {@code .wh.NAME} entries, opaque directories
 * get a {@code .wh..wh..opq} entry, hard links are found by inode, sockets are skipped (they cannot be
 * archived), and xattrs are written raw as PAX {@code SCHILY.xattr.*} records, except overlayfs's own and
 * {@code security.selinux} (a host label, not image content).
 *
 * <p>An upper dir that relies on overlayfs features spreading a file over layers (redirect_dir, metacopy)
 * is refused: mount container overlays with {@code redirect_dir=off,metacopy=off} (the kernel defaults
 * unless configured otherwise) so that the upper dir is a self-contained diff.
 */
public final class LayerTarWriter {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private static final int USTAR_NAME_LENGTH = 100;
    private static final String REDIRECT_XATTR = "trusted.overlay.redirect";
    private static final String METACOPY_XATTR = "trusted.overlay.metacopy";
    /** Newer kernels can also mark a whiteout with an xattr on an empty regular file. */
    private static final String XATTR_WHITEOUT = "trusted.overlay.whiteout";

    private final NativeFs fs = NativeFs.get();

    /** Writes {@code dir} (not including the directory itself) as a layer tar to {@code out}, left open. */
    public static void writeDirectoryAsTar(Path dir, OutputStream out) throws IOException {
        new LayerTarWriter().write(dir, out);
    }

    public void write(Path dir, OutputStream out) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new KeepOpen(out), StandardCharsets.UTF_8.name())) {
            // Long names and binary xattrs go into a PAX header this class writes itself (there can be
            // only one per entry), so commons-compress must not add its own.
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_TRUNCATE);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            new Walk(tar).directoryContents(dir, "");
            tar.finish();
        }
    }

    /** One traversal: remembers inodes already written, to emit later names as hard links. */
    private final class Walk {

        private final TarArchiveOutputStream tar;
        private final Map<InodeKey, String> firstNameByInode = new HashMap<>();

        Walk(TarArchiveOutputStream tar) {
            this.tar = tar;
        }

        void directoryContents(Path dir, String prefix) throws IOException {
            for (Path child : sortedChildren(dir)) {
                String name = prefix + child.getFileName().toString();
                entry(child, name);
            }
        }

        private void entry(Path path, String name) throws IOException {
            FileAttrs attrs = FileAttrs.of(path);
            int type = attrs.mode() & S_IFMT;
            if (type == S_IFSOCK) {
                return;
            }
            Map<String, byte[]> xattrs = readXattrs(path, name);
            if (isWhiteout(type, attrs, xattrs)) {
                writeWhiteout(parentOf(name) + Whiteouts.PREFIX + baseName(name), attrs);
                return;
            }
            if (type != S_IFDIR && attrs.nlink() > 1) {
                String first = firstNameByInode.putIfAbsent(new InodeKey(attrs.dev(), attrs.ino()), name);
                if (first != null) {
                    TarArchiveEntry link = newEntry(name, TarConstants.LF_LINK, attrs);
                    link.setLinkName(first);
                    put(link, Map.of(), null);
                    return;
                }
            }
            boolean opaque = type == S_IFDIR && isOpaque(xattrs);
            xattrs.keySet().removeIf(LayerTarWriter::isExcludedXattr);
            switch (type) {
                case S_IFDIR -> {
                    put(newEntry(name + "/", TarConstants.LF_DIR, attrs), xattrs, null);
                    if (opaque) {
                        writeWhiteout(name + "/" + Whiteouts.OPAQUE_MARKER, attrs);
                    }
                    directoryContents(path, name + "/");
                }
                case S_IFREG -> {
                    TarArchiveEntry entry = newEntry(name, TarConstants.LF_NORMAL, attrs);
                    entry.setSize(attrs.size());
                    put(entry, xattrs, path);
                }
                case S_IFLNK -> {
                    TarArchiveEntry entry = newEntry(name, TarConstants.LF_SYMLINK, attrs);
                    entry.setLinkName(fs.readlink(path));
                    put(entry, xattrs, null);
                }
                case S_IFCHR, S_IFBLK -> {
                    TarArchiveEntry entry = newEntry(name, type == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK, attrs);
                    entry.setDevMajor(NativeFs.major(attrs.rdev()));
                    entry.setDevMinor(NativeFs.minor(attrs.rdev()));
                    put(entry, xattrs, null);
                }
                case S_IFIFO -> put(newEntry(name, TarConstants.LF_FIFO, attrs), xattrs, null);
                default -> throw new IOException("cannot archive " + path + ": unknown file type " + Integer.toOctalString(type));
            }
        }

        private Map<String, byte[]> readXattrs(Path path, String name) throws IOException {
            Map<String, byte[]> xattrs = new TreeMap<>();
            for (String xattr : fs.llistxattr(path)) {
                if (xattr.equals(REDIRECT_XATTR) || xattr.equals(METACOPY_XATTR)) {
                    throw new IOException("cannot archive '" + name + "': it has " + xattr
                            + ", so its content lives in a lower layer; mount with redirect_dir=off,metacopy=off");
                }
                byte[] value = fs.lgetxattr(path, xattr);
                if (value != null) {
                    xattrs.put(xattr, value);
                }
            }
            return xattrs;
        }

        private void writeWhiteout(String name, FileAttrs attrs) throws IOException {
            TarArchiveEntry entry = newEntry(name, TarConstants.LF_NORMAL, attrs);
            entry.setMode(0600);
            entry.setSize(0);
            put(entry, Map.of(), null);
        }

        private void put(TarArchiveEntry entry, Map<String, byte[]> xattrs, Path content) throws IOException {
            Map<String, byte[]> pax = paxRecords(entry, xattrs);
            if (!pax.isEmpty()) {
                byte[] data = PaxRecords.encode(pax);
                TarArchiveEntry header = new TarArchiveEntry(paxHeaderName(entry.getName()),
                        TarConstants.LF_PAX_EXTENDED_HEADER_LC);
                header.setUserName("");
                header.setGroupName("");
                header.setModTime(entry.getLastModifiedTime());
                header.setSize(data.length);
                tar.putArchiveEntry(header);
                tar.write(data);
                tar.closeArchiveEntry();
            }
            tar.putArchiveEntry(entry);
            if (content != null) {
                copyExactly(content, entry.getSize());
            }
            tar.closeArchiveEntry();
        }

        /** A file that grows or shrinks while archived would corrupt the tar: fail instead. */
        private void copyExactly(Path file, long size) throws IOException {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                long copied = in.transferTo(new LimitedOutput(tar, size));
                if (copied != size) {
                    throw new IOException(file + " changed size while being archived (" + size + " -> " + copied + ")");
                }
            }
        }
    }

    private static TarArchiveEntry newEntry(String name, byte type, FileAttrs attrs) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(attrs.mode() & 07777);
        entry.setUserId(attrs.uid());
        entry.setGroupId(attrs.gid());
        // commons-compress fills in the current user's name; layers carry numeric owners only.
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(attrs.modifiedTime().to(TimeUnit.SECONDS), TimeUnit.SECONDS));
        return entry;
    }

    /** What the ustar header cannot hold: long or non-ASCII names, and xattrs with their exact bytes. */
    private static Map<String, byte[]> paxRecords(TarArchiveEntry entry, Map<String, byte[]> xattrs) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        if (!fitsUstar(entry.getName())) {
            records.put("path", entry.getName().getBytes(StandardCharsets.UTF_8));
        }
        String linkName = entry.getLinkName();
        if (linkName != null && !linkName.isEmpty() && !fitsUstar(linkName)) {
            records.put("linkpath", linkName.getBytes(StandardCharsets.UTF_8));
        }
        xattrs.forEach((name, value) -> records.put(PaxRecords.XATTR_PREFIX + name, value));
        return records;
    }

    private static boolean fitsUstar(String name) {
        return name.length() <= USTAR_NAME_LENGTH && StandardCharsets.US_ASCII.newEncoder().canEncode(name);
    }

    private static String paxHeaderName(String entryName) {
        String base = baseName(entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName);
        String ascii = base.replaceAll("[^\\x20-\\x7e]", "_");
        return "PaxHeaders/" + ascii.substring(0, Math.min(ascii.length(), 80));
    }

    private static boolean isWhiteout(int type, FileAttrs attrs, Map<String, byte[]> xattrs) {
        if (type == S_IFCHR && attrs.rdev() == 0) {
            return true;
        }
        return type == S_IFREG && attrs.size() == 0 && xattrs.containsKey(XATTR_WHITEOUT);
    }

    private static boolean isOpaque(Map<String, byte[]> xattrs) {
        byte[] value = xattrs.get(Whiteouts.OPAQUE_XATTR);
        return value != null && value.length == 1 && value[0] == Whiteouts.OPAQUE_VALUE[0];
    }

    private static boolean isExcludedXattr(String name) {
        return Whiteouts.isOverlayXattr(name) || name.equals("security.selinux");
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> sorted = new ArrayList<>(children.toList());
            sorted.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            return sorted;
        }
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash + 1);
    }

    private static String baseName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private record InodeKey(long dev, long ino) {
    }

    /** lstat results from NIO's "unix" view, which has everything tar needs without native calls. */
    private record FileAttrs(int mode, long uid, long gid, long size, long nlink, long dev, long ino, long rdev,
                             FileTime modifiedTime) {

        static FileAttrs of(Path path) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size,nlink,dev,ino,rdev,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            return new FileAttrs((Integer) a.get("mode"), ((Integer) a.get("uid")) & 0xffffffffL,
                    ((Integer) a.get("gid")) & 0xffffffffL, (Long) a.get("size"), ((Integer) a.get("nlink")),
                    (Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("rdev"), (FileTime) a.get("lastModifiedTime"));
        }
    }

    /** Copies at most {@code limit} bytes into the tar entry and counts the rest, so growth is detected. */
    private static final class LimitedOutput extends FilterOutputStream {
        private long remaining;

        LimitedOutput(OutputStream out, long limit) {
            super(out);
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            int allowed = (int) Math.min(length, Math.max(remaining, 0));
            if (allowed > 0) {
                out.write(buffer, offset, allowed);
            }
            remaining -= length;
        }

        @Override
        public void close() {
            // the tar stream is closed by its owner
        }
    }

    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
