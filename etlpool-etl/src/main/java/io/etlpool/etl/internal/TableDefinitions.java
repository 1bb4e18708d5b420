package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The definitions of whole tables a pipeline copies: created before any row moves, and after every copy has
 * loaded, completed with what a load is faster without (keys, indexes, foreign keys, sequences), as
 * {@code pg_restore} does.
 */
interface TableDefinitions {

    /** One copied table: its source name and the job that loads it (its target table, pools, key). */
    record Copy(String sourceTable, EtlJob job) {
    }

    /** Creates the copies' missing target tables (and their schemas). */
    void createTables(Connection source, Connection target, List<Copy> copies) throws SQLException;

    /** After every copy loaded: what completes the tables; returns what was done, for the report. */
    String afterLoad(Connection source, Connection target, List<Copy> copies) throws SQLException;

    /**
     * Tables as {@code createTable} makes them (columns, types, NOT NULL, the upsert key as primary key); only
     * a missing target schema is created here.
     */
    TableDefinitions COLUMNS_ONLY = new TableDefinitions() {
        @Override
        public void createTables(Connection source, Connection target, List<Copy> copies) throws SQLException {
            for (Copy c : copies) {
                List<Sql.Part> parts = Sql.parse(c.job().table(), "table", 2);
                if (parts.size() == 2) {
                    try (Statement s = target.createStatement()) {
                        s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(parts.get(0).name()));
                    }
                }
            }
        }

        @Override
        public String afterLoad(Connection source, Connection target, List<Copy> copies) {
            return "columns only: keys other than an upsert key, indexes and foreign keys are not copied";
        }
    };
}
