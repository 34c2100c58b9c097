package io.safegrid.ingest.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the journal's disk has room for more: usable space, less what looks free but belongs to the
 * alarm store (its released reserve), against the refusing watermark. Looked at on the appending
 * thread at most once per {@code every} (one {@code statfs}), so a filling disk is seen within that
 * time and the check costs nothing per group.
 */
public final class DiskRoom {
    /** No watermark: only a failed write refuses. */
    public static final DiskRoom UNLIMITED = new DiskRoom(null, 0, () -> 0, 0);

    private final Path dir;
    private final long refuseFreeBytes;
    private final LongSupplier setAside;
    private final long everyNanos;
    private FileStore store;
    private long checkedAt;
    private long lastFree = Long.MAX_VALUE;
    private String shortOf;

    /**
     * @param refuseFreeBytes below this much free space nothing more is taken
     * @param setAside        bytes of the free space kept for someone else (the alarm store's released reserve)
     * @param everyMillis     how long one look at the file system holds
     */
    public DiskRoom(Path dir, long refuseFreeBytes, LongSupplier setAside, long everyMillis) {
        this.dir = dir;
        this.refuseFreeBytes = refuseFreeBytes;
        this.setAside = setAside;
        this.everyNanos = TimeUnit.MILLISECONDS.toNanos(everyMillis);
    }

    /** Null while there is room; otherwise why not. Callers hold the journal's lock. */
    String shortOf() {
        if (dir == null) {
            return null;
        }
        long now = System.nanoTime();
        if (store != null && now - checkedAt < everyNanos) {
            return shortOf;
        }
        checkedAt = now;
        try {
            if (store == null) {
                store = Files.getFileStore(dir);
            }
            long free = store.getUsableSpace() - setAside.getAsLong();
            lastFree = free;
            shortOf = free < refuseFreeBytes ? "disk almost full: " + (Math.max(0, free) >> 20)
                    + " MiB free, below the refusing level of " + (refuseFreeBytes >> 20) + " MiB" : null;
        } catch (IOException | RuntimeException e) {
            shortOf = "cannot read the free space of " + dir + ": " + e;
        }
        return shortOf;
    }

    /** Free space at the last look, less what is set aside; {@link Long#MAX_VALUE} before the first. */
    public long lastFree() {
        return lastFree;
    }
}
