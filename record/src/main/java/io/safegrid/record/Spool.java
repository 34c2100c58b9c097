package io.safegrid.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Line-protocol points waiting on local disk for the server to come back: a queue of append-only
 * segment files {@code seg-<seq>-<createdMillis>.lp}, one point per line, read oldest first.
 *
 * <p>Progress through the head segment is kept in a small {@code .ack} file (replayed line count),
 * so a restart resumes where the last instance stopped instead of writing those points twice.
 * Sealed segments are immutable. The open segment is flushed and forced to disk by {@link #force()}
 * (the recorder calls it every {@code spoolFsync}) and when it is sealed, so an OS crash loses at
 * most that interval; a torn last line is discarded on recovery.
 *
 * <p>Disk use is bounded: when the segments pass {@code maxBytes}, the oldest segment is deleted,
 * its unreplayed points counted as dropped and logged at ERROR.
 *
 * <p>Thread-safe (all methods synchronized); the recorder calls it from bus threads (append) and
 * its writer thread (next, ack, prepend, force).
 */
final class Spool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final Pattern NAME = Pattern.compile("seg-(\\d{19})-(\\d+)\\.lp");
    /** Sequence numbers start high so that {@link #prepend} can always go below the head. */
    private static final long FIRST_SEQ = 1_000_000_000_000L;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Clock clock;
    private final Counter dropped;
    private final Counter lost;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private long nextSeq = FIRST_SEQ;
    private long totalBytes;
    /** The open segment (the last one), or null when the tail is sealed. */
    private Segment active;
    private Buffered out;
    private FileOutputStream outFile;
    private boolean dirty;
    /** Whether the disk refused the last write (full): said once when it starts and once when it ends. */
    private boolean refusing;
    /** Held while open: two recorders on one spool would interleave and delete each other's segments. */
    private java.nio.channels.FileChannel lockFile;
    private java.nio.channels.FileLock lock;

    Spool(Path dir, long maxBytes, long segmentBytes, MeterRegistry registry, Clock clock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.clock = clock;
        this.dropped = Counter.builder("safegrid.record.points.dropped")
                .description("Spooled points deleted unreplayed because the spool passed its disk limit")
                .register(registry);
        this.lost = Counter.builder("safegrid.record.points.lost")
                .description("Points lost because the spool could not be written (disk error)").register(registry);
        try {
            Files.createDirectories(dir);
            lockFile = java.nio.channels.FileChannel.open(dir.resolve("spool.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            try {
                lock = lockFile.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockFile.close();
                throw new IllegalStateException("the record spool " + dir + " is in use by another recorder; "
                        + "give each node its own data dir");
            }
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the record spool in " + dir, e);
        }
        Gauge.builder("safegrid.record.spool.bytes", this, Spool::bytes).baseUnit("bytes")
                .description("Disk used by the record spool").register(registry);
        Gauge.builder("safegrid.record.spool.segments", this, Spool::segmentCount)
                .description("Spool segment files").register(registry);
        Gauge.builder("safegrid.record.spool.oldest.age", this, Spool::oldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest spool segment; 0 when the spool is empty").register(registry);
    }

    /** A run of lines from one segment, handed to the writer and acknowledged after the server took it. */
    record Batch(Segment segment, int from, List<String> lines) {}

    static final class Segment {
        final long seq;
        final long created;
        final Path path;
        long bytes;
        int lines;
        int acked;
        List<String> loaded;

        Segment(long seq, long created, Path path) {
            this.seq = seq;
            this.created = created;
            this.path = path;
        }

        Path ackPath() { return path.resolveSibling(path.getFileName() + ".ack"); }
    }

    private void recover() throws IOException {
        List<Segment> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new Segment(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), p));
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.seq, b.seq));
        long recovered = 0;
        for (Segment s : found) {
            List<String> lines = readLines(s.path);
            s.lines = lines.size();
            s.bytes = Files.size(s.path);
            s.acked = readAck(s);
            if (s.acked >= s.lines) {
                delete(s);
                continue;
            }
            segments.add(s);
            totalBytes += s.bytes;
            recovered += s.lines - s.acked;
            nextSeq = Math.max(nextSeq, s.seq + 1);
        }
        if (!segments.isEmpty()) {
            log.warn("Record spool holds {} points in {} segments ({} bytes) from before the restart; replaying them first",
                    recovered, segments.size(), totalBytes);
        }
    }

    private static int readAck(Segment s) {
        try {
            return Files.exists(s.ackPath()) ? Integer.parseInt(Files.readString(s.ackPath()).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("Unreadable spool ack file {}; replaying its segment from the start", s.ackPath());
            return 0;
        }
    }

    /** Complete lines only: a last line without its newline was torn by a crash and is not a point. */
    private static List<String> readLines(Path p) throws IOException {
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
            if (i > start) {
                lines.add(text.substring(start, i));
            }
            start = i + 1;
        }
        if (start < text.length()) {
            log.warn("Discarding a torn last line in spool segment {} ({} bytes)", p, text.length() - start);
        }
        return lines;
    }

    /** Appends at the tail, in order. */
    synchronized void append(List<String> lines) {
        for (String line : lines) {
            append(line);
        }
    }

    synchronized void append(String line) {
        try {
            if (active == null || active.bytes >= segmentBytes) {
                openNew();
            }
            byte[] bytes = (line + '\n').getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            dirty = true;
            active.bytes += bytes.length;
            active.lines++;
            totalBytes += bytes.length;
        } catch (IOException e) {
            untear();
            refused(e);
            throw new UncheckedIOException("cannot append to the record spool " + dir, e);
        }
        enforceLimit();
    }

    /**
     * Puts lines in front of everything spooled: they are older (the writer's failed batch and what
     * was still in memory). Written as one sealed, forced segment.
     */
    synchronized void prepend(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        long seq = segments.isEmpty() ? nextSeq++ : segments.peekFirst().seq - 1;
        Segment s = new Segment(seq, clock.millis(), segmentPath(seq, clock.millis()));
        StringBuilder sb = new StringBuilder(lines.size() * 160);
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (FileOutputStream f = new FileOutputStream(s.path.toFile())) {
            f.write(bytes);
            f.getChannel().force(false);
        } catch (IOException e) {
            delete(s);
            refused(e);
            throw new UncheckedIOException("cannot write to the record spool " + dir, e);
        }
        wrote();
        s.bytes = bytes.length;
        s.lines = lines.size();
        s.loaded = List.copyOf(lines);
        segments.addFirst(s);
        totalBytes += s.bytes;
        enforceLimit();
    }

    /** The next lines to replay, oldest first, or null when the spool is empty. */
    synchronized Batch next(int max) {
        Segment head = segments.peekFirst();
        if (head == null) {
            return null;
        }
        if (head == active) {
            seal();
            return next(max);
        }
        try {
            if (head.loaded == null) {
                head.loaded = readLines(head.path);
                head.lines = head.loaded.size();
            }
        } catch (IOException e) {
            log.error("Cannot read spool segment {}; skipping its {} points", head.path, head.lines - head.acked, e);
            dropped.increment(head.lines - head.acked);
            remove(head);
            return next(max);
        }
        if (head.acked >= head.lines) {
            remove(head);
            return next(max);
        }
        int to = Math.min(head.lines, head.acked + max);
        return new Batch(head, head.acked, head.loaded.subList(head.acked, to));
    }

    /** The server took this batch: move past it, and delete the segment when it is done. */
    synchronized void ack(Batch b) {
        Segment s = b.segment();
        if (!segments.contains(s)) {
            return; // dropped meanwhile by the disk limit
        }
        s.acked = Math.max(s.acked, b.from() + b.lines().size());
        if (s.acked >= s.lines && s != active) {
            remove(s);
            return;
        }
        try {
            Files.writeString(s.ackPath(), Integer.toString(s.acked));
        } catch (IOException e) {
            log.warn("Cannot record replay progress of {}; a restart would replay it again", s.path, e);
        }
    }

    synchronized boolean isEmpty() { return segments.isEmpty(); }

    /** Points waiting (not yet replayed). */
    synchronized long pending() {
        long n = 0;
        for (Segment s : segments) {
            n += s.lines - s.acked;
        }
        return n;
    }

    /**
     * Flushes the open segment and forces it to disk, if anything was written since the last time.
     * The fsync itself runs outside the lock, so appending bus threads wait only for the flush.
     *
     * @return whether everything appended so far is on disk (false while its disk refuses the writes)
     */
    boolean force() {
        FileOutputStream file;
        synchronized (this) {
            if (!dirty || out == null) {
                return true;
            }
            try {
                out.flush();
            } catch (IOException e) {
                untear(); // the buffer keeps the lines and the next force tries again
                refused(e);
                return false;
            }
            wrote();
            dirty = false;
            file = outFile;
        }
        try {
            file.getChannel().force(false);
            return true;
        } catch (java.nio.channels.ClosedChannelException sealed) {
            return true; // sealed meanwhile, and sealing forces
        } catch (IOException e) {
            log.error("Cannot force the record spool to disk", e);
            return false;
        }
    }

    synchronized long bytes() { return totalBytes; }

    synchronized int segmentCount() { return segments.size(); }

    synchronized double oldestAgeSeconds() {
        long oldest = Long.MAX_VALUE;
        for (Segment s : segments) {
            oldest = Math.min(oldest, s.created);
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    @Override
    public synchronized void close() {
        try {
            seal();
        } catch (UncheckedIOException e) {
            int gone = out.bufferedLines();
            lost.increment(gone);
            log.error("RECORD POINTS LOST: {} points appended to the spool could not be written at close ({}); the "
                    + "ingest journal keeps the readings among them for the next start", gone, e.getMessage());
        }
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockFile.close();
        } catch (IOException e) {
            log.warn("Cannot release the spool lock in {}", dir, e);
        }
    }

    private void openNew() throws IOException {
        seal();
        long now = clock.millis();
        long seq = nextSeq++;
        Segment s = new Segment(seq, now, segmentPath(seq, now));
        FileOutputStream file = new FileOutputStream(s.path.toFile(), true);
        active = s;
        outFile = file;
        out = new Buffered(file);
        segments.addLast(s);
    }

    /** Flushes, forces and closes the open segment; if its disk refuses, it stays open (nothing dropped) and this throws. */
    private void seal() {
        if (active == null) {
            return;
        }
        try {
            out.flush();
            outFile.getChannel().force(false);
            out.close();
        } catch (IOException e) {
            untear();
            refused(e);
            throw new UncheckedIOException("cannot seal spool segment " + active.path, e);
        }
        wrote();
        if (active.lines == 0) {
            remove(active);
        }
        active = null;
        out = null;
        outFile = null;
        dirty = false;
    }

    /** Drops the oldest segments while over the limit; never the open one (segments are at most half the limit). */
    private void enforceLimit() {
        while (totalBytes > maxBytes && segments.size() > 1) {
            Segment oldest = segments.peekFirst();
            if (oldest == active) {
                return;
            }
            long lost = oldest.lines - oldest.acked;
            dropped.increment(lost);
            log.error("RECORD SPOOL FULL ({} bytes > limit {}): dropped the oldest {} points ({}); the time-series "
                    + "server has been unreachable too long", totalBytes, maxBytes, lost, oldest.path.getFileName());
            remove(oldest);
        }
    }

    private void remove(Segment s) {
        segments.remove(s);
        totalBytes -= s.bytes;
        delete(s);
    }

    private static void delete(Segment s) {
        try {
            Files.deleteIfExists(s.path);
            Files.deleteIfExists(s.ackPath());
        } catch (IOException e) {
            log.warn("Cannot delete spool segment {}", s.path, e);
        }
    }

    /** Whether the disk refused the last write (it is full): what would go to the spool had better wait in memory. */
    synchronized boolean refusing() { return refusing; }

    private void refused(IOException e) {
        if (!refusing) {
            log.error("RECORD SPOOL NOT WRITABLE at {} ({}): points wait in memory until it takes them; free space there",
                    dir, e.getMessage());
            refusing = true;
        }
    }

    private void wrote() {
        if (refusing) {
            log.info("The record spool at {} takes writes again", dir);
            refusing = false;
        }
    }

    /**
     * After a failed write the file may hold part of the buffer (a disk that fills takes what fits);
     * the buffer keeps all of it and writes it whole next time, so the part is cut off again here.
     * Without this a line would be written one and a half times, the half glued to the next line.
     */
    private void untear() {
        if (active == null || out == null) {
            return;
        }
        try {
            long written = active.bytes - out.buffered();
            if (outFile.getChannel().size() > written) {
                outFile.getChannel().truncate(written);
            }
        } catch (IOException e) {
            log.error("Cannot cut a torn write off spool segment {}", active.path, e);
        }
    }

    /** A buffered segment stream that says how much it holds that is not yet in the file. */
    private static final class Buffered extends BufferedOutputStream {
        Buffered(OutputStream file) {
            super(file, 64 * 1024);
        }

        int buffered() { return count; }

        int bufferedLines() {
            int n = 0;
            for (int i = 0; i < count; i++) {
                n += buf[i] == '\n' ? 1 : 0;
            }
            return n;
        }
    }

    private Path segmentPath(long seq, long created) {
        return dir.resolve(String.format("seg-%019d-%d.lp", seq, created));
    }
}
