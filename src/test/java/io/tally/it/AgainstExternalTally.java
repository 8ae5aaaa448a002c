package io.tally.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the docker-CLI test classes that share one external-mode tallyd with the busybox image loaded. */
abstract class AgainstExternalTally {
    @TempDir
    static Path tmp;
    static ExternalTally env;
    static DockerCli docker;

    @BeforeAll
    static void startTally() throws Exception {
        env = ExternalTally.start(tmp);
        docker = env.docker;
        BusyboxImage.loadInto(docker);
    }

    @AfterAll
    static void stopTally() throws Exception {
        if (env != null) {
            env.close();
            env = null;
        }
    }

    static String out(String... args) throws Exception {
        return docker.run(args).assertOk().stdout().trim();
    }
}
