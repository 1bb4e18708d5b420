package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMode;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upserts: how many rows of a chunk share their key with another row of the same chunk. Only the last of
 * them lands in the target (the others are merged into it), so they are not counted as written, and the
 * job warns: the source has duplicate keys.
 */
final class Merges {

    private Merges() {
    }

    static long count(EtlJob job, List<String> columns, List<Object[]> rows) {
        if (job.mode() != LoadMode.UPSERT || rows.size() < 2) {
            return 0;
        }
        int[] at = new int[job.key().size()];
        for (int k = 0; k < at.length; k++) {
            at[k] = -1;
            String key = Sql.name(job.key().get(k), "key"); // matched as ChunkWriter's ON CONFLICT names it
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equals(key)) {
                    at[k] = i;
                }
            }
            if (at[k] < 0) {
                return 0; // the key is not among the written columns: the target will say so
            }
        }
        Set<List<Object>> keys = new HashSet<>();
        for (Object[] row : rows) {
            List<Object> key = new ArrayList<>(at.length);
            for (int i : at) {
                key.add(normal(row[i]));
            }
            keys.add(key);
        }
        return rows.size() - keys.size();
    }

    /** Equal as SQL sees keys: 1.0 = 1.00, bytes by content, instants whatever their offset. */
    private static Object normal(Object v) {
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        if (v instanceof byte[]) {
            return ByteBuffer.wrap(Arrays.copyOf((byte[]) v, ((byte[]) v).length));
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).toInstant();
        }
        return v;
    }
}
