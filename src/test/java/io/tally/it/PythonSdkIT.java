package io.tally.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker SDK for Python against tallyd: src/test/python/test_docker_sdk.py, run with the
 * interpreter in TALLY_TEST_PYTHON (default python3 on PATH) — the pip `docker` 7.x where installed,
 * else the distribution's python3-docker 5.x (bin/install-deps --test). The SDK's version is in the output.
 */
class PythonSdkIT extends AgainstExternalTally {
    private static final Path SUITE_DIR = Path.of(System.getProperty("tally.project.dir", "."), "src/test/python");
    private static final String SUITE = "test_docker_sdk";

    @AfterEach
    void cleanUp() throws Exception {
        env.removeAllContainers();
    }

    @Test
    void theSdkSuitePassesEveryTest() throws Exception {
        String python = System.getenv().getOrDefault("TALLY_TEST_PYTHON", "python3");
        Path config = Files.createDirectories(tmp.resolve("python-docker-config"));
        Map<String, String> environment = Map.of(
                "DOCKER_HOST", "unix://" + env.tally.socket(),
                "DOCKER_CONFIG", config.toString(),
                "BB_ARCHIVE", BusyboxImage.archive().toString(),
                "PYTHONDONTWRITEBYTECODE", "1");

        DockerCli.Result sdk = ClientProcess.run(List.of(python, "-c", "import docker; print(docker.__version__)"),
                SUITE_DIR, environment, 60);
        assertEquals(0, sdk.exitCode(), "the Docker SDK for Python is missing for " + python + ": " + sdk.stderr());
        System.out.println("PythonSdkIT: Docker SDK for Python " + sdk.stdout().trim() + " (" + python + ")");

        DockerCli.Result run = ClientProcess.run(List.of(python, "-W", "ignore::ResourceWarning", "-m", "unittest", "-v", SUITE),
                SUITE_DIR, environment, 600);
        String report = "stdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr();
        assertEquals(0, run.exitCode(), report);

        // every test in the file ran, none was skipped
        long defined = Files.readAllLines(SUITE_DIR.resolve(SUITE + ".py")).stream()
                .filter(l -> l.strip().startsWith("def test_")).count();
        Matcher ran = Pattern.compile("Ran (\\d+) tests?").matcher(run.stderr());
        assertTrue(ran.find(), report);
        assertEquals(defined, Long.parseLong(ran.group(1)), report);
        assertTrue(run.stderr().strip().endsWith("OK"), report);
    }
}
