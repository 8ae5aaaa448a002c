package io.tally.events;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * Lets Axon's units of work run in Narayana JTA transactions: joins the one already open on the
 * thread, or begins (and then owns) a new one. Agroal enlists the event store's connections in it,
 * so events and read-model rows written in one unit of work commit together.
 */
final class JtaTransactionManager implements TransactionManager {
    private final jakarta.transaction.TransactionManager jta;

    JtaTransactionManager(jakarta.transaction.TransactionManager jta) {
        this.jta = jta;
    }

    @Override
    public Transaction startTransaction() {
        try {
            if (jta.getStatus() == Status.STATUS_ACTIVE) {
                return JOINED;
            }
            jta.begin();
            return new Owned();
        } catch (Exception e) {
            throw new IllegalStateException("cannot begin a JTA transaction", e);
        }
    }

    private static final Transaction JOINED = new Transaction() {
        @Override public void commit() {
            // the owner of the surrounding transaction commits it
        }

        @Override public void rollback() {
            // the owner rolls back; marking rollback-only would be the caller's decision
        }
    };

    private final class Owned implements Transaction {
        @Override
        public void commit() {
            try {
                if (jta.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                    jta.rollback();
                    throw new IllegalStateException("transaction was marked rollback-only");
                }
                jta.commit();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("commit failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void rollback() {
            try {
                if (jta.getStatus() != Status.STATUS_NO_TRANSACTION) {
                    jta.rollback();
                }
            } catch (SystemException e) {
                throw new IllegalStateException("rollback failed: " + e.getMessage(), e);
            }
        }
    }
}
