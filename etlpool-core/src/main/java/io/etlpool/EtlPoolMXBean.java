package io.etlpool;

/**
 * The pool as JMX shows it, under {@code io.etlpool:type=Pool,name=<pool name>,id=<n>}. Read-only
 * figures; the pool's own API ({@link EtlPool#stats()}) has more.
 */
public interface EtlPoolMXBean {
    String getPoolName();

    int getTotalConnections();

    int getActiveConnections();

    int getIdleConnections();

    int getWaitingBorrowers();

    int getMinSize();

    int getMaxSize();

    long getBorrowCount();

    long getTimeoutCount();
}
