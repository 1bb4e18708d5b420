package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.util.PGobject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of PostgreSQL type, by COPY and by batch, in every mode: the target must hold exactly the
 * source's rows, compared on the server by the text form of whole rows (each type's own output function).
 * Values at their edges: numeric NaN, ±Infinity and 1000 digits; float -0, NaN and ±Infinity; money;
 * bytea with zero bytes; ±infinity and BC dates and times; 24:00; intervals; json kept as written; xml;
 * bit strings; network addresses; ranges and multiranges; arrays with NULLs, several dimensions, other
 * lower bounds, quotes, commas and backslashes; char(n), name, oid, "char"; a domain, an enum, a composite.
 */
@PostgresTest
class TypeMatrixTest {

    private static final String TYPES = "CREATE DOMAIN positive_int AS int CHECK (VALUE > 0); "
            + "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); "
            + "CREATE TYPE pair AS (label text, n int, at timestamptz)";

    static final String COLUMNS = "id int PRIMARY KEY, bo boolean, i2 smallint, i8 bigint, tx text, vc varchar(30), "
            + "n numeric, n2 numeric(12,2), nbig numeric, f4 real, f8 double precision, m money, b bytea, "
            + "d date, ts timestamp, tz timestamptz, t time, ttz timetz, iv interval, u uuid, j json, jb jsonb, "
            + "x xml, bt bit(4), vb varbit, ip inet, cn cidr, mac macaddr, mac8 macaddr8, r4 int4range, "
            + "rtz tstzrange, nr numrange, dr daterange, mr int4multirange, ia int[], ta text[], tsa timestamptz[], "
            + "ch char(5), nm name, o oid, qc \"char\", dom positive_int, md mood, cp pair, tv tsvector, pt point";

    private static final String ROWS = "INSERT INTO src VALUES "
            + "(1, true, -32768, 9223372036854775807, E'two\\nlines, \"quoted\" \\\\ \\.', 'v', 'NaN', 12345.67, "
            + "(repeat('9', 500) || '.' || repeat('1', 500))::numeric, '-0', '-0', 1234.56, '\\x00010200ff00', "
            + "'0044-03-15 BC', '0044-03-15 12:00:00.000001 BC', '0044-03-15 12:00:00+00 BC', '24:00:00', "
            + "'24:00:00+05:30', '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
            + "'{\"b\": 1,   \"a\": [1, \"x,y\"], \"b\": 2}', '{\"b\": 1, \"a\": [1, \"x,y\"]}', "
            + "'<a b=\"1\">t&amp;x, \"q\"</a>', B'1010', B'101', '10.0.0.1/8', '10.0.0.0/8', '08:00:2b:01:02:03', "
            + "'08:00:2b:01:02:03:04:05', '[1,10)', '[2024-01-01 00:00+00, infinity)', '(,5.5]', 'empty', "
            + "'{[1,3), [5,7)}', '{{1,NULL},{3,4}}', '{\"a,b\",\"say \\\"hi\\\"\",\"back\\\\slash\",NULL,\"NULL\",\"\"}', "
            + "'{\"2024-03-10 01:30:00+05\",infinity}', 'ab', 'some name', 4294967295, 'x', 5, 'happy', "
            + "ROW('x,y \"z\"', 3, '2024-03-10 01:30:00.123456+05'), 'a fat:2 cat', '(1.5,-2)'), "
            + "(2, false, 0, -9223372036854775808, '', '', 'Infinity', -0.01, ('-' || repeat('1', 1000))::numeric, 'NaN', "
            + "'Infinity', '-0.01', '\\x', 'infinity', '-infinity', 'infinity', '00:00:00.000001', "
            + "'23:59:59.999999-15:59', '-1 days +02:03:00', '00000000-0000-0000-0000-000000000000', '\"string\"', "
            + "'null', 'just text', B'0000', B'', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', "
            + "'00:00:00:00:00:00:00:00', 'empty', '(,)', '[-1e-30,1e30]', '[2020-01-01,infinity)', '{}', "
            + "'[0:1]={7,8}', '{}', '{}', '', '', 0, ' ', 1, 'sad', ROW(NULL, NULL, NULL), '', '(0,0)'), "
            + "(3, NULL, 32767, 0, ' ', NULL, '-Infinity', 0, ('0.' || repeat('0', 999) || '1')::numeric, 3.4028235e38, "
            + "4.9e-324, '-92233720368547758.08', '\\x00', '5874897-12-31', '294276-12-31 23:59:59.999999', "
            + "'4713-01-01 00:00:00+00 BC', '23:59:59.999999', '00:00:00+15:59', '178000000 years', NULL, "
            + "'[]', '{}', '<!-- c --><x/>', B'1111', B'1', '192.168.0.1', '192.168.0.0/24', '00:00:00:00:00:00', "
            + "'ff:ff:ff:ff:ff:ff:ff:ff', '(,0]', '[\"2024-03-10 01:30+05\",\"2024-03-10 01:30+05\"]', 'empty', "
            + "'empty', '{[1,2)}', '{{{NULL}}}', '{\"{}\",\",\",\" \"}', '{NULL}', 'abcde', repeat('n', 63), 1, "
            + "'\\\\', 2147483647, 'ok', ROW('', 0, 'infinity'), '''quoted'' word', '(-0,1e300)'), "
            + "(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
            + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
            + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

    static void createTypes(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(TYPES);
        }
    }

    /** The types, src with the matrix's rows, and an empty dst of the same columns. */
    static void createTables(Connection c) throws SQLException {
        createTypes(c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (" + COLUMNS + ")");
            s.execute("CREATE TABLE dst (" + COLUMNS + ")");
            s.execute(ROWS);
        }
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("io.etlpool.etl.LoadModesTest#modesAndMethods")
    void everyBuiltInTypeDomainEnumAndCompositeArrivesExactly(LoadMode mode, LoadMethod method, TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            createTables(c);
            if (mode != LoadMode.INSERT) {
                s.execute("INSERT INTO dst (id, tx) VALUES (2, 'stale'), (99, 'stale')");
                if (mode == LoadMode.UPSERT) {
                    s.execute("INSERT INTO src (id, tx) VALUES (99, 'stale')");
                }
            }
            run(pool, mode, method, "matrix");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("io.etlpool.etl.LoadModesTest#modesAndMethods")
    void contribTypesHstoreAndCitextArriveExactly(LoadMode mode, LoadMethod method, TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String extension : List.of("hstore", "citext")) {
                try {
                    s.execute("CREATE EXTENSION IF NOT EXISTS " + extension);
                } catch (SQLException e) {
                    Assumptions.abort("the PostgreSQL server of the tests has no " + extension + " extension (contrib "
                            + "not installed): " + e.getMessage());
                }
            }
            String columns = "id int PRIMARY KEY, h hstore, ci citext, ha hstore[], cia citext[]";
            s.execute("CREATE TABLE src (" + columns + ")");
            s.execute("CREATE TABLE dst (" + columns + ")");
            s.execute("INSERT INTO src VALUES (1, 'a=>1, \"b c\"=>\"x,y\", \"q\\\"\"=>NULL, e=>\"\"', 'MiXeD Case', "
                    + "ARRAY['k=>v'::hstore, ''::hstore], '{Aa,\"b,B\"}'), (2, '', '', '{}', '{}'), "
                    + "(3, NULL, NULL, NULL, NULL)");
            run(pool, mode, method, "contrib");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(LoadMethod.class)
    void aTransformSeesJavaValuesForKnownTypesAndTheServersTextForTheRest(LoadMethod method, TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 3); Connection c = db.connect(); Statement s = c.createStatement()) {
            createTables(c);
            Map<String, String> seen = new ConcurrentHashMap<>();
            EtlJob.builder("transform-" + method).source(pool, "SELECT * FROM src").partitionColumn("id").partitions(1)
                    .target(pool, "dst").method(method).transform(r -> {
                        if (r.get("id").equals(1)) {
                            for (String col : List.of("id", "i8", "tx", "n2", "f8", "b", "tz", "u", "x", "md", "bt", "ia")) {
                                Object v = r.get(col);
                                seen.put(col, v instanceof PGobject ? "text " + ((PGobject) v).getType() + " "
                                        + ((PGobject) v).getValue() : v.getClass().getSimpleName());
                            }
                        }
                        // a new record of the same values: what a transform passes on is loaded exactly
                        return List.of(Record.of(r.columns(), r.toArray()));
                    }).build().run();

            assertThat(seen).containsEntry("id", "Integer").containsEntry("i8", "Long").containsEntry("tx", "String")
                    .containsEntry("n2", "BigDecimal").containsEntry("f8", "Double").containsEntry("b", "byte[]")
                    .containsEntry("tz", "OffsetDateTime").containsEntry("u", "UUID")
                    .containsEntry("x", "text xml <a b=\"1\">t&amp;x, \"q\"</a>").containsEntry("md", "text mood happy")
                    .containsEntry("bt", "text bit 1010").containsEntry("ia", "text _int4 {{1,NULL},{3,4}}");
            assertThat(RowDiff.between(c, "src", "dst")).isEmpty();
        }
    }

    private static void run(EtlPool pool, LoadMode mode, LoadMethod method, String name) throws SQLException {
        EtlJob.Builder b = EtlJob.builder(name + "-" + mode + "-" + method).source(pool, "SELECT * FROM src")
                .partitionColumn("id").partitions(2).chunkSize(2).target(pool, "dst").mode(mode).method(method);
        if (mode == LoadMode.UPSERT) {
            b.key("id");
        }
        b.build().run();
    }
}
