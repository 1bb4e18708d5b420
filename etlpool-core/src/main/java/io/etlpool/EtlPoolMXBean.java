package io.etlpool;

/**
 * The pool as JMX shows it, under {@code io.etlpool:type=Pool,name=<pool name>} (the name quoted when it
 * holds a character an ObjectName value may not: {@code , = : " * ?} or a line break). Pool names are
 * unique among a JVM's open pools that register an MBean: building a second pool with the name of an open
 * one fails (see {@link EtlPoolBuilder#name(String)}). Figures are read live; the pool's own API
 * ({@link EtlPool#stats()}) has more.
 */
public interface EtlPoolMXBean {
    /** The pool's name. */
    String getPoolName();

    /** Open connections, lent or not. */
    int getTotalConnections();

    /** Connections lent out now. */
    int getActiveConnections();

    /** Connections ready to lend. */
    int getIdleConnections();

    /** Borrowers waiting for a connection now. */
    int getWaitingBorrowers();

    /** minSize now. */
    int getMinSize();

    /** Resizes the running pool (see {@link EtlPool#resize}). */
    void setMinSize(int minSize);

    /** maxSize now. */
    int getMaxSize();

    /** Resizes the running pool (see {@link EtlPool#resize}). */
    void setMaxSize(int maxSize);

    /** Connections lent since the pool started. */
    long getBorrowCount();

    /** Borrowers that got no connection in time, since the pool started. */
    long getTimeoutCount();

    /** Transactions whose connection was lost during COMMIT and that had committed (see {@link PoolStats#commitsFoundCommitted()}). */
    long getCommitsFoundCommitted();

    /** Transactions whose connection was lost during COMMIT and that had rolled back, run again (see {@link PoolStats#commitsFoundRolledBack()}). */
    long getCommitsFoundRolledBack();

    /** Transactions whose connection was lost during COMMIT with an outcome not found out (see {@link PoolStats#commitsUnresolved()}). */
    long getCommitsUnresolved();

    /** Whether the pool is suspended (borrowers wait). */
    boolean isSuspended();

    /** Closes idle connections now and lent ones when they come back; see {@link EtlPool#softEvictConnections()}. */
    void softEvictConnections();

    /** Borrowers wait, up to connectionTimeout, until {@link #resume()}; see {@link EtlPool#suspend()}. */
    void suspend();

    /** Lends again; waiting borrowers are served. */
    void resume();

    /** Changes minSize and maxSize (see {@link EtlPool#resize}). */
    void resize(int minSize, int maxSize);
}
