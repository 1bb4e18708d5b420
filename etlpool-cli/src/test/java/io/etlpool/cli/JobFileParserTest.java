package io.etlpool.cli;

import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.LoadMode;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobFileParserTest {

    private static final String FULL = String.join("\n",
            "name: orders-to-warehouse",
            "source:",
            "  url: jdbc:postgresql://localhost:5432/shop",
            "  user: etl",
            "  password: ${SHOP_PASSWORD}",
            "  query: SELECT id, customer_id, amount, created_at FROM orders",
            "  partitionColumn: id",
            "  partitions: 8",
            "  fetchSize: 10000",
            "target:",
            "  url: jdbc:postgresql://localhost:5432/warehouse",
            "  user: etl",
            "  password: ${WAREHOUSE_PASSWORD}",
            "  table: fact_orders",
            "  mode: upsert",
            "  key: [id]",
            "  method: copy",
            "  createTable: true",
            "  rejectTable: fact_orders_rejects",
            "columns:",
            "  id: id",
            "  customer: customer_id",
            "  amount_cents: \"amount * 100\"",
            "pool:",
            "  source: { minSize: 2, maxSize: 8 }",
            "  target: { minSize: 2, maxSize: 6 }",
            "parallelism: 8",
            "chunkSize: 20000",
            "");

    private static final Map<String, String> ENV = Map.of("SHOP_PASSWORD", "s3cret", "WAREHOUSE_PASSWORD", "w4re");

    private static JobFile parse(String yaml) throws Exception {
        return new JobFileParser("job.yaml", ENV::get).parse(new StringReader(yaml));
    }

    private static void fails(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(JobFileException.class).hasMessage(message);
    }

    @Test
    void readsEveryKey() throws Exception {
        JobFile job = parse(FULL);
        assertThat(job.name).isEqualTo("orders-to-warehouse");
        assertThat(job.source.url).isEqualTo("jdbc:postgresql://localhost:5432/shop");
        assertThat(job.source.user).isEqualTo("etl");
        assertThat(job.source.password).isEqualTo("s3cret");
        assertThat(job.query).isEqualTo("SELECT id, customer_id, amount, created_at FROM orders");
        assertThat(job.partitionColumn).isEqualTo("id");
        assertThat(job.partitions).isEqualTo(8);
        assertThat(job.fetchSize).isEqualTo(10000);
        assertThat(job.target.password).isEqualTo("w4re");
        assertThat(job.table).isEqualTo("fact_orders");
        assertThat(job.mode).isEqualTo(LoadMode.UPSERT);
        assertThat(job.key).containsExactly("id");
        assertThat(job.method).isEqualTo(LoadMethod.COPY);
        assertThat(job.createTable).isTrue();
        assertThat(job.rejectTable).isEqualTo("fact_orders_rejects");
        assertThat(job.columns).containsExactly(Map.entry("id", "id"), Map.entry("customer", "customer_id"),
                Map.entry("amount_cents", "amount * 100"));
        assertThat(List.of(job.source.minSize, job.source.maxSize, job.target.minSize, job.target.maxSize))
                .containsExactly(2, 8, 2, 6);
        assertThat(job.parallelism).isEqualTo(8);
        assertThat(job.chunkSize).isEqualTo(20000);
        assertThat(job.source.toString()).doesNotContain("s3cret");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndASuggestion() {
        fails(FULL.replace("  partitions: 8", "  partitons: 8"),
                "job.yaml line 8: unknown key 'partitons' (did you mean 'partitions'?)");
        fails(FULL.replace("chunkSize: 20000", "batchSizeX: 5"),
                "job.yaml line 28: unknown key 'batchSizeX' (known keys: chunkSize, columns, incremental, name, "
                        + "parallelism, pool, source, target)");
    }

    @Test
    void anUnsetVariableIsAnErrorNotAnEmptyPassword() {
        fails(FULL.replace("${WAREHOUSE_PASSWORD}", "${NOT_SET_ANYWHERE}"),
                "job.yaml line 13: 'password' uses ${NOT_SET_ANYWHERE}, but the environment variable NOT_SET_ANYWHERE "
                        + "is not set");
    }

    @Test
    void valuesAreChecked() {
        fails(FULL.replace("mode: upsert", "mode: merge"),
                "job.yaml line 15: 'mode' must be insert, truncate-insert, upsert or full-refresh, not 'merge'");
        fails(FULL.replace("method: copy", "method: bulk"), "job.yaml line 17: 'method' must be copy or batch, not 'bulk'");
        fails(FULL.replace("partitions: 8", "partitions: eight"),
                "job.yaml line 8: 'partitions' must be a whole number of at least 1, not 'eight'");
        fails(FULL.replace("createTable: true", "createTable: yes please"),
                "job.yaml line 18: 'createTable' must be true or false, not 'yes please'");
        fails(FULL.replace("{ minSize: 2, maxSize: 6 }", "{ minSize: 9, maxSize: 6 }"),
                "job.yaml line 26: pool.target: minSize (9) must not exceed maxSize (6)");
    }

    @Test
    void missingAndDuplicateKeysAndBrokenYaml() {
        fails(FULL.replace("  table: fact_orders\n", ""), "job.yaml line 10: missing key 'table'");
        fails(FULL.replace("name: orders-to-warehouse\n", ""), "job.yaml line 1: missing key 'name'");
        fails(FULL.replace("parallelism: 8", "parallelism: 8\nparallelism: 2"), "job.yaml line 28: key 'parallelism' appears twice");
        assertThatThrownBy(() -> parse("name: [unclosed")).isInstanceOf(JobFileException.class)
                .hasMessageStartingWith("job.yaml line").hasMessageContaining("not valid YAML");
        fails("", "job.yaml: the file is empty");
    }

    @Test
    void suggestionsOnlyForNearMisses() {
        assertThat(JobFileParser.suggestion("partitons", java.util.Set.of("partitions", "parallelism"))).isEqualTo("partitions");
        assertThat(JobFileParser.suggestion("zzz", java.util.Set.of("partitions"))).isNull();
    }

    @Test
    void aValueOfTheWrongShapeIsAnErrorNamingKeyAndLine() {
        fails(FULL.replace("  key: [id]", "  key: {a: b}"),
                "job.yaml line 16: 'key' must be a column name or a list of them, e.g. key: [id]");
        fails(FULL.replace("  key: [id]", "  key: [{a: b}]"), "job.yaml line 16: 'key' must be a single value");
        fails(FULL.replace("  user: etl\n  password: ${SHOP", "  user: [etl]\n  password: ${SHOP"),
                "job.yaml line 4: 'user' must be a single value");
        fails(FULL.replace("parallelism: 8", "parallelism: {n: 8}"), "job.yaml line 27: 'parallelism' must be a single value");
        fails(FULL.replace("  source: { minSize: 2, maxSize: 8 }", "  source: 8"),
                "job.yaml line 25: pool.source must be a map of keys");
        fails(FULL.replace("  id: id\n", "  id: [id]\n"), "job.yaml line 21: 'columns.id' must be a single value");
        fails("- a\n- b\n", "job.yaml line 1: the file must be a map of keys");
    }

    @Test
    void aUrlWithoutJdbcIsAnErrorThatDoesNotRepeatTheUrl() {
        fails(FULL.replace("url: jdbc:postgresql://localhost:5432/shop", "url: postgresql://u:pw@localhost:5432/shop"),
                "job.yaml line 3: 'url' must be a JDBC URL, starting with jdbc:, e.g. jdbc:postgresql://localhost:5432/shop");
    }

    @Test
    void checkpointSchemaIsATargetKey() throws Exception {
        assertThat(parse(FULL.replace("  rejectTable:", "  checkpointSchema: etl_state\n  rejectTable:")).checkpointSchema)
                .isEqualTo("etl_state");
        assertThat(parse(FULL).checkpointSchema).isNull();
    }

    @Test
    void binaryRelayIsATargetKeyOnByDefault() throws Exception {
        assertThat(parse(FULL).binaryRelay).isTrue();
        assertThat(parse(FULL.replace("  rejectTable:", "  binaryRelay: false\n  rejectTable:")).binaryRelay).isFalse();
    }
}
