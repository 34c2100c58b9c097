package io.safegrid.alerting.ledger;

import io.safegrid.alerting.Stores;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.testing.TcpCutter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A fresh PostgreSQL alarm store, migrated, reached through a relay that keeps what the client sends:
 * round trips are counted on the wire, as the Sync and simple-query messages of the driver.
 */
final class CountedWire implements AutoCloseable {
    final TcpCutter relay;
    /** The store's settings through the relay. */
    final AlarmsConfig relayed;

    CountedWire(Path dir) throws Exception {
        AlarmsConfig direct = Stores.POSTGRESQL.fresh();
        AlarmStore.open(dir, direct).close(); // migrated before the relay counts
        int port = Integer.parseInt(direct.url().replaceFirst(".*:(\\d+)/.*", "$1"));
        relay = new TcpCutter(port);
        relayed = AlarmsConfig.at(direct.url().replace(":" + port + "/", ":" + relay.port() + "/"), direct.user(),
                direct.password());
    }

    /** Where the count starts: the bytes sent so far. */
    int mark() {
        return relay.sentByClients().length;
    }

    /** Syncs and simple queries since {@code mark}: each is one wait for the server's answer; the store's pings left out. */
    int roundTripsSince(int mark) {
        byte[] all = relay.sentByClients();
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOfRange(all, mark, all.length));
        int n = 0;
        boolean ping = false;
        while (b.remaining() >= 5) {
            byte type = b.get();
            int len = b.getInt();
            byte[] body = new byte[len - 4];
            b.get(body);
            if (type == 'P' || type == 'Q') {
                ping |= new String(body, StandardCharsets.UTF_8).contains("SELECT 1\0");
            }
            if (type == 'S' || type == 'Q') {
                n += ping ? 0 : 1;
                ping = false;
            }
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        relay.close();
    }
}
