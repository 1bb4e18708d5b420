package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMode;
import io.etlpool.etl.internal.TableDefinition.Constraint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SchemaCopy} for jobs that each copy one whole source table into their {@code table()}: a missing
 * target is created from the source table's definition (with an upsert job's key at once), an existing one
 * is checked, all before any row moves; after every job has loaded, the keys, indexes, foreign keys and
 * sequences follow.
 */
public final class JobTables {

    private JobTables() {
    }

    /**
     * Checks the existing targets and creates the missing ones, refusing (before creating anything) what
     * does not fit.
     *
     * @param jobs the job of each written source table name
     * @return the definitions read and the target names, for {@link TableCompletion}
     */
    public static Copied create(Connection source, Connection target, Map<String, EtlJob> jobs) throws SQLException {
        List<String> written = new ArrayList<>(jobs.keySet());
        List<TableDefinition> defs = SchemaCopy.read(source, written);
        Map<TableName, EtlJob> bySource = new HashMap<>();
        TargetNames names = names(target, defs, written, jobs, bySource);
        List<TableDefinition> existing = new ArrayList<>();
        List<TableDefinition> missing = new ArrayList<>();
        for (TableDefinition t : defs) {
            (AfterLoad.exists(target, names.of(t.source())) ? existing : missing).add(t);
        }
        SchemaCopy.checkCompatible(target, existing, names);
        Map<TableDefinition, Constraint> keys = new HashMap<>();
        for (TableDefinition t : missing) {
            EtlJob job = bySource.get(t.source());
            if (job.mode() == LoadMode.UPSERT) {
                keys.put(t, upsertKey(t, job));
            }
        }
        SchemaCopy.createTables(target, missing, names, (t, c) -> c.equals(keys.get(t)));
        Map<String, TableDefinition> byWritten = new java.util.LinkedHashMap<>();
        for (int i = 0; i < written.size(); i++) {
            byWritten.put(written.get(i), defs.get(i));
        }
        return new Copied(byWritten, defs, names);
    }

    /**
     * What {@link #create} read: each written source table's definition (as read before the load), all of them,
     * and their target names, for completing the tables after their loads.
     */
    public record Copied(Map<String, TableDefinition> byWritten, List<TableDefinition> tables, TargetNames names) {
    }

    /**
     * After every job loaded: what completes the tables (sequences as the source has them now); returns
     * what was added, for the report.
     */
    public static String complete(Connection source, Connection target, Map<String, EtlJob> jobs) throws SQLException {
        List<String> written = new ArrayList<>(jobs.keySet());
        List<TableDefinition> defs = SchemaCopy.read(source, written);
        TargetNames names = names(target, defs, written, jobs, new HashMap<>());
        return SchemaCopy.afterLoad(target, defs, names);
    }

    /** Each source table to its job's table, an unqualified one in the target's current schema. */
    private static TargetNames names(Connection target, List<TableDefinition> defs, List<String> written,
                                     Map<String, EtlJob> jobs, Map<TableName, EtlJob> bySource) throws SQLException {
        Map<TableName, TableName> map = new HashMap<>();
        String current = null;
        for (int i = 0; i < defs.size(); i++) {
            EtlJob job = jobs.get(written.get(i));
            List<Sql.Part> parts = Sql.parse(job.table(), "table", 2);
            if (parts.size() == 1 && current == null) {
                current = currentSchema(target, job);
            }
            TableName to = parts.size() == 2 ? new TableName(parts.get(0).name(), parts.get(1).name())
                    : new TableName(current, parts.get(0).name());
            map.put(defs.get(i).source(), to);
            bySource.put(defs.get(i).source(), job);
        }
        return TargetNames.of(map);
    }

    private static String currentSchema(Connection target, EtlJob job) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            if (rs.getString(1) == null) {
                throw new EtlException("job '" + job.name() + "': no schema of the target's search_path exists, so "
                        + "table " + job.table() + " has nowhere to go: qualify it with its schema");
            }
            return rs.getString(1);
        }
    }

    /** The primary key or unique constraint on exactly the upsert key's columns: ON CONFLICT needs one. */
    private static Constraint upsertKey(TableDefinition t, EtlJob job) throws EtlException {
        Set<String> key = new HashSet<>();
        job.key().forEach(k -> key.add(Sql.name(k, "key")));
        for (Constraint c : t.constraints()) {
            if ((c.kind() == Constraint.PRIMARY_KEY || c.kind() == Constraint.UNIQUE)
                    && new HashSet<>(columns(c.definition())).equals(key)) {
                return c;
            }
        }
        throw new EtlException("job '" + job.name() + "': upsert key " + job.key() + " is neither the primary key nor "
                + "a unique constraint of source table " + t.source() + ", and an upsert needs one on the target: "
                + "key on the table's primary key, or create the target table yourself with a unique index on the key");
    }

    /** The columns of {@code PRIMARY KEY (a, "B c")} or {@code UNIQUE [NULLS NOT DISTINCT] (a)}, real names. */
    static List<String> columns(String definition) {
        int open = definition.indexOf('(');
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = open + 1; i < definition.length(); i++) {
            char ch = definition.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < definition.length() && definition.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    b.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',' || ch == ')') {
                out.add(b.toString());
                b.setLength(0);
                if (ch == ')') {
                    break;
                }
            } else if (ch != ' ') {
                b.append(ch);
            }
        }
        return out;
    }
}
