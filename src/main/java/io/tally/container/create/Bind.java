package io.tally.container.create;

import io.tally.events.DomainException;

import java.util.List;

/**
 * One of HostConfig.Binds, {@code /host/path:/container/path[:mode]}, read with Docker's rules. A
 * source that is not an absolute path names a volume in Docker; Tally has no volumes yet and says so.
 */
public record Bind(String source, String target, boolean readOnly) {
    private static final String VOLUME_NAME = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    /** @throws DomainException INVALID with Docker's message for a spec Docker refuses, or Tally's for a volume */
    public static Bind parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw invalidSpec(spec);
        }
        if (parts.length == 1) {
            throw DomainException.invalid("anonymous volumes are not supported yet: \"" + spec
                    + "\" names no host directory; bind one with /host/path:" + spec);
        }
        if (parts.length == 2 && MountPaths.validMode(parts[1])) {
            throw invalidSpec(spec); // a target and a mode, no source
        }
        String mode = parts.length == 3 ? parts[2] : "";
        if (!MountPaths.validMode(mode)) {
            throw DomainException.invalid("invalid mode: " + mode);
        }
        String source = parts[0];
        String target = parts[1];
        boolean bind = source.startsWith("/");
        String problem = MountPaths.targetProblem(target);
        if (problem != null) {
            throw DomainException.invalid("invalid volume specification: '" + spec + "': invalid mount config for type \""
                    + (bind ? "bind" : "volume") + "\": " + problem);
        }
        if (!bind) {
            throw volumeRefused(source, spec);
        }
        return new Bind(source, target, List.of(mode.split(",")).contains("ro"));
    }

    private static DomainException volumeRefused(String name, String spec) {
        if (name.length() == 1) {
            return DomainException.invalid("volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!name.matches(VOLUME_NAME + "+")) {
            return DomainException.invalid("create " + name + ": \"" + name + "\" includes invalid characters for a local volume name, only \""
                    + VOLUME_NAME + "\" are allowed. If you intended to pass a host directory, use absolute path");
        }
        return DomainException.invalid("named volumes are not supported yet: \"" + spec + "\" names the volume \"" + name
                + "\"; bind a host directory with an absolute path instead");
    }

    private static DomainException invalidSpec(String spec) {
        return DomainException.invalid("invalid volume specification: '" + spec + "'");
    }
}
