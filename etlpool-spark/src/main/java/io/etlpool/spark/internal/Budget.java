package io.etlpool.spark.internal;

import io.etlpool.spark.PoolSpec;
import org.apache.spark.SparkConf;

import java.io.Serializable;

/**
 * The application's connection budget divided over its JVMs, so that the database never sees more than
 * {@code budget} connections from one read or write, whatever the partition count. In local mode the
 * driver and the one executor are one JVM with one pool of {@code budget}; on a cluster the driver keeps
 * one connection for its planning and commits, and each of the executors gets
 * {@code (budget - 1) / executors}. The executors are Spark's static {@code spark.executor.instances}, or
 * dynamic allocation's {@code maxExecutors}, or the {@code executors} option where Spark's settings say
 * neither (a standalone cluster sized by {@code spark.cores.max}).
 */
public final class Budget implements Serializable {

    private static final long serialVersionUID = 1L;

    final int budget;
    final int executors;
    final PoolSpec executorPool;
    final PoolSpec driverPool;

    private Budget(int budget, int executors, PoolSpec executorPool, PoolSpec driverPool) {
        this.budget = budget;
        this.executors = executors;
        this.executorPool = executorPool;
        this.driverPool = driverPool;
    }

    /** Reads the connection options and divides the budget; refuses a budget too small for the executors. */
    public static Budget of(Options o, SparkConf conf) {
        String url = o.required("url", "jdbc:postgresql://db:5432/shop");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("format(\"etlpool\"): option 'url' must be a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://host:port/database)");
        }
        String provider = o.get("credentialsProvider");
        String user = o.get("user");
        String password = o.raw("password");
        if (provider != null && (user != null || password != null)) {
            throw new IllegalArgumentException("format(\"etlpool\"): set either 'credentialsProvider' or 'user' and"
                    + " 'password', not both: the provider gives the user and password of each connection");
        }
        if (provider == null && user == null) {
            throw new IllegalArgumentException("format(\"etlpool\"): option 'user' is missing (or give a"
                    + " 'credentialsProvider' class)");
        }
        int budget = o.positiveInt("budget", 0, 1);
        if (budget == 0) {
            throw new IllegalArgumentException("format(\"etlpool\"): option 'budget' is missing: the most connections"
                    + " the whole application may open to the database, e.g. .option(\"budget\", \"8\")");
        }
        boolean local = isLocal(conf);
        int executors = o.has("executors") ? o.positiveInt("executors", 1, 1) : executors(conf);
        long timeout = o.positiveLong("connectionTimeoutMs", 600_000, 0);
        long idle = o.positiveLong("poolIdleCloseMs", 30_000, 0);
        PoolSpec base = new PoolSpec(url, user, password, provider, 1, timeout, idle);
        if (local) {
            if (budget < executors) {
                throw tooSmall(budget, executors, executors, conf);
            }
            PoolSpec pool = base.withMaxSize(budget / executors);
            return new Budget(budget, executors, pool, pool);
        }
        if (budget - 1 < executors) {
            throw tooSmall(budget, executors, executors + 1, conf);
        }
        return new Budget(budget, executors, base.withMaxSize((budget - 1) / executors), base.withMaxSize(1));
    }

    private static IllegalArgumentException tooSmall(int budget, int executors, int needed, SparkConf conf) {
        return new IllegalArgumentException("format(\"etlpool\"): budget " + budget + " is smaller than the " + executors
                + " executor(s) of this application (" + source(conf) + "): every executor needs at least one"
                + " connection" + (needed > executors ? " and the driver one" : "") + ". Raise 'budget' to at least "
                + needed + ", or run fewer executors");
    }

    private static String source(SparkConf conf) {
        if (isLocal(conf)) {
            return "master " + conf.get("spark.master", "local");
        }
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "spark.dynamicAllocation.maxExecutors";
        }
        return "spark.executor.instances or the 'executors' option";
    }

    /** Local mode, where driver and executor are one JVM. */
    static boolean isLocal(SparkConf conf) {
        String master = conf.get("spark.master", "local");
        return master.startsWith("local") && !master.startsWith("local-cluster");
    }

    /** How many executors the application runs at most, from Spark's settings. */
    static int executors(SparkConf conf) {
        String master = conf.get("spark.master", "local");
        if (master.startsWith("local-cluster[")) {
            return Integer.parseInt(master.substring("local-cluster[".length()).split(",")[0].trim());
        }
        if (master.startsWith("local")) {
            return 1;
        }
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            String max = conf.get("spark.dynamicAllocation.maxExecutors", null);
            if (max == null || Long.parseLong(max.trim()) >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("format(\"etlpool\"): dynamic allocation is on without a bound:"
                        + " set spark.dynamicAllocation.maxExecutors, so that the connection budget can be divided"
                        + " over the executors");
            }
            return Integer.parseInt(max.trim());
        }
        String instances = conf.get("spark.executor.instances", null);
        if (instances != null) {
            return Integer.parseInt(instances.trim());
        }
        throw new IllegalArgumentException("format(\"etlpool\"): cannot tell how many executors this application runs"
                + " (master " + master + " without spark.executor.instances): set spark.executor.instances, or the"
                + " 'executors' option, so that the connection budget can be divided over them");
    }

    /** The pool spec of each executor. */
    public PoolSpec executorPool() {
        return executorPool;
    }

    /** The pool spec of the driver's own work (planning, preparing and finishing a write). */
    public PoolSpec driverPool() {
        return driverPool;
    }

    @Override
    public String toString() {
        return "budget " + budget + " over " + executors + " executor(s): " + executorPool.maxSize() + " each";
    }
}
