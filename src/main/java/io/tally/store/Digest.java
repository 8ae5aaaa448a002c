package io.tally.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content address as OCI writes it: {@code <algorithm>:<lowercase hex>}.
 *
 * <p>Only sha256 (what every image uses) and sha512 (allowed by the OCI image spec) are accepted, with
 * their exact hex lengths: an address that cannot be verified is no address.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]+");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new IllegalArgumentException("invalid digest: algorithm and hex are required");
        }
        int expectedLength = switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        };
        if (hex.length() != expectedLength) {
            throw new IllegalArgumentException("invalid checksum digest length: " + algorithm + ":" + hex
                    + " (" + algorithm + " needs " + expectedLength + " hex digits, got " + hex.length() + ")");
        }
        if (!LOWER_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid checksum digest format: " + algorithm + ":" + hex
                    + " (lowercase hex expected)");
        }
    }

    /** Parses {@code sha256:<64 hex>}; throws {@link IllegalArgumentException} with the reason otherwise. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("invalid digest: null");
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("invalid checksum digest format: " + value);
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    public static Digest sha256(String hex) {
        return new Digest(SHA256, hex);
    }

    public static Digest sha256Of(byte[] bytes) {
        return new Digest(SHA256, HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    public static Digest sha256Of(String text) {
        return sha256Of(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always ships SHA-256", e);
        }
    }

    /** The 12-character prefix Docker shows for image and layer ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }
}
