package io.tally.image.api;

import io.tally.events.DomainException;

public class ImageNotFoundException extends DomainException {
    public ImageNotFoundException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
