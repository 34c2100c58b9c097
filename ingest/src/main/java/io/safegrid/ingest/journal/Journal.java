package io.safegrid.ingest.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.reading.Reading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest journal: an append-only log of accepted readings, written before they are acknowledged.
 *
 * <p>Files: segments {@code <first sequence>.seg} of entries {@code [int length][int CRC32C][long
 * sequence][reading]} (CRC over sequence and reading), and {@code checkpoint}, the highest sequence
 * the stages behind the bus have durably handled. Appends are plain {@code write}s of a whole group
 * of entries (no memory map: a full disk is an {@link IOException}, not a SIGBUS), so a group is in
 * the page cache, and survives a process kill, before its acknowledgements go out; {@link
 * JournalSettings.Fsync} says when it is also forced to the disk.
 *
 * <p>At start a torn tail (a kill during a write) is cut at the first entry whose length or CRC is
 * wrong, appends go to a new segment, and {@link #replay} hands back every entry after the
 * checkpoint that is younger than {@code maxAge}. Segments wholly at or below the checkpoint are
 * deleted; past {@code maxBytes} the oldest goes even if unconfirmed, counted as dropped.
 *
 * <p>Thread-safe: appends from several event loops are serialised; each group stays contiguous.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String SUFFIX = ".seg";
    private static final String CHECKPOINT = "checkpoint";
    private static final int HEADER = 4 + 4 + 8;
    /** A length past this is garbage, not an entry. */
    private static final int MAX_ENTRY = 64 * 1024;

    private final JournalSettings settings;
    private final DiskRoom room;
    private final Clock clock;
    /** First sequence of each segment, oldest first; the last is the one being written. Guarded by this. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.BIG_ENDIAN);
    private FileChannel out;
    private long outBytes;
    private long totalBytes;
    private long nextSeq;
    private volatile long lastSeq;
    private volatile long confirmed;
    private volatile boolean dirty;
    private boolean closed;

    private final Counter appended;
    private final Counter failures;
    private final Counter dropped;
    private final Counter replayed;
    private final Counter expired;
    private final Counter torn;
    private final Counter refused;

    private Journal(JournalSettings settings, DiskRoom room, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.room = room;
        this.clock = clock;
        this.appended = counter(registry, "safegrid.journal.appended", "Readings written to the ingest journal");
        this.failures = counter(registry, "safegrid.journal.append.failures",
                "Groups the journal could not write; their readings were not acknowledged");
        this.dropped = counter(registry, "safegrid.journal.dropped",
                "Unconfirmed readings removed because the journal reached its size limit");
        this.replayed = counter(registry, "safegrid.journal.replayed", "Readings replayed onto the bus at start");
        this.expired = counter(registry, "safegrid.journal.expired", "Unconfirmed readings too old to replay at start");
        this.torn = counter(registry, "safegrid.journal.torn", "Torn or corrupt journal tails cut at start");
        this.refused = counter(registry, "safegrid.journal.refused",
                "Readings not taken because free space was below the refusing watermark; not acknowledged");
        Gauge.builder("safegrid.journal.bytes", this, Journal::bytes).baseUnit("bytes")
                .description("Disk the ingest journal uses").register(registry);
        Gauge.builder("safegrid.journal.unconfirmed", this, Journal::unconfirmed)
                .description("Readings in the journal not yet confirmed durable by the record and the rules").register(registry);
    }

    private static Counter counter(MeterRegistry r, String name, String description) {
        return Counter.builder(name).description(description).register(r);
    }

    /** Opens (or creates) the journal in {@code settings.dir()}, cutting a torn tail, and begins a new segment. */
    public static Journal open(JournalSettings settings, MeterRegistry registry, Clock clock) throws IOException {
        return open(settings, DiskRoom.UNLIMITED, registry, clock);
    }

    /** Like {@link #open(JournalSettings, MeterRegistry, Clock)}, refusing appends while {@code room} says the disk is full. */
    public static Journal open(JournalSettings settings, DiskRoom room, MeterRegistry registry, Clock clock) throws IOException {
        Journal j = new Journal(settings, room, registry, clock);
        j.load();
        return j;
    }

    /** An append refused because free space is below the refusing watermark; nothing of the group was written. */
    public static final class DiskFullException extends IOException {
        DiskFullException(String message) {
            super(message);
        }
    }

    private synchronized void load() throws IOException {
        Files.createDirectories(settings.dir());
        confirmed = readCheckpoint();
        try (var files = Files.list(settings.dir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    try {
                        segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
                    } catch (NumberFormatException e) {
                        LOG.warn("Ignoring {} in the journal directory", p);
                    }
                }
            }
        }
        long last = confirmed;
        for (var e : segments.entrySet()) {
            long end = scan(e.getValue(), true, null);
            last = Math.max(last, end);
            totalBytes += Files.size(e.getValue());
        }
        lastSeq = last;
        nextSeq = last + 1;
        openSegment();
        deleteConfirmed();
        LOG.info("Ingest journal in {}: {} segments, {} bytes, {} readings after checkpoint {} (fsync {})",
                settings.dir(), segments.size(), totalBytes, lastSeq - confirmed, confirmed, settings.fsync());
    }

    /**
     * Reads a segment: hands each valid entry with a sequence above {@code after} to {@code each}; with
     * {@code cut}, truncates the file at the first bad entry. Returns the last valid sequence, or 0.
     */
    private long scan(Path file, boolean cut, Consumer<Entry> each) throws IOException {
        long last = 0;
        try (FileChannel ch = FileChannel.open(file, cut ? new StandardOpenOption[]{StandardOpenOption.READ,
                StandardOpenOption.WRITE} : new StandardOpenOption[]{StandardOpenOption.READ})) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(Math.max(size, 16), 8L << 20));
            long filePos = 0;      // position in the file of b's start
            b.limit(0);
            long good = 0;         // end of the last valid entry
            while (true) {
                if (b.remaining() < HEADER) {
                    filePos = refill(ch, b, filePos);
                    if (b.remaining() < HEADER) {
                        break;
                    }
                }
                int at = b.position();
                int len = b.getInt(at);
                if (len < 0 || len > MAX_ENTRY) {
                    break;
                }
                if (b.remaining() < HEADER + len) {
                    if (b.capacity() < HEADER + len) {
                        break;
                    }
                    filePos = refill(ch, b, filePos);
                    if (b.remaining() < HEADER + len) {
                        break;
                    }
                    at = b.position();
                }
                int stored = b.getInt(at + 4);
                CRC32C c = new CRC32C();
                ByteBuffer body = b.duplicate().position(at + 8).limit(at + HEADER + len);
                c.update(body);
                if ((int) c.getValue() != stored) {
                    break;
                }
                long seq = b.getLong(at + 8);
                if (each != null) {
                    each.accept(new Entry(seq, b.duplicate().position(at + HEADER).limit(at + HEADER + len).slice()));
                }
                last = seq;
                b.position(at + HEADER + len);
                good = filePos + b.position();
            }
            if (cut && good < size) {
                torn.increment();
                LOG.warn("Journal segment {}: cutting {} bytes of torn or corrupt tail after sequence {}", file, size - good, last);
                ch.truncate(good);
                ch.force(true);
            }
        }
        return last;
    }

    /** Moves the unread rest of b to its front and reads more; returns the new file position of b's start. */
    private static long refill(FileChannel ch, ByteBuffer b, long filePos) throws IOException {
        long consumed = b.position();
        b.compact();
        while (b.hasRemaining()) {
            if (ch.read(b, filePos + consumed + b.position()) <= 0) {
                break;
            }
        }
        b.flip();
        return filePos + consumed;
    }

    private record Entry(long seq, ByteBuffer reading) {
    }

    /** The new segment is opened before the old one is closed: a failure leaves the old one in use. */
    private void openSegment() throws IOException {
        Path p = settings.dir().resolve(String.format("%020d%s", nextSeq, SUFFIX));
        FileChannel next = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileChannel old = out;
        out = next;
        outBytes = next.size();
        segments.put(nextSeq, p);
        forceDirectory();
        if (old != null) {
            try {
                old.force(false);
            } finally {
                old.close();
            }
        }
    }

    /**
     * Writes the readings as one group, in order, and returns the sequence of the last; forced first
     * under {@link JournalSettings.Fsync#ALWAYS}. On failure nothing of the group counts as written; below
     * the refusing watermark nothing is written ({@link DiskFullException}).
     */
    public synchronized long append(List<Reading> readings) throws IOException {
        if (closed) {
            failures.increment();
            throw new IOException("journal closed");
        }
        if (readings.isEmpty()) {
            return lastSeq;
        }
        String full = room.shortOf();
        if (full != null) {
            refused.increment(readings.size());
            throw new DiskFullException(full);
        }
        buffer.clear();
        long seq = nextSeq;
        for (Reading r : readings) {
            int need = HEADER + ReadingCodec.maxSize(r);
            if (buffer.remaining() < need) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + need));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            int at = buffer.position();
            buffer.position(at + HEADER);
            ReadingCodec.write(buffer, r);
            int end = buffer.position();
            buffer.putInt(at, end - at - HEADER);
            buffer.putLong(at + 8, seq++);
            crc.reset();
            crc.update(buffer.duplicate().position(at + 8).limit(end));
            buffer.putInt(at + 4, (int) crc.getValue());
        }
        buffer.flip();
        int bytes = buffer.remaining();
        try {
            if (outBytes > 0 && outBytes + bytes > settings.segmentBytes()) {
                openSegment();
                enforceLimit();
            }
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (settings.fsync() == JournalSettings.Fsync.ALWAYS) {
                out.force(false);
            } else {
                dirty = true;
            }
        } catch (IOException e) {
            failures.increment();
            // a partial group must not be followed by good entries: begin a fresh segment (the torn end is cut at start)
            try {
                out.truncate(outBytes);
            } catch (IOException ignored) {
                // the CRC check at start cuts it instead
            }
            throw e;
        }
        outBytes += bytes;
        totalBytes += bytes;
        nextSeq = seq;
        lastSeq = seq - 1;
        appended.increment(readings.size());
        return lastSeq;
    }

    /** Forces what was written since the last force to the disk (the {@code interval} policy's thread). */
    public void force() {
        if (!dirty) {
            return;
        }
        FileChannel ch;
        synchronized (this) {
            dirty = false;
            ch = out;
        }
        try {
            ch.force(false);
        } catch (java.nio.channels.ClosedChannelException rolled) {
            // a closed segment was forced when it was closed
        } catch (IOException e) {
            LOG.error("Cannot force the ingest journal to disk", e);
        }
    }

    /** The sequence of the last entry written. */
    public long lastSequence() { return lastSeq; }

    /** The highest sequence confirmed durable downstream. */
    public long confirmed() { return confirmed; }

    /** Readings written but not yet confirmed. */
    public long unconfirmed() { return Math.max(0, lastSeq - confirmed); }

    public synchronized long bytes() { return totalBytes; }

    /**
     * Records that every entry up to {@code seq} is durably handled downstream, and deletes the
     * segments that holds nothing else.
     */
    public void confirm(long seq) throws IOException {
        if (seq <= confirmed) {
            return;
        }
        // written and forced outside the lock: appends on the event loops must not wait for this fsync
        writeCheckpoint(seq);
        synchronized (this) {
            confirmed = seq;
            deleteConfirmed();
        }
    }

    /** One caller at a time (the checkpoint thread). */
    private void writeCheckpoint(long seq) throws IOException {
        Path tmp = settings.dir().resolve(CHECKPOINT + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(12).putLong(seq);
            CRC32C c = new CRC32C();
            c.update(b.array(), 0, 8);
            b.putInt((int) c.getValue()).flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, settings.dir().resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, settings.dir().resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
    }

    private long readCheckpoint() throws IOException {
        Path p = settings.dir().resolve(CHECKPOINT);
        if (!Files.exists(p)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length != 12) {
            LOG.warn("Journal checkpoint {} is damaged; replaying all of the journal", p);
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C c = new CRC32C();
        c.update(bytes, 0, 8);
        long seq = b.getLong();
        if (b.getInt() != (int) c.getValue()) {
            LOG.warn("Journal checkpoint {} is damaged; replaying all of the journal", p);
            return 0;
        }
        return seq;
    }

    /** Deletes closed segments whose entries are all at or below the checkpoint. */
    private void deleteConfirmed() {
        List<Long> firsts = new ArrayList<>(segments.keySet());
        for (int i = 0; i + 1 < firsts.size(); i++) {
            long lastOfSegment = firsts.get(i + 1) - 1;
            if (lastOfSegment > confirmed) {
                break;
            }
            delete(firsts.get(i));
        }
    }

    /** Past the size limit the oldest closed segment goes, confirmed or not. */
    private void enforceLimit() {
        while (totalBytes > settings.maxBytes() && segments.size() > 1) {
            long first = segments.firstKey();
            long next = segments.higherKey(first);
            long lost = Math.max(0, next - Math.max(first, confirmed + 1));
            if (lost > 0) {
                dropped.increment(lost);
                LOG.error("INGEST JOURNAL FULL ({} bytes): dropping {} readings not yet confirmed by the record; "
                        + "the record or the rules are not keeping up", totalBytes, lost);
            }
            delete(first);
        }
    }

    private void delete(long first) {
        Path p = segments.remove(first);
        try {
            long size = Files.size(p);
            Files.deleteIfExists(p);
            totalBytes -= size;
        } catch (IOException e) {
            LOG.warn("Cannot delete journal segment {}", p, e);
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(settings.dir(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be forced; the segment itself is forced on close
        }
    }

    /**
     * Hands every entry after the checkpoint that was received within {@code maxAge} to {@code each},
     * in sequence order. Call once, before ingest takes new readings. Returns how many were handed over.
     */
    public long replay(Consumer<Reading> each) throws IOException {
        List<Path> files;
        long from;
        synchronized (this) {
            files = new ArrayList<>(segments.values());
            from = confirmed;
        }
        Instant oldest = clock.instant().minus(settings.maxAge());
        long[] counts = new long[3];
        for (Path f : files) {
            scan(f, false, e -> {
                if (e.seq() <= from) {
                    return;
                }
                Reading r;
                try {
                    r = ReadingCodec.read(e.reading());
                } catch (RuntimeException bad) {
                    counts[2]++;
                    return;
                }
                if (r.receivedAt().isBefore(oldest)) {
                    counts[1]++;
                    return;
                }
                each.accept(r);
                counts[0]++;
            });
        }
        replayed.increment(counts[0]);
        expired.increment(counts[1]);
        if (counts[0] + counts[1] + counts[2] > 0) {
            LOG.info("Ingest journal replayed {} readings after checkpoint {} ({} older than {} skipped, {} unreadable)",
                    counts[0], from, counts[1], settings.maxAge(), counts[2]);
        }
        return counts[0];
    }

    public JournalSettings settings() { return settings; }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.force(false);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
