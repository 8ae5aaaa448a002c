package io.tally.projection;

import io.tally.events.Actor;
import io.tally.events.DomainException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Map;

/**
 * Refuses commands from API clients while a read model is replayed. A replay holds the projection's
 * lock for its whole length, and a command's projection step waits for it: a command that changes the
 * host first (a start runs the process) and then waited past its transaction timeout would leave the
 * host changed and nothing recorded. Refused at once, the client can simply try again. tallyd's own
 * commands (exit notices, restart policies) wait instead: an exit must not be dropped.
 */
final class ReplayGuard implements MessageHandlerInterceptor<CommandMessage<?>> {
    private final ProjectionReplayer replayer;

    ReplayGuard(ProjectionReplayer replayer) {
        this.replayer = replayer;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        var replaying = replayer.replaying();
        if (replaying.isPresent() && fromClient(unitOfWork.getMessage())) {
            throw DomainException.conflict("the read model " + replaying.get()
                    + " is being replayed; commands are refused until it is done, try again in a moment");
        }
        return chain.proceed();
    }

    private static boolean fromClient(CommandMessage<?> command) {
        Object actor = command.getMetaData().get(Actor.METADATA_KEY);
        return actor instanceof Map<?, ?> m && !"internal".equals(m.get("transport"));
    }
}
