/**
 * runc and the OCI bundle it runs: {@link io.tally.runtime.runc.BundleWriter} is the seam, {@link io.tally.runtime.runc.Runc}
 * the command. From a container's configuration to the bundle's config.json, the way Docker (moby) builds it:
 *
 * <pre>
 *   ContainerSpec spec = ContainerSpec.builder(id, mergedRootfs, args)...build()
 *           .withNetworkFiles(hostnameFile, hostsFile, resolvConfFile);   // Docker's /etc bind mounts
 *   ResolvedUser user = UserResolver.resolve(spec.rootfs(), spec.user(), spec.groupAdd());
 *   OciConfig config = OciSpecBuilder.forThisHost().build(spec, user);  // config.warnings() as Docker's
 *   config.writeTo(bundleDir);                                          // then: runc run --bundle bundleDir ID
 * </pre>
 *
 * Pure Java, no CDI: host facts ({@link io.tally.runtime.runc.HostCgroups}, {@link io.tally.runtime.runc.Capabilities},
 * {@link io.tally.runtime.runc.HostRlimits}) are read once and passed in, so tests can describe other hosts.
 * Invalid flags raise IllegalArgumentException with Docker's message where Docker has one.
 */
package io.tally.runtime.runc;
