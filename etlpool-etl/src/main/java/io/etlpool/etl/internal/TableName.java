package io.etlpool.etl.internal;

import java.util.Objects;

/**
 * A table's (or sequence's) real schema and name, as the catalog holds them (no case folding, no quotes).
 *
 * @param schema the schema's real name
 * @param name   the relation's real name
 */
public record TableName(String schema, String name) {

    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** {@code "schema"."name"}, both quoted. */
    public String quoted() {
        return Sql.quote(schema) + "." + Sql.quote(name);
    }

    /** The same name in another schema. */
    public TableName inSchema(String otherSchema) {
        return new TableName(otherSchema, name);
    }

    @Override
    public String toString() {
        return Sql.canonical(quoted(), "table", 2);
    }
}
