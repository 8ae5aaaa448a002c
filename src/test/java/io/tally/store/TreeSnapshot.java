package io.tally.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Everything a layer tree means, as comparable text: one line per path. */
final class TreeSnapshot {

    private TreeSnapshot() {
    }

    static Map<String, String> of(Path root) throws IOException {
        NativeFs fs = NativeFs.get();
        Map<String, String> lines = new TreeMap<>();
        Map<Long, String> firstByInode = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        for (Path path : paths) {
            String name = root.relativize(path).toString();
            Lstat st = Lstat.of(path);
            StringBuilder line = new StringBuilder();
            line.append(Integer.toOctalString(st.mode())).append(' ').append(st.uid()).append(':').append(st.gid())
                    .append(" mtime=").append(st.mtime().toInstant().getEpochSecond());
            switch (st.type()) {
                case Lstat.REG -> line.append(" content=").append(Digest.sha256Of(Files.readAllBytes(path)).shortHex());
                case Lstat.LNK -> line.append(" -> ").append(fs.readlink(path));
                case Lstat.CHR, Lstat.BLK -> line.append(" dev=").append(st.major()).append(',').append(st.minor());
                default -> {
                }
            }
            if (st.type() != Lstat.DIR && st.nlink() > 1) {
                line.append(" inode-of=").append(firstByInode.computeIfAbsent(st.ino(), ino -> name));
            }
            for (String xattr : fs.llistxattr(path).stream().sorted().toList()) {
                line.append(' ').append(xattr).append('=').append(HexFormat.of().formatHex(fs.lgetxattr(path, xattr)));
            }
            lines.put(name, line.toString());
        }
        return lines;
    }
}
