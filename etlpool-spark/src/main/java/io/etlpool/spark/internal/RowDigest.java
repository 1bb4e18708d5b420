package io.etlpool.spark.internal;

/**
 * An order-independent digest of a partition's rows: the count and the sum (modulo 2^64) of a 64-bit hash
 * of each row's values as sent. A second attempt of a partition that is already written computes it from its
 * own rows and compares it with the one stored at the first commit, so that a re-run whose input changed
 * (the same jobId for other data, or a partition whose contents are not deterministic) is refused instead of
 * being skipped silently. Not a cryptographic hash: it guards against mistakes, not against an adversary.
 */
final class RowDigest {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private long rows;
    private long sum;
    private long current = FNV_OFFSET;

    /** Adds one value of the current row (null for SQL NULL). */
    void value(String text) {
        long h = current;
        if (text == null) {
            h = (h ^ 0xFF) * FNV_PRIME;
        } else {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                h = (h ^ (c & 0xFF)) * FNV_PRIME;
                h = (h ^ (c >>> 8)) * FNV_PRIME;
            }
        }
        current = (h ^ 0xFE) * FNV_PRIME; // value separator
    }

    /** Ends the current row. */
    void endRow() {
        sum += mix(current);
        rows++;
        current = FNV_OFFSET;
    }

    long rows() {
        return rows;
    }

    long sum() {
        return sum;
    }

    /** MurmurHash3's 64-bit finalizer: spreads FNV's weak low bits before the rows are added up. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53a87b9L;
        h ^= h >>> 33;
        return h;
    }
}
