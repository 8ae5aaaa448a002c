package io.tally.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Linux capabilities the way Docker (moby's TweakCapabilities) grants them, limited to what this host can give:
 * the daemon's own bounding set ({@code CapBnd} in /proc/self/status), since runc fails on anything outside it.
 *
 * <ul>
 * <li>no --cap-add/--cap-drop: Docker's 14 defaults, in Docker's order;</li>
 * <li>--privileged: every capability in the bounding set (add/drop are ignored, as Docker does);</li>
 * <li>--cap-add ALL: everything in the bounding set but the dropped ones; --cap-drop ALL: exactly the added ones;</li>
 * <li>else defaults minus drops plus adds; tweaked lists are sorted by name, as Docker does.</li>
 * </ul>
 * Names are case-insensitive, with or without "CAP_"; unknown ones are refused, and an explicitly added capability
 * the host lacks is refused too, rather than left for runc to fail on.
 */
public final class Capabilities {

    /** Every capability up to CAP_CHECKPOINT_RESTORE (Linux 5.9); the index is the capability number. */
    public static final List<String> KNOWN = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** moby's DefaultCapabilities(), in its order. */
    public static final List<String> DOCKER_DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private static final String ALL = "ALL";

    private final long bounding;

    /** @param bounding the host's bounding set as a bit mask (bit n = capability n) */
    public Capabilities(long bounding) {
        this.bounding = bounding;
    }

    /** The bounding set of this process (tallyd), which runc and the containers inherit. */
    public static Capabilities ofThisHost() {
        try {
            return new Capabilities(parseStatus(Files.readString(Path.of("/proc/self/status")), "CapBnd"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status: " + e.getMessage(), e);
        }
    }

    /** A hex capability mask field (CapBnd, CapEff, …) of a /proc/PID/status text. */
    public static long parseStatus(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseUnsignedLong(line.substring(field.length() + 1).strip(), 16);
            }
        }
        throw new IllegalArgumentException("no " + field + " line in the status text");
    }

    /** The mask of the given capability names (as in /proc/PID/status). */
    public static long mask(Collection<String> names) {
        long m = 0;
        for (String name : names) {
            m |= 1L << KNOWN.indexOf(normalize(name));
        }
        return m;
    }

    public long boundingMask() {
        return bounding;
    }

    /** The known capabilities this host can grant, in capability-number order. */
    public List<String> available() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < KNOWN.size(); i++) {
            if (has(i)) {
                out.add(KNOWN.get(i));
            }
        }
        return out;
    }

    /**
     * The capability list for process.capabilities (bounding = effective = permitted).
     *
     * @throws IllegalArgumentException {@code invalid capability: X} for unknown names, or an added capability the
     *                                  host's bounding set lacks
     */
    public List<String> resolve(boolean privileged, List<String> capAdd, List<String> capDrop) {
        if (privileged) {
            return available();
        }
        if (capAdd.isEmpty() && capDrop.isEmpty()) {
            return DOCKER_DEFAULT.stream().filter(c -> has(KNOWN.indexOf(c))).toList();
        }
        Set<String> add = normalizeAll(capAdd);
        Set<String> drop = normalizeAll(capDrop);
        for (String c : add) {
            if (!c.equals(ALL) && !has(KNOWN.indexOf(c))) {
                throw new IllegalArgumentException("capability " + c + " is not available on this host: "
                        + "it is not in the bounding set of the daemon (CapBnd in /proc/self/status)");
            }
        }
        Set<String> caps = new LinkedHashSet<>();
        if (add.contains(ALL)) {
            available().stream().filter(c -> !drop.contains(c)).forEach(caps::add);
        } else if (drop.contains(ALL)) {
            caps.addAll(add);
        } else {
            DOCKER_DEFAULT.stream().filter(c -> has(KNOWN.indexOf(c)) && !drop.contains(c)).forEach(caps::add);
            caps.addAll(add);
        }
        return caps.stream().sorted().toList();
    }

    /** "net_admin" / "CAP_NET_ADMIN" / "all" to "CAP_NET_ADMIN" / "ALL"; unknown names are refused. */
    public static String normalize(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        if (upper.equals(ALL)) {
            return ALL;
        }
        String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
        if (!KNOWN.contains(cap)) {
            throw new IllegalArgumentException("invalid capability: " + name);
        }
        return cap;
    }

    private static Set<String> normalizeAll(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(normalize(n));
        }
        return out;
    }

    private boolean has(int capability) {
        return capability >= 0 && (bounding & (1L << capability)) != 0;
    }
}
