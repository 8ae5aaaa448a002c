package io.tally.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * The {@code config} object of an image configuration: the defaults a container made from the image starts
 * with (Docker's builder calls it the run config). Field names are Docker's.
 *
 * <p>Collections are copied into immutable, sorted (where order carries no meaning) forms, so the same
 * configuration always serialises to the same bytes, whichever ObjectMapper writes it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
        "OnBuild", "StopSignal", "Shell", "ArgsEscaped", "Healthcheck"})
public record RunConfig(
        @JsonProperty("User") String user,
        @JsonProperty("ExposedPorts")
        @JsonSerialize(using = ImageJson.KeySetSerializer.class)
        @JsonDeserialize(using = ImageJson.KeySetDeserializer.class)
        SortedSet<String> exposedPorts,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Entrypoint") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> entrypoint,
        @JsonProperty("Cmd") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> cmd,
        @JsonProperty("Volumes")
        @JsonSerialize(using = ImageJson.KeySetSerializer.class)
        @JsonDeserialize(using = ImageJson.KeySetDeserializer.class)
        SortedSet<String> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Labels") SortedMap<String, String> labels,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("Shell") List<String> shell,
        @JsonProperty("ArgsEscaped") Boolean argsEscaped,
        @JsonProperty("Healthcheck") ImageHealthcheck healthcheck) {

    public static final RunConfig EMPTY = new RunConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public RunConfig {
        exposedPorts = exposedPorts == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(exposedPorts));
        env = copy(env);
        entrypoint = copy(entrypoint);
        cmd = copy(cmd);
        volumes = volumes == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(volumes));
        labels = labels == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        onBuild = copy(onBuild);
        shell = copy(shell);
    }

    private static List<String> copy(List<String> list) {
        return list == null ? null : List.copyOf(list);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** For deriving a changed configuration (commit, import --change). */
    public static final class Builder {
        private String user;
        private SortedSet<String> exposedPorts;
        private List<String> env;
        private List<String> entrypoint;
        private List<String> cmd;
        private SortedSet<String> volumes;
        private String workingDir;
        private SortedMap<String, String> labels;
        private List<String> onBuild;
        private String stopSignal;
        private List<String> shell;
        private Boolean argsEscaped;
        private ImageHealthcheck healthcheck;

        private Builder(RunConfig base) {
            user = base.user;
            exposedPorts = base.exposedPorts == null ? null : new TreeSet<>(base.exposedPorts);
            env = base.env == null ? null : new ArrayList<>(base.env);
            entrypoint = base.entrypoint;
            cmd = base.cmd;
            volumes = base.volumes == null ? null : new TreeSet<>(base.volumes);
            workingDir = base.workingDir;
            labels = base.labels == null ? null : new TreeMap<>(base.labels);
            onBuild = base.onBuild == null ? null : new ArrayList<>(base.onBuild);
            stopSignal = base.stopSignal;
            shell = base.shell;
            argsEscaped = base.argsEscaped;
            healthcheck = base.healthcheck;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        public Builder exposePort(String portAndProtocol) {
            if (exposedPorts == null) {
                exposedPorts = new TreeSet<>();
            }
            exposedPorts.add(portAndProtocol);
            return this;
        }

        /** Sets {@code name=value}, replacing an existing entry for {@code name} in place. */
        public Builder env(String name, String value) {
            if (env == null) {
                env = new ArrayList<>();
            }
            String entry = name + "=" + value;
            for (int i = 0; i < env.size(); i++) {
                String existing = env.get(i);
                if (existing.equals(name) || existing.startsWith(name + "=")) {
                    env.set(i, entry);
                    return this;
                }
            }
            env.add(entry);
            return this;
        }

        public Builder entrypoint(List<String> value) {
            entrypoint = value;
            return this;
        }

        public Builder cmd(List<String> value) {
            cmd = value;
            return this;
        }

        public Builder volume(String path) {
            if (volumes == null) {
                volumes = new TreeSet<>();
            }
            volumes.add(path);
            return this;
        }

        public Builder workingDir(String value) {
            workingDir = value;
            return this;
        }

        public Builder label(String key, String value) {
            if (labels == null) {
                labels = new TreeMap<>();
            }
            labels.put(key, value);
            return this;
        }

        public Builder onBuild(String trigger) {
            if (onBuild == null) {
                onBuild = new ArrayList<>();
            }
            onBuild.add(trigger);
            return this;
        }

        public Builder stopSignal(String value) {
            stopSignal = value;
            return this;
        }

        public RunConfig build() {
            return new RunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, onBuild,
                    stopSignal, shell, argsEscaped, healthcheck);
        }

        /** The shell for shell-form CMD/ENTRYPOINT: the image's SHELL, or /bin/sh -c. */
        List<String> shell() {
            return shell == null || shell.isEmpty() ? List.of("/bin/sh", "-c") : shell;
        }

        String workingDir() {
            return workingDir;
        }
    }
}
