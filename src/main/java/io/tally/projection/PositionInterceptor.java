package io.tally.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import javax.sql.DataSource;

/**
 * Runs before a projection's handlers for every event its processor sees (handled or not): moves
 * the projection's position. Taking the position row's lock before the handlers touch any read-model
 * row keeps one lock order for commands and replays, so they wait for each other and never deadlock.
 */
final class PositionInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {
    private final String projection;
    private final ProjectionPositions positions;
    private final DataSource dataSource;

    PositionInterceptor(String projection, ProjectionPositions positions, DataSource dataSource) {
        this.projection = projection;
        this.positions = positions;
        this.dataSource = dataSource;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        GlobalIndexes.of(unitOfWork.getMessage(), dataSource).ifPresent(i -> positions.advance(projection, i));
        return chain.proceed();
    }
}
