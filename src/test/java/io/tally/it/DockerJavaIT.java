package io.tally.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-java 3.7 (zerodep transport) directly against tallyd, for what Testcontainers does not exercise. */
class DockerJavaIT extends AgainstExternalTally {
    private static final String IMAGE = "bb:latest";
    private static DockerClient client;

    @BeforeAll
    static void connect() {
        URI host = URI.create("unix://" + env.tally.socket());
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString()).build();
        client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder().dockerHost(host).build());
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        env.removeAllContainers();
    }

    private String run(String name, String... cmd) {
        String id = client.createContainerCmd(IMAGE).withName(name).withCmd(cmd).exec().getId();
        client.startContainerCmd(id).exec();
        return id;
    }

    @Test
    void theEventStreamDeliversCreateStartAndDieOfAContainer() throws Exception {
        List<Event> seen = new CopyOnWriteArrayList<>();
        CountDownLatch died = new CountDownLatch(1);
        try (var events = client.eventsCmd().withSince(Long.toString(Instant.now().getEpochSecond() - 1))
                .withEventTypeFilter("container").exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event e) {
                        seen.add(e);
                        if ("die".equals(e.getAction()) && "evented".equals(e.getActor().getAttributes().get("name"))) {
                            died.countDown();
                        }
                    }
                })) {
            String id = run("evented", "sh", "-c", "exit 4");
            assertTrue(died.await(30, TimeUnit.SECONDS), seen.toString());
            List<String> actions = seen.stream().filter(e -> id.equals(e.getId())).map(Event::getAction).toList();
            assertEquals(List.of("create", "start", "die"), actions);
            Event die = seen.stream().filter(e -> id.equals(e.getId()) && "die".equals(e.getAction())).findFirst().orElseThrow();
            assertEquals("4", die.getActor().getAttributes().get("exitCode"));
            assertEquals("evented", die.getActor().getAttributes().get("name"));
        }
    }

    @Test
    void theStatsStreamShowsTheContainersMemory() throws Exception {
        String id = run("measured", "sh", "-c", "x=$(head -c 4000000 /dev/zero | tr '\\0' a); sleep 1000");
        List<Statistics> samples = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        try (var stats = client.statsCmd(id).exec(new ResultCallback.Adapter<Statistics>() {
            @Override
            public void onNext(Statistics s) {
                samples.add(s);
                two.countDown();
            }
        })) {
            assertTrue(two.await(30, TimeUnit.SECONDS), "two samples arrive: " + samples.size());
        }
        Statistics last = samples.get(samples.size() - 1);
        assertNotNull(last.getMemoryStats().getUsage());
        assertTrue(last.getMemoryStats().getUsage() > 0, "memory usage " + last.getMemoryStats().getUsage());
        assertTrue(last.getCpuStats().getCpuUsage().getTotalUsage() > 0);
        assertNotNull(last.getRead());
    }

    @Test
    void attachShowsTheOutputOfARunningContainer() throws Exception {
        String id = run("chatty", "sh", "-c", "while true; do echo tick; echo tock >&2; sleep 0.2; done");
        Frames frames = new Frames(f -> f.contains("tick") && f.contains("tock"));
        try (var attach = client.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(frames)) {
            assertTrue(frames.matched.await(30, TimeUnit.SECONDS), frames.text());
        }
        assertTrue(frames.types.contains(StreamType.STDOUT) && frames.types.contains(StreamType.STDERR), frames.types.toString());
    }

    @Test
    void logsFollowStreamsUntilTheContainerEnds() throws Exception {
        String id = run("counting", "sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.5; done; echo oops >&2");
        Frames frames = new Frames(f -> false);
        client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(frames)
                .awaitCompletion(30, TimeUnit.SECONDS);
        assertEquals("line 1\nline 2\nline 3\noops\n", frames.text());
        assertTrue(frames.types.contains(StreamType.STDERR));
        assertEquals(0, client.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS));
    }

    @Test
    void inspectShowsWhatDockerJavaMaps() {
        String id = client.createContainerCmd(IMAGE).withName("shaped").withCmd("sleep", "1000")
                .withEnv("A=1", "B=two").withLabels(java.util.Map.of("team", "tally")).withWorkingDir("/tmp")
                .withHostConfig(HostConfig.newHostConfig().withMemory(64L * 1024 * 1024).withCpuShares(256))
                .exec().getId();
        client.startContainerCmd(id).exec();
        InspectContainerResponse c = client.inspectContainerCmd(id).exec();
        assertEquals(id, c.getId());
        assertEquals("/shaped", c.getName());
        assertEquals("running", c.getState().getStatus());
        assertTrue(c.getState().getRunning());
        assertTrue(c.getState().getPidLong() > 0);
        assertFalse(c.getState().getStartedAt().startsWith("0001"), c.getState().getStartedAt());
        assertEquals(IMAGE, c.getConfig().getImage());
        assertTrue(List.of(c.getConfig().getEnv()).containsAll(List.of("A=1", "B=two")), List.of(c.getConfig().getEnv()).toString());
        assertEquals("tally", c.getConfig().getLabels().get("team"));
        assertEquals("/tmp", c.getConfig().getWorkingDir());
        assertEquals(List.of("sleep", "1000"), List.of(c.getConfig().getCmd()));
        assertEquals(64L * 1024 * 1024, c.getHostConfig().getMemory());
        assertEquals(256, c.getHostConfig().getCpuShares());
        assertTrue(c.getImageId().startsWith("sha256:"), c.getImageId());
        assertNotNull(c.getCreated());

        client.stopContainerCmd(id).withTimeout(1).exec();
        InspectContainerResponse stopped = client.inspectContainerCmd(id).exec();
        assertEquals("exited", stopped.getState().getStatus());
        assertFalse(stopped.getState().getRunning());
        assertNotNull(stopped.getState().getExitCodeLong());
    }

    /** docker-java sends explicit JSON nulls (HostConfig.NetworkMode and more): list, ps and inspect still work. */
    @Test
    void containersCreatedWithExplicitNullsAreListedByDockerJavaAndTheCli() throws Exception {
        String id = run("nullish", "sleep", "1000");
        var listed = client.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of()).exec();
        assertTrue(listed.stream().anyMatch(c -> c.getId().equals(id) && List.of(c.getNames()).contains("/nullish")), listed.toString());
        assertTrue(client.listContainersCmd().withNameFilter(List.of("nullish")).exec().stream().anyMatch(c -> c.getId().equals(id)));
        assertTrue(out("ps", "--format", "{{.Names}}").lines().anyMatch("nullish"::equals));
        assertEquals("running", client.inspectContainerCmd(id).exec().getState().getStatus());
    }

    @Test
    void anExecsExitCodeIsThereAsSoonAsItsStreamEnds() throws Exception {
        String id = run("execd", "sleep", "1000");
        for (int code : new int[] {0, 3, 42}) {
            String exec = client.execCreateCmd(id).withAttachStdout(true).withAttachStderr(true)
                    .withCmd("sh", "-c", "echo run " + code + "; exit " + code).exec().getId();
            Frames frames = new Frames(f -> false);
            client.execStartCmd(exec).exec(frames).awaitCompletion(30, TimeUnit.SECONDS);
            InspectExecResponse inspected = client.inspectExecCmd(exec).exec();
            assertEquals("run " + code + "\n", frames.text());
            assertFalse(inspected.isRunning());
            assertEquals(code, inspected.getExitCodeLong());
        }
        String detached = client.execCreateCmd(id).withCmd("touch", "/tmp/detached-was-here").exec().getId();
        client.execStartCmd(detached).withDetach(true).exec(new ResultCallback.Adapter<>()).awaitCompletion(30, TimeUnit.SECONDS);
        assertEquals("", out("exec", "execd", "sh", "-c", within10s("-e /tmp/detached-was-here")));
    }

    @Test
    void archivesGoInAndComeOutThroughDockerJava() throws Exception {
        String id = run("archived", "sleep", "1000");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            byte[] content = "put by docker-java\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("note.txt");
            e.setSize(content.length);
            out.putArchiveEntry(e);
            out.write(content);
            out.closeArchiveEntry();
        }
        client.copyArchiveToContainerCmd(id).withRemotePath("/tmp").withTarInputStream(new ByteArrayInputStream(tar.toByteArray())).exec();
        try (TarArchiveInputStream in = new TarArchiveInputStream(client.copyArchiveFromContainerCmd(id, "/tmp/note.txt").exec())) {
            TarArchiveEntry entry = in.getNextEntry();
            assertEquals("note.txt", entry.getName());
            assertEquals("put by docker-java\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The command's files appear when env, labels and working dir come from docker-java. */
    @Test
    void aCommandWithEnvLabelsAndWorkingDirWritesItsFiles() throws Exception {
        String id = client.createContainerCmd(IMAGE).withName("writer")
                .withCmd("sh", "-c", "pwd > /tmp/pwd.txt; env > /tmp/env.txt; sleep 1000")
                .withEnv("WHO=docker-java").withLabels(java.util.Map.of("role", "writer")).withWorkingDir("/work/here")
                .exec().getId();
        client.startContainerCmd(id).exec();
        assertEquals("", out("exec", "writer", "sh", "-c", within10s("-s /tmp/env.txt")));
        assertEquals("/work/here", out("exec", "writer", "cat", "/tmp/pwd.txt"));
        assertTrue(out("exec", "writer", "cat", "/tmp/env.txt").lines().anyMatch("WHO=docker-java"::equals));
        assertEquals("writer", client.inspectContainerCmd(id).exec().getConfig().getLabels().get("role"));
    }

    /** A shell loop that succeeds once {@code test} holds and fails after 10 s. */
    private static String within10s(String test) {
        return "for i in $(seq 100); do [ " + test + " ] && exit 0; sleep 0.1; done; exit 1";
    }

    /** Collects frames as text, with their stream types; counts down once the text matches. */
    private static final class Frames extends ResultCallback.Adapter<Frame> {
        final StringBuilder text = new StringBuilder();
        final List<StreamType> types = new CopyOnWriteArrayList<>();
        final CountDownLatch matched = new CountDownLatch(1);
        private final Predicate<String> until;

        Frames(Predicate<String> until) {
            this.until = until;
        }

        @Override
        public synchronized void onNext(Frame f) {
            text.append(new String(f.getPayload(), StandardCharsets.UTF_8));
            types.add(f.getStreamType());
            if (until.test(text.toString())) {
                matched.countDown();
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }
}
