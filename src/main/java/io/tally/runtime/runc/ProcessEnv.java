package io.tally.runtime.runc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The process environment as Docker builds it (CreateDaemonEnvironment): PATH, HOSTNAME and, with a tty,
 * TERM=xterm first, then the container's env replacing those or appending ("KEY" without '=' unsets a default);
 * finally HOME from the user's passwd entry if the env has none (what runc would otherwise do at start).
 */
public final class ProcessEnv {
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProcessEnv() {
    }

    public static List<String> of(ContainerSpec spec, ResolvedUser user) {
        List<String> defaults = new ArrayList<>();
        defaults.add("PATH=" + DEFAULT_PATH);
        defaults.add("HOSTNAME=" + spec.hostname());
        if (spec.tty()) {
            defaults.add("TERM=xterm");
        }
        List<String> env = replaceOrAppend(defaults, spec.env());
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            env.add("HOME=" + user.home());
        }
        return env;
    }

    /** moby's ReplaceOrAppendEnvValues. */
    static List<String> replaceOrAppend(List<String> defaults, List<String> overrides) {
        List<String> out = new ArrayList<>(defaults);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < out.size(); i++) {
            index.put(key(out.get(i)), i);
        }
        for (String value : overrides) {
            Integer i = index.get(key(value));
            if (value.indexOf('=') < 0) {
                if (i != null) {
                    out.set(i, null);
                }
            } else if (i != null) {
                out.set(i, value);
            } else {
                out.add(value);
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    private static String key(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }
}
