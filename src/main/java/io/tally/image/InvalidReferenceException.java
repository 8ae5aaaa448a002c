package io.tally.image;

/** An image reference Docker would refuse; the message is Docker's wording. */
public class InvalidReferenceException extends IllegalArgumentException {

    public InvalidReferenceException(String message) {
        super(message);
    }
}
