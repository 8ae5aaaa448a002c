package io.tally.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** lstat(2) for assertions in tests. */
record Lstat(int mode, int uid, int gid, long size, int nlink, long ino, long rdev, FileTime mtime) {

    static Lstat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size,nlink,ino,rdev,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        return new Lstat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                (Integer) a.get("nlink"), (Long) a.get("ino"), (Long) a.get("rdev"), (FileTime) a.get("lastModifiedTime"));
    }

    int type() {
        return mode & 0170000;
    }

    int permissions() {
        return mode & 07777;
    }

    int major() {
        return NativeFs.major(rdev);
    }

    int minor() {
        return NativeFs.minor(rdev);
    }

    static final int DIR = 0040000;
    static final int REG = 0100000;
    static final int LNK = 0120000;
    static final int CHR = 0020000;
    static final int BLK = 0060000;
    static final int FIFO = 0010000;
}
