package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.internal.TableDefinition.Constraint;
import io.etlpool.etl.internal.TableDefinition.Index;
import io.etlpool.etl.internal.TableDefinition.SequenceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a target gets once its rows are in, each piece skipped when it is already there (so a resumed run
 * can do it again): primary key, unique, exclusion and check constraints, indexes; foreign keys (once
 * every table is loaded); sequences set from the source.
 */
final class AfterLoad {

    private static final Logger LOG = LoggerFactory.getLogger(AfterLoad.class);

    /** What was added, by kind, for a report. Not thread-safe: one per connection. */
    static final class Tally {
        private final Map<String, Integer> counts = new LinkedHashMap<>();

        void add(String what) {
            counts.merge(what, 1, Integer::sum);
        }

        /** Adds another tally's counts. */
        void addAll(Tally other) {
            other.counts.forEach((what, n) -> counts.merge(what, n, Integer::sum));
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            counts.forEach((what, n) -> parts.add(n + " " + (n == 1 ? what : plural(what))));
            return parts.isEmpty() ? "nothing was missing" : String.join(", ", parts);
        }

        private static String plural(String what) {
            return switch (what) {
                case "index" -> "indexes";
                case "sequence set" -> "sequences set";
                default -> what + "s";
            };
        }
    }

    private static final char[] TABLE_CONSTRAINTS = {Constraint.PRIMARY_KEY, Constraint.UNIQUE, Constraint.EXCLUSION,
            Constraint.CHECK};

    private AfterLoad() {
    }

    /** The constraints {@code which} accepts (for a table that needs a key during its load). */
    static void constraints(Connection target, TableDefinition t, TableName to, Predicate<Constraint> which, Tally tally)
            throws SQLException {
        for (char kind : TABLE_CONSTRAINTS) {
            for (Constraint c : t.constraints()) {
                if (c.kind() == kind && which.test(c)) {
                    addConstraint(target, to, c, c.definition(), tally);
                }
            }
        }
    }

    /** Primary key, unique, exclusion and check constraints, then the indexes, of one table. */
    static void keysAndIndexes(Connection target, TableDefinition t, TableName to, Tally tally) throws SQLException {
        constraints(target, t, to, c -> true, tally);
        for (Index i : t.indexes()) {
            TableName index = new TableName(to.schema(), i.name());
            if (!exists(target, index)) {
                String sql = "CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX " + Sql.quote(i.name()) + " ON "
                        + to.quoted() + " " + i.method();
                try {
                    execute(target, sql);
                } catch (SQLException e) {
                    throw failed(to, (i.unique() ? "unique index " : "index ") + Sql.quote(i.name()), sql, e);
                }
                tally.add("index");
            }
        }
    }

    /** The foreign keys of every table, a referenced table by its target's name. */
    static void foreignKeys(Connection target, List<TableDefinition> tables, TargetNames names, Tally tally)
            throws SQLException {
        for (TableDefinition t : tables) {
            TableName to = names.of(t.source());
            for (Constraint c : t.constraints()) {
                if (c.kind() == Constraint.FOREIGN_KEY) {
                    foreignKey(target, to, c, names, tally);
                }
            }
        }
    }

    /** One foreign key of the table written {@code to}, its referenced table by its target's name. */
    static void foreignKey(Connection target, TableName to, Constraint c, TargetNames names, Tally tally)
            throws SQLException {
        addConstraint(target, to, c, foreignKey(c, names.of(c.references())), tally);
    }

    /** The definition with the referenced table renamed to its target. */
    static String foreignKey(Constraint c, TableName referencedTarget) throws EtlException {
        String from = " REFERENCES " + c.referenced() + "(";
        int at = c.definition().indexOf(from);
        if (at < 0 || c.definition().indexOf(from, at + 1) >= 0) {
            throw new EtlException("cannot read foreign key " + Sql.quote(c.name()) + ": '" + c.definition()
                    + "' does not name " + c.referenced() + " once as expected");
        }
        return c.definition().substring(0, at) + " REFERENCES " + referencedTarget.quoted() + "("
                + c.definition().substring(at + from.length());
    }

    /** setval of each sequence from the given value; a sequence missing on the target is skipped with a warning. */
    static void sequences(Connection target, TableDefinition t, TableName to, Tally tally) throws SQLException {
        for (SequenceDefinition s : t.sequences()) {
            TableName seq = TableDdl.sequenceTarget(s, to);
            if (!exists(target, seq)) {
                LOG.warn("sequence {} of table {} is not on the target (the table was not created by etlpool): not set; "
                        + "the source's is at {}", seq, to, s.lastValue());
                continue;
            }
            try (PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.setval(?::regclass, ?, ?)")) {
                ps.setString(1, seq.quoted());
                ps.setLong(2, s.lastValue());
                ps.setBoolean(3, s.isCalled());
                ps.executeQuery().close();
            }
            tally.add("sequence set");
        }
    }

    static boolean exists(Connection target, TableName relation) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            ps.setString(1, relation.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * ALTER TABLE ADD CONSTRAINT unless the table has one of that name (or, for a primary key, any
     * primary key: a table has one at most).
     */
    private static void addConstraint(Connection target, TableName to, Constraint c, String definition, Tally tally)
            throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT 1 FROM pg_catalog.pg_constraint "
                + "WHERE conrelid = pg_catalog.to_regclass(?) AND (conname = ? OR (contype = 'p' AND ?))")) {
            ps.setString(1, to.quoted());
            ps.setString(2, c.name());
            ps.setBoolean(3, c.kind() == Constraint.PRIMARY_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        String what = switch (c.kind()) {
            case Constraint.PRIMARY_KEY -> "primary key";
            case Constraint.UNIQUE -> "unique constraint";
            case Constraint.EXCLUSION -> "exclusion constraint";
            case Constraint.CHECK -> "check constraint";
            default -> "foreign key";
        };
        String sql = "ALTER TABLE " + to.quoted() + " ADD CONSTRAINT " + Sql.quote(c.name()) + " " + definition;
        try {
            execute(target, sql);
        } catch (SQLException e) {
            throw failed(to, what + " " + Sql.quote(c.name()), sql, e);
        }
        tally.add(what);
    }

    /**
     * A definition the target refused (duplicate keys, a row without its referenced row, ...), naming the
     * table and the constraint or index; the rows loaded stay.
     */
    private static EtlException failed(TableName to, String what, String sql, SQLException e) {
        if (e instanceof EtlException already) {
            return already;
        }
        String why = String.valueOf(e.getMessage()).strip();
        return new EtlException("table " + to + ": " + what + " could not be added (" + sql + "): " + why
                + (why.endsWith(".") ? "" : ".") + " The loaded rows stay; fix the rows (or the source) and run again: what is there is kept, what "
                + "is missing is added", e);
    }

    private static void execute(Connection target, String sql) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute(sql);
        }
    }
}
