package io.tally.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;

/** Sends commands with the actor attached, so every resulting event names who caused it. */
@ApplicationScoped
public class Commands {
    @Inject CommandGateway gateway;

    public <R> R send(Object command, Actor actor) {
        return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(MetaData.with(Actor.METADATA_KEY, actor.asMap())));
    }
}
