package io.etlpool.spark;

import io.etlpool.CredentialsProvider;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.spark.SparkFixtures.count;
import static io.etlpool.spark.SparkFixtures.options;
import static io.etlpool.spark.SparkFixtures.orders;
import static org.assertj.core.api.Assertions.assertThat;

/** Option credentialsProvider: the executors' pools log in with what the named class gives. */
@PostgresTest
class CredentialsProviderTest {

    /** What a secrets manager would answer; here the test database's own login (local mode: one JVM). */
    public static final class TestSecrets implements CredentialsProvider {
        static volatile String user;
        static volatile String password;
        static final AtomicInteger ASKED = new AtomicInteger();

        @Override
        public Credentials credentials() {
            ASKED.incrementAndGet();
            return new Credentials(user, password);
        }
    }

    @AfterEach
    void closePools() {
        ExecutorPools.shared().closeIdle();
    }

    @Test
    void aWriteAndAReadLogInThroughTheProvider(TestDatabase db) throws Exception {
        TestSecrets.user = db.user();
        TestSecrets.password = db.password();
        Map<String, String> o = options(db, 2);
        o.remove("user");
        o.remove("password");
        o.put("credentialsProvider", TestSecrets.class.getName());
        try (Connection c = db.connect()) {
            SparkFixtures.createOrders(c, "orders");
            orders(10_000, 4).write().format("etlpool").mode("append").options(o).option("table", "orders").save();
            assertThat(count(c, "SELECT count(*) FROM orders")).isEqualTo(10_000);
            int askedByTheWrite = TestSecrets.ASKED.get();
            assertThat(askedByTheWrite).as("asked for each connection opened").isPositive();

            long read = SparkFixtures.spark().read().format("etlpool").options(o).option("table", "orders")
                    .option("partitionColumn", "id").load().count();
            assertThat(read).isEqualTo(10_000);
            assertThat(TestSecrets.ASKED.get()).isGreaterThan(askedByTheWrite);
        }
    }
}
