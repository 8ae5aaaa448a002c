package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The create request is checked at create with Docker's words, a refusal leaves nothing, and JSON nulls mean "not set". */
class CreateRequestIT extends AgainstExternalTally {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void refusedCreatesAnswerDockersMessageAndLeaveNothing() throws Exception {
        long directoriesBefore = containerDirectories();
        String since = unixSeconds(Instant.now());

        DockerCli.Result badPolicy = docker.run("run", "--name", "cr-policy", "--restart=bogus", "bb", "true");
        assertEquals(125, badPolicy.exitCode(), badPolicy.stderr());
        assertTrue(badPolicy.stderr().contains("Error response from daemon: invalid restart policy 'bogus'"), badPolicy.stderr());

        DockerCli.Result tooLittleMemory = docker.run("create", "--name", "cr-memory", "-m", "4m", "bb", "true");
        assertEquals(1, tooLittleMemory.exitCode(), tooLittleMemory.stderr()); // docker create's code for a daemon's refusal
        assertTrue(tooLittleMemory.stderr().contains("Minimum memory limit allowed is 6MB"), tooLittleMemory.stderr());

        assertRefused("cr-bind", "{\"Image\": \"bb\", \"Cmd\": [\"true\"], \"HostConfig\": {\"Binds\": [\"./data:/data\"]}}",
                "create ./data: \"./data\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed."
                        + " If you intended to pass a host directory, use absolute path");
        assertRefused("cr-negative", "{\"Image\": \"bb\", \"Cmd\": [\"true\"], \"HostConfig\": {\"Memory\": -1}}",
                "Minimum memory limit allowed is 6MB");
        assertRefused("cr-port", "{\"Image\": \"bb\", \"Cmd\": [\"true\"], \"HostConfig\": {\"PortBindings\": {\"80/tcp\": [{\"HostPort\": \"99999\"}]}}}",
                "invalid port specification: \"99999\"");
        assertRefused("cr-proto", "{\"Image\": \"bb\", \"Cmd\": [\"true\"], \"ExposedPorts\": {\"80/bogus\": {}}}", "invalid proto: bogus");

        String until = unixSeconds(Instant.now());
        String names = out("ps", "-a", "--format", "{{.Names}}");
        for (String name : List.of("cr-policy", "cr-memory", "cr-bind", "cr-negative", "cr-port", "cr-proto")) {
            assertFalse(names.lines().anyMatch(name::equals), name + " listed: " + names);
        }
        assertEquals("", docker.run("events", "--since", since, "--until", until).assertOk().stdout().trim(), "no event recorded");
        assertEquals(directoriesBefore, containerDirectories(), "no container directory left");
        // and no name stays reserved
        out("create", "--name", "cr-bind", "bb", "true");
        out("rm", "cr-bind");
    }

    @Test
    void bindMountsAreMountedAndWhatTallyCannotMountYetIsRefused() throws Exception {
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve("mount-src"));
        Files.writeString(dir.resolve("note"), "from the host");
        assertEquals("from the host", out("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/m,readonly", "bb", "cat", "/m/note"));
        DockerCli.Result readOnly = docker.run("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/m,readonly", "bb",
                "touch", "/m/new");
        assertTrue(readOnly.exitCode() != 0 && !Files.exists(dir.resolve("new")), "a readonly --mount refused the write: " + readOnly.stderr());

        out("create", "--name", "cr-mount", "--mount", "type=bind,source=" + dir + ",target=/m,bind-propagation=rslave", "bb", "true");
        JsonNode mounts = JSON.readTree(out("inspect", "--format", "{{json .Mounts}}", "cr-mount"));
        assertEquals(1, mounts.size(), mounts.toString());
        assertEquals(dir.toString(), mounts.get(0).get("Source").asText());
        assertEquals("/m", mounts.get(0).get("Destination").asText());
        assertEquals("rslave", mounts.get(0).get("Propagation").asText());
        out("rm", "cr-mount");

        DockerCli.Result tmpfs = docker.run("run", "--rm", "--tmpfs", "/scratch", "bb", "true");
        assertEquals(125, tmpfs.exitCode(), tmpfs.stderr());
        assertTrue(tmpfs.stderr().contains("tmpfs mounts (--tmpfs) are not supported yet: /scratch"), tmpfs.stderr());
        DockerCli.Result volume = docker.run("run", "--rm", "--mount", "type=volume,target=/v", "bb", "true");
        assertEquals(125, volume.exitCode(), volume.stderr());
        assertTrue(volume.stderr().contains("volume mounts are not supported yet (mount at /v)"), volume.stderr());
    }

    @Test
    void explicitNullsEverywhereMeanNotSet() throws Exception {
        String body = """
                {"Hostname": null, "Domainname": null, "User": null, "AttachStdin": null, "AttachStdout": null, "AttachStderr": null,
                 "ExposedPorts": null, "Tty": null, "OpenStdin": null, "StdinOnce": null, "Env": null, "Cmd": ["true"],
                 "Healthcheck": null, "ArgsEscaped": null, "Image": "bb", "Volumes": null, "WorkingDir": null, "Entrypoint": null,
                 "NetworkDisabled": null, "MacAddress": null, "OnBuild": null, "Labels": null, "StopSignal": null, "StopTimeout": null,
                 "Shell": null,
                 "HostConfig": {"Binds": null, "ContainerIDFile": null, "LogConfig": null, "NetworkMode": null, "PortBindings": null,
                   "RestartPolicy": null, "AutoRemove": null, "VolumeDriver": null, "VolumesFrom": null, "CapAdd": null,
                   "CapDrop": null, "CgroupnsMode": null, "Dns": null, "DnsOptions": null, "DnsSearch": null, "ExtraHosts": null,
                   "GroupAdd": null, "IpcMode": null, "Cgroup": null, "Links": null, "OomScoreAdj": null, "PidMode": null,
                   "Privileged": null, "PublishAllPorts": null, "ReadonlyRootfs": null, "SecurityOpt": null, "StorageOpt": null,
                   "Tmpfs": null, "UTSMode": null, "UsernsMode": null, "ShmSize": null, "Sysctls": null, "Runtime": null,
                   "Isolation": null, "CpuShares": null, "Memory": null, "NanoCpus": null, "CgroupParent": null, "BlkioWeight": null,
                   "CpuPeriod": null, "CpuQuota": null, "CpusetCpus": null, "CpusetMems": null, "Devices": null,
                   "MemoryReservation": null, "MemorySwap": null, "MemorySwappiness": null, "OomKillDisable": null,
                   "PidsLimit": null, "Ulimits": null, "Mounts": null, "Init": null, "MaskedPaths": null, "ReadonlyPaths": null},
                 "NetworkingConfig": null}
                """;
        Curl created = post("/containers/create?name=cr-nulls", body);
        assertEquals(201, created.status(), created.body());

        assertTrue(out("ps", "-a", "--format", "{{.Names}}").lines().anyMatch("cr-nulls"::equals));
        out("ps");
        Curl list = get("/containers/json?all=1");
        assertEquals(200, list.status(), list.body());
        JsonNode inspect = JSON.readTree(out("inspect", "cr-nulls")).get(0);
        assertEquals("default", inspect.path("HostConfig").path("NetworkMode").asText());
        assertEquals("no", inspect.path("HostConfig").path("RestartPolicy").path("Name").asText());

        out("start", "cr-nulls");
        assertEquals("0", out("wait", "cr-nulls"));
        out("ps");
        out("rm", "cr-nulls");
    }

    private static void assertRefused(String name, String body, String message) throws Exception {
        Curl answer = post("/containers/create?name=" + name, body);
        assertEquals(400, answer.status(), answer.body());
        assertEquals(message, JSON.readTree(answer.body()).path("message").asText(), answer.body());
    }

    private static long containerDirectories() throws Exception {
        try (var dirs = Files.list(tmp.resolve("root/containers"))) {
            return dirs.count();
        }
    }

    /** Unix seconds with nanoseconds, as the docker CLI sends --since and --until. */
    private static String unixSeconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private record Curl(int status, String body) {
    }

    private static Curl get(String path) throws Exception {
        return curl(List.of("-X", "GET", "http://tally" + path), null);
    }

    private static Curl post(String path, String json) throws Exception {
        return curl(List.of("-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@-", "http://tally" + path), json);
    }

    private static Curl curl(List<String> args, String stdin) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--unix-socket",
                env.tally.socket().toString(), "-w", "\n%{http_code}"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(70, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("curl " + args + " failed: " + out);
        }
        int cut = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(cut + 1).trim()), out.substring(0, cut));
    }
}
