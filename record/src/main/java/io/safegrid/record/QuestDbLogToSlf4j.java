package io.safegrid.record;

import io.questdb.log.LogFactory;
import io.questdb.log.LogLevel;
import io.questdb.log.LogRecordUtf8Sink;
import io.questdb.log.LogWriter;
import io.questdb.mp.QueueConsumer;
import io.questdb.mp.RingQueue;
import io.questdb.mp.SCSequence;
import io.questdb.mp.SynchronizedJob;
import java.io.Closeable;
import io.safegrid.config.log.LimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QuestDB log writer that hands the embedded QuestDB's lines to the node's log: errors at ERROR,
 * everything else (its start-up banner and advice about OS limits, which QuestDB always writes to the
 * console at its ADVISORY level) at DEBUG on {@code io.questdb}. Errors come through 20 a minute,
 * then as a count ({@link LimitedLog}). Named in the {@code log.conf}
 * {@link EmbeddedQuestDb} writes; QuestDB creates it by reflection with this constructor.
 */
public final class QuestDbLogToSlf4j extends SynchronizedJob implements Closeable, LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger("io.questdb");

    private final RingQueue<LogRecordUtf8Sink> ring;
    private final SCSequence subSeq;
    private final int level;
    private final QueueConsumer<LogRecordUtf8Sink> consumer = this::forward;
    /** On a full disk QuestDB fails on every write and says so each time. */
    private static final LimitedLog ERRORS = new LimitedLog(LOG, 20);

    public QuestDbLogToSlf4j(RingQueue<LogRecordUtf8Sink> ring, SCSequence subSeq, int level) {
        this.ring = ring;
        this.subSeq = subSeq;
        this.level = level;
    }

    @Override
    public void bindProperties(LogFactory factory) {
    }

    @Override
    protected boolean runSerially() {
        return subSeq.consumeAll(ring, consumer);
    }

    private void forward(LogRecordUtf8Sink r) {
        int l = r.getLevel();
        if ((l & level) == 0) {
            return;
        }
        boolean error = (l & (LogLevel.ERROR | LogLevel.CRITICAL)) != 0;
        if (error ? LOG.isErrorEnabled() : LOG.isDebugEnabled()) {
            String line = r.toString().strip().replaceFirst("^\\S+Z ", "");   // the node's log has its own time
            if (error) {
                ERRORS.error("{}", line);
            } else {
                LOG.debug("{}", line);
            }
        }
    }

    @Override
    public void close() {
    }
}
