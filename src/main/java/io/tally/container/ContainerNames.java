package io.tally.container;

import io.tally.events.DomainException;

import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/** Container names: Docker's validity rule, and a readable name when none is given. */
public final class ContainerNames {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final List<String> MOODS = List.of("brave", "calm", "eager", "fond", "gentle", "happy", "jolly", "keen",
            "lucid", "merry", "nimble", "patient", "quiet", "steady", "tidy", "vivid", "witty", "zesty");
    private static final List<String> NAMES = List.of("abacus", "ledger", "tally", "quill", "scribe", "almanac", "archive",
            "census", "chronicle", "counter", "journal", "logbook", "record", "register", "roster", "tabulator");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerNames() {
    }

    /** Accepts {@code name} or {@code /name}; returns it without the slash. */
    public static String requireValid(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(n).matches()) {
            throw DomainException.invalid("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return n;
    }

    public static String generate() {
        return MOODS.get(RANDOM.nextInt(MOODS.size())) + "_" + NAMES.get(RANDOM.nextInt(NAMES.size())) + "_" + (1000 + RANDOM.nextInt(9000));
    }

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }
}
