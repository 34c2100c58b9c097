package io.safegrid.alerting.ledger;

import io.safegrid.model.scheduling.ThreadPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed timeline events on {@link Topic#ALARMS} from its own thread, one at a time,
 * in commit order: a full ALARMS topic (or a console handler that calls back into the desk) never
 * holds up the ledger.
 */
final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final AlarmEvent STOP = new AlarmEvent(-1, AlarmEvent.Type.UPDATED, "", Instant.EPOCH, "", null, null);

    private final Bus bus;
    private final LinkedBlockingQueue<AlarmEvent> committed = new LinkedBlockingQueue<>();
    private final ThreadPolicy threads;
    private Thread thread;

    EventPublisher(Bus bus, MeterRegistry registry, ThreadPolicy threads) {
        this.bus = bus;
        this.threads = threads;
        Gauge.builder("safegrid.alarms.outbox", committed, Collection::size)
                .description("committed alarm events waiting to be published").register(registry);
    }

    void start() {
        thread = new Thread(threads.at(Urgency.URGENT, this::loop), "alarm-publish");
        thread.setDaemon(true);
        thread.start();
    }

    void publish(List<AlarmEvent> events) {
        committed.addAll(events);
    }

    private void loop() {
        while (true) {
            AlarmEvent e;
            try {
                e = committed.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                return;
            }
            try {
                bus.publish(Topic.ALARMS, e.alarmId(), e);
            } catch (InterruptedException ie) {
                LOG.warn("interrupted while publishing alarm event {}; it stays on the stored timeline", e.sequence());
                return;
            } catch (IllegalStateException closed) {
                LOG.warn("bus closed; alarm event {} stays on the stored timeline only", e.sequence());
            }
        }
    }

    /** Lets what was committed go out (up to 5 s). */
    @Override
    public void close() {
        if (thread != null) {
            committed.add(STOP);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
