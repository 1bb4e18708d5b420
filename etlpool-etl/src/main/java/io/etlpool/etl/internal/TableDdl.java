package io.etlpool.etl.internal;

import io.etlpool.etl.internal.TableDefinition.Column;
import io.etlpool.etl.internal.TableDefinition.SequenceDefinition;

import java.util.ArrayList;
import java.util.List;

/** The statements that create a table's target: its sequences, the table, the sequences' owner. */
final class TableDdl {

    private TableDdl() {
    }

    /** Where a sequence of this table goes: the table's target schema, the sequence's own name. */
    static TableName sequenceTarget(SequenceDefinition s, TableName tableTarget) {
        return s.source().inSchema(tableTarget.schema());
    }

    /** CREATE SEQUENCE for each non-identity sequence (identity columns create their own). */
    static List<String> sequences(TableDefinition t, TableName target) {
        List<String> out = new ArrayList<>();
        for (SequenceDefinition s : t.sequences()) {
            if (!s.identity()) {
                out.add("CREATE SEQUENCE IF NOT EXISTS " + sequenceTarget(s, target).quoted() + " AS " + s.dataType()
                        + " " + s.options());
            }
        }
        return out;
    }

    /** CREATE TABLE with every column's type, collation, identity or generation, default and NOT NULL. */
    static String createTable(TableDefinition t, TableName target) {
        List<String> defs = new ArrayList<>();
        for (Column c : t.columns()) {
            StringBuilder b = new StringBuilder(c.declaration());
            if (c.generated() != 0) {
                b.append(" GENERATED ALWAYS AS (").append(c.defaultSql()).append(")")
                        .append(c.generated() == 's' ? " STORED" : " VIRTUAL");
            } else if (c.identity() != 0) {
                b.append(" GENERATED ").append(c.identity() == 'a' ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY");
                for (SequenceDefinition s : t.sequences()) {
                    if (s.identity() && c.name().equals(s.ownedBy())) {
                        b.append(" (SEQUENCE NAME ").append(sequenceTarget(s, target).quoted()).append(' ')
                                .append(s.options()).append(')');
                    }
                }
            } else if (c.defaultSql() != null) {
                b.append(" DEFAULT ").append(withTargetSequences(c.defaultSql(), t, target));
            }
            if (c.notNull()) {
                b.append(" NOT NULL");
            }
            defs.add(b.toString());
        }
        return "CREATE " + (t.unlogged() ? "UNLOGGED " : "") + "TABLE " + target.quoted() + " (" + String.join(", ", defs)
                + ")";
    }

    /** ALTER SEQUENCE ... OWNED BY for the serial sequences (so that dropping the column drops it, as on the source). */
    static List<String> ownership(TableDefinition t, TableName target) {
        List<String> out = new ArrayList<>();
        for (SequenceDefinition s : t.sequences()) {
            if (!s.identity() && s.ownedBy() != null) {
                out.add("ALTER SEQUENCE " + sequenceTarget(s, target).quoted() + " OWNED BY " + target.quoted() + "."
                        + Sql.quote(s.ownedBy()));
            }
        }
        return out;
    }

    /** A default with each sequence the source's default names ({@code 'public.t_id_seq'::regclass}) renamed. */
    static String withTargetSequences(String defaultSql, TableDefinition t, TableName target) {
        String out = defaultSql;
        for (SequenceDefinition s : t.sequences()) {
            String to = "'" + sequenceTarget(s, target).quoted().replace("'", "''") + "'::regclass";
            out = out.replace(s.literal(), to);
        }
        return out;
    }
}
