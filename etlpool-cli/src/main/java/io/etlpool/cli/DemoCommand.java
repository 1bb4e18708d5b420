package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.embedded.EmbeddedPostgres;
import io.etlpool.etl.PipelineResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code etlpool demo}: an embedded PostgreSQL, a sample shop, a parallel ETL run into a warehouse with
 * live progress, then pooled against unpooled short tasks, measured live.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the demo on an embedded PostgreSQL: no set-up needed. About a minute on 2 cores.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "1000000", description = "orders to generate (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--parallelism", defaultValue = "4", description = "partitions loaded at once (default ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--seconds", defaultValue = "5", description = "how long each side of the comparison runs (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--keep", description = "leave the server running at the end and print how to connect")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if (rows < 1 || parallelism < 1 || seconds < 1) {
            System.err.println("etlpool: --rows, --parallelism and --seconds must be at least 1");
            return Main.USAGE;
        }
        System.out.println("Starting an embedded PostgreSQL...");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        try {
            System.out.println("  " + pg.binaries().origin() + ", port " + pg.port());
            pg.createDatabase("shop");
            pg.createDatabase("warehouse");
            WaitHistogram waits = new WaitHistogram();
            try (EtlPool shop = pool(pg, "shop", parallelism + 1, waits)) {
                System.out.printf(Locale.ROOT, "Generating the sample shop: %,d orders, customers, products...%n", rows);
                long t0 = System.nanoTime();
                DemoData.create(shop, rows);
                System.out.printf(Locale.ROOT, "  done in %.1f s%n", (System.nanoTime() - t0) / 1e9);

                System.out.println("ETL: the whole shop schema (customers, products, orders) -> warehouse, as one "
                        + "pipeline (parallel, COPY, exactly once), from this pipeline file:");
                Path file = Files.createTempFile("etlpool-demo-", ".yaml");
                try {
                    Files.writeString(file, DemoData.pipeline(pg.jdbcUrl("shop"), pg.jdbcUrl("warehouse"), pg.superuser(),
                            parallelism));
                    DemoData.show(System.out, file);
                    PipelineProgress progress = new PipelineProgress(System.out, System.console() != null, false);
                    try (PipelineSetup setup = PipelineSetup.open(file, v -> v.equals("DEMO_PASSWORD") ? pg.password()
                            : null, progress, java.time.Duration.ZERO, waits)) {
                        progress.setup(setup);
                        if (!runPipeline(setup, progress, waits)) {
                            return Main.FAILED;
                        }
                        long[] changed = DemoData.change(shop, rows);
                        System.out.printf(Locale.ROOT, "The shop changes: %,d new orders, %,d orders updated. The "
                                + "pipeline runs again: orders is incremental on updated_at, so it loads just those "
                                + "rows; customers and products are done.%n", changed[0], changed[1]);
                        Thread.sleep(1_500); // a run leaves rows written in its last second to the next run
                        if (!runPipeline(setup, progress, waits)) {
                            return Main.FAILED;
                        }
                        System.out.printf(Locale.ROOT, "  warehouse orders: %,d rows, %,d of them updated%n",
                                setup.target.query("SELECT count(*) AS n FROM orders").get(0).getLong("n"),
                                setup.target.query("SELECT count(*) AS n FROM orders WHERE updated_at > created_at")
                                        .get(0).getLong("n"));
                    }
                } finally {
                    Files.deleteIfExists(file);
                }

                int threads = 4;
                System.out.printf(Locale.ROOT, "Short tasks (get a connection, one indexed query, give it back), "
                        + "%d threads, %d s each:%n", threads, seconds);
                double pooled = PooledVsUnpooled.rate(PooledVsUnpooled.pooled(shop), threads, seconds * 1000L, rows);
                Summary.row(System.out, "with the pool", String.format(Locale.ROOT, "%,.0f tasks/s", pooled));
                double unpooled = PooledVsUnpooled.rate(PooledVsUnpooled.unpooled(pg.jdbcUrl("shop"), pg.superuser(),
                        pg.password()), threads, seconds * 1000L, rows);
                Summary.row(System.out, "new connection each", String.format(Locale.ROOT, "%,.0f tasks/s", unpooled));
                Summary.row(System.out, "speed-up", String.format(Locale.ROOT, "%.0fx", pooled / unpooled));
            }
            if (keep) {
                System.out.println("The server keeps running until you press Ctrl-C:");
                System.out.println("  URL:  " + pg.jdbcUrl("warehouse") + "  (also: shop)");
                System.out.println("  user: " + pg.superuser() + "  password: " + pg.password());
                Thread.currentThread().join();
            }
            return Main.OK;
        } finally {
            pg.close(); // also on Ctrl-C, through its shutdown hook
        }
    }

    /** One run of the demo's pipeline, with its summary; false when a stream failed. */
    private static boolean runPipeline(PipelineSetup setup, PipelineProgress progress, WaitHistogram waits)
            throws java.sql.SQLException {
        PipelineResult result = setup.pipeline.run();
        progress.finish();
        PipelineSummary.print(System.out, result, setup, waits);
        if (result.failed()) {
            System.err.println("etlpool: the demo pipeline failed: " + result.failedStreams().get(0).error());
        }
        return !result.failed();
    }

    private static EtlPool pool(EmbeddedPostgres pg, String db, int maxSize, WaitHistogram waits)
            throws java.sql.SQLException {
        return EtlPool.builder().name(db).jdbcUrl(pg.jdbcUrl(db)).username(pg.superuser()).password(pg.password())
                .minSize(1).maxSize(maxSize).registerMBean(false).listener(waits).build();
    }
}
