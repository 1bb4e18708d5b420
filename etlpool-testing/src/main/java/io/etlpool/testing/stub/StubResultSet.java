package io.etlpool.testing.stub;

/** An empty result set. */
public final class StubResultSet extends StubResultSetBase {

    private boolean closed;

    @Override
    public boolean next() {
        return false;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
