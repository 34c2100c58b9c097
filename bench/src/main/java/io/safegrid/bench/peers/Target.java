package io.safegrid.bench.peers;

/** One system under test: an MQTT endpoint on loopback whose in-process consumer counts parsed readings. */
interface Target extends AutoCloseable {
    /** What the table calls it. */
    String name();

    /** Starts it on {@code port} (127.0.0.1) with {@code sink} as its in-process consumer. */
    void start(int port, ReadingSink sink) throws Exception;

    @Override
    void close() throws Exception;
}
