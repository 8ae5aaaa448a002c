package io.tally.runtime;

import io.tally.events.DomainException;
import java.util.regex.Pattern;

/**
 * Container ids become path names, runc ids and shim arguments, so only runc's own id alphabet is let
 * through: no slash, no leading dot, nothing that could step out of the containers directory.
 */
public final class ContainerIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}");

    private ContainerIds() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    public static String require(String id) throws DomainException {
        if (!isValid(id)) {
            throw new DomainException(DomainException.Kind.INVALID_CONFIG, "invalid container id '" + id
                    + "': expected 1 to 128 characters of [A-Za-z0-9_.+-], starting with a letter or digit");
        }
        return id;
    }
}
