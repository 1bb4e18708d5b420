package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * createTable: the source's declared column types, NOT NULL and built-in defaults, for table columns and for
 * expressions.
 */
@PostgresTest
class CreateTableTest {

    @Test
    void theTargetGetsEverySourceColumnsDeclaredTypeAndNotNull(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTypes(c);
            s.execute("CREATE TABLE src (" + TypeMatrixTest.COLUMNS + ", nn text NOT NULL DEFAULT '', "
                    + "ts3 timestamp(3) NOT NULL DEFAULT now(), bits bit varying(8), iv2 interval day to second(2), "
                    + "grid numeric(5)[][], vca varchar(7)[])");
            s.execute("INSERT INTO src (id) SELECT generate_series(1, 10)");
            EtlJob.builder("create").source(pool, "SELECT * FROM src").partitionColumn("id").target(pool, "dst")
                    .createTable(true).build().run();

            assertThat(RowDiff.columnTypes(c, "dst")).containsExactlyElementsOf(RowDiff.columnTypes(c, "src"))
                    .contains("bt bit(4)", "n2 numeric(12,2)", "vc character varying(30)", "nn text NOT NULL",
                            "md mood", "dom positive_int", "cp pair", "id integer NOT NULL");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @Test
    void anExpressionGetsTheTypeOfItsValue(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTypes(c);
            s.execute("CREATE TABLE src (id int PRIMARY KEY, n2 numeric(12,2) NOT NULL, bt bit(4), md mood, "
                    + "dom positive_int, vc varchar(30))");
            s.execute("INSERT INTO src VALUES (1, 1.5, B'1010', 'ok', 3, 'v')");
            EtlJob.builder("create-mapped").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .column("id", "id").column("doubled", "n2 * 2").column("exact", "n2::numeric(10,3)")
                    .column("bits", "bt").column("bits2", "bt || B'1'").column("feeling", "'happy'::mood")
                    .column("dom", "dom").column("v", "vc::varchar(5)").column("amount", "n2")
                    .target(pool, "dst").createTable(true).build().run();

            assertThat(RowDiff.columnTypes(c, "dst")).containsExactly("id integer NOT NULL", "doubled numeric",
                    "exact numeric(10,3)", "bits bit(4)", "bits2 bit varying", "feeling mood", "dom positive_int",
                    "v character varying(5)", "amount numeric(12,2) NOT NULL");
        }
    }

    @Test
    void builtInDefaultsComeWithTheTableButNotASequenceOrAUserType(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTypes(c);
            s.execute("CREATE TABLE src (id serial PRIMARY KEY, note text NOT NULL DEFAULT 'none', "
                    + "at timestamptz(3) DEFAULT now(), n numeric(12,2) DEFAULT 1.5 * 2, md mood DEFAULT 'ok')");
            s.execute("INSERT INTO src DEFAULT VALUES");
            EtlJob.builder("defaults").source(pool, "SELECT id, note, at, n AS amount, md FROM src")
                    .partitionColumn("id").target(pool, "dst").createTable(true).build().run();

            try (ResultSet rs = s.executeQuery("SELECT string_agg(attname || '=' || coalesce(pg_get_expr(adbin, adrelid), "
                    + "'none'), ', ' ORDER BY attnum) FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid "
                    + "AND adnum = attnum WHERE attrelid = 'dst'::regclass AND attnum > 0")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("id=none, note='none'::text, at=now(), amount=(1.5 * (2)::numeric), "
                        + "md=none");
            }
        }
    }

    @Test
    void aTypeTheTargetLacksIsRefusedBeforeAnythingMoves(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            TypeMatrixTest.createTypes(c);
            s.execute("CREATE TABLE src (id int PRIMARY KEY, md mood)");
            s.execute("INSERT INTO src VALUES (1, 'ok')");
            s.execute("CREATE DATABASE " + targetName(db));
        }
        String targetUrl = db.server().jdbcUrl(targetName(db));
        try (EtlPool source = EtlFixtures.pool(db, 2);
             EtlPool target = EtlPool.builder().jdbcUrl(targetUrl).username(db.user()).password(db.password())
                     .maxSize(2).closeGracePeriod(Duration.ofSeconds(2)).build();
             Connection t = DriverManager.getConnection(targetUrl, db.credentials())) {
            EtlJob job = EtlJob.builder("no-type").source(source, "SELECT * FROM src").partitionColumn("id")
                    .target(target, "dst").createTable(true).build();
            assertThatThrownBy(job::run).isInstanceOf(EtlException.class)
                    .hasMessageContaining("cannot create table dst: column \"md\" is of type mood in the source, and "
                            + "the target database has no such type");
            try (Statement s = t.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('dst') IS NULL, "
                         + "NOT EXISTS (SELECT 1 FROM etlpool_checkpoint WHERE job = 'no-type')")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("no target table").isTrue();
                assertThat(rs.getBoolean(2)).as("no plan stored: the start was rolled back").isTrue();
            }
        }
    }

    private static String targetName(TestDatabase db) {
        return "target_" + Integer.toHexString(db.name().hashCode());
    }
}
