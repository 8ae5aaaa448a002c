package io.tally.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.output.WaitingConsumer;
import org.testcontainers.containers.startupcheck.IndefiniteWaitOneShotStartupCheckStrategy;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Testcontainers, unchanged, against a tallyd of its own (docs/clients.md): Ryuk is disabled by the
 * failsafe configuration, the Docker host comes from {@link TallyDockerClientStrategy}. (Not named
 * Testcontainers*: surefire would take a class whose name starts with "Test" for a unit test.)
 */
class ThroughTestcontainersIT extends AgainstExternalTally {
    private static final String IMAGE = "bb:latest";
    private final List<GenericContainer<?>> started = new ArrayList<>();

    @BeforeAll
    static void pointTestcontainersAtTally() {
        TallyDockerClientStrategy.use(env.tally.socket());
    }

    @AfterEach
    void stopContainers() throws Exception {
        started.forEach(GenericContainer::stop);
        started.clear();
        env.removeAllContainers();
    }

    private GenericContainer<?> container(String... command) {
        GenericContainer<?> c = new GenericContainer<>(IMAGE).withCommand(command);
        started.add(c);
        return c;
    }

    private GenericContainer<?> sleeper() {
        GenericContainer<?> c = container("sleep", "1000");
        c.start();
        return c;
    }

    @Test
    void theFactoryAcceptsTallyAndDrivesAContainerThroughItsLife() {
        DockerClient client = DockerClientFactory.instance().client();
        client.pingCmd().exec();

        Version version = client.versionCmd().exec();
        assertEquals("20.10.24", version.getVersion(), "Testcontainers needs a Docker release number of at least 1.6.0");
        assertEquals("1.41", version.getApiVersion());
        VersionComponent tally = version.getComponents().stream().filter(c -> c.getName().equals("Tally")).findFirst().orElseThrow();
        assertFalse(tally.getVersion().isBlank(), "Tally's own version stays visible");

        Info info = client.infoCmd().exec();
        assertEquals("20.10.24", info.getServerVersion());
        assertTrue(info.getNCPU() > 0);

        List<Image> images = client.listImagesCmd().exec();
        assertTrue(images.stream().anyMatch(i -> i.getRepoTags() != null && Arrays.asList(i.getRepoTags()).contains(IMAGE)),
                images.toString());

        String id = client.createContainerCmd(IMAGE).withName("factory-made").withCmd("sleep", "1000").exec().getId();
        client.startContainerCmd(id).exec();
        List<Container> running = client.listContainersCmd().exec();
        assertTrue(running.stream().anyMatch(c -> c.getId().equals(id) && "running".equals(c.getState())), running.toString());
        client.stopContainerCmd(id).withTimeout(1).exec();
        InspectContainerResponse stopped = client.inspectContainerCmd(id).exec();
        assertFalse(stopped.getState().getRunning());
        client.removeContainerCmd(id).exec();
        assertTrue(client.listContainersCmd().withShowAll(true).exec().stream().noneMatch(c -> c.getId().equals(id)));
    }

    @Test
    void aLogMessageWaitStrategyWaitsForTheLine() {
        GenericContainer<?> c = container("sh", "-c", "echo starting; sleep 1; echo ready to serve; sleep 1000")
                .waitingFor(Wait.forLogMessage(".*ready to serve.*\\n", 1).withStartupTimeout(Duration.ofSeconds(30)));
        c.start();
        assertTrue(c.isRunning());
        assertTrue(c.getLogs().contains("starting\nready to serve\n"), c.getLogs());
    }

    @Test
    void oneShotStartupCheckAcceptsExitZeroAndRefusesAnyOtherCode() {
        GenericContainer<?> ok = container("sh", "-c", "echo done")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)));
        ok.start();
        assertEquals(0L, ok.getCurrentContainerInfo().getState().getExitCodeLong());
        assertEquals("done\n", ok.getLogs());

        GenericContainer<?> failing = container("sh", "-c", "exit 3")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)));
        assertThrows(ContainerLaunchException.class, failing::start);
    }

    @Test
    void indefiniteOneShotCheckWaitsForTheExitWhateverItTakes() {
        GenericContainer<?> ok = container("sh", "-c", "sleep 2; echo finally")
                .withStartupCheckStrategy(new IndefiniteWaitOneShotStartupCheckStrategy());
        ok.start();
        assertEquals(0L, ok.getCurrentContainerInfo().getState().getExitCodeLong());
        assertEquals("finally\n", ok.getLogs());

        GenericContainer<?> failing = container("sh", "-c", "sleep 1; exit 7")
                .withStartupCheckStrategy(new IndefiniteWaitOneShotStartupCheckStrategy());
        ContainerLaunchException refused = assertThrows(ContainerLaunchException.class, failing::start);
        assertTrue(causes(refused).contains("Container did not start correctly"), causes(refused));

        GenericContainer<?> exiting = container("sh", "-c", "sleep 1; exit 7");
        exiting.start();
        int code = exiting.getDockerClient().waitContainerCmd(exiting.getContainerId())
                .exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS);
        assertEquals(7, code);
        assertEquals(7L, exiting.getCurrentContainerInfo().getState().getExitCodeLong());
    }

    @Test
    void execInContainerSeparatesStreamsAndReportsTheExitCode() throws Exception {
        GenericContainer<?> c = sleeper();
        var both = c.execInContainer("sh", "-c", "echo out; echo err >&2; exit 5");
        assertEquals("out\n", both.getStdout());
        assertEquals("err\n", both.getStderr());
        assertEquals(5, both.getExitCode());

        var ok = c.execInContainer("echo", "fine");
        assertEquals(0, ok.getExitCode());
        assertEquals("fine\n", ok.getStdout());

        var missing = c.execInContainer("no-such-command");
        assertEquals(127, missing.getExitCode());
    }

    @Test
    void filesGoIntoARunningContainerAndComeBackOut() throws Exception {
        GenericContainer<?> c = sleeper();
        c.copyFileToContainer(Transferable.of("copied in\n"), "/tmp/greeting.txt");
        var cat = c.execInContainer("cat", "/tmp/greeting.txt");
        assertEquals("copied in\n", cat.getStdout(), cat.getStderr());

        c.execInContainer("sh", "-c", "echo made inside > /tmp/made.txt");
        String back = c.copyFileFromContainer("/tmp/made.txt", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("made inside\n", back);
    }

    @Test
    void filesCopiedBeforeStartAreThereForTheCommand() {
        GenericContainer<?> c = container("sh", "-c", "/opt/tool/run.sh; sleep 1000")
                .withCopyToContainer(Transferable.of("#!/bin/sh\necho script says $(cat /opt/tool/data.txt)\n", 0755), "/opt/tool/run.sh")
                .withCopyToContainer(Transferable.of("hello"), "/opt/tool/data.txt")
                .waitingFor(Wait.forLogMessage(".*script says hello.*\\n", 1).withStartupTimeout(Duration.ofSeconds(30)));
        c.start();
        assertTrue(c.getLogs().contains("script says hello"), c.getLogs());
    }

    @Test
    void envLabelsAndWorkingDirReachTheCommand() {
        GenericContainer<?> c = container("sh", "-c", "pwd > /tmp/pwd.txt; env > /tmp/env.txt; echo written; sleep 1000")
                .withEnv("GREETING", "hello there")
                .withLabel("io.tally.test", "labelled")
                .withWorkingDirectory("/srv/app")
                .waitingFor(Wait.forLogMessage("written\\n", 1).withStartupTimeout(Duration.ofSeconds(10)));
        c.start();
        String pwd = c.copyFileFromContainer("/tmp/pwd.txt", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("/srv/app\n", pwd);
        String envText = c.copyFileFromContainer("/tmp/env.txt", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(envText.lines().anyMatch("GREETING=hello there"::equals), envText);
        assertEquals("labelled", c.getContainerInfo().getConfig().getLabels().get("io.tally.test"));
        assertEquals("/srv/app", c.getContainerInfo().getConfig().getWorkingDir());
    }

    @Test
    void memoryAndCpuLimitsFromTheCreateModifierAreInTheCgroup() throws Exception {
        long memory = 48L * 1024 * 1024;
        GenericContainer<?> c = container("sleep", "1000").withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withMemory(memory).withCpuPeriod(100_000L).withCpuQuota(50_000L).withCpuShares(512));
        c.start();
        long pid = c.getCurrentContainerInfo().getState().getPidLong();
        assertEquals(memory, Long.parseLong(HostCgroup.read(pid, "memory", "memory.limit_in_bytes")));
        assertEquals("50000", HostCgroup.read(pid, "cpu", "cpu.cfs_quota_us"));
        assertEquals("100000", HostCgroup.read(pid, "cpu", "cpu.cfs_period_us"));
        assertEquals("512", HostCgroup.read(pid, "cpu", "cpu.shares"));
        assertEquals(memory, c.getCurrentContainerInfo().getHostConfig().getMemory());
    }

    @Test
    void logConsumersReceiveBothStreamsAsTheyCome() throws Exception {
        ToStringConsumer out = new ToStringConsumer();
        WaitingConsumer waiting = new WaitingConsumer();
        GenericContainer<?> c = container("sh", "-c", "echo to out; echo to err >&2; sleep 1; echo later; sleep 1000")
                .withLogConsumer(out.andThen(waiting));
        c.start();
        waiting.waitUntil(f -> f.getUtf8String().contains("later"), 30, TimeUnit.SECONDS);
        String all = out.toUtf8String();
        assertTrue(all.contains("to out") && all.contains("to err") && all.contains("later"), all);

        WaitingConsumer errOnly = new WaitingConsumer();
        c.followOutput(errOnly, OutputFrame.OutputType.STDERR);
        errOnly.waitUntil(f -> f.getType() == OutputFrame.OutputType.STDERR && f.getUtf8String().contains("to err"), 30, TimeUnit.SECONDS);
    }

    @Test
    void httpWaitStrategyNeedsPublishedPorts() {
        assumeTrue(DaemonFeatures.portPublishing(DockerClientFactory.instance().client()),
                "tallyd reports PortPublishing=false in the Tally component of /version (networking issue)");
        GenericContainer<?> c = container("sh", "-c", "mkdir -p /www && echo served > /www/index.html && httpd -f -p 8080 -h /www")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/index.html").forStatusCode(200).withStartupTimeout(Duration.ofSeconds(30)));
        c.start();
        assertTrue(c.getMappedPort(8080) > 0);
    }

    @Test
    void listeningPortWaitStrategyNeedsPublishedPorts() {
        assumeTrue(DaemonFeatures.portPublishing(DockerClientFactory.instance().client()),
                "tallyd reports PortPublishing=false in the Tally component of /version (networking issue)");
        GenericContainer<?> c = container("sh", "-c", "sleep 1; nc -lk -p 9000 -e cat")
                .withExposedPorts(9000)
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(30)));
        c.start();
        assertTrue(c.getMappedPort(9000) > 0);
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append('\n');
        }
        return b.toString();
    }

    /** The container's cgroup files on the host (cgroup v1 here), found through its process. */
    static final class HostCgroup {
        static String read(long pid, String controller, String file) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                String[] parts = line.split(":", 3);
                if (Arrays.asList(parts[1].split(",")).contains(controller)) {
                    return Files.readString(Path.of("/sys/fs/cgroup", parts[1], parts[2], file)).trim();
                }
            }
            throw new IllegalStateException("process " + pid + " has no " + controller + " cgroup");
        }
    }
}
