package io.tally.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DigestTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parsesAndPrints() {
        Digest digest = Digest.parse("sha256:" + EMPTY_SHA256);
        assertEquals("sha256", digest.algorithm());
        assertEquals(EMPTY_SHA256, digest.hex());
        assertEquals("sha256:" + EMPTY_SHA256, digest.toString());
        assertEquals("e3b0c44298fc", digest.shortHex());
        assertEquals(digest, Digest.sha256Of(new byte[0]));
        assertEquals(128, Digest.parse("sha512:" + "a".repeat(128)).hex().length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sha256                                                                   | invalid checksum digest format",
        "sha256:                                                                  | invalid checksum digest format",
        ":abc                                                                     | invalid checksum digest format",
        "md5:d41d8cd98f00b204e9800998ecf8427e                                     | unsupported digest algorithm",
        "sha256:abc                                                               | invalid checksum digest length",
        "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855  | invalid checksum digest format",
        "sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  | invalid checksum digest format",
    })
    void refusesInvalidDigests(String value, String reason) {
        var e = assertThrows(IllegalArgumentException.class, () -> Digest.parse(value));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:" + EMPTY_SHA256, "sha512:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void roundTripsThroughToString(String value) {
        assertEquals(value, Digest.parse(value).toString());
    }
}
