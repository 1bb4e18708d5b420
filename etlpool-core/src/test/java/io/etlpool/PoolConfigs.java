package io.etlpool;

/** For tests of the internals, which build a Pool themselves: the configuration a builder would use. */
public final class PoolConfigs {

    private PoolConfigs() {
    }

    /** The builder's validated configuration (what build() passes to the pool). */
    public static PoolConfig of(EtlPoolBuilder builder) {
        return builder.validate();
    }
}
