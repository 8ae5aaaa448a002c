package io.tally.container.create;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.events.DomainException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A create body as JSON, then what it reads as, or the words Docker refuses it with. No host: its facts are given. */
class CreateRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EXISTING_PATHS = Set.of("/srv/data");
    private static final CreateChecks.Host HOST = new CreateChecks.Host(2, EXISTING_PATHS::contains);

    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text.replace('\'', '"'), new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static CreateRequest given(String body) {
        return CreateRequest.parse(json(body), HOST);
    }

    /** The body {Image: bb} with this HostConfig. */
    private static CreateRequest givenHostConfig(String hostConfig) {
        return given("{'Image': 'bb', 'HostConfig': " + hostConfig + "}");
    }

    private static void refused(String message, String body) {
        DomainException e = assertThrows(DomainException.class, () -> given(body));
        assertEquals(DomainException.Kind.INVALID, e.kind());
        assertEquals(message, e.getMessage());
    }

    private static void refusedHostConfig(String message, String hostConfig) {
        refused(message, "{'Image': 'bb', 'HostConfig': " + hostConfig + "}");
    }

    @Test
    void aFullRequestReadsIntoTypedRecords() {
        CreateRequest r = given("""
                {'Image': 'bb', 'Cmd': ['sh', '-c', 'true'], 'Env': ['A=1'], 'Labels': {'team': 'x'}, 'WorkingDir': '/w',
                 'User': 'nobody', 'Tty': true, 'OpenStdin': true, 'ExposedPorts': {'80/tcp': {}}, 'StopSignal': 'SIGINT',
                 'StopTimeout': 3, 'Healthcheck': {'Test': ['CMD', 'true'], 'Interval': 1000000000, 'Retries': 2},
                 'HostConfig': {'Binds': ['/srv/data:/data:ro'], 'PortBindings': {'80/tcp': [{'HostIp': '127.0.0.1', 'HostPort': '8080'}]},
                   'RestartPolicy': {'Name': 'on-failure', 'MaximumRetryCount': 3}, 'LogConfig': {'Type': 'kafka', 'Config': {'topic': 't'}},
                   'Memory': 67108864, 'MemorySwap': -1, 'NanoCpus': 500000000, 'PidsLimit': 100, 'CapAdd': ['NET_ADMIN'],
                   'Mounts': [{'Type': 'bind', 'Source': '/srv/data', 'Target': '/m', 'ReadOnly': true, 'BindOptions': {'Propagation': 'rslave'}}],
                   'ExtraHosts': ['db:10.0.0.2', 'v6:::1', 'gw:host-gateway'], 'GroupAdd': ['wheel'], 'Init': true, 'NetworkMode': 'bridge'},
                 'NetworkingConfig': {'EndpointsConfig': {'bridge': {'Aliases': ['web'], 'IPAMConfig': {'IPv4Address': '172.17.0.9'}}}}}
                """);
        assertEquals("bb", r.config().image());
        assertEquals(List.of("sh", "-c", "true"), r.config().cmd());
        assertNull(r.config().entrypoint());
        assertEquals(Map.of("team", "x"), r.config().labels());
        assertEquals(List.of("80/tcp"), r.config().exposedPorts());
        assertEquals(3, r.config().stopTimeout());
        assertEquals(List.of("CMD", "true"), r.config().healthcheck().test());
        assertTrue(r.config().tty());

        HostConfig h = r.hostConfig();
        assertEquals(List.of(new Bind("/srv/data", "/data", true)), h.parsedBinds());
        assertEquals(Map.of("80/tcp", List.of(new HostConfig.PortBinding("127.0.0.1", "8080"))), h.portBindings());
        assertEquals(new RestartPolicy("on-failure", 3), h.restartPolicy());
        assertEquals("t", LogDriver.of(h.logConfig()).topic("tally.logs"));
        assertEquals(67108864, h.resources().memory());
        assertEquals(-1, h.resources().memorySwap());
        assertEquals(100, h.resources().pidsLimit());
        assertEquals("rslave", h.mounts().get(0).bindOptions().propagation());
        assertEquals(List.of("wheel"), h.groupAdd());
        assertEquals(Boolean.TRUE, h.init());
        assertEquals("bridge", h.networkModeOrDefault());
        assertEquals(List.of("web"), r.networkingConfig().endpointsConfig().get("bridge").aliases());
        assertEquals("172.17.0.9", r.networkingConfig().endpointsConfig().get("bridge").ipv4Address());
    }

    @Test
    void explicitNullsAnywhereMeanNotSet() {
        CreateRequest r = given("""
                {'Image': 'bb', 'Cmd': null, 'Entrypoint': null, 'Env': ['A=1', null], 'Labels': {'a': null, 'b': 'x'},
                 'ExposedPorts': null, 'Volumes': null, 'Healthcheck': null, 'StopTimeout': null, 'WorkingDir': null, 'Tty': null,
                 'HostConfig': {'NetworkMode': null, 'Binds': null, 'PortBindings': {'80/tcp': null}, 'RestartPolicy': null,
                   'LogConfig': {'Type': null, 'Config': null}, 'Memory': null, 'PidsLimit': null, 'Mounts': [null],
                   'CapAdd': [null], 'Init': null, 'AutoRemove': null, 'Privileged': null},
                 'NetworkingConfig': {'EndpointsConfig': null}}
                """);
        assertNull(r.config().cmd());
        assertEquals(List.of("A=1"), r.config().env());
        assertEquals(Map.of("b", "x"), r.config().labels());
        assertNull(r.config().healthcheck());
        assertNull(r.config().stopTimeout());
        assertFalse(r.config().tty());
        HostConfig h = r.hostConfig();
        assertEquals("default", h.networkModeOrDefault());
        assertEquals(Map.of("80/tcp", List.of()), h.portBindings());
        assertEquals(RestartPolicy.NO, h.restartPolicy());
        assertEquals(LogDriver.DEFAULT, LogDriver.of(h.logConfig()).type());
        assertEquals(0, h.resources().memory());
        assertEquals(List.of(), h.mounts());
        assertEquals(List.of(), h.capAdd());
        assertNull(h.init());
        assertEquals(Map.of(), r.networkingConfig().endpointsConfig());
    }

    @Test
    void aNullOrEmptyHostConfigIsTheDefault() {
        assertEquals(HostConfig.NONE, givenHostConfig("null").hostConfig());
        assertEquals(HostConfig.NONE, given("{'Image': 'bb'}").hostConfig());
        assertEquals(RestartPolicy.NO, HostConfig.parse(null).restartPolicy());
    }

    @Test
    void anEmptyBodyIsRefused() {
        refused("Config cannot be empty in order to create a container", "{}");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedLikeDockersDecoder() {
        refusedHostConfig("json: cannot unmarshal string into Go struct field Config.HostConfig.Memory of type int64", "{'Memory': '1g'}");
        refused("json: cannot unmarshal number into Go struct field Config.Env of type []string", "{'Image': 'bb', 'Env': 3}");
        refusedHostConfig("json: cannot unmarshal number 1.5 into Go struct field Config.HostConfig.NanoCpus of type int64",
                "{'NanoCpus': 1.5}");
    }

    @Test
    void badRestartPoliciesAreRefused() {
        refusedHostConfig("invalid restart policy 'bogus'", "{'RestartPolicy': {'Name': 'bogus'}}");
        refusedHostConfig("maximum retry count cannot be used with restart policy 'always'",
                "{'RestartPolicy': {'Name': 'always', 'MaximumRetryCount': 2}}");
        refusedHostConfig("maximum retry count cannot be used with restart policy 'no'",
                "{'RestartPolicy': {'Name': 'no', 'MaximumRetryCount': 2}}");
        refusedHostConfig("maximum retry count cannot be negative", "{'RestartPolicy': {'Name': 'on-failure', 'MaximumRetryCount': -1}}");
        refusedHostConfig("can't create 'AutoRemove' container with restart policy",
                "{'AutoRemove': true, 'RestartPolicy': {'Name': 'always'}}");
    }

    @Test
    void badMemoryLimitsAreRefused() {
        refusedHostConfig("Minimum memory limit allowed is 6MB", "{'Memory': -1}");
        refusedHostConfig("Minimum memory limit allowed is 6MB", "{'Memory': 1048576}");
        refusedHostConfig("Minimum memoryswap limit should be larger than memory limit, see usage",
                "{'Memory': 67108864, 'MemorySwap': 33554432}");
        refusedHostConfig("You should always set the Memory limit when using Memoryswap limit, see usage", "{'MemorySwap': 67108864}");
        refusedHostConfig("Invalid value: 101, valid memory swappiness range is 0-100", "{'MemorySwappiness': 101}");
        refusedHostConfig("Minimum memory reservation allowed is 6MB", "{'MemoryReservation': 1024}");
        refusedHostConfig("Minimum memory limit can not be less than memory reservation limit, see usage",
                "{'Memory': 67108864, 'MemoryReservation': 134217728}");
        givenHostConfig("{'Memory': 6291456, 'MemorySwap': -1, 'MemorySwappiness': -1}");
    }

    @Test
    void badCpuValuesAreRefused() {
        refusedHostConfig("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available", "{'NanoCpus': 3000000000}");
        refusedHostConfig("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available", "{'NanoCpus': -1}");
        refusedHostConfig("Conflicting options: Nano CPUs and CPU Period cannot both be set", "{'NanoCpus': 1000000000, 'CpuPeriod': 100000}");
        refusedHostConfig("Conflicting options: Nano CPUs and CPU Quota cannot both be set", "{'NanoCpus': 1000000000, 'CpuQuota': 50000}");
        refusedHostConfig("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)", "{'CpuPeriod': 999}");
        refusedHostConfig("CPU cfs quota can not be less than 1ms (i.e. 1000)", "{'CpuQuota': 999}");
        refusedHostConfig("cpu real-time runtime cannot be higher than cpu real-time period",
                "{'CpuRealtimePeriod': 1000, 'CpuRealtimeRuntime': 2000}");
        refusedHostConfig("Range of blkio weight is from 10 to 1000", "{'BlkioWeight': 5}");
        refusedHostConfig("invalid pids limit", "{'PidsLimit': -2}");
    }

    @Test
    void badPortSpecsAreRefused() {
        refused("invalid port specification: \"99999\"", "{'Image': 'bb', 'ExposedPorts': {'99999/tcp': {}}}");
        refused("invalid proto: foo", "{'Image': 'bb', 'ExposedPorts': {'80/foo': {}}}");
        refusedHostConfig("invalid port specification: \"http\"", "{'PortBindings': {'http/tcp': []}}");
        refusedHostConfig("invalid proto: icmp", "{'PortBindings': {'80/icmp': []}}");
        refusedHostConfig("invalid port specification: \"70000\"", "{'PortBindings': {'80/tcp': [{'HostPort': '70000'}]}}");
        refusedHostConfig("invalid port specification: \"9-8\"", "{'PortBindings': {'80/tcp': [{'HostPort': '9-8'}]}}");
        givenHostConfig("{'PortBindings': {'80/udp': [{'HostPort': ''}, {'HostPort': '8000-8010'}], '53': [{'HostPort': '53'}]}}");
    }

    @Test
    void bindsAreHostDirectoriesWithAbsolutePaths() {
        refusedHostConfig("create ./data: \"./data\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\""
                + " are allowed. If you intended to pass a host directory, use absolute path", "{'Binds': ['./data:/data']}");
        refusedHostConfig("named volumes are not supported yet: \"data:/data\" names the volume \"data\"; bind a host directory with an absolute path instead",
                "{'Binds': ['data:/data']}");
        refusedHostConfig("invalid volume specification: '/a:relative': invalid mount config for type \"bind\": "
                + "invalid mount path: 'relative' mount path must be absolute", "{'Binds': ['/a:relative']}");
        refusedHostConfig("invalid volume specification: '/a:/': invalid mount config for type \"bind\": "
                + "invalid specification: destination can't be '/'", "{'Binds': ['/a:/']}");
        refusedHostConfig("invalid mode: bogus", "{'Binds': ['/a:/b:bogus']}");
        refusedHostConfig("invalid volume specification: '/a:/b:ro:x'", "{'Binds': ['/a:/b:ro:x']}");
        refusedHostConfig("invalid volume specification: '/b:ro'", "{'Binds': ['/b:ro']}");
        assertEquals(List.of(new Bind("/a", "/b", false), new Bind("/c", "/d", true)),
                givenHostConfig("{'Binds': ['/a:/b', '/c:/d:ro,rslave']}").hostConfig().parsedBinds());
    }

    @Test
    void badMountsAreRefused() {
        refusedHostConfig("invalid mount config for type \"bind\": field Target must not be empty",
                "{'Mounts': [{'Type': 'bind', 'Source': '/srv/data'}]}");
        refusedHostConfig("invalid mount config for type \"bind\": bind source path does not exist: /nope",
                "{'Mounts': [{'Type': 'bind', 'Source': '/nope', 'Target': '/m'}]}");
        refusedHostConfig("invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute",
                "{'Mounts': [{'Type': 'bind', 'Source': 'rel', 'Target': '/m'}]}");
        refusedHostConfig("invalid mount config for type \"bind\": invalid propagation mode: sideways",
                "{'Mounts': [{'Type': 'bind', 'Source': '/srv/data', 'Target': '/m', 'BindOptions': {'Propagation': 'sideways'}}]}");
        refusedHostConfig("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes",
                "{'Mounts': [{'Type': 'volume', 'Target': '/m', 'ReadOnly': true}]}");
        refusedHostConfig("invalid mount config for type \"tmpfs\": field Source must not be specified",
                "{'Mounts': [{'Type': 'tmpfs', 'Source': '/x', 'Target': '/m'}]}");
        refusedHostConfig("invalid mount config for type \"floppy\": mount type unknown", "{'Mounts': [{'Type': 'floppy', 'Target': '/m'}]}");
    }

    @Test
    void mountsTallyCannotHonourYetAreRefusedRatherThanLeftOut() {
        refusedHostConfig("volume mounts are not supported yet (mount at /v); bind a host directory with type=bind instead",
                "{'Mounts': [{'Type': 'volume', 'Target': '/v'}]}");
        refusedHostConfig("tmpfs mounts are not supported yet (mount at /t); bind a host directory with type=bind instead",
                "{'Mounts': [{'Type': 'tmpfs', 'Target': '/t'}]}");
        refusedHostConfig("non-recursive bind mounts are not supported yet (mount at /m); leave bind-recursive at its default",
                "{'Mounts': [{'Type': 'bind', 'Source': '/srv/data', 'Target': '/m', 'BindOptions': {'NonRecursive': true}}]}");
        refusedHostConfig("tmpfs mounts (--tmpfs) are not supported yet: /run; bind a host directory instead", "{'Tmpfs': {'/run': ''}}");
        HostConfig h = givenHostConfig("{'Binds': ['/srv/data:/a'], 'Mounts': [{'Type': 'bind', 'Source': '/srv/data', 'Target': '/b',"
                + " 'BindOptions': {'Propagation': 'rshared'}}]}").hostConfig();
        assertEquals(1, h.bindMounts().size());
        assertEquals("rshared", h.bindMounts().get(0).propagation());
    }

    @Test
    void logDriversAndOptionsAreCheckedAtCreate() {
        refusedHostConfig("logging driver \"syslog\" is not supported: use json-file (the default), local, kafka or none",
                "{'LogConfig': {'Type': 'syslog'}}");
        refusedHostConfig("unknown log opt 'topic' for json-file log driver", "{'LogConfig': {'Type': 'json-file', 'Config': {'topic': 'x'}}}");
        refusedHostConfig("invalid log-opt max-size \"ten\": use a number with k, m or g", "{'LogConfig': {'Config': {'max-size': 'ten'}}}");
    }

    @Test
    void configChecksUseDockersWords() {
        refused("the working directory 'w' is invalid, it needs to be an absolute path", "{'Image': 'bb', 'WorkingDir': 'w'}");
        refused("Invalid signal: NOPE", "{'Image': 'bb', 'StopSignal': 'NOPE'}");
        refused("invalid environment variable: =x", "{'Image': 'bb', 'Env': ['=x']}");
        refused("Interval in Healthcheck cannot be less than 1ms", "{'Image': 'bb', 'Healthcheck': {'Interval': 5}}");
        refused("Retries in Healthcheck cannot be negative", "{'Image': 'bb', 'Healthcheck': {'Retries': -1}}");
    }

    @Test
    void otherHostConfigChecks() {
        refusedHostConfig("network mode \"host\" is not supported yet: containers get their own loopback-only network namespace",
                "{'NetworkMode': 'host'}");
        refusedHostConfig("bad format for add-host: \"nohost\"", "{'ExtraHosts': ['nohost']}");
        refusedHostConfig("invalid IP address in add-host: \"example.com\"", "{'ExtraHosts': ['h:example.com']}");
        refusedHostConfig("SHM size can not be less than 0", "{'ShmSize': -1}");
        refusedHostConfig("Invalid value 1001, range for oom score adj is [-1000, 1000]", "{'OomScoreAdj': 1001}");
        refusedHostConfig("invalid isolation 'hyperv' on linux", "{'Isolation': 'hyperv'}");
    }
}
