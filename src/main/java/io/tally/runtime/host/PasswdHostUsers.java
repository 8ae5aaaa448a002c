package io.tally.runtime.host;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link HostUsers} from /etc/passwd, read each time: accounts change while tallyd runs. */
@ApplicationScoped
public class PasswdHostUsers implements HostUsers {

    @Override
    public String nameOf(int uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // fall through: the uid alone still identifies the actor
        }
        return null;
    }
}
