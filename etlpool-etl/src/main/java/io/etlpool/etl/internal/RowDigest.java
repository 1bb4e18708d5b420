package io.etlpool.etl.internal;

import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * An order-independent digest of a set of source rows (the sum of a 64-bit hash of each row). An
 * unpartitioned job resumes by row position; this is how a resume checks that the rows it skips are
 * exactly the rows committed before: if the query's order is not total (ties, no ORDER BY) or the source
 * changed, the skipped prefix holds other rows and the digests differ, so the job refuses instead of
 * losing or duplicating rows. Ties reordered within the prefix are harmless and pass.
 */
final class RowDigest {

    private RowDigest() {
    }

    static long add(long digest, Object[] row) {
        long h = 0x9E3779B97F4A7C15L;
        for (Object v : row) {
            h = mix(h * 31 + valueHash(v));
        }
        return digest + mix(h);
    }

    private static long valueHash(Object v) {
        if (v == null) {
            return 0x51ED27L;
        }
        if (v instanceof byte[]) {
            return Arrays.hashCode((byte[]) v);
        }
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
        }
        if (v instanceof PGobject) { // a value in its text form: its type and its text, not the driver's hashCode
            PGobject o = (PGobject) v;
            return Objects.hash(o.getType(), o.getValue());
        }
        if (v instanceof Object[]) {
            return Arrays.deepHashCode((Object[]) v);
        }
        // what the column codecs produce besides (numbers, text, java.time, UUID) hashes its content; anything hashing by
        // identity differs between runs, which refuses a resume rather than accepting a wrong one
        return v.hashCode();
    }

    /** SplitMix64's finalizer: spreads the bits so that sums of hashes do not cancel out. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
