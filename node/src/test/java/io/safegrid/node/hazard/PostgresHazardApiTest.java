package io.safegrid.node.hazard;

/** The hazard API's scope, bad-input and dossier tests on a real PostgreSQL server. */
class PostgresHazardApiTest extends HazardApiTest {
    @Override
    String[] store() throws Exception {
        return PostgresStores.fresh();
    }
}
