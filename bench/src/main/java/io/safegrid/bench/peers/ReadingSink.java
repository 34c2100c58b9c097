package io.safegrid.bench.peers;

import io.safegrid.ingest.json.PayloadException;
import io.safegrid.ingest.json.ReadingPayloads;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.Reading;
import io.safegrid.node.load.LoadFleet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-process consumer each peer broker hands its PUBLISHes to: it finds the device by topic and
 * parses the JSON with the same Jackson code SafeGrid's ingest uses ({@link ReadingPayloads}), so a
 * broker's figure includes the work SafeGrid's includes. SafeGrid's own readings arrive parsed on
 * its bus and are only counted ({@link #accepted()}).
 */
final class ReadingSink {
    private final Map<String, Sensor> byTopic = new HashMap<>();
    private final LongAdder readings = new LongAdder();
    private final LongAdder bad = new LongAdder();

    ReadingSink(LoadFleet fleet) {
        List<Sensor> sensors = fleet.sensors();
        for (int i = 0; i < sensors.size(); i++) {
            byTopic.put(fleet.topic(i), sensors.get(i));
        }
    }

    /** A PUBLISH the broker delivered in-process. */
    void publish(String topic, byte[] payload) {
        Sensor s = byTopic.get(topic);
        if (s == null) {
            bad.increment();
            return;
        }
        try {
            List<Reading> r = ReadingPayloads.readings(payload, s, Instant.now());
            readings.add(r.size());
        } catch (PayloadException e) {
            bad.increment();
        }
    }

    /** A reading that is already parsed (SafeGrid's bus). */
    void accepted() { readings.increment(); }

    long readings() { return readings.sum(); }

    long bad() { return bad.sum(); }
}
