package io.tally.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The public name of an event, e.g. {@code engine.started}: the CloudEvents type on Kafka is
 * {@code io.tally.} + this. Stable across class renames; part of the published contract.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
    String value();

    /** Payload version; bump it (and keep an upcaster) only by adding a new event shape. */
    int version() default 1;
}
