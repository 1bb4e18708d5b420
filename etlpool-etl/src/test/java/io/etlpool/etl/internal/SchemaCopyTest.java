package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.internal.TableDefinition.Column;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Table definitions copied from one PostgreSQL database to another: the target's catalog must list what the
 * source's lists (columns, constraints, indexes, sequences, types), pg_dump must print both schemas alike,
 * and each sequence must give the source's next value.
 */
@PostgresTest
class SchemaCopyTest {

    @Test
    void aCopiedSchemaHasTheSourcesColumnsKeysIndexesForeignKeysAndSequences(TestDatabase db) throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect();
             EtlPool sourcePool = pool(db); EtlPool targetPool = target.pool()) {
            ShopSchema.create(src);
            List<TableDefinition> defs = SchemaCopy.read(src, ShopSchema.TABLES);
            SchemaCopy.createTables(tgt, defs, TargetNames.same());

            assertThat(ShopSchema.describe(tgt, "shop")).as("nothing that slows the load: no key, no index")
                    .noneMatch(line -> line.startsWith("index") || line.startsWith("constraint"))
                    .containsAll(lines(ShopSchema.describe(src, "shop"), "column", "sequence", "type", "table"));

            for (TableDefinition t : defs) {
                load(sourcePool, targetPool, t);
            }
            defs = SchemaCopy.currentSequences(src, defs);
            SchemaCopy.afterLoad(tgt, defs, TargetNames.same());
            SchemaCopy.afterLoad(tgt, defs, TargetNames.same()); // a resumed run does it again: nothing changes

            assertThat(ShopSchema.describe(tgt, "shop")).containsExactlyElementsOf(ShopSchema.describe(src, "shop"));
            for (String table : ShopSchema.TABLES) {
                assertThat(rows(tgt, table)).as(table).isEqualTo(rows(src, table));
            }
            assertThat(ShopSchema.nextValues(tgt, "shop")).isEqualTo(ShopSchema.nextValues(src, "shop"))
                    .contains("customers_id_seq 52", "products_id_seq 200", "orders_id_seq 201", "employees_id_seq 4");
            assertThat(schemaDump(db, target.name())).isEqualTo(schemaDump(db, db.name()));
        }
    }

    @Test
    void aTableCopiedIntoAnotherSchemaUsesItsOwnSequencesAndReferences(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            ShopSchema.create(c);
            List<TableDefinition> defs = SchemaCopy.read(c, ShopSchema.TABLES);
            SchemaCopy.createTables(c, defs, TargetNames.inSchema("copy"));
            SchemaCopy.afterLoad(c, defs, TargetNames.inSchema("copy"));

            List<String> copied = new ArrayList<>();
            ShopSchema.describe(c, "copy").forEach(line -> copied.add(line.replace("copy.", "shop.")));
            assertThat(copied).containsExactlyElementsOf(ShopSchema.describe(c, "shop").stream()
                    .filter(line -> !line.startsWith("type")).toList());
            assertThat(ShopSchema.describe(c, "copy")).as("the copy's defaults and keys point at the copy")
                    .contains("column orders.id bigint not null default nextval('copy.orders_id_seq'::regclass) "
                            + "identity: generated:")
                    .anyMatch(line -> line.contains("REFERENCES copy.customers(id) ON DELETE CASCADE"));
        }
    }

    @Test
    void leavingOutTheForeignKeyStepShowsInTheComparison(TestDatabase db) throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect()) {
            ShopSchema.create(src);
            List<TableDefinition> defs = SchemaCopy.read(src, ShopSchema.TABLES);
            SchemaCopy.createTables(tgt, defs, TargetNames.same());
            for (TableDefinition t : defs) {
                SchemaCopy.keysAndIndexes(tgt, t, TargetNames.same());
            }
            List<String> missing = new ArrayList<>(ShopSchema.describe(src, "shop"));
            missing.removeAll(ShopSchema.describe(tgt, "shop"));
            assertThat(missing).hasSize(7).allMatch(line -> line.contains("FOREIGN KEY"));
        }
    }

    @Test
    void anExistingTargetThatDoesNotFitIsRefusedNamingTableColumnAndTypes(TestDatabase db) throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect();
             Statement s = tgt.createStatement()) {
            ShopSchema.create(src);
            List<TableDefinition> defs = SchemaCopy.read(src, List.of("shop.orders"));
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped')");
            s.execute("CREATE DOMAIN shop.money12 AS numeric(12,2) CHECK (VALUE >= 0)");
            s.execute("CREATE TABLE shop.orders (id bigint, customer_id int NOT NULL, status shop.status NOT NULL, "
                    + "total numeric(10,2), placed timestamptz(3), note varchar(20) NOT NULL, extra int NOT NULL)");

            assertThatThrownBy(() -> SchemaCopy.checkCompatible(tgt, defs, TargetNames.same()))
                    .isInstanceOf(EtlException.class)
                    .hasMessageContaining("the target does not take what the load would write, so nothing was loaded")
                    .hasMessageContaining("table shop.orders, column \"total\": source type shop.money12, target type "
                            + "numeric(10,2)")
                    .hasMessageContaining("table shop.orders, column \"note\": source type character varying(40), "
                            + "target type character varying(20)")
                    .hasMessageContaining("table shop.orders, column \"statuses\" (source type shop.status[]) does not "
                            + "exist on the target")
                    .hasMessageContaining("table shop.orders, column \"extra\" (target type integer) is NOT NULL "
                            + "without a default on the target, and the source has no such column");

            s.execute("DROP TABLE shop.orders");
            s.execute("CREATE TABLE shop.orders (id bigint, customer_id bigint, status shop.status, total shop.money12, "
                    + "placed timestamptz, note text, statuses shop.status[], extra int DEFAULT 0)");
            SchemaCopy.checkCompatible(tgt, defs, TargetNames.same()); // wider types, nullable, a default: fits

            s.execute("ALTER TABLE shop.orders ALTER COLUMN note SET NOT NULL");
            assertThatThrownBy(() -> SchemaCopy.checkCompatible(tgt, defs, TargetNames.same()))
                    .hasMessageContaining("table shop.orders, column \"note\" is NOT NULL on the target but nullable in "
                            + "the source (type character varying(40))");
            assertThatThrownBy(() -> SchemaCopy.checkCompatible(tgt, defs, TargetNames.inSchema("elsewhere")))
                    .hasMessageContaining("table elsewhere.orders does not exist on the target");
        }
    }

    @Test
    void aForeignKeyToATableNeitherCopiedNorOnTheTargetIsRefusedBeforeAnythingIsCreated(TestDatabase db)
            throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect()) {
            ShopSchema.create(src);
            List<TableDefinition> defs = SchemaCopy.read(src, List.of("shop.orders"));
            assertThatThrownBy(() -> SchemaCopy.createTables(tgt, defs, TargetNames.same()))
                    .isInstanceOf(EtlException.class)
                    .hasMessage("table shop.orders has foreign key \"orders_customer_id_fkey\" to shop.customers, which "
                            + "is not copied with it and is not on the target as shop.customers: copy that table too, or "
                            + "create it on the target first");
            assertThat(ShopSchema.describe(tgt, "shop")).as("nothing created").isEmpty();
        }
    }

    @Test
    void anEnumMissingALabelOnTheTargetIsRefusedBeforeAnythingIsCreated(TestDatabase db) throws Exception {
        try (OtherDatabase target = new OtherDatabase(db); Connection src = db.connect(); Connection tgt = target.connect();
             Statement s = tgt.createStatement()) {
            ShopSchema.create(src);
            s.execute("CREATE SCHEMA shop");
            s.execute("CREATE TYPE shop.status AS ENUM ('new', 'paid')");
            List<TableDefinition> defs = SchemaCopy.read(src, List.of("shop.customers", "shop.orders"));
            assertThatThrownBy(() -> SchemaCopy.createTables(tgt, defs, TargetNames.same()))
                    .hasMessageContaining("enum type shop.status (needed by table shop.orders) exists on the target "
                            + "without the label(s) [shipped] the source has");
            assertThat(ShopSchema.describe(tgt, "shop")).as("nothing created")
                    .containsExactly("type shop.status e labels new,paid");
            assertThatThrownBy(() -> SchemaCopy.checkCompatible(tgt, defs, TargetNames.same()))
                    .as("rows with the missing label would fail mid-load")
                    .hasMessageContaining("enum type shop.status (needed by table shop.orders) exists on the target "
                            + "without the label(s) [shipped]");
        }
    }

    @Test
    void whatIsNotCopiedIsNamedAndAPartitionedTableIsRefused(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE audited (id int PRIMARY KEY, v text)");
            s.execute("CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
            s.execute("CREATE TRIGGER audit_v BEFORE UPDATE ON audited FOR EACH ROW EXECUTE FUNCTION audit()");
            s.execute("ALTER TABLE audited ENABLE ROW LEVEL SECURITY");
            s.execute("CREATE POLICY mine ON audited USING (v = current_user)");
            s.execute("CREATE TABLE parted (id int, at date) PARTITION BY RANGE (at)");
            s.execute("CREATE TABLE parted_2025 PARTITION OF parted FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");

            assertThat(SchemaCopy.read(c, List.of("audited")).get(0).notCopied()).containsExactly(
                    "row-level security (enabled on the source)", "row-level security policy mine", "trigger audit_v");
            assertThat(SchemaCopy.read(c, List.of("parted_2025")).get(0).notCopied())
                    .containsExactly("it is a partition of public.parted: created as a plain table");
            assertThatThrownBy(() -> SchemaCopy.read(c, List.of("parted"))).isInstanceOf(EtlException.class)
                    .hasMessageStartingWith("table public.parted is partitioned: etlpool does not copy a partitioned "
                            + "table's definition");
            assertThatThrownBy(() -> SchemaCopy.read(c, List.of("nowhere"))).isInstanceOf(EtlException.class)
                    .hasMessageStartingWith("table nowhere does not exist in the source database");
        }
    }

    /** One job per table, as a pipeline runs them: its loaded (not generated) columns into its target. */
    private static void load(EtlPool source, EtlPool target, TableDefinition t) throws SQLException {
        String columns = Sql.columns(t.loadedColumns().stream().map(Column::name).toList());
        String key = t.primaryKey().orElseThrow().definition().replaceAll("^PRIMARY KEY \\((.*)\\)$", "$1");
        EtlJob.builder("copy-" + t.source().name()).source(source, "SELECT " + columns + " FROM " + t.source().quoted()
                + " ORDER BY " + key).target(target, t.source().quoted()).build().run();
    }

    private static List<String> lines(List<String> all, String... kinds) {
        return all.stream().filter(line -> List.of(kinds).contains(line.substring(0, line.indexOf(' ')))).toList();
    }

    /** Row count and an md5 of every row's text form, ordered by that text. */
    private static String rows(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) || ':' || md5(string_agg(r::text, '|' ORDER BY r::text)) "
                     + "FROM " + table + " r")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** pg_dump --schema-only of schema shop, without comments, settings and blank lines. */
    private static List<String> schemaDump(TestDatabase db, String database) throws IOException, InterruptedException {
        Path pgDump = db.server().binaries().binDirectory().resolve("pg_dump");
        Assumptions.assumeTrue(Files.isExecutable(pgDump), "no pg_dump next to the server's binaries");
        ProcessBuilder pb = new ProcessBuilder(pgDump.toString(), "--schema-only", "--no-owner", "--no-privileges",
                "--schema=shop", "--host=" + db.server().host(), "--port=" + db.server().port(),
                "--username=" + db.user(), "--dbname=" + database);
        pb.environment().put("PGPASSWORD", db.password());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(line -> !line.isBlank() && !line.startsWith("--") && !line.startsWith("SET ")
                && !line.startsWith("SELECT pg_catalog.set_config") && !line.startsWith("\\restrict")
                && !line.startsWith("\\unrestrict")).toList();
    }

    private static EtlPool pool(TestDatabase db) throws SQLException {
        return EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password()).maxSize(2)
                .connectionTimeout(Duration.ofSeconds(20)).closeGracePeriod(Duration.ofSeconds(2)).build();
    }
}
