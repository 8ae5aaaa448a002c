package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real numbers and API completeness through the stock docker CLI and raw requests: stats against the
 * cgroup files, docker update applied to the live cgroup and kept across a restart, system df, info,
 * diff without the daemon-managed /etc files, Mounts, and Docker's JSON errors for endpoints Tally refuses.
 */
class ApiCompletenessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOOP = "while true; do sleep 1; done";
    private static final boolean V2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));

    @TempDir
    static Path tmp;
    static ExternalTally env;
    static DockerCli docker;
    static TallyApi api;

    @BeforeAll
    static void startTally() throws Exception {
        env = ExternalTally.start(tmp, "--debug");
        docker = env.docker;
        api = new TallyApi(env.tally.socket());
        BusyboxImage.loadInto(docker);
    }

    @AfterAll
    static void stopTally() throws Exception {
        if (env != null) {
            env.close();
            env = null;
        }
    }

    @AfterEach
    void removeContainers() throws Exception {
        env.removeAllContainers();
    }

    static String out(String... args) throws Exception {
        return docker.run(args).assertOk().stdout().trim();
    }

    private static Path cgroupFile(String controller, String id, String file) {
        return V2 ? Path.of("/sys/fs/cgroup/tally", id, file) : Path.of("/sys/fs/cgroup", controller, "tally", id, file);
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p).trim();
    }

    private static long keyed(Path p, String key) throws Exception {
        for (String line : Files.readAllLines(p)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(key)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError(key + " not in " + p);
    }

    /** A container that was throttled and wrote to disk, then frozen, so that its counters hold still while compared. */
    @Test
    void statsAreTheCgroupsCounters() throws Exception {
        String id = out("run", "-d", "--name", "busy", "-m", "64m", "--cpus", "0.1", "bb", "sh", "-c",
                "dd if=/dev/zero of=/written bs=64k count=16 conv=fsync 2>/dev/null; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; "
                        + LOOP);
        Path cpuStat = cgroupFile("cpu", id, "cpu.stat");
        for (int i = 0; i < 200 && keyed(cpuStat, "nr_throttled") == 0; i++) {
            Thread.sleep(100);
        }
        out("pause", "busy");

        JsonNode stats = api.get("/containers/busy/stats?stream=false").assertStatus(200).json();

        assertEquals(Long.parseLong(read(cgroupFile("pids", id, "pids.current"))), stats.at("/pids_stats/current").asLong());
        JsonNode throttling = stats.at("/cpu_stats/throttling_data");
        assertTrue(throttling.get("throttled_periods").asLong() > 0, "a busy loop at 0.1 CPUs is throttled: " + throttling);
        assertEquals(keyed(cpuStat, "nr_periods"), throttling.get("periods").asLong());
        assertEquals(keyed(cpuStat, "nr_throttled"), throttling.get("throttled_periods").asLong());
        if (V2) {
            assertEquals(keyed(cpuStat, "throttled_usec") * 1000, throttling.get("throttled_time").asLong());
            assertEquals(Long.parseLong(read(cgroupFile("memory", id, "memory.current"))), stats.at("/memory_stats/usage").asLong());
        } else {
            assertEquals(keyed(cpuStat, "throttled_time"), throttling.get("throttled_time").asLong());
            assertEquals(Long.parseLong(read(cgroupFile("cpuacct", id, "cpuacct.usage"))), stats.at("/cpu_stats/cpu_usage/total_usage").asLong());
            assertEquals(Long.parseLong(read(cgroupFile("memory", id, "memory.max_usage_in_bytes"))),
                    stats.at("/memory_stats/max_usage").asLong());
            assertTrue(stats.at("/memory_stats/max_usage").asLong() >= stats.at("/memory_stats/usage").asLong());
            assertEquals(blkioFromFile(id), blkioFromStats(stats.at("/blkio_stats/io_service_bytes_recursive")));
        }
        assertEquals(67108864, stats.at("/memory_stats/limit").asLong());

        JsonNode cli = JSON.readTree(out("stats", "--no-stream", "--format", "{{json .}}", "busy"));
        assertEquals(read(cgroupFile("pids", id, "pids.current")), cli.get("PIDs").asText());
        assertTrue(cli.get("MemUsage").asText().endsWith("/ 64MiB"), cli.toString());
        out("unpause", "busy");
    }

    private static List<String> blkioFromFile(String id) throws Exception {
        Path dir = cgroupFile("blkio", id, "");
        for (String prefix : List.of("blkio.bfq.", "blkio.", "blkio.throttle.")) {
            Path file = dir.resolve(prefix + "io_service_bytes_recursive");
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file).stream().map(String::trim).filter(l -> l.split("\\s+").length == 3).toList();
                if (!lines.isEmpty()) {
                    return lines;
                }
            }
        }
        return List.of();
    }

    private static List<String> blkioFromStats(JsonNode entries) {
        List<String> lines = new ArrayList<>();
        entries.forEach(e -> lines.add(e.get("major").asLong() + ":" + e.get("minor").asLong() + " " + e.get("op").asText() + " "
                + e.get("value").asLong()));
        return lines;
    }

    @Test
    void updateChangesTheLiveCgroupIsRecordedAndOutlivesARestart() throws Exception {
        String since = Long.toString(System.currentTimeMillis() / 1000 - 1);
        String id = out("run", "-d", "--name", "upd", "-m", "32m", "bb", "sh", "-c", LOOP);
        Path limit = cgroupFile("memory", id, V2 ? "memory.max" : "memory.limit_in_bytes");
        assertEquals("33554432", read(limit));

        out("update", "-m", "64m", "--restart", "always", "upd");

        assertEquals("67108864", read(limit), "the running container's cgroup has the new limit");
        assertEquals("67108864", out("inspect", "-f", "{{.HostConfig.Memory}}", "upd"));
        assertEquals("always", out("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", "upd"));
        String events = out("events", "--since", since, "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "event=update", "--format", "{{.Actor.Attributes.name}} {{.Action}}");
        assertEquals("upd update", events);

        out("stop", "-t", "1", "upd");
        out("start", "upd");
        assertEquals("67108864", read(limit), "the next start applies the stored update");

        DockerCli.Result tooSmall = docker.run("update", "-m", "1m", "upd");
        assertEquals(1, tooSmall.exitCode());
        assertTrue(tooSmall.stderr().contains("Minimum memory limit allowed is 6MB"), tooSmall.stderr());
        assertEquals("67108864", read(limit));
        DockerCli.Result unknown = docker.run("update", "-m", "64m", "nosuchcontainer");
        assertTrue(unknown.stderr().contains("No such container: nosuchcontainer"), unknown.stderr());
    }

    @Test
    void systemDfCountsImagesContainersAndWhatTheyWrote() throws Exception {
        out("run", "--name", "writer", "bb", "dd", "if=/dev/zero", "of=/blob", "bs=1k", "count=300");

        JsonNode df = api.get("/system/df").assertStatus(200).json();
        JsonNode writer = null;
        for (JsonNode c : df.get("Containers")) {
            if (c.get("Names").get(0).asText().equals("/writer")) {
                writer = c;
            }
        }
        assertTrue(writer != null, df.toString());
        assertEquals(300 * 1024, writer.get("SizeRw").asLong(), "the blob, and no daemon-managed file");
        JsonNode bb = df.get("Images").get(0);
        assertEquals(1, bb.get("Containers").asLong());
        assertTrue(df.get("LayersSize").asLong() > 0, df.toString());
        assertTrue(df.get("Volumes").isEmpty() && df.get("BuildCache").isEmpty());

        List<String> table = out("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}").lines().toList();
        assertTrue(table.contains("Images 1 1"), table.toString());
        assertTrue(table.contains("Containers 1 0"), table.toString());
        assertTrue(out("system", "df", "-v").contains("writer"));
    }

    @Test
    void infoShowsDebugLogDriversAndEventListeners() throws Exception {
        JsonNode info = JSON.readTree(out("info", "--format", "{{json .}}"));
        assertTrue(info.get("Debug").asBoolean(), "tallyd runs with --debug");
        List<String> logDrivers = new ArrayList<>();
        info.at("/Plugins/Log").forEach(n -> logDrivers.add(n.asText()));
        assertEquals(List.of("json-file", "kafka", "local"), logDrivers);
        assertEquals(0, info.get("NEventsListener").asInt());

        ProcessBuilder eventsCli = new ProcessBuilder("docker", "events").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("events.out").toFile());
        eventsCli.environment().put("DOCKER_HOST", "unix://" + env.tally.socket());
        Process events = eventsCli.start();
        try {
            assertTrue(awaitListeners(1), "the open docker events stream is counted");
        } finally {
            events.destroy();
            events.waitFor();
        }
        assertTrue(awaitListeners(0), "and no longer once its client left");
    }

    private static boolean awaitListeners(int expected) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (api.get("/info").assertStatus(200).json().get("NEventsListener").asInt() == expected) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void diffLeavesOutTheDaemonManagedFilesAndMountsShowBinds() throws Exception {
        out("run", "--name", "changer", "bb", "touch", "/tmp/new");
        List<String> diff = out("diff", "changer").lines().toList();
        assertTrue(diff.contains("A /tmp/new") || diff.contains("C /tmp"), diff.toString());
        assertTrue(diff.stream().noneMatch(l -> l.contains("/etc")), diff.toString());

        Path data = Files.createDirectories(tmp.resolve("data"));
        out("run", "-d", "--name", "bound", "-v", data + ":/data:ro", "-v", tmp + ":/rw", "bb", "sh", "-c", LOOP);
        JsonNode mounts = JSON.readTree(out("inspect", "-f", "{{json .Mounts}}", "bound"));
        assertEquals(2, mounts.size(), mounts.toString());
        assertEquals(Map.of("Type", "bind", "Source", data.toString(), "Destination", "/data", "Mode", "ro", "RW", false,
                "Propagation", "rprivate"), JSON.convertValue(mounts.get(0), Map.class));
        assertTrue(mounts.get(1).get("RW").asBoolean());
        assertEquals(data + "," + tmp, out("ps", "--no-trunc", "--filter", "name=bound", "--format", "{{.Mounts}}"));
        assertEquals("bound", out("ps", "--filter", "volume=/data", "--format", "{{.Names}}"));
        assertEquals("bound", out("ps", "--filter", "volume=" + data, "--filter", "network=none", "--format", "{{.Names}}"));
        assertEquals("", out("ps", "--filter", "volume=/elsewhere", "--format", "{{.Names}}"));
        assertEquals("", out("ps", "--filter", "publish=80", "--format", "{{.Names}}"));
        DockerCli.Result badPort = docker.run("ps", "--filter", "expose=http");
        assertTrue(badPort.stderr().contains("invalid port format"), badPort.stderr());
    }

    @Test
    void refusedEndpointsAnswerDockersJsonErrors() throws Exception {
        assertRefused("GET", "/networks", 501, "networks are not supported yet");
        assertRefused("POST", "/networks/create", 501, "networks are not supported yet");
        assertRefused("GET", "/v1.41/volumes", 501, "volumes are not supported yet");
        assertRefused("POST", "/build", 501, "image builds are not supported yet");
        assertRefused("GET", "/swarm", 503, "This node is not a swarm manager");
        assertRefused("GET", "/services", 503, "This node is not a swarm manager");
        assertRefused("GET", "/plugins", 501, "plugins are not supported");
        assertRefused("POST", "/commit?container=x", 501, "docker commit is not supported yet");
        assertRefused("POST", "/auth", 501, "registries are not supported yet");
        assertRefused("GET", "/distribution/bb/json", 401, "cannot inspect bb on registry-1.docker.io");
        assertRefused("GET", "/distribution/NOT_VALID/json", 400, "invalid reference format");
        assertRefused("GET", "/nonsense", 404, "page not found");
        out("run", "-d", "--name", "ws", "bb", "sh", "-c", LOOP);
        assertRefused("GET", "/containers/ws/attach/ws?stream=1&stdout=1", 501, "websocket attach is not supported yet");

        assertEquals("{\"NetworksDeleted\":null}", curl("POST", "/networks/prune").body());
        DockerCli.Result ls = docker.run("network", "ls");
        assertEquals(1, ls.exitCode());
        assertTrue(ls.stderr().contains("networks are not supported yet"), ls.stderr());
        Http ping = curl("HEAD", "/_ping");
        assertEquals(200, ping.status());
    }

    private static void assertRefused(String method, String path, int status, String message) throws Exception {
        Http answer = curl(method, path);
        assertEquals(status, answer.status(), method + " " + path + ": " + answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertTrue(body.get("message").asText().contains(message), method + " " + path + ": " + answer.body());
    }

    record Http(int status, String body) {
    }

    private static Http curl(String method, String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--unix-socket", env.tally.socket().toString()));
        cmd.addAll(method.equals("HEAD") ? List.of("-I") : List.of("-X", method));
        cmd.addAll(List.of("-w", "\n%{http_code}", "http://tally" + path));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        int cut = out.lastIndexOf('\n');
        return new Http(Integer.parseInt(out.substring(cut + 1).trim()), out.substring(0, cut).trim());
    }
}
