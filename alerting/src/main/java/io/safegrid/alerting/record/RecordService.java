package io.safegrid.alerting.record;

import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.bus.Bus;

/**
 * The record as the node wires it: for {@link RecordSettings.Target#QUESTDB_EMBEDDED} it starts
 * QuestDB, then the {@link Recorder} writing to it and {@link QuestDbHistory} reading it; for
 * {@link RecordSettings.Target#INFLUXDB} the recorder writes to {@code settings.url()} and
 * {@link InfluxQlHistory} reads. {@link #close()} stops them in the safe order: recorder first (it
 * drains or spools), then the readers, then QuestDB.
 */
public final class RecordService implements AutoCloseable {
    private final EmbeddedQuestDb questDb;
    private final Recorder recorder;
    private final HistoryQueries history;

    private RecordService(EmbeddedQuestDb questDb, Recorder recorder, HistoryQueries history) {
        this.questDb = questDb;
        this.recorder = recorder;
        this.history = history;
    }

    /** Starts everything and subscribes to the bus; on failure nothing is left running. */
    public static RecordService start(RecordSettings settings, ConfigSource config, Bus bus, MeterRegistry registry) {
        if (settings.target() == RecordSettings.Target.INFLUXDB) {
            Recorder recorder = new Recorder(settings, config, bus, registry);
            recorder.start();
            return new RecordService(null, recorder, new InfluxQlHistory(settings));
        }
        EmbeddedQuestDb questDb = new EmbeddedQuestDb(settings);
        try {
            questDb.start();
            Recorder recorder = new Recorder(settings, questDb.url(), config, bus, registry);
            recorder.start();
            return new RecordService(questDb, recorder, questDb.history());
        } catch (RuntimeException e) {
            questDb.close();
            throw e;
        }
    }

    public Recorder recorder() { return recorder; }

    /** For the console's history views. */
    public HistoryQueries history() { return history; }

    /** The embedded QuestDB's address (its web console too), or null when writing to InfluxDB. */
    public String questDbUrl() { return questDb == null ? null : questDb.url(); }

    @Override
    public void close() {
        recorder.close();
        if (history instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a reader's HTTP client; nothing to lose
            }
        }
        if (questDb != null) {
            questDb.close();
        }
    }
}
