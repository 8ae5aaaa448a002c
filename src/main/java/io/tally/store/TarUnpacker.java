package io.tally.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Unpacks a layer tar into a directory in overlayfs format, refusing anything that would reach outside it.
 *
 * <p>What is restored: regular files, directories, symlinks, hard links, character and block devices,
 * fifos; numeric owner (the tar's uid/gid, never its user names), all 12 mode bits, mtimes (also of
 * symlinks) and xattrs from PAX {@code SCHILY.xattr.*} records. OCI whiteouts become overlay whiteouts.
 *
 * <p>Safety: entry names are resolved lexically against the layer root (see {@link EntryName}); every
 * parent component is checked with lstat to be a real directory, so nothing is ever written through a
 * symlink, not even one the same archive created; the final component is created with O_CREAT|O_EXCL and
 * O_NOFOLLOW semantics; hard links may only point at non-directories already unpacked in this layer.
 * Only this process writes into the (private, temporary) target, so there is no race between the
 * lstat checks and the writes.
 *
 * <p>Needs root: lchown, mknod and {@code trusted.*} xattrs are privileged.
 */
public final class TarUnpacker {

    private final NativeFs fs = NativeFs.get();

    /**
     * Unpacks the uncompressed tar {@code tar} into {@code target}, an existing, empty directory. Reads up
     * to the end-of-archive marker and leaves {@code tar} open.
     *
     * <p>On failure {@code target} is left partly written: unpack into a temporary directory and delete
     * it if this throws (as {@link OverlayLayerStore} does).
     *
     * @throws InvalidLayerException for a damaged archive or an unsupported entry
     * @throws MaliciousLayerException for an entry that would write outside {@code target}
     */
    public void unpack(InputStream tar, Path target) throws IOException {
        Unpacking unpacking = new Unpacking(target);
        XattrTarInputStream in = new XattrTarInputStream(new NonClosingInputStream(tar));
        TarArchiveEntry entry;
        while ((entry = nextEntry(in)) != null) {
            try {
                unpacking.apply(entry, in);
            } catch (InvalidLayerException e) {
                throw e;
            } catch (EOFException e) {
                throw new InvalidLayerException(entry.getName(), "the archive ends inside this entry (truncated?)", e);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).startsWith("Truncated TAR archive")) {
                    throw new InvalidLayerException(entry.getName(), "the archive ends inside this entry (truncated?)", e);
                }
                throw new IOException("cannot unpack layer entry '" + entry.getName() + "': " + e.getMessage(), e);
            }
        }
        unpacking.finish();
    }

    private static TarArchiveEntry nextEntry(XattrTarInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (InvalidLayerException e) {
            throw e;
        } catch (EOFException e) {
            throw new InvalidLayerException(null, "the archive is truncated: " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            // commons-compress reports header damage as IOException or IllegalArgumentException
            throw new InvalidLayerException(null, "damaged tar archive: " + e.getMessage(), e);
        }
    }

    /** The state of one unpack: the root and the directories whose times are set last. */
    private final class Unpacking {

        private final Path root;
        /** A directory's mtime changes whenever an entry is created in it, so set them all at the end. */
        private final List<DirectoryTimes> directoryTimes = new ArrayList<>();

        Unpacking(Path root) throws IOException {
            BasicFileAttributes attrs = lstat(root);
            if (attrs == null || !attrs.isDirectory()) {
                throw new IOException("unpack target " + root + " is not a directory");
            }
            this.root = root;
        }

        void apply(TarArchiveEntry entry, XattrTarInputStream in) throws IOException {
            String name = entry.getName();
            List<String> components = EntryName.components(name, name, "name");
            if (components.isEmpty()) {
                // "./": the layer root's own metadata; Docker ignores it too, the upper dir decides.
                return;
            }
            String base = components.get(components.size() - 1);
            if (!base.equals(Whiteouts.OPAQUE_MARKER) && (base.startsWith(Whiteouts.METADATA_PREFIX)
                    || components.get(0).startsWith(Whiteouts.METADATA_PREFIX))) {
                return; // AUFS bookkeeping (.wh..wh.plnk/...) from very old layers, meaningless here
            }
            Path dir = parentDirectory(name, components);
            if (base.equals(Whiteouts.OPAQUE_MARKER)) {
                fs.lsetxattr(dir, Whiteouts.OPAQUE_XATTR, Whiteouts.OPAQUE_VALUE);
                return;
            }
            if (base.startsWith(Whiteouts.PREFIX)) {
                whiteout(entry, dir, base.substring(Whiteouts.PREFIX.length()));
                return;
            }
            Path path = dir.resolve(base);
            if (isDirectory(entry)) {
                directory(path);
            } else {
                replaceExisting(path);
                create(entry, in, path);
            }
            if (entry.getLinkFlag() != TarConstants.LF_LINK) {
                applyMetadata(entry, in.xattrs(), path);
            }
        }

        void finish() throws IOException {
            for (DirectoryTimes times : directoryTimes) {
                BasicFileAttributes attrs = lstat(times.path());
                // A later entry may have replaced the directory; its times are not ours to set then.
                if (attrs != null && attrs.isDirectory()) {
                    fs.setTimesNoFollow(times.path(), times.accessTime(), times.modifiedTime());
                }
            }
        }

        /** Walks to the entry's parent, creating missing directories, never passing through a symlink. */
        private Path parentDirectory(String entry, List<String> components) throws IOException {
            Path dir = root;
            for (int i = 0; i < components.size() - 1; i++) {
                Path next = dir.resolve(components.get(i));
                BasicFileAttributes attrs = lstat(next);
                if (attrs == null) {
                    Files.createDirectory(next);
                    // Implicit parents get Docker's 0755 whatever the process umask is.
                    fs.chmod(next, 0755);
                } else if (attrs.isSymbolicLink()) {
                    throw new MaliciousLayerException(entry, "would be written through the symlink '"
                            + String.join("/", components.subList(0, i + 1)) + "'");
                } else if (!attrs.isDirectory()) {
                    throw new InvalidLayerException(entry, "parent '"
                            + String.join("/", components.subList(0, i + 1)) + "' is not a directory");
                }
                dir = next;
            }
            return dir;
        }

        private void directory(Path path) throws IOException {
            BasicFileAttributes existing = lstat(path);
            if (existing != null && existing.isDirectory()) {
                return; // a repeated directory entry updates metadata only, as in Docker
            }
            replaceExisting(path);
            Files.createDirectory(path);
        }

        private void create(TarArchiveEntry entry, XattrTarInputStream in, Path path) throws IOException {
            String name = entry.getName();
            byte type = entry.getLinkFlag();
            switch (type) {
                case TarConstants.LF_OLDNORM, TarConstants.LF_NORMAL, TarConstants.LF_CONTIG,
                     TarConstants.LF_GNUTYPE_SPARSE -> regularFile(entry, in, path);
                case TarConstants.LF_SYMLINK -> {
                    String target = entry.getLinkName();
                    if (target == null || target.isEmpty()) {
                        throw new InvalidLayerException(name, "symlink has an empty target");
                    }
                    // Any target is fine: it is stored, never followed while unpacking.
                    fs.symlink(target, path);
                }
                case TarConstants.LF_LINK -> hardLink(name, entry.getLinkName(), path);
                case TarConstants.LF_CHR -> fs.mknod(path, NativeFs.S_IFCHR | (entry.getMode() & 07777),
                        entry.getDevMajor(), entry.getDevMinor());
                case TarConstants.LF_BLK -> fs.mknod(path, NativeFs.S_IFBLK | (entry.getMode() & 07777),
                        entry.getDevMajor(), entry.getDevMinor());
                case TarConstants.LF_FIFO -> fs.mknod(path, NativeFs.S_IFIFO | (entry.getMode() & 07777), 0, 0);
                default -> throw new InvalidLayerException(name, "unsupported tar entry type '"
                        + (char) type + "'");
            }
        }

        private void regularFile(TarArchiveEntry entry, XattrTarInputStream in, Path path) throws IOException {
            if (!in.canReadEntryData(entry)) {
                throw new InvalidLayerException(entry.getName(), "tar entry format not supported (old GNU sparse)");
            }
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(out);
            }
        }

        private void hardLink(String entry, String linkName, Path path) throws IOException {
            List<String> target = EntryName.components(entry, linkName, "hard link target");
            if (target.isEmpty()) {
                throw new InvalidLayerException(entry, "hard link to the layer root");
            }
            Path existing = root;
            for (int i = 0; i < target.size(); i++) {
                existing = existing.resolve(target.get(i));
                BasicFileAttributes attrs = lstat(existing);
                boolean last = i == target.size() - 1;
                if (attrs == null) {
                    throw new MaliciousLayerException(entry, "hard link target '" + linkName
                            + "' is not an entry of this layer");
                }
                if (!last && !attrs.isDirectory()) {
                    // A symlink here would make the kernel resolve the link target outside the layer.
                    throw new MaliciousLayerException(entry, "hard link target '" + linkName + "' passes through '"
                            + String.join("/", target.subList(0, i + 1)) + "', which is not a directory");
                }
                if (last && attrs.isDirectory()) {
                    throw new InvalidLayerException(entry, "hard link target '" + linkName + "' is a directory");
                }
            }
            // link(2) does not follow a symlink in its last component: a link to a symlink links the symlink.
            Files.createLink(path, existing);
        }

        private void whiteout(TarArchiveEntry entry, Path dir, String hidden) throws IOException {
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new InvalidLayerException(entry.getName(), "whiteout for '" + hidden + "' names no file");
            }
            Path path = dir.resolve(hidden);
            replaceExisting(path);
            fs.mknod(path, NativeFs.S_IFCHR, 0, 0);
            fs.lchown(path, entry.getLongUserId(), entry.getLongGroupId());
            FileTime mtime = entry.getLastModifiedTime();
            fs.setTimesNoFollow(path, accessTime(entry, mtime), mtime);
        }

        /** Later entries replace earlier ones with the same name, except directory over directory. */
        private void replaceExisting(Path path) throws IOException {
            BasicFileAttributes attrs = lstat(path);
            if (attrs == null) {
                return;
            }
            if (attrs.isDirectory()) {
                FileTrees.deleteRecursively(path);
            } else {
                Files.delete(path);
            }
        }

        private void applyMetadata(TarArchiveEntry entry, Map<String, byte[]> xattrs, Path path) throws IOException {
            boolean symlink = entry.getLinkFlag() == TarConstants.LF_SYMLINK;
            fs.lchown(path, entry.getLongUserId(), entry.getLongGroupId());
            if (!symlink) {
                // After lchown, which clears setuid/setgid.
                fs.chmod(path, entry.getMode());
            }
            for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
                setXattr(entry.getName(), path, xattr.getKey(), xattr.getValue());
            }
            FileTime mtime = entry.getLastModifiedTime();
            FileTime atime = accessTime(entry, mtime);
            if (isDirectory(entry)) {
                directoryTimes.add(new DirectoryTimes(path, atime, mtime));
            } else {
                fs.setTimesNoFollow(path, atime, mtime);
            }
        }

        private void setXattr(String entry, Path path, String name, byte[] value) throws IOException {
            if (Whiteouts.isOverlayXattr(name)) {
                // Would let a layer forge overlayfs metadata (redirects, metacopy) in its lowerdir.
                throw new MaliciousLayerException(entry, "xattr '" + name
                        + "' is reserved for overlayfs; layers express deletions with .wh. entries");
            }
            try {
                fs.lsetxattr(path, name, value);
            } catch (ErrnoException e) {
                if (e.errno() != ErrnoException.ENOTSUP && e.errno() != ErrnoException.EPERM) {
                    throw e;
                }
                // Like Docker: a file system or namespace that refuses an xattr does not fail the pull.
                System.getLogger(TarUnpacker.class.getName()).log(System.Logger.Level.WARNING,
                        "ignored xattr {0} on layer entry {1}: {2}", name, entry, e.getMessage());
            }
        }
    }

    /** Old tars mark directories only by a trailing slash on a regular-file entry. */
    private static boolean isDirectory(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarConstants.LF_DIR
                || (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM) && entry.getName().endsWith("/");
    }

    private static FileTime accessTime(TarArchiveEntry entry, FileTime mtime) {
        FileTime atime = entry.getLastAccessTime();
        return atime != null ? atime : mtime;
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private record DirectoryTimes(Path path, FileTime accessTime, FileTime modifiedTime) {
    }
}
