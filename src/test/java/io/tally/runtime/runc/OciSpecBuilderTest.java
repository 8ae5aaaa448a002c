package io.tally.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.runtime.runc.ContainerSpec.BindMount;
import io.tally.runtime.ContainerRuntime.Resources;
import io.tally.runtime.runc.ContainerSpec.Ulimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciSpecBuilderTest {
    static final String ID = "0123456789abcdef".repeat(4);
    static final Path ROOTFS = Path.of("/var/lib/tally/overlay/" + ID + "/merged");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long MIB = 1024 * 1024;
    static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(0, 10), "/root");

    final OciSpecBuilder v1 = new OciSpecBuilder(HostCgroups.v1("0-1"), new Capabilities(CapabilitiesTest.FULL),
            HostRlimits.unrestricted());
    final OciSpecBuilder v2 = new OciSpecBuilder(HostCgroups.v2("0-1"), new Capabilities(CapabilitiesTest.FULL),
            HostRlimits.unrestricted());

    static ContainerSpec.Builder spec() {
        return ContainerSpec.builder(ID, ROOTFS, List.of("/bin/sh", "-c", "echo hi"))
                .env(List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8"))
                .cgroupsPath("/tally/" + ID);
    }

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    /** The node as runc would read it back (number nodes of the smallest fitting type, as the expected side). */
    static JsonNode norm(JsonNode node) {
        try {
            return MAPPER.readTree(node.toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    static JsonNode mount(ObjectNode config, String destination) {
        for (JsonNode m : config.get("mounts")) {
            if (m.get("destination").asText().equals(destination)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void defaultsAreDockers() throws Exception {
        OciConfig config = v1.build(spec().build(), ROOT);
        assertEquals(List.of(), config.warnings());
        assertEquals(json("""
                {
                  "ociVersion": "1.0.2",
                  "process": {
                    "terminal": false,
                    "user": {"uid": 0, "gid": 0, "additionalGids": [0, 10]},
                    "args": ["/bin/sh", "-c", "echo hi"],
                    "env": ["PATH=/usr/bin:/bin", "HOSTNAME=0123456789ab", "LANG=C.UTF-8", "HOME=/root"],
                    "cwd": "/",
                    "capabilities": {
                      "bounding": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                        "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"],
                      "effective": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                        "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"],
                      "permitted": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                        "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
                    },
                    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}],
                    "noNewPrivileges": false,
                    "oomScoreAdj": 0
                  },
                  "root": {"path": "/var/lib/tally/overlay/%s/merged", "readonly": false},
                  "hostname": "0123456789ab",
                  "mounts": [
                    {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
                    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
                     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
                    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
                    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                     "options": ["ro", "nosuid", "noexec", "nodev"]},
                    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
                    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
                     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"]}
                  ],
                  "linux": {
                    "sysctl": {"net.ipv4.ping_group_range": "0 2147483647", "net.ipv4.ip_unprivileged_port_start": "0"},
                    "resources": {
                      "devices": [
                        {"allow": false, "access": "rwm"},
                        {"allow": true, "type": "c", "access": "m"},
                        {"allow": true, "type": "b", "access": "m"},
                        {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 1, "minor": 8, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 1, "minor": 7, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 5, "minor": 0, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 1, "minor": 9, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 5, "minor": 1, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 136, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 5, "minor": 2, "access": "rwm"},
                        {"allow": true, "type": "c", "major": 10, "minor": 200, "access": "rwm"}
                      ],
                      "memory": {},
                      "cpu": {"shares": 0},
                      "blockIO": {"weight": 0}
                    },
                    "cgroupsPath": "/tally/%s",
                    "namespaces": [{"type": "mount"}, {"type": "network"}, {"type": "uts"}, {"type": "pid"}, {"type": "ipc"}],
                    "maskedPaths": ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                      "/sys/devices/virtual/powercap"],
                    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
                  }
                }
                """.formatted(ID, ID)), norm(config.json()));
        // round trip through bytes, as runc will read it
        assertEquals(norm(config.json()), MAPPER.readTree(config.toBytes()));
    }

    @Test
    void cgroupNamespaceOnlyOnCgroupV2() {
        JsonNode namespaces = v2.build(spec().build(), ROOT).json().at("/linux/namespaces");
        assertEquals(List.of("mount", "network", "uts", "pid", "ipc", "cgroup"),
                StreamSupport.stream(namespaces.spliterator(), false).map(n -> n.get("type").asText()).toList());
        JsonNode v1Namespaces = v1.build(spec().build(), ROOT).json().at("/linux/namespaces");
        assertFalse(v1Namespaces.toString().contains("cgroup"));
    }

    @Test
    void networkNamespacePathIsJoined() {
        JsonNode ns = v1.build(spec().networkNamespacePath("/run/netns/abc").build(), ROOT).json()
                .at("/linux/namespaces/1");
        assertEquals("network", ns.get("type").asText());
        assertEquals("/run/netns/abc", ns.get("path").asText());
    }

    @Test
    void envFollowsDockersRules() {
        ResolvedUser tally = new ResolvedUser(1000, 1000, List.of(1000), "/home/tally");
        ObjectNode c = v1.build(spec().tty(true).hostname("web").env(List.of("FOO=1", "HOSTNAME", "FOO=2")).build(),
                tally).json();
        assertTrue(c.at("/process/terminal").asBoolean());
        assertEquals(List.of("PATH=" + ProcessEnv.DEFAULT_PATH, "TERM=xterm", "FOO=1", "FOO=2", "HOME=/home/tally"),
                strings(c.at("/process/env")));
        c = v1.build(spec().env(List.of("HOME=/srv", "TERM=dumb")).cwd("/srv").build(), tally).json();
        assertEquals(List.of("PATH=" + ProcessEnv.DEFAULT_PATH, "HOSTNAME=0123456789ab", "HOME=/srv", "TERM=dumb"),
                strings(c.at("/process/env")));
        assertEquals("/srv", c.at("/process/cwd").asText());
        assertEquals(1000, c.at("/process/user/uid").asInt());
        assertEquals(List.of("1000"), strings(c.at("/process/user/additionalGids")));
    }

    @Test
    void privilegedGetsTheBoundingSetWritableSysAndCgroupsNoMasksAllDevices() {
        long bounding = CapabilitiesTest.NO_SYS_RESOURCE;
        OciSpecBuilder host = new OciSpecBuilder(HostCgroups.v1("0-1"), new Capabilities(bounding),
                HostRlimits.unrestricted());
        ObjectNode c = host.build(spec().privileged(true).capDrop(List.of("ALL")).build(), ROOT).json();
        List<String> caps = strings(c.at("/process/capabilities/bounding"));
        assertEquals(bounding, Capabilities.mask(caps));
        assertEquals(caps, strings(c.at("/process/capabilities/effective")));
        assertEquals(caps, strings(c.at("/process/capabilities/permitted")));
        assertTrue(c.at("/process/capabilities/inheritable").isMissingNode());
        assertTrue(c.at("/process/capabilities/ambient").isMissingNode());
        assertEquals(List.of("nosuid", "noexec", "nodev"), strings(mount(c, "/sys").get("options")));
        assertEquals(List.of("nosuid", "noexec", "nodev"), strings(mount(c, "/sys/fs/cgroup").get("options")));
        assertTrue(c.at("/linux/maskedPaths").isMissingNode());
        assertTrue(c.at("/linux/readonlyPaths").isMissingNode());
        assertEquals(json2("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"access\":\"rwm\"}]"),
                norm(c.at("/linux/resources/devices")));
    }

    private static JsonNode json2(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void capAddAndDropAreApplied() {
        ObjectNode c = v1.build(spec().capAdd(List.of("sys_admin")).capDrop(List.of("CAP_NET_RAW")).build(), ROOT).json();
        List<String> caps = strings(c.at("/process/capabilities/effective"));
        assertTrue(caps.contains("CAP_SYS_ADMIN"));
        assertFalse(caps.contains("CAP_NET_RAW"));
        assertEquals(14, caps.size());
        var e = assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().capAdd(List.of("CAP_WARP_DRIVE")).build(), ROOT));
        assertEquals("invalid capability: CAP_WARP_DRIVE", e.getMessage());
    }

    @Test
    void bindAndTmpfsMountsComeAfterTheDefaultsParentsFirst() {
        ContainerSpec s = spec()
                .mount(new BindMount("/srv/data/cache", "/data/cache/", false, null))
                .mount(new BindMount("/srv/data", "/data", true, null))
                .mount(new BindMount("/srv/shared", "/shared", false, "rshared"))
                .tmpfs("/run", "")
                .tmpfs("/data/tmp", "exec,size=64m,mode=1770,size=32m")
                .build();
        ObjectNode c = v1.build(s, ROOT).json();
        JsonNode mounts = c.get("mounts");
        assertEquals(12, mounts.size());
        List<String> user = new ArrayList<>();
        for (int i = 7; i < 12; i++) {
            user.add(mounts.get(i).get("destination").asText());
        }
        assertEquals(List.of("/data", "/shared", "/run", "/data/cache", "/data/tmp"), user);
        assertEquals(json2("""
                {"destination":"/data","type":"bind","source":"/srv/data","options":["rbind","ro","rprivate"]}"""),
                mount(c, "/data"));
        assertEquals(List.of("rbind", "rprivate"), strings(mount(c, "/data/cache").get("options")));
        assertEquals(List.of("rbind", "rshared"), strings(mount(c, "/shared").get("options")));
        assertEquals("shared", c.at("/linux/rootfsPropagation").asText());
        assertEquals(json2("""
                {"destination":"/run","type":"tmpfs","source":"tmpfs","options":["noexec","nosuid","nodev","rprivate"]}"""),
                mount(c, "/run"));
        // later options win: exec over noexec, the last size
        assertEquals(List.of("nosuid", "nodev", "rprivate", "exec", "mode=1770", "size=32m"),
                strings(mount(c, "/data/tmp").get("options")));
    }

    @Test
    void userMountsReplaceDefaults() {
        ObjectNode c = v1.build(spec().tmpfs("/dev/shm", "size=1g").build(), ROOT).json();
        assertEquals(7, c.get("mounts").size());
        assertEquals("tmpfs", mount(c, "/dev/shm").get("source").asText());
        assertEquals(List.of("noexec", "nosuid", "nodev", "rprivate", "size=1g"),
                strings(mount(c, "/dev/shm").get("options")));
        // a /dev of one's own drops every default under /dev
        c = v1.build(spec().mount(new BindMount("/dev", "/dev", false, null)).build(), ROOT).json();
        assertEquals(List.of("/proc", "/sys", "/sys/fs/cgroup", "/dev"),
                StreamSupport.stream(c.get("mounts").spliterator(), false)
                        .map(m -> m.get("destination").asText()).toList());
    }

    @Test
    void badMountsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().mount(new BindMount("/a", "relative", false, null)).build(), ROOT));
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().mount(new BindMount("/a", "/", false, null)).build(), ROOT));
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().mount(new BindMount("a", "/a", false, null)).build(), ROOT));
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().mount(new BindMount("/a", "/a", false, "sideways")).build(), ROOT));
        var dup = assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().mount(new BindMount("/a", "/x", false, null)).tmpfs("/x/", "").build(), ROOT));
        assertEquals("Duplicate mount point: /x", dup.getMessage());
        var tmpfs = assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().tmpfs("/t", "size=1m,evil").build(), ROOT));
        assertEquals("Invalid tmpfs option \"evil\"", tmpfs.getMessage());
    }

    @Test
    void networkFilesHookBindsEtcFilesReadOnlyWithAReadOnlyRootfs() {
        ContainerSpec s = spec().readonlyRootfs(true).mount(new BindMount("/mine/hosts", "/etc/hosts", true, null))
                .build()
                .withNetworkFiles(Path.of("/c/hostname"), Path.of("/c/hosts"), Path.of("/c/resolv.conf"));
        ObjectNode c = v1.build(s, ROOT).json();
        assertTrue(c.at("/root/readonly").asBoolean());
        assertEquals("/mine/hosts", mount(c, "/etc/hosts").get("source").asText());
        assertEquals(json2("""
                {"destination":"/etc/resolv.conf","type":"bind","source":"/c/resolv.conf","options":["rbind","ro","rprivate"]}"""),
                mount(c, "/etc/resolv.conf"));
        assertEquals(List.of("rbind", "ro", "rprivate"), strings(mount(c, "/etc/hostname").get("options")));
        // the kernel filesystems Docker keeps writable stay so
        assertEquals(List.of("nosuid", "noexec", "nodev"), strings(mount(c, "/dev/mqueue").get("options")));
        assertEquals(List.of("rbind", "rprivate"),
                strings(mount(v1.build(spec().build().withNetworkFiles(Path.of("/c/hostname"), null, null), ROOT)
                        .json(), "/etc/hostname").get("options")));
    }

    @Test
    void memoryLimitGetsDockersDoubleSwapAndReservation() {
        ObjectNode c = v1.build(spec().resources(Resources.NONE.withMemory(64 * MIB)).memoryReservationBytes(32 * MIB)
                .build(), ROOT).json();
        assertEquals(json2("{\"limit\":67108864,\"reservation\":33554432,\"swap\":134217728}"),
                norm(c.at("/linux/resources/memory")));
        c = v1.build(spec().resources(Resources.NONE.withMemory(64 * MIB).withMemorySwap(-1)).build(), ROOT).json();
        assertEquals(json2("{\"limit\":67108864}"), norm(c.at("/linux/resources/memory")));
    }

    @Test
    void swapIsDroppedWithDockersWarningWhereTheKernelCannotLimitIt() {
        OciSpecBuilder noSwap = new OciSpecBuilder(new HostCgroups(false, false, true, true, "0-1", "0"),
                new Capabilities(CapabilitiesTest.FULL), HostRlimits.unrestricted());
        OciConfig config = noSwap.build(spec().resources(Resources.NONE.withMemory(64 * MIB)).build(), ROOT);
        assertEquals(json2("{\"limit\":67108864}"), norm(config.json().at("/linux/resources/memory")));
        assertEquals(List.of("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                + "Memory limited without swap."), config.warnings());
    }

    @Test
    void memoryValidationUsesDockersMessages() {
        assertMessage("Minimum memory limit allowed is 6MB", Resources.NONE.withMemory(6 * MIB - 1));
        assertMessage("Minimum memory limit allowed is 6MB", Resources.NONE.withMemory(-5));
        assertMessage("Minimum memoryswap limit should be larger than memory limit, see usage",
                Resources.NONE.withMemory(64 * MIB).withMemorySwap(32 * MIB));
        assertMessage("You should always set the Memory limit when using Memoryswap limit, see usage",
                Resources.NONE.withMemorySwap(64 * MIB));
        assertMessage("Minimum memory reservation allowed is 6MB", spec().memoryReservationBytes(MIB));
        assertMessage("Minimum memory limit can not be less than memory reservation limit, see usage",
                spec().resources(Resources.NONE.withMemory(16 * MIB)).memoryReservationBytes(32 * MIB));
    }

    @Test
    void cpusBecomeQuotaOverDockersPeriod() {
        ObjectNode c = v1.build(spec().resources(Resources.NONE.withNanoCpus(1_500_000_000L).withCpuShares(512)
                .withCpuset("0-1", "0")).build(), ROOT).json();
        assertEquals(json2("{\"shares\":512,\"quota\":150000,\"period\":100000,\"cpus\":\"0-1\",\"mems\":\"0\"}"),
                norm(c.at("/linux/resources/cpu")));
        c = v1.build(spec().resources(Resources.NONE.withNanoCpus(10_000_000L)).build(), ROOT).json();
        assertEquals(1000, c.at("/linux/resources/cpu/quota").asLong());
        c = v1.build(spec().resources(Resources.NONE.withCpuQuota(50000, 250000)).build(), ROOT).json();
        assertEquals(json2("{\"shares\":0,\"quota\":50000,\"period\":250000}"), norm(c.at("/linux/resources/cpu")));
        c = v1.build(spec().resources(Resources.NONE.withCpuQuota(-1, 0)).build(), ROOT).json();
        assertEquals(-1, c.at("/linux/resources/cpu/quota").asLong());
    }

    @Test
    void cpuValidationUsesDockersMessages() {
        assertMessage("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                Resources.NONE.withNanoCpus(2_500_000_000L));
        assertMessage("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                Resources.NONE.withNanoCpus(-1));
        assertMessage("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                Resources.NONE.withNanoCpus(9_999_999L));
        assertMessage("Conflicting options: Nano CPUs and CPU Period cannot both be set",
                Resources.NONE.withNanoCpus(1_000_000_000L).withCpuQuota(0, 100000));
        assertMessage("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                Resources.NONE.withNanoCpus(1_000_000_000L).withCpuQuota(50000, 0));
        assertMessage("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                Resources.NONE.withCpuQuota(0, 999));
        assertMessage("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                Resources.NONE.withCpuQuota(0, 1_000_001));
        assertMessage("CPU cfs quota can not be less than 1ms (i.e. 1000)", Resources.NONE.withCpuQuota(999, 0));
        assertThrows(IllegalArgumentException.class, () -> build(Resources.NONE.withCpuQuota(-2, 0)));
        assertThrows(IllegalArgumentException.class, () -> build(Resources.NONE.withCpuShares(-1)));
        assertMessage("Invalid value 0-x for cpuset cpus", Resources.NONE.withCpuset("0-x", null));
        assertMessage("Requested CPUs are not available - requested 0-3, available: 0-1",
                Resources.NONE.withCpuset("0-3", null));
        assertMessage("Requested memory nodes are not available - requested 1, available: 0",
                Resources.NONE.withCpuset(null, "1"));
        OciSpecBuilder noCfs = new OciSpecBuilder(new HostCgroups(false, true, false, true, "0-1", "0"),
                new Capabilities(CapabilitiesTest.FULL), HostRlimits.unrestricted());
        var e = assertThrows(IllegalArgumentException.class, () -> noCfs.build(
                spec().resources(Resources.NONE.withNanoCpus(1_000_000_000L)).build(), ROOT));
        assertEquals("NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted",
                e.getMessage());
    }

    @Test
    void pidsAndBlkioWeight() {
        ObjectNode c = v1.build(spec().resources(Resources.NONE.withPidsLimit(100)).blkioWeight(300).build(), ROOT)
                .json();
        assertEquals(100, c.at("/linux/resources/pids/limit").asLong());
        assertEquals(300, c.at("/linux/resources/blockIO/weight").asInt());
        c = v1.build(spec().resources(Resources.NONE.withPidsLimit(-5)).build(), ROOT).json();
        assertEquals(-1, c.at("/linux/resources/pids/limit").asLong());
        assertTrue(v1.build(spec().build(), ROOT).json().at("/linux/resources/pids").isMissingNode());
        assertMessage("Range of blkio weight is from 10 to 1000", spec().blkioWeight(5));
        OciSpecBuilder noBlkio = new OciSpecBuilder(new HostCgroups(false, true, true, false, "0-1", "0"),
                new Capabilities(CapabilitiesTest.FULL), HostRlimits.unrestricted());
        OciConfig config = noBlkio.build(spec().blkioWeight(300).build(), ROOT);
        assertEquals(0, config.json().at("/linux/resources/blockIO/weight").asInt());
        assertEquals(List.of("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."),
                config.warnings());
    }

    @Test
    void ulimitsMapToRlimitsAndNofileDefaultsToDockers() throws Exception {
        ObjectNode c = v1.build(spec().ulimits(List.of(new Ulimit("nproc", 512, 1024), new Ulimit("CORE", -1, -1)))
                .build(), ROOT).json();
        assertEquals(json("""
                [{"type":"RLIMIT_NPROC","hard":1024,"soft":512},
                 {"type":"RLIMIT_CORE","hard":18446744073709551615,"soft":18446744073709551615},
                 {"type":"RLIMIT_NOFILE","hard":1048576,"soft":1048576}]"""), norm(c.at("/process/rlimits")));
        c = v1.build(spec().ulimits(List.of(new Ulimit("nofile", 1024, 2048))).build(), ROOT).json();
        assertEquals(json("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":2048,\"soft\":1024}]"), norm(c.at("/process/rlimits")));
        var e = assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().ulimits(List.of(new Ulimit("files", 1, 1))).build(), ROOT));
        assertEquals("invalid ulimit type: files", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().ulimits(List.of(new Ulimit("nofile", 10, 5))).build(), ROOT));
        assertEquals("ulimit soft limit must be less than or equal to hard limit: 10 > 5", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().ulimits(List.of(new Ulimit("nofile", -1, 5))).build(), ROOT));
        // beyond fs.nr_open even CAP_SYS_RESOURCE does not help
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().ulimits(List.of(new Ulimit("nofile", 10, 2_000_000))).build(), ROOT));
    }

    @Test
    void withoutCapSysResourceTheNofileDefaultIsLoweredToTheDaemonsOwn() throws Exception {
        OciSpecBuilder capped = new OciSpecBuilder(HostCgroups.v1("0-1"), new Capabilities(CapabilitiesTest.FULL),
                new HostRlimits(Map.of("nofile", 20000L, "nproc", 4096L), false, 1048576));
        OciConfig config = capped.build(spec().build(), ROOT);
        assertEquals(json("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000}]"),
                norm(config.json().at("/process/rlimits")));
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).startsWith("RLIMIT_NOFILE lowered from Docker's default 1048576 to 20000"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> capped.build(spec().ulimits(List.of(new Ulimit("nproc", 10, 5000))).build(), ROOT));
        assertTrue(e.getMessage().contains("above what this host allows"), e.getMessage());
        capped.build(spec().ulimits(List.of(new Ulimit("nproc", 10, 4096), new Ulimit("stack", -1, -1))).build(), ROOT);
    }

    @Test
    void procLimitsAreParsed() {
        Map<String, Long> limits = HostRlimits.parseLimits("""
                Limit                     Soft Limit           Hard Limit           Units
                Max cpu time              unlimited            unlimited            seconds
                Max processes             96365                96365                processes
                Max open files            1024                 20000                files
                Max realtime timeout      unlimited            unlimited            us
                """);
        assertEquals(-1L, limits.get("cpu"));
        assertEquals(96365L, limits.get("nproc"));
        assertEquals(20000L, limits.get("nofile"));
        assertEquals(-1L, limits.get("rttime"));
    }

    @Test
    void sysctlsOverrideDefaultsAndMustBeNamespaced() {
        ObjectNode c = v1.build(spec().sysctls(Map.of("net.ipv4.ip_unprivileged_port_start", "1024",
                "kernel.shmmax", "1000000")).build(), ROOT).json();
        assertEquals("1024", c.at("/linux/sysctl/net.ipv4.ip_unprivileged_port_start").asText());
        assertEquals("1000000", c.at("/linux/sysctl/kernel.shmmax").asText());
        assertEquals("0 2147483647", c.at("/linux/sysctl/net.ipv4.ping_group_range").asText());
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().sysctls(Map.of("kernel.hostname", "x")).build(), ROOT));
        assertThrows(IllegalArgumentException.class,
                () -> v1.build(spec().sysctls(Map.of("vm.swappiness", "0")).build(), ROOT));
    }

    @Test
    void containerSpecDefaultsAndChecks() {
        ContainerSpec s = ContainerSpec.builder(ID, ROOTFS, List.of("true")).build();
        assertEquals("/", s.cwd());
        assertEquals("", s.user());
        assertEquals("0123456789ab", s.hostname());
        assertEquals(64 * MIB, s.shmSizeBytes());
        ObjectNode c = v1.build(spec().shmSizeBytes(MIB).oomScoreAdj(-500).build(), ROOT).json();
        assertEquals("size=1048576", strings(mount(c, "/dev/shm").get("options")).get(4));
        assertEquals(-500, c.at("/process/oomScoreAdj").asInt());
        var e = assertThrows(IllegalArgumentException.class, () -> spec().oomScoreAdj(1001).build());
        assertEquals("Invalid value 1001, range for oom score adj is [-1000, 1000]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder("abc", ROOTFS, List.of("x")).build());
        assertThrows(IllegalArgumentException.class, () -> spec().cwd("relative").build());
        assertThrows(IllegalArgumentException.class, () -> ContainerSpec.builder(ID, ROOTFS, List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> spec().shmSizeBytes(-1).build());
    }

    @Test
    void noSeccompNoAppArmor() {
        ObjectNode c = v1.build(spec().build(), ROOT).json();
        assertNull(c.get("linux").get("seccomp"));
        assertNull(c.get("process").get("apparmorProfile"));
    }

    @Test
    void writesConfigJsonPrivately(@TempDir Path bundle) throws Exception {
        OciConfig config = v1.build(spec().env(List.of("SECRET=x")).build(), ROOT);
        Path written = config.writeTo(bundle);
        assertEquals(bundle.resolve("config.json"), written);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
        assertEquals(norm(config.json()), MAPPER.readTree(written.toFile()));
        assertFalse(Files.exists(bundle.resolve("config.json.tmp")));
    }

    @Test
    void hostCgroupsOfThisHost() {
        HostCgroups host = HostCgroups.detect();
        assertEquals(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")), host.v2());
        assertTrue(host.cpuCount() >= 1);
        assertEquals(List.of(0, 1, 2, 5, 7, 8), List.copyOf(HostCgroups.cpuList("0-2,5,7-8")));
        assertThrows(IllegalArgumentException.class, () -> HostCgroups.cpuList("3-1"));
        assertThrows(IllegalArgumentException.class, () -> HostCgroups.cpuList("1,,2"));
    }

    private void build(Resources r) {
        v1.build(spec().resources(r).build(), ROOT);
    }

    private void assertMessage(String message, Resources r) {
        var e = assertThrows(IllegalArgumentException.class, () -> build(r));
        assertEquals(message, e.getMessage());
    }

    private void assertMessage(String message, ContainerSpec.Builder spec) {
        var e = assertThrows(IllegalArgumentException.class, () -> v1.build(spec.build(), ROOT));
        assertEquals(message, e.getMessage());
    }
}
