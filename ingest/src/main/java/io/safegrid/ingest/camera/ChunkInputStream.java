package io.safegrid.ingest.camera;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bridge from a Netty connection (producer, event loop) to FFmpeg (consumer, decode thread):
 * a bounded queue of byte chunks. When it fills, the producer pauses reading the socket (TCP then
 * holds the edge box back); {@code onDrained} tells it to resume once half is free.
 */
final class ChunkInputStream extends InputStream {
    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final int capacity;
    private final int lowWater;
    private final Runnable onDrained;
    private volatile Runnable onInput = () -> { };
    private final long readTimeoutMillis;
    private byte[] current;
    private int pos;
    private volatile boolean closed;
    private volatile boolean ended;

    /**
     * @param readTimeoutMillis how long a read waits for data before failing, so a stalled sender
     *                          cannot hold a decode thread forever
     */
    ChunkInputStream(int capacity, long readTimeoutMillis, Runnable onDrained) {
        this.capacity = capacity;
        this.lowWater = capacity / 2;
        this.readTimeoutMillis = readTimeoutMillis;
        this.onDrained = onDrained;
    }

    /**
     * Producer side: always takes the chunk (a read already under way may deliver a few more
     * after the pause); returns false when the queue is at capacity and the producer should pause
     * until {@code onDrained}.
     */
    boolean offer(byte[] chunk) {
        if (closed || ended) {
            return true;   // nobody will read it any more: the session is ending
        }
        chunks.offer(chunk);
        onInput.run();
        return !full();
    }

    boolean full() { return chunks.size() >= capacity; }

    /** Called (on the producer's thread) after each chunk and at the end, so a pooled decoder gets a turn. */
    void onInput(Runnable r) {
        onInput = r;
    }

    /**
     * Whether a decoder can take the next picture without waiting on the network: the stream ended,
     * or two chunks wait besides the one being read (a picture is complete only once the next one
     * has begun to arrive).
     */
    boolean ready() {
        return ended || closed || chunks.size() >= 2;
    }

    /** Producer side: no more data (connection closed). */
    void end() {
        ended = true;
        chunks.offer(EOF);
        onInput.run();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || pos >= current.length) {
            if (closed) {
                return -1;
            }
            if (current == EOF) {
                return -1;
            }
            try {
                current = chunks.poll(readTimeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            pos = 0;
            if (current == null) {
                throw new IOException("no video data for " + readTimeoutMillis + " ms");
            }
            if (chunks.size() == lowWater) {
                onDrained.run();
            }
            if (current == EOF) {
                chunks.offer(EOF);
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current == null || current == EOF ? 0 : current.length - pos;
    }

    @Override
    public void close() {
        closed = true;
        chunks.clear();
        chunks.offer(EOF);
        onInput.run();
    }
}
