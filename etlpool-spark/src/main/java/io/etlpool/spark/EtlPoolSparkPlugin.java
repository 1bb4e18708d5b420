package io.etlpool.spark;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes this JVM's etlpool pools ({@link ExecutorPools#closeAll}) when Spark stops using it: on an
 * executor when the executor stops, on the driver when the SparkContext stops (in local mode, where the
 * driver runs the tasks too, both). Without it a pool closes {@code poolIdleCloseMs} after its last task,
 * or when the JVM exits, so a JVM that outlives its SparkContext keeps its connections until then. Enable
 * it with
 *
 * <pre>{@code
 * spark.plugins=io.etlpool.spark.EtlPoolSparkPlugin
 * }</pre>
 *
 * (the class must be on the driver's and the executors' class path at start, e.g. with {@code --jars}).
 * Pools are still built lazily by the first task that needs one; the plugin only closes them.
 */
public final class EtlPoolSparkPlugin implements SparkPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(EtlPoolSparkPlugin.class);

    /** Spark creates the plugin by this constructor. */
    public EtlPoolSparkPlugin() {
    }

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public void shutdown() {
                closePools("driver");
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void shutdown() {
                closePools("executor");
            }
        };
    }

    private static void closePools(String side) {
        try {
            int closed = ExecutorPools.shared().closeAll();
            if (closed > 0) {
                LOG.info("closed {} etlpool pool(s) as the Spark {} stops", closed, side);
            }
        } catch (RuntimeException e) {
            LOG.warn("closing the etlpool pools as the Spark {} stops failed", side, e);
        }
    }
}
