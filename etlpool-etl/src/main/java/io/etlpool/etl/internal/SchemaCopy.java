package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.internal.TableDefinition.Constraint;
import io.etlpool.etl.internal.TableDefinition.SequenceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Copies PostgreSQL tables' definitions to a PostgreSQL target, the way {@code pg_dump | pg_restore}
 * orders it: {@link #read} the source's catalog; {@link #createTables} (types, sequences, tables with
 * their columns, NOT NULL and defaults, nothing that slows the load) or, for targets that already exist,
 * {@link #checkCompatible} before any row moves; load; then {@link #afterLoad} (keys, constraints,
 * indexes, then foreign keys, then sequences), which may run again. None of these commits or rolls
 * back: the caller's transaction (or auto-commit) decides.
 *
 * <pre>{@code
 * List<TableDefinition> defs = SchemaCopy.read(source, List.of("shop.customers", "shop.orders"));
 * SchemaCopy.createTables(target, missingOnes, names);    // or checkCompatible(target, existingOnes, names)
 * // load each table: SELECT <its loadedColumns()> FROM <its source().quoted()> into names.of(source())
 * SchemaCopy.afterLoad(target, SchemaCopy.currentSequences(source, defs), names);
 * }</pre>
 */
public final class SchemaCopy {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCopy.class);

    private SchemaCopy() {
    }

    /**
     * The definitions of source tables, by written names ({@code orders}, {@code sales."Order Items"},
     * resolved with the connection's search_path). Refuses partitioned tables and anything not a table.
     * Sequence values are read now: read them again after the load's snapshot with
     * {@link #currentSequences}.
     */
    public static List<TableDefinition> read(Connection source, List<String> tables) throws SQLException {
        return SchemaReader.read(source, tables);
    }

    /** The same definitions with each sequence's value as the source has it now. */
    public static List<TableDefinition> currentSequences(Connection source, List<TableDefinition> tables)
            throws SQLException {
        List<TableDefinition> out = new ArrayList<>();
        for (TableDefinition t : tables) {
            List<SequenceDefinition> seqs = new ArrayList<>();
            for (SequenceDefinition s : t.sequences()) {
                seqs.add(SchemaReader.current(source, s));
            }
            out.add(new TableDefinition(t.source(), t.unlogged(), t.columns(), t.constraints(), t.indexes(), seqs,
                    t.types(), t.notCopied()));
        }
        return out;
    }

    /**
     * Creates each table (and the types, schemas and sequences it needs) on the target with its columns'
     * exact types, collations, NOT NULL, defaults, identity and generated columns, and no key or index:
     * {@link #afterLoad} adds those. Refuses, before creating anything, a foreign key to a table that is
     * neither among {@code tables} nor on the target, and a type it cannot create. What is not copied
     * (triggers, policies, ...) is logged as a warning per table.
     */
    public static void createTables(Connection target, List<TableDefinition> tables, TargetNames names)
            throws SQLException {
        createTables(target, tables, names, (t, c) -> false);
    }

    /**
     * As {@link #createTables(Connection, List, TargetNames)}, adding at once the primary key, unique,
     * exclusion or check constraints {@code atOnce} accepts (an upsert needs its key's unique index during
     * the load).
     */
    public static void createTables(Connection target, List<TableDefinition> tables, TargetNames names,
                                    BiPredicate<TableDefinition, Constraint> atOnce) throws SQLException {
        requireReferencedTables(target, tables, names);
        UserTypes.ensure(target, tables);
        for (TableDefinition t : tables) {
            TableName to = names.of(t.source());
            for (String warning : t.notCopied()) {
                LOG.warn("table {} is created as {} without what etlpool does not copy: {}", t.source(), to, warning);
            }
            Schemas.ensure(target, to.schema());
            try (Statement s = target.createStatement()) {
                for (String sql : TableDdl.sequences(t, to)) {
                    s.execute(sql);
                }
                s.execute(TableDdl.createTable(t, to));
                for (String sql : TableDdl.ownership(t, to)) {
                    s.execute(sql);
                }
            }
            AfterLoad.constraints(target, t, to, c -> atOnce.test(t, c), new AfterLoad.Tally());
        }
    }

    /**
     * Refuses, naming every problem at once (table, column, source type, target type), target tables
     * that would not take the rows a load of these source tables writes: a missing table or column, a
     * type that does not hold every source value unchanged ({@link TypeFit}), NOT NULL on the target
     * where the source allows NULL, a generated target column, a NOT NULL target column without a
     * default that the source does not fill.
     */
    public static void checkCompatible(Connection target, List<TableDefinition> tables, TargetNames names)
            throws SQLException {
        TargetCheck.check(target, tables, names);
    }

    /**
     * Everything a loaded target still lacks, each piece only when missing (call it again after a
     * resumed load): per table primary key, unique, exclusion and check constraints and indexes; then
     * every foreign key (all tables are loaded by then: self-references and cycles need no order); then
     * each sequence set as read ({@code setval} with is_called; see {@link #currentSequences}). Returns
     * what it added, for a report ("7 primary keys, 3 indexes, 6 foreign keys, 5 sequences set").
     */
    public static String afterLoad(Connection target, List<TableDefinition> tables, TargetNames names)
            throws SQLException {
        AfterLoad.Tally tally = new AfterLoad.Tally();
        for (TableDefinition t : tables) {
            AfterLoad.keysAndIndexes(target, t, names.of(t.source()), tally);
        }
        AfterLoad.foreignKeys(target, tables, names, tally);
        for (TableDefinition t : tables) {
            AfterLoad.sequences(target, t, names.of(t.source()), tally);
        }
        return tally.toString();
    }

    /**
     * The first step of {@link #afterLoad} for one table (tables may go side by side, each on its
     * connection); returns what it added ("1 primary key, 2 indexes").
     */
    public static String keysAndIndexes(Connection target, TableDefinition table, TargetNames names)
            throws SQLException {
        AfterLoad.Tally tally = new AfterLoad.Tally();
        AfterLoad.keysAndIndexes(target, table, names.of(table.source()), tally);
        return tally.toString();
    }

    /** The second step of {@link #afterLoad}: the foreign keys of every table, once all are loaded. */
    public static String foreignKeys(Connection target, List<TableDefinition> tables, TargetNames names)
            throws SQLException {
        AfterLoad.Tally tally = new AfterLoad.Tally();
        AfterLoad.foreignKeys(target, tables, names, tally);
        return tally.toString();
    }

    /** The last step of {@link #afterLoad}: sequences set from the values in the definitions. */
    public static String sequences(Connection target, List<TableDefinition> tables, TargetNames names)
            throws SQLException {
        AfterLoad.Tally tally = new AfterLoad.Tally();
        for (TableDefinition t : tables) {
            AfterLoad.sequences(target, t, names.of(t.source()), tally);
        }
        return tally.toString();
    }

    private static void requireReferencedTables(Connection target, List<TableDefinition> tables, TargetNames names)
            throws SQLException {
        Set<TableName> copied = new HashSet<>();
        tables.forEach(t -> copied.add(t.source()));
        for (TableDefinition t : tables) {
            for (Constraint c : t.constraints()) {
                if (c.kind() != Constraint.FOREIGN_KEY || copied.contains(c.references())) {
                    continue;
                }
                TableName to = names.of(c.references());
                if (!AfterLoad.exists(target, to)) {
                    throw new EtlException("table " + t.source() + " has foreign key " + Sql.quote(c.name()) + " to "
                            + c.references() + ", which is not copied with it and is not on the target as " + to
                            + ": copy that table too, or create it on the target first");
                }
            }
        }
    }
}
