package io.etlpool.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads for code compiled at release 17: {@code Executors.newVirtualThreadPerTaskExecutor()}
 * looked up by reflection, so the benchmarks build on JDK 17 and use virtual threads when run on 21+.
 */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /** A new executor that starts one virtual thread per task; fails clearly below JDK 21. */
    static ExecutorService perTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or newer; this is JDK "
                    + Runtime.version().feature() + " (run with /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)", e);
        }
    }
}
