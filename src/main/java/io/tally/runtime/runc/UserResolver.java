package io.tally.runtime.runc;

import io.tally.runtime.rootfs.RootfsPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves Docker's {@code --user} string ("", "name", "uid", "uid:gid", "name:group", …) and {@code --group-add}
 * against the container's own /etc/passwd and /etc/group (read inside the rootfs, see {@link RootfsPath}), with the
 * rules and messages of runc's {@code user.GetExecUser} / {@code GetAdditionalGroups} as Docker uses them:
 * <ul>
 * <li>"" is uid 0; a name must be in passwd; a number need not be (its gid is then 0);</li>
 * <li>an explicit group (name or number) replaces the passwd gid and brings no supplementary groups;</li>
 * <li>otherwise the supplementary groups are the /etc/group entries listing the matched user name;</li>
 * <li>the additional gids are Docker's: primary gid, supplementary groups, then {@code --group-add}.</li>
 * </ul>
 * Malformed passwd/group lines (non-numeric ids) are skipped, where runc would read them as id 0.
 */
public final class UserResolver {
    static final long MAX_ID = Integer.MAX_VALUE;
    static final String RANGE_ERROR = "uids and gids must be in range 0-" + MAX_ID;

    private UserResolver() {
    }

    record PasswdEntry(String name, int uid, int gid, String home) {
    }

    record GroupEntry(String name, int gid, List<String> members) {
    }

    /**
     * @throws IllegalArgumentException the user or a group does not exist, with Docker's message
     * @throws IOException the files could not be read (or are not regular files)
     */
    public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) throws IOException {
        Optional<List<PasswdEntry>> passwd = RootfsPath.readRegularFile(rootfs, "/etc/passwd").map(UserResolver::parsePasswd);
        Optional<List<GroupEntry>> group = RootfsPath.readRegularFile(rootfs, "/etc/group").map(UserResolver::parseGroup);
        return resolve(user == null ? "" : user, groupAdd == null ? List.of() : groupAdd, passwd, group);
    }

    static ResolvedUser resolve(String spec, List<String> groupAdd, Optional<List<PasswdEntry>> passwd,
                                Optional<List<GroupEntry>> group) {
        String[] parts = spec.split(":", -1);
        String userArg = parts[0];
        String groupArg = parts.length > 1 ? parts[1] : "";
        Long uidArg = number(userArg);
        Long gidArg = number(groupArg);

        long uid = 0;
        long gid = 0;
        String home = "/";
        String matchedName = "";
        Optional<PasswdEntry> match = passwd.orElse(List.of()).stream().filter(u -> {
            if (userArg.isEmpty()) {
                return u.uid() == 0;
            }
            return uidArg != null ? uidArg == u.uid() : u.name().equals(userArg);
        }).findFirst();
        if (match.isPresent()) {
            matchedName = match.get().name();
            uid = match.get().uid();
            gid = match.get().gid();
            home = match.get().home();
        } else if (!userArg.isEmpty()) {
            if (uidArg == null) {
                throw new IllegalArgumentException("unable to find user " + userArg + ": no matching entries in passwd file");
            }
            uid = inRange(uidArg);
        }

        List<Integer> supplementary = new ArrayList<>();
        if (!groupArg.isEmpty()) {
            Optional<GroupEntry> g = group.orElse(List.of()).stream()
                    .filter(e -> gidArg != null ? gidArg == e.gid() : e.name().equals(groupArg))
                    .findFirst();
            if (g.isPresent()) {
                gid = g.get().gid();
            } else if (gidArg == null) {
                throw new IllegalArgumentException("unable to find group " + groupArg + ": no matching entries in group file");
            } else {
                gid = inRange(gidArg);
            }
        } else if (!matchedName.isEmpty()) {
            for (GroupEntry e : group.orElse(List.of())) {
                if (e.members().contains(matchedName)) {
                    supplementary.add(e.gid());
                }
            }
        }

        List<Integer> additional = new ArrayList<>();
        additional.add((int) gid);
        additional.addAll(supplementary);
        additional.addAll(additionalGroups(groupAdd, group));
        return new ResolvedUser((int) uid, (int) gid, additional, home);
    }

    /** {@code --group-add}: names or gids from /etc/group, or bare numbers; duplicates collapse, order kept. */
    static List<Integer> additionalGroups(List<String> groupAdd, Optional<List<GroupEntry>> group) {
        Set<Integer> gids = new LinkedHashSet<>();
        for (String wanted : groupAdd) {
            Optional<GroupEntry> g = group.orElse(List.of()).stream()
                    .filter(e -> e.name().equals(wanted) || Integer.toString(e.gid()).equals(wanted))
                    .findFirst();
            if (g.isPresent()) {
                gids.add(g.get().gid());
                continue;
            }
            Long n = number(wanted);
            if (n == null) {
                // Docker's text for --group-add, capital U and all
                throw new IllegalArgumentException("Unable to find group " + wanted + ": no matching entries in group file");
            }
            gids.add((int) inRange(n));
        }
        return List.copyOf(gids);
    }

    static List<PasswdEntry> parsePasswd(byte[] bytes) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String[] f = fields(line, 7);
            Long uid = number(f[2]);
            Long gid = number(f[3]);
            if (f[0] == null || !validId(uid) || !validId(gid)) {
                continue;
            }
            out.add(new PasswdEntry(f[0], uid.intValue(), gid.intValue(), f[5]));
        }
        return out;
    }

    static List<GroupEntry> parseGroup(byte[] bytes) {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String[] f = fields(line, 4);
            Long gid = number(f[2]);
            if (f[0] == null || !validId(gid)) {
                continue;
            }
            List<String> members = f[3] == null || f[3].isEmpty() ? List.of() : List.of(f[3].split(",", -1));
            out.add(new GroupEntry(f[0], gid.intValue(), members));
        }
        return out;
    }

    /** A trimmed line split on ':' into exactly n fields (missing ones null); f[0] null for blank lines. */
    private static String[] fields(String line, int n) {
        String[] out = new String[n];
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return out;
        }
        String[] parts = trimmed.split(":", -1);
        System.arraycopy(parts, 0, out, 0, Math.min(n, parts.length));
        return out;
    }

    /** Go's strconv.Atoi on 64 bits: a decimal number with an optional sign, else null. */
    private static Long number(String s) {
        if (s == null || !s.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    private static boolean validId(Long id) {
        return id != null && id >= 0 && id <= MAX_ID;
    }

    private static long inRange(long id) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException(RANGE_ERROR);
        }
        return id;
    }
}
