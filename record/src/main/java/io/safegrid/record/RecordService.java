package io.safegrid.record;

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
    /** How often the embedded QuestDB's WAL tables are looked at. */
    static final java.time.Duration WAL_CHECK = java.time.Duration.ofSeconds(2);
    private final EmbeddedQuestDb questDb;
    private final Recorder recorder;
    private final HistoryQueries history;
    private WalWatch wal;
    private String questDbDir;

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
            return new RecordService(null, recorder, new InfluxQlHistory(settings)).gauged(registry);
        }
        EmbeddedQuestDb questDb = new EmbeddedQuestDb(settings);
        try {
            questDb.start();
            Recorder recorder = new Recorder(settings, questDb.url(), config, bus, registry);
            WalWatch wal = new WalWatch(questDb.url(), questDb.authorization(), WAL_CHECK, registry);
            recorder.writeOnlyWhile(wal::healthy);
            wal.check(); // before the first write: a table left suspended by the last run holds the spool from the start
            wal.start();
            recorder.start();
            RecordService s = new RecordService(questDb, recorder, questDb.history());
            s.wal = wal;
            s.questDbDir = settings.questDbDir().toAbsolutePath().toString();
            return s.gauged(registry);
        } catch (RuntimeException e) {
            questDb.close();
            throw e;
        }
    }

    private RecordService gauged(MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("safegrid.record.up", this, s -> s.writable() ? 1 : 0)
                .description("1 while the record takes writes and shows them, 0 while points wait in the spool")
                .register(registry);
        return this;
    }

    public Recorder recorder() { return recorder; }

    /**
     * True while the record takes writes and shows them: the server answers and (embedded QuestDB)
     * no table has its WAL suspended. For /health and the {@code safegrid.record.up} gauge.
     */
    public boolean writable() {
        return recorder.serverUp() && (wal == null || wal.healthy());
    }

    /**
     * Why the record is not {@link #writable()}, naming where space is needed when a disk is full; null
     * while it is writable. For /health.
     */
    public String downReason() {
        String tables = wal == null ? null : wal.problem();
        if (tables != null) {
            return tables + "; data in " + questDbDir;
        }
        return recorder.downReason();
    }

    /** For the console's history views. */
    public HistoryQueries history() { return history; }

    /** The embedded QuestDB's address (its web console too), or null when writing to InfluxDB. */
    public String questDbUrl() { return questDb == null ? null : questDb.url(); }

    /** The {@code Authorization} header the embedded QuestDB asks for, or null when writing to InfluxDB. */
    public String questDbAuthorization() { return questDb == null ? null : questDb.authorization(); }

    @Override
    public void close() {
        if (wal != null) {
            wal.close();
        }
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
