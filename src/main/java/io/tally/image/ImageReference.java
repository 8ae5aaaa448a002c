package io.tally.image;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tally.store.Digest;

/**
 * A Docker image reference ({@code [domain/]path[:tag][@digest]}), parsed and normalised by Docker's rules
 * (distribution/reference): {@code busybox} is {@code docker.io/library/busybox:latest}.
 *
 * @param domain registry host and optional port; {@code docker.io} for Docker Hub
 * @param path repository path within the registry, e.g. {@code library/busybox}
 * @param tag tag, or null
 * @param digest manifest digest, or null
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_REPOSITORY_PREFIX = "library/";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;
    /** Longest name, ':' and tag, '@' and a sha512 digest: anything longer is certainly invalid. */
    private static final int MAX_REFERENCE_LENGTH = NAME_TOTAL_LENGTH_MAX + 1 + 128 + 1 + 7 + 128;

    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[[a-fA-F0-9:]+\\]";
    private static final String DOMAIN = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    private static final Pattern REFERENCE = Pattern.compile(
            "((?:" + DOMAIN + "/)?" + PATH + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern NAME = Pattern.compile("(?:(" + DOMAIN + ")/)?(" + PATH + ")");
    private static final Pattern TAG_PATTERN = Pattern.compile(TAG);
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern PATH_PATTERN = Pattern.compile(PATH);
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    /** Whatever way it is built, a reference is valid: parse gives better messages, this is the backstop. */
    public ImageReference {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        if (!DOMAIN_PATTERN.matcher(domain).matches()) {
            throw new InvalidReferenceException("invalid reference format: invalid domain (" + domain + ")");
        }
        if (!PATH_PATTERN.matcher(path).matches()) {
            throw new InvalidReferenceException("invalid reference format: invalid repository path (" + path + ")");
        }
        if (domain.length() + 1 + path.length() > NAME_TOTAL_LENGTH_MAX) {
            throw new InvalidReferenceException("invalid reference format: repository name must not be more than "
                    + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        if (tag != null && !TAG_PATTERN.matcher(tag).matches()) {
            throw new InvalidReferenceException("invalid reference format: invalid tag (" + tag + ")");
        }
    }

    /**
     * Parses and normalises a reference as {@code docker pull} does, adding the {@code latest} tag when the
     * reference has neither tag nor digest.
     */
    public static ImageReference parse(String reference) {
        ImageReference parsed = parseNormalized(reference);
        return parsed.tag == null && parsed.digest == null ? parsed.withTag(DEFAULT_TAG) : parsed;
    }

    /** Parses and normalises a reference without adding a default tag (Docker's ParseNormalizedNamed). */
    public static ImageReference parseNormalized(String reference) {
        if (reference == null) {
            throw new InvalidReferenceException("invalid reference format: repository name must have at least one component");
        }
        if (reference.length() > MAX_REFERENCE_LENGTH) {
            // Also keeps java.util.regex, which recurses per repetition, away from stack overflows.
            throw new InvalidReferenceException("invalid reference format: repository name must not be more than "
                    + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        if (isImageId(reference)) {
            throw new InvalidReferenceException("invalid repository name (" + reference
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String[] split = splitDockerDomain(reference);
        String domain = split[0];
        String remainder = split[1];
        int tagSeparator = remainder.indexOf(':');
        String remoteName = tagSeparator >= 0 ? remainder.substring(0, tagSeparator) : remainder;
        if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
            throw new InvalidReferenceException("invalid reference format: repository name (" + remoteName
                    + ") must be lowercase");
        }
        return parseFull(domain + "/" + remainder);
    }

    /** A full 64-hex image id, which Docker never treats as a repository name. */
    public static boolean isImageId(String value) {
        return value != null && IMAGE_ID.matcher(value).matches();
    }

    /** Strict parse of an already fully qualified reference. */
    private static ImageReference parseFull(String reference) {
        Matcher matcher = REFERENCE.matcher(reference);
        if (!matcher.matches()) {
            if (reference.isEmpty()) {
                throw new InvalidReferenceException("invalid reference format: repository name must have at least one component");
            }
            if (REFERENCE.matcher(reference.toLowerCase(Locale.ROOT)).matches()) {
                throw new InvalidReferenceException("invalid reference format: repository name must be lowercase");
            }
            throw new InvalidReferenceException("invalid reference format");
        }
        String name = matcher.group(1);
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw new InvalidReferenceException("invalid reference format: repository name must not be more than "
                    + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        Matcher nameMatcher = NAME.matcher(name);
        if (!nameMatcher.matches()) {
            throw new InvalidReferenceException("invalid reference format");
        }
        Digest digest = null;
        if (matcher.group(3) != null) {
            try {
                digest = Digest.parse(matcher.group(3));
            } catch (IllegalArgumentException e) {
                throw new InvalidReferenceException("invalid reference format: " + e.getMessage());
            }
        }
        return new ImageReference(nameMatcher.group(1), nameMatcher.group(2), matcher.group(2), digest);
    }

    /** Docker's splitDockerDomain: the first component is a domain only if it looks like a host. */
    private static String[] splitDockerDomain(String name) {
        int slash = name.indexOf('/');
        String domain;
        String remainder;
        if (slash == -1 || !looksLikeDomain(name.substring(0, slash))) {
            domain = DEFAULT_DOMAIN;
            remainder = name;
        } else {
            domain = name.substring(0, slash);
            remainder = name.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') == -1) {
            remainder = OFFICIAL_REPOSITORY_PREFIX + remainder;
        }
        return new String[] {domain, remainder};
    }

    /** Uppercase counts too: Docker treats "Foo/bar" as registry "Foo", since paths are lowercase. */
    private static boolean looksLikeDomain(String component) {
        return component.contains(".") || component.contains(":") || component.equals("localhost")
                || !component.toLowerCase(Locale.ROOT).equals(component);
    }

    /** {@code docker.io/library/busybox}: the repository without tag or digest. */
    public String name() {
        return domain + "/" + path;
    }

    /** {@code busybox}, {@code cap/img}, {@code localhost:5000/x}: the name as Docker shows it. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN)) {
            if (path.startsWith(OFFICIAL_REPOSITORY_PREFIX)
                    && path.indexOf('/', OFFICIAL_REPOSITORY_PREFIX.length()) == -1) {
                return path.substring(OFFICIAL_REPOSITORY_PREFIX.length());
            }
            return path;
        }
        return name();
    }

    /** {@code busybox:latest}, {@code cap/img:v1}, {@code localhost:5000/x:y}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** {@code docker.io/library/busybox:latest}. */
    public String canonical() {
        return name() + suffix();
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(domain, path, newTag, digest);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(domain, path, tag, newDigest);
    }

    /** The repository alone, as used for {@code docker images busybox} filters and repository keys. */
    public ImageReference repository() {
        return new ImageReference(domain, path, null, null);
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
