package io.etlpool.etl.internal;

import java.util.Map;

/**
 * Where a source table goes in the target database. Sequences a table owns or its defaults use go into
 * the schema of that table's target, under their own names.
 */
@FunctionalInterface
public interface TargetNames {

    /** The target of a source table. */
    TableName of(TableName source);

    /** Every table under its own schema and name. */
    static TargetNames same() {
        return source -> source;
    }

    /** Every table under its own name in one target schema (its real name). */
    static TargetNames inSchema(String schema) {
        return source -> source.inSchema(schema);
    }

    /** The tables of the map as it says; any other under its own schema and name. */
    static TargetNames of(Map<TableName, TableName> targets) {
        Map<TableName, TableName> copy = Map.copyOf(targets);
        return source -> copy.getOrDefault(source, source);
    }
}
