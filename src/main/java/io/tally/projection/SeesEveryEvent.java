package io.tally.projection;

import org.axonframework.eventhandling.EventHandler;

/**
 * A handler that does nothing, put in each read model's processor: a subscribing processor skips
 * events none of its handlers accepts, and the position interceptor must see every event for the
 * position (and so the lag) to follow the store rather than only the events the model cares about.
 */
final class SeesEveryEvent {
    private final String readModel;

    SeesEveryEvent(String readModel) {
        this.readModel = readModel;
    }

    String readModel() {
        return readModel;
    }

    @EventHandler
    void on(Object event) {
        // nothing: being able to handle it is the point
    }
}
