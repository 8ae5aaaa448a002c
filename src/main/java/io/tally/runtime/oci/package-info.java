/**
 * From a container's configuration to the OCI bundle config.json runc runs, the way Docker (moby) builds it.
 *
 * <pre>
 *   ContainerSpec spec = ContainerSpec.builder(id, mergedRootfs, args)...build()
 *           .withNetworkFiles(hostnameFile, hostsFile, resolvConfFile);   // Docker's /etc bind mounts
 *   ResolvedUser user = UserResolver.resolve(spec.rootfs(), spec.user(), spec.groupAdd());
 *   OciConfig config = OciSpecBuilder.forThisHost().build(spec, user);  // config.warnings() as Docker's
 *   config.writeTo(bundleDir);                                          // then: runc run --bundle bundleDir ID
 * </pre>
 *
 * Pure Java, no CDI: host facts ({@link io.tally.runtime.oci.HostCgroups}, {@link io.tally.runtime.oci.Capabilities},
 * {@link io.tally.runtime.oci.HostRlimits}) are read once and passed in, so tests can describe other hosts.
 * Invalid flags raise IllegalArgumentException with Docker's message where Docker has one.
 */
package io.tally.runtime.oci;
