package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.journal.Checkpoints;
import io.safegrid.ingest.journal.GroupCommit;
import io.safegrid.ingest.journal.Journal;
import io.safegrid.ingest.journal.JournalSettings;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The ingest journal for in-process benches; a class of its own so that they also run on builds without one. */
final class BenchJournal {
    private BenchJournal() {
    }

    /**
     * With {@code -Dsafegrid.bench.journal=none|interval|always}, acknowledgements wait for the ingest
     * journal (in a temporary directory, with that fsync policy), as on a node; left out, for the bus only.
     */
    static AutoCloseable attach(SensorIngest ingest, InProcessBus bus) throws java.io.IOException {
        String fsync = System.getProperty("safegrid.bench.journal");
        if (fsync == null) {
            return () -> { };
        }
        Path dir = java.nio.file.Files.createTempDirectory("safegrid-journal");
        JournalSettings s = JournalSettings.defaults(dir);
        s = new JournalSettings(dir, JournalSettings.Fsync.valueOf(fsync.toUpperCase(java.util.Locale.ROOT)),
                s.fsyncInterval(), 4L << 30, s.maxAge(), 64L << 20, Duration.ofSeconds(2));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Journal journal = Journal.open(s, meters, Clock.systemUTC());
        Checkpoints checkpoints = new Checkpoints(journal, List.of(
                Checkpoints.Stage.of("bus", t -> bus.awaitDelivered(Topic.READINGS, t))), meters);
        checkpoints.start();
        ingest.acknowledgeWith(new GroupCommit(journal));
        System.out.println("--- acknowledgements wait for the journal in " + dir + " (fsync " + fsync + ") ---");
        return checkpoints;
    }

}
