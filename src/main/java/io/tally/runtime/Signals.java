package io.tally.runtime;

import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers as Docker clients send them: "TERM", "SIGTERM", "15", "USR1", "RTMIN+3". */
public final class Signals {
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));
    private static final int RTMIN = 34;
    private static final int RTMAX = 64;

    private Signals() {
    }

    public static int parse(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= RTMAX) {
                return n;
            }
            throw new IllegalArgumentException("Invalid signal: " + signal);
        }
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        Integer n = BY_NAME.get(s);
        if (n != null) {
            return n;
        }
        if (s.matches("RTMIN(\\+\\d+)?")) {
            int v = RTMIN + (s.length() > 5 ? Integer.parseInt(s.substring(6)) : 0);
            if (v <= RTMAX) {
                return v;
            }
        }
        if (s.matches("RTMAX(-\\d+)?")) {
            int v = RTMAX - (s.length() > 5 ? Integer.parseInt(s.substring(6)) : 0);
            if (v >= RTMIN) {
                return v;
            }
        }
        throw new IllegalArgumentException("Invalid signal: " + signal);
    }
}
