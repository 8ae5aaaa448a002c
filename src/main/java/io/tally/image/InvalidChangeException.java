package io.tally.image;

/** A {@code --change} instruction that cannot be applied; the message names the instruction and why. */
public class InvalidChangeException extends IllegalArgumentException {

    public InvalidChangeException(String message) {
        super(message);
    }
}
