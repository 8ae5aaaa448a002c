package io.tally.container.api;

import java.util.List;

/** What `docker exec` asked for (Docker's exec create body), as recorded: the command and how it is attached. */
public record ExecConfig(List<String> cmd, List<String> env, String user, String workingDir, boolean tty,
                         boolean attachStdin, boolean attachStdout, boolean attachStderr, boolean privileged,
                         String detachKeys) {
    public ExecConfig {
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
