package io.tally.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The project's busybox image (bin/make-busybox-image), built once per test JVM. */
public final class BusyboxImage {
    private static Path archive;

    private BusyboxImage() {
    }

    public static synchronized Path archive() throws Exception {
        if (archive == null) {
            Path dir = Files.createTempDirectory("tally-bb");
            Path out = dir.resolve("busybox.tar");
            Process p = new ProcessBuilder(Path.of(System.getProperty("tally.project.dir", ".")).resolve("bin/make-busybox-image").toString(),
                    out.toString(), "bb:latest").redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("bin/make-busybox-image failed: " + log);
            }
            out.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            archive = out;
        }
        return archive;
    }

    /** Loads bb:latest into the tallyd behind {@code docker}. */
    public static void loadInto(DockerCli docker) throws Exception {
        docker.run("load", "-i", archive().toString()).assertOk();
    }
}
