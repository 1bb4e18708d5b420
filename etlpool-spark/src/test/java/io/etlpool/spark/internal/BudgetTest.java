package io.etlpool.spark.internal;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budget is divided over the executors Spark's settings say the application runs at most. */
class BudgetTest {

    private static Options options(int budget) {
        Map<String, String> o = new HashMap<>();
        o.put("url", "jdbc:postgresql://127.0.0.1:5432/shop");
        o.put("user", "etl");
        o.put("password", "secret-password");
        o.put("budget", Integer.toString(budget));
        return Options.of(o);
    }

    @Test
    void localModeIsOneJvmWithTheWholeBudget() {
        Budget b = Budget.of(options(6), new SparkConf(false).set("spark.master", "local[4,3]"));
        assertThat(b.executorPool().maxSize()).isEqualTo(6);
        assertThat(b.driverPool()).isEqualTo(b.executorPool());
    }

    @Test
    void staticExecutorsShareTheBudgetLessOneForTheDriver() {
        Budget b = Budget.of(options(11), new SparkConf(false).set("spark.master", "yarn")
                .set("spark.executor.instances", "5"));
        assertThat(b.executorPool().maxSize()).isEqualTo(2);
        assertThat(b.driverPool().maxSize()).isEqualTo(1);
        assertThat(5 * b.executorPool().maxSize() + b.driverPool().maxSize()).isLessThanOrEqualTo(11);
    }

    @Test
    void dynamicAllocationIsSizedByItsMaximum() {
        SparkConf conf = new SparkConf(false).set("spark.master", "k8s://https://127.0.0.1:6443")
                .set("spark.dynamicAllocation.enabled", "true").set("spark.dynamicAllocation.maxExecutors", "4")
                .set("spark.executor.instances", "1");
        assertThat(Budget.of(options(9), conf).executorPool().maxSize()).isEqualTo(2);
        assertThatThrownBy(() -> Budget.of(options(9), conf.clone().remove("spark.dynamicAllocation.maxExecutors")))
                .hasMessageContaining("set spark.dynamicAllocation.maxExecutors");
    }

    @Test
    void aBudgetBelowTheExecutorsIsRefused() {
        assertThatThrownBy(() -> Budget.of(options(4), new SparkConf(false).set("spark.master", "yarn")
                .set("spark.executor.instances", "4")))
                .hasMessageContaining("budget 4 is smaller than the 4 executor(s)")
                .hasMessageContaining("Raise 'budget' to at least 5");
        assertThatThrownBy(() -> Budget.of(options(4), new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077")))
                .hasMessageContaining("set spark.executor.instances, or the 'executors' option");
    }

    @Test
    void thePasswordIsNeverInASpecsText() {
        Budget b = Budget.of(options(4), new SparkConf(false).set("spark.master", "local"));
        assertThat(b.executorPool().toString()).doesNotContain("secret-password").contains("etl");
        assertThat(b.toString()).doesNotContain("secret-password");
    }
}
