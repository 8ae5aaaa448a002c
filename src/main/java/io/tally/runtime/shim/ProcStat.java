package io.tally.runtime.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process facts from /proc/&lt;pid&gt;/stat. */
public final class ProcStat {

    private ProcStat() {
    }

    /**
     * Whether the pid is a process that has not died. A dead process stays a zombie until its parent
     * reaps it, and a shim's parent is the host's init, which may take its time (ProcessHandle counts
     * zombies as alive); a zombie runs nothing and holds no files or mounts.
     */
    public static boolean isLive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')'); // the command name in parentheses may hold anything
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
