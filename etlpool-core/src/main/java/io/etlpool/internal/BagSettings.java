package io.etlpool.internal;

import java.util.concurrent.TimeUnit;

/** The hand-off constants of the connection bag, visible to the pool's tests and docs. */
public final class BagSettings {

    /**
     * How long a waiting borrower may be overtaken by borrowers that find an idle connection; after
     * this, returned connections go to waiters strictly in arrival order.
     */
    public static final long HANDOFF_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private BagSettings() {
    }
}
