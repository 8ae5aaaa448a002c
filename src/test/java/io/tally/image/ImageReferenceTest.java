package io.tally.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tally.store.Digest;

class ImageReferenceTest {

    private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // input                                  | domain          | path              | tag     | familiar                        | canonical
        "busybox                                  | docker.io       | library/busybox   | latest  | busybox:latest                  | docker.io/library/busybox:latest",
        "busybox:1.36                             | docker.io       | library/busybox   | 1.36    | busybox:1.36                    | docker.io/library/busybox:1.36",
        "cap/img:v1                               | docker.io       | cap/img           | v1      | cap/img:v1                      | docker.io/cap/img:v1",
        "docker.io/library/busybox                | docker.io       | library/busybox   | latest  | busybox:latest                  | docker.io/library/busybox:latest",
        "index.docker.io/library/busybox:musl     | docker.io       | library/busybox   | musl    | busybox:musl                    | docker.io/library/busybox:musl",
        "docker.io/cap/img                        | docker.io       | cap/img           | latest  | cap/img:latest                  | docker.io/cap/img:latest",
        "docker.io/library/a/b                    | docker.io       | library/a/b       | latest  | library/a/b:latest              | docker.io/library/a/b:latest",
        "localhost:5000/foo/bar:tag               | localhost:5000  | foo/bar           | tag     | localhost:5000/foo/bar:tag      | localhost:5000/foo/bar:tag",
        "localhost:5000/x:y                       | localhost:5000  | x                 | y       | localhost:5000/x:y              | localhost:5000/x:y",
        "localhost/foo                            | localhost       | foo               | latest  | localhost/foo:latest            | localhost/foo:latest",
        "127.0.0.1:5000/x/y:z                     | 127.0.0.1:5000  | x/y               | z       | 127.0.0.1:5000/x/y:z            | 127.0.0.1:5000/x/y:z",
        "[::1]:5000/foo:bar                       | [::1]:5000      | foo               | bar     | [::1]:5000/foo:bar              | [::1]:5000/foo:bar",
        "registry.example.com/library/x           | registry.example.com | library/x    | latest  | registry.example.com/library/x:latest | registry.example.com/library/x:latest",
        "Example.COM/foo                          | Example.COM     | foo               | latest  | Example.COM/foo:latest          | Example.COM/foo:latest",
        "Foo/bar                                  | Foo             | bar               | latest  | Foo/bar:latest                  | Foo/bar:latest",
        "a_b/c__d/e-f---g.h:T_a.g-1               | docker.io       | a_b/c__d/e-f---g.h | T_a.g-1 | a_b/c__d/e-f---g.h:T_a.g-1     | docker.io/a_b/c__d/e-f---g.h:T_a.g-1",
    })
    void parsesAndNormalises(String input, String domain, String path, String tag, String familiar, String canonical) {
        ImageReference ref = ImageReference.parse(input);
        assertEquals(domain, ref.domain());
        assertEquals(path, ref.path());
        assertEquals(tag, ref.tag());
        assertNull(ref.digest());
        assertEquals(familiar, ref.familiar());
        assertEquals(canonical, ref.canonical());
        assertEquals(ref, ImageReference.parse(canonical), "canonical form parses to the same reference");
        assertEquals(ref, ImageReference.parse(familiar), "familiar form parses to the same reference");
    }

    @Test
    void digestReferencesGetNoDefaultTag() {
        ImageReference ref = ImageReference.parse("foo/bar@sha256:" + HEX);
        assertNull(ref.tag());
        assertEquals(Digest.sha256(HEX), ref.digest());
        assertEquals("foo/bar@sha256:" + HEX, ref.familiar());
        assertEquals("docker.io/foo/bar@sha256:" + HEX, ref.canonical());
    }

    @Test
    void nameTagAndDigestTogether() {
        ImageReference ref = ImageReference.parse("localhost:5000/foo/bar:v2@sha256:" + HEX);
        assertEquals("v2", ref.tag());
        assertEquals(Digest.sha256(HEX), ref.digest());
        assertEquals("localhost:5000/foo/bar:v2@sha256:" + HEX, ref.familiar());
        assertEquals("localhost:5000/foo/bar", ref.name());
        assertEquals("localhost:5000/foo/bar", ref.familiarName());
        assertEquals("localhost:5000/foo/bar", ref.repository().canonical());
    }

    @Test
    void parseNormalizedKeepsABareName() {
        ImageReference ref = ImageReference.parseNormalized("busybox");
        assertNull(ref.tag());
        assertEquals("busybox", ref.familiar());
        assertEquals("docker.io/library/busybox", ref.canonical());
        assertEquals("busybox:1", ref.withTag("1").familiar());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Busy                                      | invalid reference format: repository name (library/Busy) must be lowercase",
        "foo/Bar:tag                               | invalid reference format: repository name (foo/Bar) must be lowercase",
        "localhost:5000/Foo                        | invalid reference format: repository name (Foo) must be lowercase",
        "busybox:                                  | invalid reference format",
        ":tag                                      | invalid reference format",
        "busybox:tag with space                    | invalid reference format",
        "-foo                                      | invalid reference format",
        "foo//bar                                  | invalid reference format",
        "foo/                                      | invalid reference format",
        "foo-/bar                                  | invalid reference format",
        "foo..bar                                  | invalid reference format",
        "busybox@sha256:abc                        | invalid reference format",
        "busybox@md5:0123456789abcdef0123456789abcdef | invalid reference format: unsupported digest algorithm: md5",
        "busybox@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 | invalid reference format: invalid checksum digest format",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | invalid repository name (e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855), cannot specify 64-byte hexadecimal strings",
    })
    void refusesWithDockersReason(String input, String reason) {
        var e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @Test
    void refusesEmptyAndOverlongNames() {
        assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(""));
        assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(null));
        String longest = "a".repeat(255 - "docker.io/library/".length());
        assertEquals(255, ImageReference.parse(longest).name().length());
        var e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(longest + "a"));
        assertEquals("invalid reference format: repository name must not be more than 255 characters", e.getMessage());
        assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("busybox:" + "t".repeat(129)));
        assertEquals(128, ImageReference.parse("busybox:" + "t".repeat(128)).tag().length());
    }

    @Test
    void tellsImageIdsFromNames() {
        assertTrue(ImageReference.isImageId(HEX));
        assertFalse(ImageReference.isImageId(HEX.substring(1)));
        assertFalse(ImageReference.isImageId("busybox"));
    }

    @Test
    void constructorKeepsReferencesValid() {
        assertThrows(InvalidReferenceException.class, () -> new ImageReference("docker.io", "Upper", null, null));
        assertThrows(InvalidReferenceException.class, () -> new ImageReference("docker.io", "ok", "bad tag", null));
        assertThrows(InvalidReferenceException.class, () -> new ImageReference("bad domain", "ok", null, null));
    }

    @Test
    void pathologicalInputIsRefusedQuickly() {
        String evil = "a" + "-a".repeat(20_000) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(evil)));
    }
}
