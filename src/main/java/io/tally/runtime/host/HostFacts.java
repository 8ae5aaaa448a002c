package io.tally.runtime.host;

import java.nio.file.Path;
import java.util.Optional;

/** Facts about this host as `docker info` and `docker version` report them; plain values, no JSON. */
public interface HostFacts {

    String hostname();

    String kernelVersion();

    String operatingSystem();

    String osVersion();

    /** Docker reports the kernel's machine name (x86_64), Go's GOARCH (amd64) elsewhere. */
    String architecture();

    String goArch();

    int cpus();

    long memTotalBytes();

    /** "2" when /sys/fs/cgroup is the unified hierarchy, else "1" (v1 or hybrid). */
    String cgroupVersion();

    boolean cgroupController(String name);

    boolean cpuCfs();

    boolean swapLimit();

    boolean ipv4Forwarding();

    boolean bridgeNfIptables();

    boolean bridgeNfIp6tables();

    int openFileDescriptors();

    /** The filesystem type the given directory lives on (longest matching mount point). */
    String filesystemType(Path dir);

    /** Version of an installed OCI runtime, from its --version output (asked once per binary), if it is installed. */
    Optional<String> runtimeVersion(String binary);
}
