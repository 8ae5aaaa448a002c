package io.tally.container.create;

import io.tally.events.DomainException;

import java.util.Map;
import java.util.function.Predicate;

/**
 * One of HostConfig.Mounts (`--mount`). The option objects are null when not sent: Docker refuses
 * some of them by mere presence for the wrong type.
 */
public record Mount(String type, String source, String target, boolean readOnly, String consistency,
                    BindOptions bindOptions, VolumeOptions volumeOptions, TmpfsOptions tmpfsOptions) {

    public record BindOptions(String propagation, boolean nonRecursive) {
    }

    public record VolumeOptions(boolean noCopy, Map<String, String> labels, String driverName, Map<String, String> driverOptions) {
    }

    /** @param mode file mode bits, 0 for the default */
    public record TmpfsOptions(long sizeBytes, long mode) {
    }

    static Mount read(JsonFields m) {
        BindOptions bind = m.has("BindOptions") ? bindOptions(m.object("BindOptions")) : null;
        VolumeOptions volume = null;
        if (m.has("VolumeOptions")) {
            JsonFields v = m.object("VolumeOptions");
            JsonFields driver = v.object("DriverConfig");
            volume = new VolumeOptions(v.bool("NoCopy"), v.textMap("Labels"), driver.text("Name"), driver.textMap("Options"));
        }
        TmpfsOptions tmpfs = null;
        if (m.has("TmpfsOptions")) {
            JsonFields t = m.object("TmpfsOptions");
            tmpfs = new TmpfsOptions(t.number("SizeBytes"), t.number("Mode"));
        }
        return new Mount(m.text("Type", ""), m.text("Source", ""), m.text("Target", ""), m.bool("ReadOnly"),
                m.text("Consistency", ""), bind, volume, tmpfs);
    }

    private static BindOptions bindOptions(JsonFields b) {
        return new BindOptions(b.text("Propagation", ""), b.bool("NonRecursive"));
    }

    /**
     * Docker's checks of a Mounts entry at create.
     *
     * @param exists whether a host path exists (a bind's source must)
     */
    void check(Predicate<String> exists) {
        String problem = problem(exists);
        if (problem != null) {
            throw DomainException.invalid("invalid mount config for type \"" + type + "\": " + problem);
        }
    }

    /**
     * Refuses what Docker accepts but Tally cannot honour yet (volumes and tmpfs come with the volumes
     * issue), so a container never starts without a mount its user asked for.
     */
    void refuseUnsupported() {
        String instead = "; bind a host directory with type=bind instead";
        String what = switch (type) {
            case "volume" -> "volume mounts";
            case "tmpfs" -> "tmpfs mounts";
            default -> {
                instead = "; leave bind-recursive at its default";
                yield bindOptions != null && bindOptions.nonRecursive() ? "non-recursive bind mounts" : null;
            }
        };
        if (what != null) {
            throw DomainException.invalid(what + " are not supported yet (mount at " + target + ")" + instead);
        }
    }

    /** The propagation of a bind, empty for Docker's default (rprivate). */
    public String propagation() {
        return bindOptions == null ? "" : bindOptions.propagation();
    }

    private String problem(Predicate<String> exists) {
        String targetProblem = MountPaths.targetProblem(target);
        if (targetProblem != null) {
            return targetProblem;
        }
        switch (type) {
            case "bind" -> {
                if (source.isEmpty()) {
                    return "field Source must not be empty";
                }
                if (bindOptions != null && !bindOptions.propagation().isEmpty()
                        && !MountPaths.PROPAGATIONS.contains(bindOptions.propagation())) {
                    return "invalid propagation mode: " + bindOptions.propagation();
                }
                if (volumeOptions != null) {
                    return "field VolumeOptions must not be specified";
                }
                String absolute = MountPaths.absoluteProblem(source);
                if (absolute != null) {
                    return absolute;
                }
                return exists.test(source) ? null : "bind source path does not exist: " + source;
            }
            case "volume" -> {
                if (bindOptions != null) {
                    return "field BindOptions must not be specified";
                }
                return source.isEmpty() && readOnly ? "must not set ReadOnly mode when using anonymous volumes" : null;
            }
            case "tmpfs" -> {
                if (bindOptions != null) {
                    return "field BindOptions must not be specified";
                }
                return source.isEmpty() ? null : "field Source must not be specified";
            }
            default -> {
                return "mount type unknown";
            }
        }
    }
}
