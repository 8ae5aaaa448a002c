package io.tally.container;

import io.tally.events.DomainException;
import io.tally.image.ImageConfig;
import io.tally.image.RunConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContainerConfigsTest {
    private static final String ID = "0123456789ab" + "0".repeat(52);

    private static ImageConfig image(RunConfig run) {
        return new ImageConfig("amd64", "linux", null, null, null, null, null, run, null, null);
    }

    private static final RunConfig BUSYBOX = RunConfig.EMPTY.toBuilder()
            .env("PATH", "/bin").env("LANG", "C").cmd(List.of("sh")).workingDir("/root").build();

    @Test
    void theImagesHealthcheckIsTheDefault() {
        RunConfig withCheck = BUSYBOX.toBuilder().build();
        withCheck = new RunConfig(withCheck.user(), withCheck.exposedPorts(), withCheck.env(), withCheck.entrypoint(), withCheck.cmd(),
                withCheck.volumes(), withCheck.workingDir(), withCheck.labels(), withCheck.onBuild(), withCheck.stopSignal(),
                withCheck.shell(), withCheck.argsEscaped(),
                new io.tally.image.ImageHealthcheck(List.of("CMD", "true"), 1_000_000_000L, null, null, null));
        Map<String, Object> c = ContainerConfigs.merge(new HashMap<>(Map.of("Image", "bb")), image(withCheck), "bb", ID);
        assertEquals(Map.of("Test", List.of("CMD", "true"), "Interval", 1_000_000_000L), c.get("Healthcheck"));
        Map<String, Object> plain = ContainerConfigs.merge(new HashMap<>(Map.of("Image", "bb")), image(BUSYBOX), "bb", ID);
        assertNull(plain.get("Healthcheck"));
    }

    @Test
    void imageDefaultsFillWhatTheRequestLeavesOut() {
        Map<String, Object> c = ContainerConfigs.merge(new HashMap<>(Map.of("Image", "bb")), image(BUSYBOX), "bb", ID);
        assertEquals(List.of("sh"), c.get("Cmd"));
        assertEquals("/root", c.get("WorkingDir"));
        assertEquals(List.of("PATH=/bin", "LANG=C"), c.get("Env"));
        assertEquals("0123456789ab", c.get("Hostname"));
        assertEquals("bb", c.get("Image"));
    }

    @Test
    void requestOverridesEnvByKeyAndCmd() {
        Map<String, Object> req = new HashMap<>(Map.of("Image", "bb", "Env", List.of("LANG=fr", "X=1"), "Cmd", List.of("echo", "hi")));
        Map<String, Object> c = ContainerConfigs.merge(req, image(BUSYBOX), "bb", ID);
        assertEquals(List.of("PATH=/bin", "LANG=fr", "X=1"), c.get("Env"));
        assertEquals(List.of("echo", "hi"), c.get("Cmd"));
    }

    @Test
    void ownEntrypointDropsTheImageCmd() {
        Map<String, Object> req = new HashMap<>(Map.of("Image", "bb", "Entrypoint", List.of("/bin/date")));
        Map<String, Object> c = ContainerConfigs.merge(req, image(BUSYBOX), "bb", ID);
        assertEquals(List.of("/bin/date"), c.get("Entrypoint"));
        assertNull(c.get("Cmd"));
    }

    @Test
    void noCommandAnywhereIsRefused() {
        var e = assertThrows(DomainException.class, () -> ContainerConfigs.merge(new HashMap<>(Map.of("Image", "x")), image(RunConfig.EMPTY), "x", ID));
        assertEquals("No command specified", e.getMessage());
    }
}
