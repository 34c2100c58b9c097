package io.safegrid.node.hazard;

/** Photos and scanned documents through the console on a real PostgreSQL server. */
class PostgresUploadLimitsTest extends UploadLimitsTest {
    @Override
    String[] store() throws Exception {
        return PostgresStores.fresh();
    }
}
