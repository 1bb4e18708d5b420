package io.etlpool.etl.internal;

import java.util.List;

/**
 * One source table's definition, read from a PostgreSQL catalog by {@link SchemaReader}. Expressions
 * (defaults, checks, index definitions) are the server's own text, printed with an empty search_path,
 * so every name outside {@code pg_catalog} in them is schema-qualified.
 *
 * @param source      the table
 * @param unlogged    an UNLOGGED table
 * @param columns     every column, in order
 * @param constraints primary key, unique, exclusion, check and foreign key constraints
 * @param indexes     the indexes that back no constraint
 * @param sequences   the sequences its columns own (serial, identity) or their defaults call
 * @param types       the user types its columns use (enums, domains, composites, and what they are built
 *                    on), each before the types that use it
 * @param notCopied   what the table has that a copy does not get (triggers, policies, rules, ...), one
 *                    phrase each, for a warning
 */
public record TableDefinition(TableName source, boolean unlogged, List<Column> columns, List<Constraint> constraints,
                              List<Index> indexes, List<SequenceDefinition> sequences, List<UserType> types,
                              List<String> notCopied) {

    public TableDefinition {
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
        sequences = List.copyOf(sequences);
        types = List.copyOf(types);
        notCopied = List.copyOf(notCopied);
    }

    /** The columns a load writes: all but generated ones (the target computes those). */
    public List<Column> loadedColumns() {
        return columns.stream().filter(c -> c.generated() == 0).toList();
    }

    /** The primary key, if the table has one. */
    public java.util.Optional<Constraint> primaryKey() {
        return constraints.stream().filter(c -> c.kind() == Constraint.PRIMARY_KEY).findFirst();
    }

    /**
     * A column.
     *
     * @param name       real name
     * @param type       {@code format_type} of its type and typmod (qualified outside pg_catalog)
     * @param collation  a qualified collation when it is not its type's default, else null
     * @param notNull    NOT NULL
     * @param defaultSql the default expression, or the generation expression of a generated column, or null
     * @param identity   {@code 'a'} GENERATED ALWAYS, {@code 'd'} BY DEFAULT, 0 for none
     * @param generated  {@code 's'} a stored generated column, 0 for none
     */
    public record Column(String name, String type, String collation, boolean notNull, String defaultSql,
                         char identity, char generated) {

        /** {@code "name" type [COLLATE collation]}. */
        public String declaration() {
            return Sql.quote(name) + " " + type + (collation == null ? "" : " COLLATE " + collation);
        }
    }

    /**
     * A table constraint.
     *
     * @param name       real name
     * @param kind       {@code p u x c f} as pg_constraint's contype
     * @param definition {@code pg_get_constraintdef}
     * @param references the referenced table of a foreign key, else null
     * @param referenced how the definition writes the referenced table (qualified), else null
     */
    public record Constraint(String name, char kind, String definition, TableName references, String referenced) {
        public static final char PRIMARY_KEY = 'p';
        public static final char UNIQUE = 'u';
        public static final char EXCLUSION = 'x';
        public static final char CHECK = 'c';
        public static final char FOREIGN_KEY = 'f';
    }

    /**
     * An index that backs no constraint.
     *
     * @param name   real name
     * @param unique a unique index
     * @param method what follows the table in {@code pg_get_indexdef}: {@code USING btree (a) WHERE ...}
     */
    public record Index(String name, boolean unique, String method) {
    }

    /**
     * A sequence that a column owns (serial: {@code ownedBy} set, identity: {@code identity} too) or that a
     * default calls.
     *
     * @param source    the sequence
     * @param literal   how the source's defaults write it: {@code 'public.t_id_seq'::regclass}
     * @param ownedBy   the owning column, or null
     * @param identity  the sequence of an identity column
     * @param options   CREATE SEQUENCE options without AS: START WITH ... [NO] CYCLE
     * @param dataType  its AS type
     * @param lastValue last_value as read
     * @param isCalled  is_called as read
     */
    public record SequenceDefinition(TableName source, String literal, String ownedBy, boolean identity,
                                     String options, String dataType, long lastValue, boolean isCalled) {
    }

    /**
     * A user type a column needs.
     *
     * @param name      qualified, quoted as the server prints it
     * @param schema    its schema's real name
     * @param kind      {@code e} enum, {@code d} domain, {@code c} composite; other kinds ({@code r} range,
     *                  {@code b} base, {@code x} an extension's type) cannot be created here
     * @param createSql the statement that creates it, or null when it cannot be created
     * @param labels    an enum's labels in order, else empty
     * @param extension the extension it belongs to, or null
     */
    public record UserType(String name, String schema, char kind, String createSql, List<String> labels,
                           String extension) {
    }
}
